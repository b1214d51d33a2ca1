//! The parts of the status document: where the campaign stands in time, what was counted and
//! left out, the milestones, the time left and the pace.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::countdown::TimeLeft;
use crate::donation::Channel;
use crate::money::Money;

/// Where the campaign stands in time.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the start.
    NotStarted,
    /// Running, more than 48 hours left.
    Running,
    /// The last 48 hours.
    FinalHours,
    /// The deadline has passed.
    Ended,
}

/// The campaign as the document describes it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CampaignInfo {
    /// Its name, in one language or several.
    pub name: crate::Localized,
    /// Its goal: money, or donors, gifts or money a month ([`crate::Quantity`]).
    pub goal: crate::Quantity,
    /// The first instant that counts, with the campaign zone's offset at that instant.
    #[serde(with = "crate::wire::instant")]
    pub start: DateTime<FixedOffset>,
    /// The first instant that no longer counts, with the zone's offset.
    #[serde(with = "crate::wire::instant")]
    pub deadline: DateTime<FixedOffset>,
    /// The IANA zone name.
    pub time_zone: String,
    /// The progress thresholds of the illustration's stages.
    #[serde(default)]
    pub stages: crate::stage::StageThresholds,
    /// The campaign's own images for its stages, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub illustrations: Vec<crate::stage::Illustration>,
    /// Where visitors give, if the campaign says: the live gauge and the snippets link to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donate: Option<crate::Donate>,
}

/// A count of donations and their gross amount.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Count {
    /// How many.
    pub count: u64,
    /// Their gross amount.
    pub amount: Money,
}

/// Donations in the ledger that the status does not count, and why: reported, never dropped
/// silently.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Excluded {
    /// Received before the start.
    pub before_start: Count,
    /// Received at or after the deadline.
    pub after_deadline: Count,
    /// Received after the as-of instant (the ledger is ahead of the instant asked for).
    pub after_as_of: Count,
    /// Failed payments.
    pub failed: Count,
    /// Gifts recorded but that cannot be counted (another currency with no rate for its day),
    /// grouped by reason and currency: kept and shown, so that one of them never stops the
    /// figures. Absent from documents where there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_counted: Vec<NotCounted>,
}

/// Why a recorded gift is not counted.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotCountedReason {
    /// In another currency than the goal's, and the campaign declares no rates.
    NoRates,
    /// In another currency that the declared rates do not cover on the gift's day.
    NoRateForDay,
    /// Its amount converted is beyond exact decimal arithmetic.
    TooLarge,
}

impl NotCountedReason {
    /// The reason in a sentence, for reports and logs.
    pub fn describe(self) -> &'static str {
        match self {
            NotCountedReason::NoRates => {
                "in another currency, and the campaign declares no rates ([rates])"
            }
            NotCountedReason::NoRateForDay => {
                "in another currency, and the declared rates have none for its day"
            }
            NotCountedReason::TooLarge => "its converted amount is too large to count exactly",
        }
    }
}

crate::json::unit_variants_from_json!(NotCountedReason {
    "no_rates" => NoRates,
    "no_rate_for_day" => NoRateForDay,
    "too_large" => TooLarge,
});

/// Gifts recorded but not counted, for one reason and one currency.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotCounted {
    /// Why they are not counted.
    pub reason: NotCountedReason,
    /// How many.
    pub count: u64,
    /// Their gross amount, in their own currency.
    pub amount: Money,
    /// One of them (the first id in sort order), to find the others by.
    pub example: String,
}

/// An amount counted outside the ledger.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BaselineEntry {
    /// The amount.
    pub amount: Money,
    /// What it is ("cheques received at the office").
    pub note: String,
}

/// Money received through one channel.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChannelTotal {
    /// The channel.
    pub channel: Channel,
    /// Payments counted.
    pub count: u64,
    /// What they contribute under the fee and refund rules.
    pub amount: Money,
}

