//! # jauge — the pure model of a donation campaign
//!
//! Exact money ([`Money`], [`Currency`]), donations and the declared rules that decide what
//! counts ([`Donation`], [`CountingRules`]), campaigns with deadlines in a real time zone
//! ([`Campaign`], [`Moment`]), the status at an instant ([`Campaign::status`], [`Tally`]) as one
//! versioned document ([`StatusDocument`]), the countdown ([`TimeLeft`]), appeal sentences in six
//! locales ([`Appeals`], [`Locale`]), the budget gap ([`Budget`]) and the cost of a gift after tax
//! ([`TaxRule`]).
//!
//! No I/O, no clock, no floats: `now` is always an argument, amounts are
//! [`rust_decimal::Decimal`] with an ISO 4217 currency, and mixing currencies is an error.
//!
//! ```
//! use jauge::{parse_zone, Campaign, Donation, Locale, Money};
//!
//! let campaign = Campaign::builder("Framasoft 2023", Money::parse("200000 EUR")?, parse_zone("Europe/Paris")?)
//!     .start("2023-11-14".parse()?)
//!     .deadline("2023-12-31".parse()?)
//!     .baseline(Money::parse("128572.42 EUR")?, "raised before the ledger export")
//!     .build()?;
//! let gift = Donation::try_new("don-1", Money::parse("30 EUR")?, "2023-12-12T08:07:00Z".parse()?)?;
//! let status = campaign.status([&gift], "2023-12-26T08:00:00Z".parse()?)?;
//! assert_eq!(status.remaining(), Money::parse("71397.58 EUR")?.into());
//! assert_eq!(status.percent_display(), 64);
//! assert_eq!(
//!     status.appeal(Locale::En),
//!     "We have 5 days left to raise €71,398: we can't do it without your help!"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `tz` feature (on by default) brings the IANA time-zone database for campaign
//! computations. Without it — as the browser widget builds it — the crate still reads status
//! documents, formats money and phrases countdowns. The `details` feature (implied by `tz`)
//! gives [`StatusDocument`] the breakdown, counting rules and pace that finance staff read;
//! without it a document holds what a gauge shows and cannot be written out.

#![deny(missing_docs)]

/// Serializes a type as its `Display` text and deserializes it through its `FromStr`, so the
/// text form and the serde form can never drift apart.
macro_rules! serde_via_str {
    ($type:ty) => {
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$type, D::Error> {
                let text =
                    <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_str;

mod appeal;
mod budget;
mod cldr_symbols;
mod countdown;
mod currency;
pub mod document;
mod donation;
mod json;
mod locale;
mod localized;
mod money;
mod quantity;
mod rules;
mod small_map;
mod stage;
mod tax;
mod wire;

#[cfg(feature = "tz")]
mod campaign;
#[cfg(feature = "tz")]
mod compare;
#[cfg(feature = "tz")]
mod rates;
#[cfg(feature = "tz")]
mod report;
#[cfg(feature = "tz")]
mod status;
#[cfg(feature = "tz")]
mod time;

pub use appeal::{AppealState, AppealTemplate, AppealValues, Appeals, TemplateError};
pub use budget::{Budget, BudgetBuilder, BudgetError, BudgetGap, Certainty};
pub use countdown::{TimeLeft, TimeUnit};
pub use currency::{Currency, CurrencyError};
pub use document::{
    DocumentError, NotCounted, NotCountedReason, Phase, ProjectionMethod, StatusDocument,
    SCHEMA_VERSION,
};
pub use donation::{
    Channel, Donation, DonationError, DonationKind, DonationParts, DonationStatus, Interval,
};
pub use locale::{Headline, Locale, LocaleError};
pub use localized::{Donate, Localized, LocalizedError};
pub use money::{Money, MoneyError};
pub use quantity::{Measure, Quantity};
pub use rules::{CountingRules, FeeRule, PendingRule, RecurringRule, RefundRule};
pub use small_map::SmallMap;
pub use stage::{Illustration, Stage, StageError, StagePhase, StageThresholds};
pub use tax::{Ceiling, TaxCost, TaxError, TaxRule, Tier};
pub use wire::parse_http_date;

#[cfg(feature = "tz")]
pub use campaign::{Baseline, Campaign, CampaignBuilder, CampaignError, Milestone, Pledge};
#[cfg(feature = "tz")]
pub use compare::{
    backtest, Backtest, BacktestRow, Comparison, Curve, DonorKeys, EarlierStanding, SamePoints,
    ShapeProjection, Standing,
};
#[cfg(feature = "tz")]
pub use rates::{RateUsed, Rates, RatesError};
#[cfg(feature = "tz")]
pub use report::{
    source_of, CurrencyTotal, GiftFigures, LeftOut, Period, Report, ReportBuilder, SizeBand,
    SourceTotal,
};
#[cfg(feature = "tz")]
pub use status::{
    CheckpointError, Contribution, Finishing, Keys, KeysInfo, Resumed, StatusError,
    SubscriptionState, Tally, Unsealed,
};
#[cfg(feature = "tz")]
pub use time::{parse_zone, Moment, TimeError};

pub use rust_decimal::{Decimal, RoundingStrategy};

pub mod words;

// The catalogue compiler's own checks.
#[cfg(test)]
#[path = "../words/compile.rs"]
mod words_compile;

/// The user guide's Rust examples, compiled and run as doc tests so the guide stays true.
#[doc = include_str!("../../docs/src/reference/library.md")]
#[cfg(doctest)]
pub struct GuideDoctests;
