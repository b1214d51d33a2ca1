//! Donations as the ledger records them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::{Money, MoneyError};

/// One-off or recurring.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DonationKind {
    /// A single gift.
    OneOff,
    /// One payment of a recurring gift.
    Recurring {
        /// How often the donor gives.
        interval: Interval,
        /// The payment provider's stable identifier of the subscription, the same on every
        /// payment of it.
        subscription: String,
    },
}

/// How often a recurring gift is paid.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// Every month.
    Monthly,
    /// Every year.
    Yearly,
}

impl Interval {
    /// Payments in a year: 12 or 1.
    pub const fn per_year(self) -> u32 {
        match self {
            Interval::Monthly => 12,
            Interval::Yearly => 1,
        }
    }

    /// Months between two payments.
    pub const fn months(self) -> u32 {
        match self {
            Interval::Monthly => 1,
            Interval::Yearly => 12,
        }
    }
}

/// Where a payment stands.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DonationStatus {
    /// Money received.
    Confirmed,
    /// Announced but not yet received (a cheque in the post, a transfer not yet cleared).
    Pending,
    /// The payment failed: never counted.
    Failed,
    /// Received, then refunded in part or in full.
    Refunded {
        /// How much was given back (at most the gift).
        refunded: Money,
    },
}

/// How the money came in.
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A payment on the web (card, PayPal, …).
    #[default]
    Online,
    /// A cheque or cash, entered by hand.
    Offline,
    /// A bank transfer or direct debit.
    BankTransfer,
    /// Anything else.
    Other,
}

impl Channel {
    /// Every channel, in report order.
    pub const ALL: [Channel; 4] = [
        Channel::Online,
        Channel::Offline,
        Channel::BankTransfer,
        Channel::Other,
    ];
}

/// One donation, or one payment of a recurring donation.
///
/// # Example
///
/// ```
/// use jauge::{Channel, Donation, DonationStatus, Interval, Money};
///
/// let received = "2023-12-12T08:07:00Z".parse()?;
/// let gift = Donation::try_new("st_3OMe", Money::parse("30 EUR")?, received)?
///     .recurring(Interval::Monthly, "sub_42")?
///     .with_fee(Money::parse("0.70 EUR")?)?
///     .with_donor("d:8f3a")
///     .with_channel(Channel::Online);
/// assert_eq!(gift.status(), &DonationStatus::Confirmed);
///
/// let refund = DonationStatus::Refunded { refunded: Money::parse("40 EUR")? };
/// assert!(gift.with_status(refund).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "DonationRepr", into = "DonationRepr")]
pub struct Donation {
    id: String,
    amount: Money,
    received_at: DateTime<Utc>,
    kind: DonationKind,
    status: DonationStatus,
    channel: Channel,
    donor: Option<String>,
    fee: Option<Money>,
    matched_by: Option<String>,
}

/// Why a donation was rejected. Every variant names the donation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DonationError {
    /// The identifier is empty.
    #[error("a donation needs a non-empty id")]
    EmptyId,
    /// The amount is zero or negative (a refund is a status, not a negative gift).
    #[error("donation {id}: amount {amount} must be above zero")]
    NotPositive {
        /// The donation.
        id: String,
        /// The amount given.
        amount: Money,
    },
    /// A fee or refund in another currency than the gift, or another money error.
    #[error("donation {id}: {source}")]
    Money {
        /// The donation.
        id: String,
        /// What went wrong.
        source: MoneyError,
    },
    /// A negative fee, or a fee larger than the gift.
    #[error("donation {id}: fee {fee} must be between zero and the amount {amount}")]
    FeeOutOfRange {
        /// The donation.
        id: String,
        /// The fee.
        fee: Money,
        /// The gift.
        amount: Money,
    },
    /// A refund of zero, a negative refund, or one larger than the gift.
    #[error("donation {id}: refund {refunded} must be above zero and at most the amount {amount}")]
    RefundOutOfRange {
        /// The donation.
        id: String,
        /// The refund.
        refunded: Money,
        /// The gift.
        amount: Money,
    },
    /// A recurring payment without a subscription identifier.
    #[error("donation {id}: a recurring payment needs a non-empty subscription id")]
    EmptySubscription {
        /// The donation.
        id: String,
    },
}