/// What the raised figure is made of.
///
/// `raised = baseline + one_off + recurring_counted - unmatched_refunds` (at least zero). `gross`, `fees` and `refunds` are over
/// every payment whose status counts; `pending` is over every pending payment in the window,
/// counted or not.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Breakdown {
    /// Money counted that is not in the ledger: the sum of `baselines`.
    pub baseline: Money,
    /// Each amount counted outside the ledger, with the note that says what it is.
    pub baselines: Vec<BaselineEntry>,
    /// What donors gave, before fees and refunds.
    pub gross: Money,
    /// Providers' fees on those gifts.
    pub fees: Money,
    /// Refunded amounts on those gifts.
    pub refunds: Money,
    /// Pending gifts in the window (counted only if the rules say so).
    pub pending: Count,
    /// One-off gifts, as counted.
    pub one_off: Money,
    /// Recurring payments actually received, under the fee and refund rules.
    pub recurring_received: Money,
    /// Recurring gifts as the recurring rule counts them.
    pub recurring_counted: Money,
    /// Subscriptions seen in the window.
    pub subscriptions: u64,
    /// Subscriptions still paying at the as-of instant (next payment not more than a week late).
    pub active_subscriptions: u64,
    /// What the active subscriptions bring in a month (a yearly gift counts a twelfth).
    pub monthly_recurring: Money,
    /// Gifts that are a sponsor's match, as counted.
    pub matched: Money,
    /// Per channel, in a fixed order.
    pub by_channel: Vec<ChannelTotal>,
    /// Money given back whose gift was not named (a refund in Stripe's balance export), not
    /// matched to its gift yet: taken off what is raised. Absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmatched_refunds: Option<Count>,
    /// What the ledger holds that is not counted.
    pub excluded: Excluded,
}

/// A milestone and whether it is reached.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MilestoneStatus {
    /// Its amount, in what the goal counts.
    pub amount: crate::Quantity,
    /// Its label, in one language or several.
    pub label: crate::Localized,
    /// Whether the raised figure has reached it.
    pub reached: bool,
}

/// A sponsor's matching pledge and what it comes to: shown apart from what donors gave.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchStatus {
    /// Who matches.
    pub sponsor: String,
    /// What it gives for each unit donors give (not in the browser's build, which shows the
    /// sponsor and what the pledge comes to).
    #[cfg(feature = "details")]
    #[serde(with = "crate::wire::decimal")]
    pub ratio: Decimal,
    /// The most it gives.
    #[cfg(feature = "details")]
    pub up_to: Money,
    /// What it comes to now: `ratio` × what donors gave, at most `up_to`.
    pub amount: Money,
}

#[cfg(feature = "details")]
crate::json::struct_from_json!(MatchStatus, "a matching pledge", {
    sponsor: field,
    ratio: field,
    up_to: field,
    amount: field,
});

#[cfg(not(feature = "details"))]
crate::json::struct_from_json!(MatchStatus, "a matching pledge", {
    sponsor: field,
    amount: field,
});

/// Time elapsed and left.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimeStatus {
    /// Seconds since the start (negative before it).
    pub elapsed_seconds: i64,
    /// The countdown to the deadline.
    pub left: TimeLeft,
}

/// The pace of giving and where it leads.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pace {
    /// Days the trailing average is taken over: the last 7 days, or the days elapsed if fewer,
    /// and never less than one.
    #[serde(with = "crate::wire::decimal")]
    pub trailing_days: Decimal,
    /// New money per day over those days.
    pub trailing_per_day: Money,
    /// Money per day still needed to reach the goal by the deadline (none once ended).
    pub needed_per_day: Option<Money>,
    /// Raised at the deadline: if the trailing pace holds, or as earlier campaigns' shapes
    /// say ([`Pace::method`]). A guess, never a fact: every surface that shows it names the
    /// method.
    pub projection: Money,
    /// Whether the projection reaches the goal.
    pub on_track: bool,
    /// How [`Pace::projection`] was made.
    #[serde(default)]
    pub method: ProjectionMethod,
    /// The lowest projection the earlier campaigns give (none for the pace method).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<Money>,
    /// The highest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<Money>,
}

/// How a projection at the deadline was made.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionMethod {
    /// Raised so far plus the trailing pace times the days left: blind to giving that comes
    /// late, as year-end giving does.
    #[default]
    Pace,
    /// Raised so far divided by the share of their final total earlier campaigns had reached
    /// with the same time left (the median of them; [`Pace::low`] and [`Pace::high`] the
    /// range).
    EarlierCampaigns,
}

crate::json::unit_variants_from_json!(ProjectionMethod {
    "pace" => Pace,
    "earlier_campaigns" => EarlierCampaigns,
});
