//! The status document: one versioned schema that the CLI writes and every surface reads.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::appeal::{AppealState, AppealValues, Appeals};
use crate::countdown::TimeLeft;
use crate::json::{At, Invalid, Object};
use crate::locale::Locale;
use crate::money::Money;
use crate::quantity::{Measure, Quantity};
#[cfg(feature = "details")]
use crate::rules::CountingRules;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

mod check;
mod parts;

pub use parts::*;

/// The status of a campaign at an instant: the one document every surface shows.
///
/// Written by the CLI (`jauge status --format json`), read by the widget. It round-trips
/// exactly through JSON, amounts as strings. Documents of a schema version this build does not
/// know are rejected by [`StatusDocument::from_json`] with a clear error.
///
/// Without the `details` feature (the browser widget's build) it holds what a gauge shows: the
/// breakdown, the counting rules and the pace are neither read nor held, and such a document
/// cannot be written out, since it would be an incomplete one.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
#[cfg_attr(feature = "details", derive(Serialize))]
pub struct StatusDocument {
    schema: Schema,
    #[serde(with = "crate::wire::instant")]
    as_of: DateTime<Utc>,
    campaign: CampaignInfo,
    phase: Phase,
    reached: bool,
    raised: Money,
    /// What counts toward the goal, in what the goal counts, where it is not `raised`: a goal
    /// in donors, gifts or money a month, or matching pledges on top of what was raised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    progress: Option<Quantity>,
    remaining: Quantity,
    surplus: Quantity,
    #[serde(with = "crate::wire::decimal")]
    percent: Decimal,
    percent_display: u64,
    donors: u64,
    // What a gauge does not show: gift count, the countdown and stage at the document's
    // instant (a gauge ticks on from its own clock), and the breakdown, rules and pace.
    #[cfg(feature = "details")]
    donations: u64,
    #[cfg(feature = "details")]
    breakdown: Breakdown,
    #[cfg(feature = "details")]
    rules: CountingRules,
    milestones: Vec<MilestoneStatus>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    matching: Vec<MatchStatus>,
    #[cfg(feature = "details")]
    time: TimeStatus,
    #[cfg(feature = "details")]
    pace: Pace,
    #[cfg(feature = "details")]
    stage: crate::stage::Stage,
    appeals: Appeals,
}