/// Every field of a donation, to build it in one step with [`Donation::try_from_parts`].
#[derive(Clone, Copy, Debug)]
pub struct DonationParts<'a> {
    /// The platform's identifier.
    pub id: &'a str,
    /// The amount given.
    pub amount: Money,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Confirmed, pending, failed or refunded.
    pub status: DonationStatus,
    /// For a payment of a recurring gift, its interval and its subscription's identifier.
    pub recurring: Option<(Interval, &'a str)>,
    /// How it was received.
    pub channel: Channel,
    /// The pseudonymous donor key; blank for none.
    pub donor: &'a str,
    /// The payment provider's fee.
    pub fee: Option<Money>,
    /// The sponsor whose match this gift is; blank for none.
    pub matched_by: &'a str,
}

/// An id and an amount, checked as every donation's.
fn check_new(id: &str, amount: Money) -> Result<(), DonationError> {
    if id.trim().is_empty() {
        return Err(DonationError::EmptyId);
    }
    if !amount.is_positive() {
        return Err(DonationError::NotPositive {
            id: id.to_owned(),
            amount,
        });
    }
    Ok(())
}

/// A recurring payment's subscription id, which may not be blank.
fn check_subscription(id: &str, subscription: &str) -> Result<(), DonationError> {
    if subscription.trim().is_empty() {
        return Err(DonationError::EmptySubscription { id: id.to_owned() });
    }
    Ok(())
}

/// A status's refund, checked against the gift's amount.
fn check_status(id: &str, amount: Money, status: DonationStatus) -> Result<(), DonationError> {
    if let DonationStatus::Refunded { refunded } = status {
        let within = refunded
            .checked_cmp(&amount)
            .map_err(|source| money_error(id, source))?
            .is_le();
        if !refunded.is_positive() || !within {
            return Err(DonationError::RefundOutOfRange {
                id: id.to_owned(),
                refunded,
                amount,
            });
        }
    }
    Ok(())
}

/// A fee, checked against the gift's amount.
fn check_fee(id: &str, amount: Money, fee: Money) -> Result<(), DonationError> {
    let within = fee
        .checked_cmp(&amount)
        .map_err(|source| money_error(id, source))?
        .is_le();
    if fee.is_negative() || !within {
        return Err(DonationError::FeeOutOfRange {
            id: id.to_owned(),
            fee,
            amount,
        });
    }
    Ok(())
}

fn money_error(id: &str, source: MoneyError) -> DonationError {
    DonationError::Money {
        id: id.to_owned(),
        source,
    }
}

impl Donation {
    /// A confirmed one-off online gift of `amount` received at `received_at`; the `with_*`
    /// methods set the rest.
    ///
    /// # Errors
    ///
    /// [`DonationError::EmptyId`], or [`DonationError::NotPositive`] for an amount that is not
    /// above zero.
    pub fn try_new(
        id: impl Into<String>,
        amount: Money,
        received_at: DateTime<Utc>,
    ) -> Result<Donation, DonationError> {
        let id = id.into();
        check_new(&id, amount)?;
        Ok(Donation {
            id,
            amount,
            received_at,
            kind: DonationKind::OneOff,
            status: DonationStatus::Confirmed,
            channel: Channel::Online,
            donor: None,
            fee: None,
            matched_by: None,
        })
    }

