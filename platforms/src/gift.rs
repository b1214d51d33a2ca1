//! How every platform's constructor makes its gift: one place for the naming of gifts and
//! subscriptions (`<platform>:<id>`) and the donor key.

use chrono::{DateTime, Utc};
use jauge::{Channel, Donation, DonationError, DonationParts, DonationStatus, Interval, Money};

/// A gift's or a subscription's id in the store: the platform's id under the platform's name
/// (`stripe:ch_1`), whatever source names it.
pub(crate) fn named(platform: &str, id: &str) -> String {
    format!("{platform}:{id}")
}

/// What a platform says of one payment, in the platform's own ids.
pub(crate) struct Said<'a> {
    /// The platform, the prefix of its ids (`stripe`).
    pub platform: &'static str,
    /// The payment's id on the platform.
    pub id: &'a str,
    /// What of it counts as a gift.
    pub amount: Money,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Where it stands.
    pub status: DonationStatus,
    /// How it was paid.
    pub channel: Channel,
    /// The platform's fee, where the source says.
    pub fee: Option<Money>,
    /// Who paid, made a donor key here (never kept as written).
    pub payer: Option<&'a str>,
    /// How often, and the platform's id of the subscription or order its payments share.
    pub subscription: Option<(Interval, &'a str)>,
}

impl Said<'_> {
    /// The gift.
    pub fn gift(self) -> Result<Donation, DonationError> {
        let id = named(self.platform, self.id);
        let subscription = self.subscription.map(|(i, s)| (i, named(self.platform, s)));
        let donor = self
            .payer
            .filter(|p| !p.trim().is_empty())
            .map(crate::donor_key)
            .unwrap_or_default();
        Donation::try_from_parts(DonationParts {
            id: &id,
            amount: self.amount,
            received_at: self.received_at,
            status: self.status,
            recurring: subscription.as_ref().map(|(i, s)| (*i, s.as_str())),
            channel: self.channel,
            donor: &donor,
            fee: self.fee,
            matched_by: "",
        })
    }
}