/// Why a status document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON: where reading stopped, and what was expected there.
    #[error(
        "not a valid jauge status document: line {line}, column {column}: expected {expected}"
    )]
    Syntax {
        /// The line, from 1.
        line: usize,
        /// The column, in characters from 1.
        column: usize,
        /// What would have been valid there.
        expected: &'static str,
    },
    /// JSON, but not of the document's shape.
    #[error("not a valid jauge status document: {field}: {problem}")]
    Field {
        /// Where, as `campaign.goal` or `milestones[2].label`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The document carries no `schema` version.
    #[error("not a jauge status document: no \"schema\" version")]
    MissingSchema,
    /// A schema version this build does not read.
    #[error("status document schema {found} is not supported: this build reads schema {supported}; update jauge")]
    UnsupportedSchema {
        /// The version found.
        found: u64,
        /// The version this build reads.
        supported: u32,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Schema;

impl Serialize for Schema {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(SCHEMA_VERSION)
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Schema, D::Error> {
        let found = u64::deserialize(deserializer)?;
        if found == u64::from(SCHEMA_VERSION) {
            Ok(Schema)
        } else {
            Err(serde::de::Error::custom(DocumentError::UnsupportedSchema {
                found,
                supported: SCHEMA_VERSION,
            }))
        }
    }
}

/// What is still to raise toward `goal` and what is beyond it, having raised `raised`: the one
/// computation behind the status's `remaining`, its pace, and the check of a document read.
///
/// # Errors
///
/// [`MoneyError::Overflow`] if the difference has no exact decimal.
pub(crate) fn remaining_and_surplus(
    goal: Decimal,
    raised: Decimal,
) -> Result<(Decimal, Decimal), crate::MoneyError> {
    let exact = |a, b| crate::money::exact_difference(a, b).ok_or(crate::MoneyError::Overflow);
    Ok(if goal > raised {
        (exact(goal, raised)?, Decimal::ZERO)
    } else {
        (Decimal::ZERO, exact(raised, goal)?)
    })
}

/// `part / whole` in hundredths of a percent, truncated, exactly on the decimals' integer
/// mantissas (both non-negative); `None` past what 128 bits hold.
fn hundredths_of_percent(part: Decimal, whole: Decimal) -> Option<u128> {
    let (p, w) = (
        part.mantissa().unsigned_abs(),
        whole.mantissa().unsigned_abs(),
    );
    let (ps, ws) = (part.scale(), whole.scale());
    // part / whole = (p / 10^ps) / (w / 10^ws) = (p * 10^ws) / (w * 10^ps).
    let numerator = p
        .checked_mul(10u128.checked_pow(ws.saturating_sub(ps))?)?
        .checked_mul(10_000)?;
    let denominator = w.checked_mul(10u128.checked_pow(ps.saturating_sub(ws))?)?;
    numerator.checked_div(denominator)
}

/// `part` as a percentage of `whole`, with exactly two decimals, truncated rather than rounded
/// so that 99.999 % never reads as 100 % before the goal is reached.
#[cfg(feature = "tz")]
pub(crate) fn percent_of(part: Decimal, whole: Decimal) -> Decimal {
    let mut percent = (part * Decimal::ONE_HUNDRED / whole)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    percent.rescale(2);
    percent
}

/// The parts of a status document, gathered by the status computation.
#[cfg(feature = "tz")]
pub(crate) struct Parts {
    pub as_of: DateTime<Utc>,
    pub campaign: CampaignInfo,
    pub phase: Phase,
    pub raised: Money,
    pub progress: Quantity,
    pub matching: Vec<MatchStatus>,
    pub breakdown: Breakdown,
    pub rules: CountingRules,
    pub milestones: Vec<MilestoneStatus>,
    pub time: TimeStatus,
    pub pace: Pace,
    pub appeals: Appeals,
    pub donors: u64,
    pub donations: u64,
}

impl StatusDocument {
    /// Derives the headline figures from the parts, so they cannot disagree with each other.
    #[cfg(feature = "tz")]
    pub(crate) fn assemble(parts: Parts) -> Result<StatusDocument, crate::MoneyError> {
        let goal = parts.campaign.goal;
        let (remaining, surplus) = remaining_and_surplus(goal.value(), parts.progress.value())?;
        let remaining = goal
            .with_value(remaining)
            .ok_or(crate::MoneyError::Overflow)?;
        let surplus = goal
            .with_value(surplus)
            .ok_or(crate::MoneyError::Overflow)?;
        let percent = percent_of(parts.progress.value(), goal.value());
        let percent_display =
            rust_decimal::prelude::ToPrimitive::to_u64(&percent.trunc()).unwrap_or(0);
        let stage = crate::stage::Stage::of(
            &parts.campaign.stages,
            percent,
            parts.time.elapsed_seconds,
            parts.time.left.seconds(),
        );
        Ok(StatusDocument {
            schema: Schema,
            as_of: parts.as_of,
            campaign: parts.campaign,
            phase: parts.phase,
            reached: remaining.is_zero(),
            raised: parts.raised,
            progress: (parts.progress != Quantity::Money(parts.raised)).then_some(parts.progress),
            remaining,
            surplus,
            percent,
            percent_display,
            donors: parts.donors,
            donations: parts.donations,
            breakdown: parts.breakdown,
            rules: parts.rules,
            milestones: parts.milestones,
            matching: parts.matching,
            time: parts.time,
            pace: parts.pace,
            stage,
            appeals: parts.appeals,
        })
    }

    /// Reads a status document from JSON, checking the schema version first so that a newer
    /// document is named as such rather than failing on its first unfamiliar field.
    ///
    /// # Errors
    ///
    /// [`DocumentError::MissingSchema`], [`DocumentError::UnsupportedSchema`],
    /// [`DocumentError::Syntax`] naming the line and column of text that is not JSON, or
    /// [`DocumentError::Field`] naming the field that is missing or of the wrong kind.
    pub fn from_json(json: &str) -> Result<StatusDocument, DocumentError> {
        let value = crate::json::parse(json).map_err(|e| DocumentError::Syntax {
            line: e.line,
            column: e.column,
            expected: e.expected,
        })?;
        let fields = value.object(At::Root, "a JSON object").map_err(misshapen)?;
        // The version first, so that a newer document is named as such rather than failing on
        // its first unfamiliar field.
        match fields.optional::<u64>("schema").map_err(misshapen)? {
            None => return Err(DocumentError::MissingSchema),
            Some(found) if found != u64::from(SCHEMA_VERSION) => {
                return Err(DocumentError::UnsupportedSchema {
                    found,
                    supported: SCHEMA_VERSION,
                })
            }
            Some(_) => {}
        }
        let document = StatusDocument::read(&fields).map_err(misshapen)?;
        document.check_consistency()?;
        Ok(document)
    }

    /// The document as pretty-printed JSON.
    #[cfg(feature = "details")]
    pub fn to_json_pretty(&self) -> String {
        // Serialising these types cannot fail: every map key is a string.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The instant the figures are for.
    pub fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }
    /// The campaign.
    pub fn campaign(&self) -> &CampaignInfo {
        &self.campaign
    }
    /// Where the campaign stands in time.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Whether the goal is reached.
    pub fn reached(&self) -> bool {
        self.reached
    }
    /// Raised, under the rules.
    pub fn raised(&self) -> Money {
        self.raised
    }
    /// What counts toward the goal, in what the goal counts: `raised` for a goal in money
    /// (with what matching pledges add), else the donors, the gifts or the money a month.
    pub fn progress(&self) -> Quantity {
        self.progress.unwrap_or(Quantity::Money(self.raised))
    }
    /// What the goal counts.
    pub fn measure(&self) -> Measure {
        self.campaign.goal.measure()
    }
    /// Still to go toward the goal, in what it counts; never negative.
    pub fn remaining(&self) -> Quantity {
        self.remaining
    }
    /// Beyond the goal, in what it counts.
    pub fn surplus(&self) -> Quantity {
        self.surplus
    }
    /// Sponsors' matching pledges and what each comes to, shown apart from what donors gave.
    pub fn matching(&self) -> &[MatchStatus] {
        &self.matching
    }
    /// Percentage of the goal, truncated to two decimals; keeps counting past 100.
    pub fn percent(&self) -> Decimal {
        self.percent
    }
    /// The whole percentage to display: floored, so it shows 100 only once the goal is reached.
    pub fn percent_display(&self) -> u64 {
        self.percent_display
    }
    /// Unique donors among counted gifts (a sponsor paying its matching pledge in is not one).
    pub fn donors(&self) -> u64 {
        self.donors
    }
    /// Counted gifts.
    #[cfg(feature = "details")]
    pub fn donations(&self) -> u64 {
        self.donations
    }
    /// What the figure is made of.
    #[cfg(feature = "details")]
    pub fn breakdown(&self) -> &Breakdown {
        &self.breakdown
    }
    /// The rules in force.
    #[cfg(feature = "details")]
    pub fn rules(&self) -> CountingRules {
        self.rules
    }
    /// Milestones, in order, with reached flags.
    pub fn milestones(&self) -> &[MilestoneStatus] {
        &self.milestones
    }
    /// The last milestone reached, if any.
    pub fn current_milestone(&self) -> Option<&MilestoneStatus> {
        self.milestones.iter().rev().find(|m| m.reached)
    }
    /// The first milestone not yet reached, if any.
    pub fn next_milestone(&self) -> Option<&MilestoneStatus> {
        self.milestones.iter().find(|m| !m.reached)
    }
    /// Time elapsed and left at the as-of instant.
    #[cfg(feature = "details")]
    pub fn time(&self) -> TimeStatus {
        self.time
    }
    /// Pace and projection.
    #[cfg(feature = "details")]
    pub fn pace(&self) -> Pace {
        self.pace
    }
    /// The appeal templates.
    pub fn appeals(&self) -> &Appeals {
        &self.appeals
    }
    /// The illustration's stage at the as-of instant.
    #[cfg(feature = "details")]
    pub fn stage(&self) -> crate::stage::Stage {
        self.stage
    }

    /// The illustration's stage at `now`, for a page that keeps ticking: the figures are the
    /// document's, the phase follows the clock.
    pub fn stage_at(&self, now: DateTime<Utc>) -> crate::stage::Stage {
        let since = (now - self.campaign.start.with_timezone(&Utc)).num_seconds();
        let left = (self.campaign.deadline.with_timezone(&Utc) - now).num_seconds();
        crate::stage::Stage::of(&self.campaign.stages, self.percent, since, left)
    }

    /// The countdown at `now`, for a page that keeps ticking after the document was written.
    pub fn time_left_at(&self, now: DateTime<Utc>) -> TimeLeft {
        TimeLeft::from_seconds((self.campaign.deadline.with_timezone(&Utc) - now).num_seconds())
    }

    /// The appeal sentence at the as-of instant in `locale`.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let status = jauge::StatusDocument::from_json(include_str!("../../../tests/fixtures/status-document.json"))?;
    /// use jauge::Locale;
    ///
    /// assert_eq!(
    ///     status.appeal(Locale::En),
    ///     "If we are to balance our budget for 2024, we have 5 days left to raise €71,398: \
    ///      we can't do it without your help!"
    /// );
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "details")]
    pub fn appeal(&self, locale: Locale) -> String {
        self.appeal_with(locale, self.time.left)
    }

    /// The appeal sentence with `time_left` in place of the document's own, for a ticking page.
    pub fn appeal_with(&self, locale: Locale, time_left: TimeLeft) -> String {
        let state = if time_left.is_ended() {
            AppealState::Ended
        } else if self.reached {
            AppealState::Reached
        } else {
            AppealState::Running
        };
        let values = AppealValues {
            name: self.campaign.name.get(locale),
            time_left,
            remaining: self.remaining,
            raised: self.raised,
            goal: self.campaign.goal,
            surplus: self.surplus,
            percent: self.percent_display,
            donors: self.donors,
        };
        self.appeals
            .template_toward(state, locale, self.measure())
            .render(&values, locale)
    }
}

