//! PayPal: its activity download ([`export`]) and its webhooks ([`events`]).
//!
//! Both make a gift through one constructor, [`Transaction::gift`]: named by PayPal's
//! transaction id (a capture's or a sale's), `paypal:<id>`, the payments of a subscription
//! sharing it, `paypal:<I-…>`. A payment notified and exported later is one gift, by
//! construction: the export then adds what the webhook did not carry (the payer's address, as a
//! donor key).

pub mod events;
pub mod export;

use chrono::{DateTime, Utc};
use jauge::{Channel, Donation, DonationError, DonationStatus, Interval, Money};

pub use events::{interpret, signed_text, verify, Transmission, CERT_NAME, HOSTS};

/// A PayPal transaction, as its exports and webhooks describe it: what makes its gift.
#[derive(Clone, Copy, Debug)]
pub struct Transaction<'a> {
    /// Its id (a capture's, `42311647XV020574X`, or a sale's).
    pub id: &'a str,
    /// The amount received.
    pub amount: Money,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// Where it stands.
    pub status: DonationStatus,
    /// PayPal's fee, where the source says.
    pub fee: Option<Money>,
    /// The payer's address (made a donor key here, never kept), where the source says.
    pub payer: Option<&'a str>,
    /// The subscription (billing agreement or profile, `I-…`) it pays, and how often.
    pub subscription: Option<(Interval, &'a str)>,
}

impl Transaction<'_> {
    /// The gift this transaction makes.
    ///
    /// # Errors
    ///
    /// What the core refuses of it (see [`Donation::try_from_parts`]).
    pub fn gift(&self) -> Result<Donation, DonationError> {
        crate::gift::Said {
            platform: "paypal",
            id: self.id,
            amount: self.amount,
            received_at: self.at,
            status: self.status,
            channel: Channel::Online,
            fee: self.fee,
            payer: self.payer,
            subscription: self.subscription,
        }
        .gift()
    }
}

/// The id of the gift a transaction makes.
pub fn gift_id(transaction: &str) -> String {
    crate::gift::named("paypal", transaction)
}
