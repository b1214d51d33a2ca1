//! HelloAsso: its payments export ([`export`]) and its notifications ([`events`]).
//!
//! Both make a gift through one constructor, [`Payment::gift`]: named by its payment,
//! `helloasso:<payment id>`, a monthly gift's payments sharing their order,
//! `helloasso:<order id>`, the donor keyed from the payer's e-mail address. A gift notified and
//! exported later is one gift, by construction.

pub mod events;
pub mod export;

use chrono::{DateTime, Utc};
use jauge::{Channel, Donation, DonationError, DonationStatus, Interval, Money};

pub use events::{interpret, order_id, verify};

/// A payment as HelloAsso's exports and notifications describe it: what makes its gift.
#[derive(Clone, Copy, Debug)]
pub struct Payment<'a> {
    /// Its id: the payment's reference, or `order:<reference>` for a row of an orders export
    /// (which names no payment).
    pub id: &'a str,
    /// What of it counts as a donation.
    pub amount: Money,
    /// When it was paid.
    pub date: DateTime<Utc>,
    /// Where it stands.
    pub status: DonationStatus,
    /// How it was paid.
    pub channel: Channel,
    /// The payer's e-mail address (made a donor key here, never kept).
    pub payer: Option<&'a str>,
    /// For a payment of a recurring gift: how often, and the order all its payments share.
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
            platform: "helloasso",
            id: self.id,
            amount: self.amount,
            received_at: self.date,
            status: self.status,
            channel: self.channel,
            fee: None,
            payer: self.payer,
            subscription: self.subscription,
        }
        .gift()
    }
}