fn misshapen(invalid: Invalid) -> DocumentError {
    DocumentError::Field {
        field: invalid.field,
        problem: invalid.problem,
    }
}

crate::json::unit_variants_from_json!(Phase {
    "not_started" => NotStarted,
    "running" => Running,
    "final_hours" => FinalHours,
    "ended" => Ended,
});

crate::json::struct_from_json!(CampaignInfo, "the campaign", {
    name: field,
    goal: field,
    start: field,
    deadline: field,
    time_zone: field,
    stages: or_default,
    illustrations: or_default,
    donate: optional,
});

crate::json::struct_from_json!(Count, "a count and an amount", {
    count: field,
    amount: field,
});

crate::json::struct_from_json!(Excluded, "the excluded donations", {
    before_start: field,
    after_deadline: field,
    after_as_of: field,
    failed: field,
    not_counted: or_default,
});

crate::json::struct_from_json!(NotCounted, "gifts not counted", {
    reason: field,
    count: field,
    amount: field,
    example: field,
});

crate::json::struct_from_json!(BaselineEntry, "a baseline", {
    amount: field,
    note: field,
});

crate::json::struct_from_json!(ChannelTotal, "a channel total", {
    channel: field,
    count: field,
    amount: field,
});

crate::json::struct_from_json!(Breakdown, "the breakdown", {
    baseline: field,
    baselines: field,
    gross: field,
    fees: field,
    refunds: field,
    pending: field,
    one_off: field,
    recurring_received: field,
    recurring_counted: field,
    subscriptions: field,
    active_subscriptions: field,
    monthly_recurring: field,
    matched: field,
    by_channel: field,
    unmatched_refunds: optional,
    excluded: field,
});