    /// A donation built from all its fields at once, checked as [`Donation::try_new`] and the
    /// `with_*` methods check them. A store's scan builds millions: one construction, where the
    /// builder moves the whole donation at each step.
    ///
    /// # Errors
    ///
    /// Those of [`Donation::try_new`], [`Donation::recurring`], [`Donation::with_status`] and
    /// [`Donation::with_fee`], in that order.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{Channel, Donation, DonationParts, DonationStatus, Money};
    ///
    /// let gift = Donation::try_from_parts(DonationParts {
    ///     id: "ch_1",
    ///     amount: Money::try_new("30.00".parse()?, "EUR".parse()?)?,
    ///     received_at: "2023-12-12T08:07:00Z".parse()?,
    ///     status: DonationStatus::Confirmed,
    ///     recurring: None,
    ///     channel: Channel::Online,
    ///     donor: "d41d8cd9",
    ///     fee: None,
    ///     matched_by: "",
    /// })?;
    /// assert_eq!(gift.donor(), Some("d41d8cd9"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_from_parts(parts: DonationParts<'_>) -> Result<Donation, DonationError> {
        let DonationParts {
            id,
            amount,
            received_at,
            status,
            recurring,
            channel,
            donor,
            fee,
            matched_by,
        } = parts;
        check_new(id, amount)?;
        let kind = match recurring {
            None => DonationKind::OneOff,
            Some((interval, subscription)) => {
                check_subscription(id, subscription)?;
                DonationKind::Recurring {
                    interval,
                    subscription: subscription.to_owned(),
                }
            }
        };
        check_status(id, amount, status)?;
        if let Some(fee) = fee {
            check_fee(id, amount, fee)?;
        }
        let given = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
        Ok(Donation {
            id: id.to_owned(),
            amount,
            received_at,
            kind,
            status,
            channel,
            donor: given(donor),
            fee,
            matched_by: given(matched_by),
        })
    }

    /// Makes this a payment of the recurring gift `subscription`.
    ///
    /// # Errors
    ///
    /// [`DonationError::EmptySubscription`].
    pub fn recurring(
        mut self,
        interval: Interval,
        subscription: impl Into<String>,
    ) -> Result<Donation, DonationError> {
        let subscription = subscription.into();
        check_subscription(&self.id, &subscription)?;
        self.kind = DonationKind::Recurring {
            interval,
            subscription,
        };
        Ok(self)
    }

    /// Sets the status.
    ///
    /// # Errors
    ///
    /// [`DonationError::Money`] for a refund in another currency,
    /// [`DonationError::RefundOutOfRange`] for a refund not in (0, amount].
    pub fn with_status(mut self, status: DonationStatus) -> Result<Donation, DonationError> {
        check_status(&self.id, self.amount, status)?;
        self.status = status;
        Ok(self)
    }

    /// Sets the payment provider's fee.
    ///
    /// # Errors
    ///
    /// [`DonationError::Money`] for a fee in another currency, [`DonationError::FeeOutOfRange`]
    /// for a negative fee or one above the gift.
    pub fn with_fee(mut self, fee: Money) -> Result<Donation, DonationError> {
        check_fee(&self.id, self.amount, fee)?;
        self.fee = Some(fee);
        Ok(self)
    }

    /// The same donation received at another instant (for replaying a ledger in another period,
    /// as the demo does).
    pub fn with_received_at(mut self, received_at: DateTime<Utc>) -> Donation {
        self.received_at = received_at;
        self
    }

    /// Sets the channel.
    pub fn with_channel(mut self, channel: Channel) -> Donation {
        self.channel = channel;
        self
    }

    /// Sets the pseudonymous donor key used to count unique donors. Blank keys count as none.
    pub fn with_donor(mut self, donor: impl Into<String>) -> Donation {
        let donor = donor.into();
        self.donor = (!donor.trim().is_empty()).then_some(donor);
        self
    }

    /// Records that this gift is a sponsor's match.
    pub fn matched_by(mut self, sponsor: impl Into<String>) -> Donation {
        let sponsor = sponsor.into();
        self.matched_by = (!sponsor.trim().is_empty()).then_some(sponsor);
        self
    }

    /// The ledger identifier.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The gross amount given.
    pub fn amount(&self) -> Money {
        self.amount
    }
    /// When it was received (UTC).
    pub fn received_at(&self) -> DateTime<Utc> {
        self.received_at
    }
    /// One-off or recurring.
    pub fn kind(&self) -> &DonationKind {
        &self.kind
    }
    /// Confirmed, pending, failed or refunded.
    pub fn status(&self) -> &DonationStatus {
        &self.status
    }
    /// How it came in.
    pub fn channel(&self) -> Channel {
        self.channel
    }
    /// The pseudonymous donor key, if any.
    pub fn donor(&self) -> Option<&str> {
        self.donor.as_deref()
    }
    /// The provider's fee, if any.
    pub fn fee(&self) -> Option<Money> {
        self.fee
    }
    /// The sponsor whose match this is, if any.
    pub fn matching_sponsor(&self) -> Option<&str> {
        self.matched_by.as_deref()
    }
}

