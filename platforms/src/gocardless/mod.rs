//! GoCardless (SEPA and Bacs direct debit): its payments export ([`export`]) and its webhooks
//! ([`events`]).
//!
//! Both make a gift through one constructor, [`Payment::gift`]: named by its payment,
//! `gocardless:<PM…>`, the payments of a subscription sharing it, `gocardless:<SB…>`, the donor
//! keyed from the mandate (`MD…`, one payer's authority to debit one account: the export and
//! the API both name it, where only the export names the customer's address). A payment that
//! arrives by webhook and again in an export is one gift, by construction.
//!
//! A direct debit takes days: a payment is *pending* when created and submitted, *confirmed*
//! days later (only then is the money certain), and may yet be *charged back* or fail late
//! after that, which takes the money back from the gauge (a reversal of the whole payment).
//!
//! | payment status (API and export) | the gift |
//! |---|---|
//! | `pending_customer_approval`, `pending_submission`, `submitted` | pending |
//! | `confirmed`, `paid_out` | confirmed (refunded, where `amount_refunded` says) |
//! | `failed`, `cancelled`, `customer_approval_denied` | failed, never counted |
//! | `charged_back`, or failed late (after confirmation) | taken back whole |

pub mod events;
pub mod export;

use chrono::{DateTime, Utc};
use jauge::{Channel, Donation, DonationError, DonationStatus, Interval, Money};

pub use events::{
    interpret, read, sign, subscription_interval, verify, Notice, PaymentResource, SIGNATURE_HEADER,
};

/// A payment as GoCardless's API and export describe it: what makes its gift.
#[derive(Clone, Copy, Debug)]
pub struct Payment<'a> {
    /// Its id (`PM…`).
    pub id: &'a str,
    /// The amount debited.
    pub amount: Money,
    /// When it was created (it never changes, where its charge date may, on a retry).
    pub created: DateTime<Utc>,
    /// Where it stands.
    pub status: DonationStatus,
    /// Its mandate (`MD…`), made a donor key here.
    pub mandate: Option<&'a str>,
    /// The subscription it pays (`SB…`) and how often, where that is monthly or yearly (the
    /// payments of a weekly or quarterly subscription count one by one as they come).
    pub subscription: Option<(Interval, &'a str)>,
}

impl Payment<'_> {
    /// The gift this payment makes.
    ///
    /// # Errors
    ///
    /// What the core refuses of it (see [`Donation::try_from_parts`]).
    pub fn gift(&self) -> Result<Donation, DonationError> {
        crate::gift::Said {
            platform: "gocardless",
            id: self.id,
            amount: self.amount,
            received_at: self.created,
            status: self.status,
            channel: Channel::BankTransfer,
            fee: None,
            payer: self.mandate.map(mandate_identity).as_deref(),
            subscription: self.subscription,
        }
        .gift()
    }
}

/// What the donor key is made from: the mandate under the platform's name, so a mandate id
/// can never meet another platform's identity by chance.
fn mandate_identity(mandate: &str) -> String {
    format!("gocardless mandate {mandate}")
}

/// The gift's status of a payment in `status` (GoCardless's name for it), of `amount`, with
/// `refunded` given back so far; `late` when it failed after it had been confirmed (GoCardless's
/// `late_failure_settled`). `None` for a status GoCardless has not documented.
pub fn status(status: &str, amount: Money, refunded: Money, late: bool) -> Option<DonationStatus> {
    Some(match status {
        "pending_customer_approval" | "pending_submission" | "submitted" => DonationStatus::Pending,
        "confirmed" | "paid_out" if refunded.is_positive() => DonationStatus::Refunded {
            refunded: if refunded.checked_cmp(&amount).is_ok_and(|o| o.is_gt()) {
                amount
            } else {
                refunded
            },
        },
        "confirmed" | "paid_out" => DonationStatus::Confirmed,
        "failed" if late => DonationStatus::Refunded { refunded: amount },
        "failed" | "cancelled" | "customer_approval_denied" => DonationStatus::Failed,
        "charged_back" => DonationStatus::Refunded { refunded: amount },
        _ => return None,
    })
}

/// The statuses [`status`] knows, for messages.
pub const STATUSES: &str = "pending_customer_approval, pending_submission, submitted, confirmed, paid_out, failed, cancelled, customer_approval_denied or charged_back";

/// How often a subscription debits, from its `interval_unit` and `interval`: monthly and
/// yearly; `None` for any other rhythm (weekly, every three months).
pub fn interval(unit: &str, every: i64) -> Option<Interval> {
    match (unit, every) {
        ("monthly", 1) => Some(Interval::Monthly),
        ("yearly", 1) | ("monthly", 12) => Some(Interval::Yearly),
        _ => None,
    }
}

/// The id of the gift a payment makes.
pub fn gift_id(payment: &str) -> String {
    crate::gift::named("gocardless", payment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).unwrap()
    }

    #[test]
    fn a_direct_debits_life() {
        let amount = eur("20");
        let zero = eur("0");
        let at = |s, refunded, late| status(s, amount, refunded, late);
        assert_eq!(at("submitted", zero, false), Some(DonationStatus::Pending));
        assert_eq!(
            at("confirmed", zero, false),
            Some(DonationStatus::Confirmed)
        );
        assert_eq!(at("paid_out", zero, false), Some(DonationStatus::Confirmed));
        assert_eq!(
            at("paid_out", eur("5"), false),
            Some(DonationStatus::Refunded { refunded: eur("5") })
        );
        assert_eq!(at("failed", zero, false), Some(DonationStatus::Failed));
        assert_eq!(
            at("failed", zero, true),
            Some(DonationStatus::Refunded { refunded: amount })
        );
        assert_eq!(
            at("charged_back", zero, false),
            Some(DonationStatus::Refunded { refunded: amount })
        );
        assert_eq!(at("teleported", zero, false), None);
        assert_eq!(interval("monthly", 1), Some(Interval::Monthly));
        assert_eq!(interval("yearly", 1), Some(Interval::Yearly));
        assert_eq!(interval("weekly", 1), None);
        assert_eq!(interval("monthly", 3), None);
    }

    #[test]
    fn the_donor_is_keyed_from_the_mandate() {
        let payment = Payment {
            id: "PM1",
            amount: eur("20"),
            created: DateTime::from_timestamp(1_702_000_000, 0).unwrap(),
            status: DonationStatus::Confirmed,
            mandate: Some("MD1"),
            subscription: Some((Interval::Monthly, "SB1")),
        };
        let gift = payment.gift().unwrap();
        assert_eq!(gift.id(), "gocardless:PM1");
        assert_eq!(gift.channel(), Channel::BankTransfer);
        assert_eq!(
            gift.donor(),
            Some(crate::donor_key("gocardless mandate MD1").as_str())
        );
        assert_eq!(
            gift.kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "gocardless:SB1".into()
            }
        );
    }
}
