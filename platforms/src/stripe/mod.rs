//! Stripe: its payments and balance exports ([`export`]) and its webhook events ([`events`]).
//!
//! Both make a gift through one constructor, [`Charge::gift`]: named by its charge,
//! `stripe:<charge id>`, its subscription `stripe:<sub_…>`, its donor keyed from the payer's
//! e-mail address or customer id. A gift that arrives by webhook and again in an export is one
//! gift, by construction.

pub mod events;
pub mod export;

use chrono::{DateTime, Utc};
use jauge::{Channel, Donation, DonationError, DonationStatus, Interval, Money};

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
        crate::gift::Said {
            platform: "stripe",
            id: self.id,
            amount: self.amount,
            received_at: self.created,
            status: self.status,
            channel: Channel::Online,
            fee: self.fee,
            payer: self.payer,
            subscription: self.subscription,
        }
        .gift()
    }
}

/// The id of the gift a charge makes.
pub fn gift_id(charge: &str) -> String {
    crate::gift::named("stripe", charge)
}
