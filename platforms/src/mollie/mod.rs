//! Mollie: its payments export ([`export`]) and its webhooks ([`events`]).
//!
//! Both make a gift through one constructor, [`Payment::gift`]: named by its payment,
//! `mollie:<tr_…>`, the payments of a subscription sharing it, `mollie:<sub_…>`, the donor keyed
//! from the Mollie customer (`cst_…`) where the payment has one. A payment notified and exported
//! later is one gift, by construction.
//!
//! | payment status | the gift |
//! |---|---|
//! | `open`, `pending`, `authorized` | pending |
//! | `paid` | confirmed; refunded by what `amountRefunded` and `amountChargedBack` say |
//! | `canceled`, `expired`, `failed` | failed, never counted |

pub mod events;
pub mod export;

use chrono::{DateTime, Utc};
use jauge::{Channel, Donation, DonationError, DonationStatus, Interval, Money};

pub use events::{
    read, sign, subscription_interval, verify, Nudge, PaymentResource, SIGNATURE_HEADER,
};

/// A payment as Mollie's API and export describe it: what makes its gift.
#[derive(Clone, Copy, Debug)]
pub struct Payment<'a> {
    /// Its id (`tr_…`).
    pub id: &'a str,
    /// The amount paid.
    pub amount: Money,
    /// When it was created (it never changes, where its payment instant comes later).
    pub created: DateTime<Utc>,
    /// Where it stands.
    pub status: DonationStatus,
    /// Its customer (`cst_…`), made a donor key here.
    pub customer: Option<&'a str>,
    /// The subscription it pays (`sub_…`) and how often, where that is monthly or yearly.
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
            platform: "mollie",
            id: self.id,
            amount: self.amount,
            received_at: self.created,
            status: self.status,
            channel: Channel::Online,
            fee: None,
            payer: self.customer.map(customer_identity).as_deref(),
            subscription: self.subscription,
        }
        .gift()
    }
}

/// What the donor key is made from: the customer under the platform's name.
fn customer_identity(customer: &str) -> String {
    format!("mollie customer {customer}")
}

/// The gift's status of a payment in `status` (Mollie's name for it, any case), of `amount`,
/// with `back` refunded or charged back so far. `None` for a status Mollie has not documented.
pub fn status(status: &str, amount: Money, back: Money) -> Option<DonationStatus> {
    Some(match status.to_ascii_lowercase().as_str() {
        "open" | "pending" | "authorized" => DonationStatus::Pending,
        "paid" if back.is_positive() => DonationStatus::Refunded {
            refunded: if back.checked_cmp(&amount).is_ok_and(|o| o.is_gt()) {
                amount
            } else {
                back
            },
        },
        "paid" => DonationStatus::Confirmed,
        "refunded" | "charged back" | "chargeback" | "charged_back" => DonationStatus::Refunded {
            refunded: if back.is_positive() { back } else { amount },
        },
        "canceled" | "cancelled" | "expired" | "failed" => DonationStatus::Failed,
        _ => return None,
    })
}

/// The statuses [`status`] knows, for messages.
pub const STATUSES: &str = "open, pending, authorized, paid, canceled, expired or failed";

/// How often a subscription charges, from its `interval` (`1 month`, `12 months`, `1 year`):
/// monthly and yearly; `None` for any other rhythm (`2 weeks`, `3 months`).
pub fn interval(text: &str) -> Option<Interval> {
    let (count, unit) = text.trim().split_once(' ')?;
    let count: u32 = count.parse().ok()?;
    match (count, unit.trim_end_matches('s')) {
        (1, "month") => Some(Interval::Monthly),
        (12, "month") | (1, "year") => Some(Interval::Yearly),
        _ => None,
    }
}

/// The id of the gift a payment makes.
pub fn gift_id(payment: &str) -> String {
    crate::gift::named("mollie", payment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).unwrap()
    }

    #[test]
    fn a_payments_life() {
        let (amount, zero) = (eur("25"), eur("0"));
        assert_eq!(status("open", amount, zero), Some(DonationStatus::Pending));
        assert_eq!(
            status("paid", amount, zero),
            Some(DonationStatus::Confirmed)
        );
        assert_eq!(
            status("paid", amount, eur("5")),
            Some(DonationStatus::Refunded { refunded: eur("5") })
        );
        assert_eq!(
            status("paid", amount, eur("40")),
            Some(DonationStatus::Refunded { refunded: amount })
        );
        assert_eq!(
            status("Expired", amount, zero),
            Some(DonationStatus::Failed)
        );
        assert_eq!(status("teleported", amount, zero), None);
        assert_eq!(interval("1 month"), Some(Interval::Monthly));
        assert_eq!(interval("12 months"), Some(Interval::Yearly));
        assert_eq!(interval("1 year"), Some(Interval::Yearly));
        assert_eq!(interval("2 weeks"), None);
        assert_eq!(interval("month"), None);
    }
}