/// The serde shape of a donation; converting from it runs every check of the builder. (serde cannot
/// deny unknown fields next to flattened enums, so unknown fields are ignored here.)
#[derive(Serialize, Deserialize)]
struct DonationRepr {
    id: String,
    amount: Money,
    received_at: DateTime<Utc>,
    #[serde(flatten)]
    kind: DonationKind,
    #[serde(flatten)]
    status: DonationStatus,
    #[serde(default)]
    channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    donor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fee: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    matched_by: Option<String>,
}

impl TryFrom<DonationRepr> for Donation {
    type Error = DonationError;

    fn try_from(repr: DonationRepr) -> Result<Donation, DonationError> {
        let mut donation = Donation::try_new(repr.id, repr.amount, repr.received_at)?
            .with_status(repr.status)?
            .with_channel(repr.channel);
        if let DonationKind::Recurring {
            interval,
            subscription,
        } = repr.kind
        {
            donation = donation.recurring(interval, subscription)?;
        }
        if let Some(fee) = repr.fee {
            donation = donation.with_fee(fee)?;
        }
        if let Some(donor) = repr.donor {
            donation = donation.with_donor(donor);
        }
        if let Some(sponsor) = repr.matched_by {
            donation = donation.matched_by(sponsor);
        }
        Ok(donation)
    }
}

impl From<Donation> for DonationRepr {
    fn from(d: Donation) -> DonationRepr {
        DonationRepr {
            id: d.id,
            amount: d.amount,
            received_at: d.received_at,
            kind: d.kind,
            status: d.status,
            channel: d.channel,
            donor: d.donor,
            fee: d.fee,
            matched_by: d.matched_by,
        }
    }
}

crate::json::unit_variants_from_json!(Channel {
    "online" => Online,
    "offline" => Offline,
    "bank_transfer" => BankTransfer,
    "other" => Other,
});

#[cfg(feature = "tz")]
impl Donation {
    /// This donation with every amount it carries mapped by `convert`; none if one does not
    /// convert.
    pub(crate) fn converted(&self, convert: impl Fn(Money) -> Option<Money>) -> Option<Donation> {
        let mut converted = self.clone();
        converted.amount = convert(self.amount())?;
        converted.fee = match self.fee() {
            Some(fee) => Some(convert(fee)?),
            None => None,
        };
        if let DonationStatus::Refunded { refunded } = self.status() {
            // The whole amount refunded stays the whole amount once converted.
            let refunded = if *refunded == self.amount() {
                converted.amount
            } else {
                convert(*refunded)?.min_amount(converted.amount)
            };
            converted.status = DonationStatus::Refunded { refunded };
        }
        Some(converted)
    }
}