crate::json::struct_from_json!(MilestoneStatus, "a milestone", {
    amount: field,
    label: field,
    reached: field,
});

crate::json::struct_from_json!(TimeStatus, "the time elapsed and left", {
    elapsed_seconds: field,
    left: field,
});

crate::json::struct_from_json!(Pace, "the pace", {
    trailing_days: field,
    trailing_per_day: field,
    needed_per_day: optional,
    projection: field,
    on_track: field,
    method: or_default,
    low: optional,
    high: optional,
});

impl StatusDocument {
    /// Every field but `schema`, which [`StatusDocument::from_json`] has checked.
    fn read(fields: &Object<'_>) -> Result<StatusDocument, Invalid> {
        Ok(StatusDocument {
            schema: Schema,
            as_of: fields.field("as_of")?,
            campaign: fields.field("campaign")?,
            phase: fields.field("phase")?,
            reached: fields.field("reached")?,
            raised: fields.field("raised")?,
            progress: fields.optional("progress")?,
            remaining: fields.field("remaining")?,
            surplus: fields.field("surplus")?,
            percent: fields.field("percent")?,
            percent_display: fields.field("percent_display")?,
            donors: fields.field("donors")?,
            #[cfg(feature = "details")]
            donations: fields.field("donations")?,
            #[cfg(feature = "details")]
            breakdown: fields.field("breakdown")?,
            #[cfg(feature = "details")]
            rules: fields.field("rules")?,
            milestones: fields.field("milestones")?,
            matching: fields.optional("matching")?.unwrap_or_default(),
            #[cfg(feature = "details")]
            time: fields.field("time")?,
            #[cfg(feature = "details")]
            pace: fields.field("pace")?,
            #[cfg(feature = "details")]
            stage: fields.field("stage")?,
            appeals: fields.field("appeals")?,
        })
    }
}

