//! Stripe: its payments and balance exports ([`export`]) and its webhook events ([`events`]).
//!
//! Both make a gift through one constructor, [`Charge::gift`]: named by its charge,
//! `stripe:<charge id>`, its subscription `stripe:<sub_…>`, its donor keyed from the payer's
//! e-mail address or customer id. A gift that arrives by webhook and again in an export is one
//! gift, by construction.

pub mod events;
pub mod export;

use chrono::{DateTime, Utc};
use jauge::{Channel, Donation, DonationError, DonationParts, DonationStatus, Interval, Money};

pub use events::{interpret, minor_units, sign, verify, DEFAULT_TOLERANCE};

/// A charge as Stripe's exports and events describe it: what makes its gift.
#[derive(Clone, Copy, Debug)]
pub struct Charge<'a> {
    /// The charge's id (`ch_…`, `py_…`).
    pub id: &'a str,
    /// The amount charged.
    pub amount: Money,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// Where it stands.
    pub status: DonationStatus,
    /// Stripe's fee, where the source says.
    pub fee: Option<Money>,
    /// Who paid: an e-mail address or a customer id (made a donor key here, never kept).
    pub payer: Option<&'a str>,
    /// The subscription it pays (its `sub_…` id) and how often.
    pub subscription: Option<(Interval, &'a str)>,
}

impl Charge<'_> {
    /// The gift this charge makes.
    ///
    /// # Errors
    ///
    /// What the core refuses of it (see [`Donation::try_from_parts`]).
    pub fn gift(&self) -> Result<Donation, DonationError> {
        let id = gift_id(self.id);
        let subscription = self.subscription.map(|(i, s)| (i, subscription_id(s)));
        let donor = self
            .payer
            .filter(|p| !p.trim().is_empty())
            .map(crate::donor_key)
            .unwrap_or_default();
        Donation::try_from_parts(DonationParts {
            id: &id,
            amount: self.amount,
            received_at: self.created,
            status: self.status,
            recurring: subscription.as_ref().map(|(i, s)| (*i, s.as_str())),
            channel: Channel::Online,
            donor: &donor,
            fee: self.fee,
            matched_by: "",
        })
    }
}

/// The id of the gift a charge makes.
pub fn gift_id(charge: &str) -> String {
    format!("stripe:{charge}")
}

/// The id of a subscription, which its payments share.
pub fn subscription_id(subscription: &str) -> String {
    format!("stripe:{subscription}")
}