#[cfg(feature = "tz")]
impl Money {
    /// The smaller of two amounts of one currency.
    fn min_amount(self, other: Money) -> Money {
        if other.amount() < self.amount() {
            other
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        "2023-12-12T08:07:00Z".parse().unwrap()
    }

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).unwrap()
    }

    /// The one-step constructor and the builder agree, gift for gift and error for error.
    #[test]
    fn parts_build_what_the_builder_builds() {
        let usd = Money::parse("1 USD").unwrap();
        let statuses = [
            DonationStatus::Confirmed,
            DonationStatus::Failed,
            DonationStatus::Refunded { refunded: eur("5") },
            DonationStatus::Refunded {
                refunded: eur("50"),
            },
            DonationStatus::Refunded { refunded: usd },
        ];
        for id in ["ch_1", " "] {
            for amount in [eur("30"), eur("0")] {
                for status in statuses {
                    for recurring in [
                        None,
                        Some((Interval::Monthly, "sub_1")),
                        Some((Interval::Yearly, " ")),
                    ] {
                        for fee in [None, Some(eur("1")), Some(eur("31")), Some(usd)] {
                            for (donor, matched_by) in [("", ""), ("d1", "sponsor"), (" ", " ")] {
                                let built = Donation::try_new(id, amount, at()).and_then(|d| {
                                    let d = match recurring {
                                        None => d,
                                        Some((interval, s)) => d.recurring(interval, s)?,
                                    };
                                    let mut d = d.with_status(status)?;
                                    if let Some(fee) = fee {
                                        d = d.with_fee(fee)?;
                                    }
                                    Ok(d.with_channel(Channel::Offline)
                                        .with_donor(donor)
                                        .matched_by(matched_by))
                                });
                                let parts = Donation::try_from_parts(DonationParts {
                                    id,
                                    amount,
                                    received_at: at(),
                                    status,
                                    recurring,
                                    channel: Channel::Offline,
                                    donor,
                                    fee,
                                    matched_by,
                                });
                                assert_eq!(
                                    parts, built,
                                    "{id:?} {amount} {status:?} {recurring:?} {fee:?}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rejects_impossible_donations() {
        assert_eq!(
            Donation::try_new(" ", eur("1"), at()),
            Err(DonationError::EmptyId)
        );
        assert!(matches!(
            Donation::try_new("a", eur("0"), at()),
            Err(DonationError::NotPositive { .. })
        ));
        let gift = Donation::try_new("a", eur("10"), at()).unwrap();
        assert!(matches!(
            gift.clone().with_fee(eur("11")),
            Err(DonationError::FeeOutOfRange { .. })
        ));
        assert!(matches!(
            gift.clone().with_fee(Money::parse("1 USD").unwrap()),
            Err(DonationError::Money { .. })
        ));
        let over = DonationStatus::Refunded {
            refunded: eur("10.01"),
        };
        assert_eq!(
            gift.clone().with_status(over).unwrap_err().to_string(),
            "donation a: refund 10.01 EUR must be above zero and at most the amount 10.00 EUR"
        );
        assert!(gift.clone().recurring(Interval::Monthly, "").is_err());
        assert!(gift
            .with_status(DonationStatus::Refunded {
                refunded: eur("10")
            })
            .is_ok());
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let gift = Donation::try_new("pp-1", eur("30"), at())
            .unwrap()
            .recurring(Interval::Yearly, "sub")
            .unwrap()
            .with_status(DonationStatus::Refunded { refunded: eur("5") })
            .unwrap()
            .with_channel(Channel::BankTransfer)
            .with_donor("k")
            .matched_by("ACME");
        let json = serde_json::to_string(&gift).unwrap();
        assert_eq!(
            json,
            r#"{"id":"pp-1","amount":{"amount":"30.00","currency":"EUR"},"received_at":"2023-12-12T08:07:00Z","kind":"recurring","interval":"yearly","subscription":"sub","status":"refunded","refunded":{"amount":"5.00","currency":"EUR"},"channel":"bank_transfer","donor":"k","matched_by":"ACME"}"#
        );
        assert_eq!(serde_json::from_str::<Donation>(&json).unwrap(), gift);
        let negative = json.replace(r#""30.00""#, r#""-30.00""#);
        assert!(serde_json::from_str::<Donation>(&negative).is_err());
    }
}