#[cfg(feature = "tz")]
impl StatusDocument {
    /// Replaces the pace projection by one from the shapes of `earlier` complete campaigns,
    /// when they give one (a running campaign, and at least one earlier campaign that had
    /// gifts with the same time left); the document then says so in `pace.method`. Returns
    /// what it used.
    pub fn project_from(
        &mut self,
        earlier: &[crate::compare::Curve],
    ) -> Option<crate::compare::ShapeProjection> {
        let left = self.campaign.deadline.to_utc() - self.as_of;
        if left <= chrono::Duration::zero() || self.as_of < self.campaign.start.to_utc() {
            return None;
        }
        let baseline = self.breakdown.baseline.amount();
        let gifts = self.raised.amount() - baseline;
        let curves: Vec<&crate::compare::Curve> = earlier.iter().collect();
        let (median, low, high, campaigns) =
            crate::compare::shape_projection(gifts, baseline, left, &curves)?;
        let currency = self.raised.currency();
        let money = |value| Money::rounded(value, currency);
        let shape = crate::compare::ShapeProjection {
            projection: money(median),
            low: money(low),
            high: money(high),
            campaigns,
        };
        self.pace.projection = shape.projection;
        // A projection in money says whether a goal in money is met; a goal in donors, gifts or
        // money a month keeps the pace's own word.
        if let Some(goal) = self
            .campaign
            .goal
            .money()
            .filter(|_| self.measure() == Measure::Money)
        {
            self.pace.on_track = median >= goal.amount();
        }
        self.pace.method = ProjectionMethod::EarlierCampaigns;
        self.pace.low = Some(shape.low);
        self.pace.high = Some(shape.high);
        Some(shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/fixtures/status-document.json");

    #[test]
    #[cfg(feature = "details")]
    fn reads_the_fixture_and_round_trips() {
        let doc = StatusDocument::from_json(FIXTURE).unwrap();
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(StatusDocument::from_json(&json).unwrap(), doc);
        assert_eq!(doc.to_json_pretty(), FIXTURE.trim_end());
    }

    /// The browser's build reads what a gauge shows and leaves the finance details unread: a
    /// document whose breakdown it could not make sense of still shows.
    #[test]
    #[cfg(not(feature = "details"))]
    fn a_gauge_reads_the_figures_and_not_the_details() {
        let doc = StatusDocument::from_json(FIXTURE).unwrap();
        assert_eq!(doc.raised().to_string(), "128602.42 EUR");
        assert_eq!(doc.remaining().to_string(), "71397.58 EUR");
        assert_eq!(doc.percent_display(), 64);
        assert_eq!(doc.donors(), 5);
        assert_eq!(doc.milestones().len(), 4);
        // The gauge's countdown is its own clock's.
        assert!(doc
            .appeal_with(Locale::En, doc.time_left_at(doc.as_of()))
            .starts_with("If we are to balance our budget"));
        let start = FIXTURE.find("\"breakdown\"").unwrap();
        let end = FIXTURE.find("\"milestones\"").unwrap();
        let unreadable = format!(
            "{}\"breakdown\": \"?\",\n  {}",
            &FIXTURE[..start],
            &FIXTURE[end..]
        );
        assert_eq!(StatusDocument::from_json(&unreadable).unwrap(), doc);
        // A figure a gauge shows is still checked.
        let wrong = FIXTURE.replace("\"percent_display\": 64", "\"percent_display\": 65");
        assert!(StatusDocument::from_json(&wrong).is_err());
    }

    #[test]
    #[cfg(feature = "details")]
    fn a_document_from_before_projection_methods_reads_as_pace() {
        let older = FIXTURE.replace(",\n    \"method\": \"pace\"", "");
        assert!(!older.contains("method"));
        let doc = StatusDocument::from_json(&older).unwrap();
        assert_eq!(doc.pace().method, ProjectionMethod::Pace);
        let doc: StatusDocument = serde_json::from_str(&older).unwrap();
        assert_eq!(doc.pace().method, ProjectionMethod::Pace);
    }

    /// An edit of a document, and the field it should be refused at.
    type Edit = (&'static str, fn(&mut serde_json::Value));

    #[test]
    fn a_document_whose_figures_disagree_is_refused() {
        let doc: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        let cases: [Edit; 8] = [
            ("raised", |d| d["raised"]["amount"] = "-50.00".into()),
            ("raised", |d| d["raised"]["currency"] = "USD".into()),
            ("remaining", |d| d["remaining"]["amount"] = "1.00".into()),
            ("reached", |d| d["reached"] = true.into()),
            ("percent", |d| d["percent"] = "99.00".into()),
            ("percent_display", |d| d["percent_display"] = 99.into()),
            ("milestones[].amount", |d| {
                d["milestones"][0]["amount"]["currency"] = "GBP".into()
            }),
            ("campaign.goal", |d| {
                d["campaign"]["goal"]["amount"] = "0.00".into()
            }),
        ];
        for (field, edit) in cases {
            let mut changed = doc.clone();
            edit(&mut changed);
            match StatusDocument::from_json(&changed.to_string()) {
                Err(DocumentError::Field { field: found, .. }) => assert_eq!(found, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert!(StatusDocument::from_json(FIXTURE).is_ok());
    }

    #[test]
    fn rejects_other_schemas_clearly() {
        let newer = FIXTURE.replacen("\"schema\": 1", "\"schema\": 2", 1);
        assert_eq!(
            StatusDocument::from_json(&newer).unwrap_err().to_string(),
            "status document schema 2 is not supported: this build reads schema 1; update jauge"
        );
        assert!(matches!(
            StatusDocument::from_json(r#"{"raised": 5}"#),
            Err(DocumentError::MissingSchema)
        ));
        // Through plain serde too, not only from_json.
        assert!(serde_json::from_str::<StatusDocument>(&newer).is_err());
        let float = FIXTURE.replacen("\"amount\": \"128602.42\"", "\"amount\": 128602.42", 1);
        assert_ne!(float, FIXTURE);
        let err = StatusDocument::from_json(&float).unwrap_err().to_string();
        assert_eq!(
            err,
            "not a valid jauge status document: raised.amount: expected a string, found a number"
        );
        let cut = &FIXTURE[..200];
        let err = StatusDocument::from_json(cut).unwrap_err().to_string();
        assert_eq!(
            err,
            "not a valid jauge status document: line 10, column 29: expected `\"` closing the string"
        );
    }
}
