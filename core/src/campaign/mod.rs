//! A donation campaign: goal, dates, milestones, baselines, rules and appeals.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::appeal::Appeals;
use crate::currency::Currency;
use crate::localized::{web_address_problem, Donate, Localized};
use crate::money::{Money, MoneyError};
use crate::quantity::{Measure, Quantity};
use crate::rules::CountingRules;
use crate::stage::{Illustration, StageThresholds};
use crate::time::{Moment, TimeError};

mod file;

/// A named amount on the way to (or beyond) the goal: a step on the bar, or a stretch goal.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Milestone {
    amount: Quantity,
    label: Localized,
}

impl Milestone {
    /// The amount at which it is reached, in what the goal counts.
    pub fn amount(&self) -> Quantity {
        self.amount
    }
    /// What it is called ("Servers paid for the year"), in the campaign's fallback language.
    pub fn label(&self) -> &str {
        self.label.fallback()
    }
    /// What it is called, in each language the campaign gives.
    pub fn labels(&self) -> &Localized {
        &self.label
    }
}

/// Money counted toward the goal that is not in the ledger: raised before tracking began, or
/// offline gifts entered by hand, each with a note saying what it is.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Baseline {
    amount: Money,
    note: String,
}

impl Baseline {
    /// The amount.
    pub fn amount(&self) -> Money {
        self.amount
    }
    /// What it is.
    pub fn note(&self) -> &str {
        &self.note
    }
}

/// A sponsor's promise to match what donors give: `ratio` for each unit given (1 doubles every
/// gift), up to `up_to` in all.
///
/// What the sponsor pays in is recorded as gifts marked with its name (`matched_by`): those are
/// the pledge's payments, so a pledge adds to the total only what it promises beyond them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Pledge {
    sponsor: String,
    ratio: rust_decimal::Decimal,
    up_to: Money,
}

impl Pledge {
    /// Who matches.
    pub fn sponsor(&self) -> &str {
        &self.sponsor
    }
    /// How much for each unit donors give (`1` doubles, `0.5` adds half).
    pub fn ratio(&self) -> rust_decimal::Decimal {
        self.ratio
    }
    /// The most the sponsor gives.
    pub fn up_to(&self) -> Money {
        self.up_to
    }
    /// What the pledge comes to when donors gave `given`: `ratio × given`, at most `up_to`,
    /// rounded down to the currency's minor units (a sponsor never owes a fraction of a cent).
    pub fn matched(&self, given: rust_decimal::Decimal) -> Money {
        let scale = self.up_to.currency().minor_units();
        let owed = given
            .max(rust_decimal::Decimal::ZERO)
            .checked_mul(self.ratio)
            .map_or(self.up_to.amount(), |owed| {
                owed.round_dp_with_strategy(scale, rust_decimal::RoundingStrategy::ToZero)
            });
        Money::rounded(owed.min(self.up_to.amount()), self.up_to.currency())
    }
}

/// A campaign: what is raised, toward what, until when, and how it is counted.
///
/// Build one with [`Campaign::builder`]; [`CampaignBuilder::build`] checks everything at once.
///
/// # Example
///
/// ```
/// use jauge::{parse_zone, Campaign, Money};
///
/// let campaign = Campaign::builder("Framasoft 2023", Money::parse("200000 EUR")?, parse_zone("Europe/Paris")?)
///     .start("2023-11-14".parse()?)
///     .deadline("2023-12-31".parse()?)
///     .milestone(Money::parse("100000 EUR")?, "Halfway")
///     .build()?;
/// assert_eq!(campaign.deadline().to_rfc3339(), "2023-12-31T23:00:00+00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Debug, Deserialize)]
#[serde(try_from = "file::CampaignRepr")]
pub struct Campaign {
    name: Localized,
    goal: Quantity,
    currency: Currency,
    matching: Vec<Pledge>,
    zone: Tz,
    start: DateTime<Utc>,
    deadline: DateTime<Utc>,
    milestones: Vec<Milestone>,
    baselines: Vec<Baseline>,
    rules: CountingRules,
    appeals: Appeals,
    stages: StageThresholds,
    illustrations: Vec<Illustration>,
    donate: Option<Donate>,
    /// Rates for gifts in other currencies; shared, as a historical file holds many days.
    rates: Option<std::sync::Arc<crate::rates::Rates>>,
}

/// Why a campaign is not valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CampaignError {
    /// The name is empty (in one of its languages).
    #[error("the campaign needs a name")]
    EmptyName,
    /// The donation address is not an absolute http(s) address fit to be a link.
    #[error("donate_url {url:?}: {problem}")]
    DonateUrl {
        /// The address given.
        url: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// A donate label was given without the address it leads to.
    #[error("donate_label is set but donate_url is not: a button needs the address it leads to")]
    DonateLabelWithoutUrl,
    /// The donate button's label is empty in one of its languages.
    #[error("donate_label: a label cannot be empty")]
    EmptyDonateLabel,
    /// The goal is zero or negative.
    #[error("the goal {0} must be above zero")]
    GoalNotPositive(Quantity),
    /// A goal in donors or gifts needs the currency its gifts are counted in.
    #[error("a goal of {0} needs the currency gifts are counted in: currency = \"EUR\"")]
    MissingCurrency(Quantity),
    /// The currency given is not the goal's.
    #[error("currency {currency} is not the goal's ({goal})")]
    CurrencyNotGoals {
        /// The currency given.
        currency: Currency,
        /// The goal.
        goal: Quantity,
    },
    /// A milestone counts something else than the goal (`"1000 donors"` toward a goal in
    /// euros).
    #[error("milestone {label:?} at {amount}: the goal counts {measure}, as milestones must")]
    MilestoneMeasure {
        /// Its label.
        label: String,
        /// Its amount.
        amount: Quantity,
        /// What the goal counts.
        measure: &'static str,
    },
    /// A matching pledge without a sponsor, with a ratio not above zero, or a cap in another
    /// currency or not above zero.
    #[error("matching pledge of {sponsor:?}: {reason}")]
    Pledge {
        /// The sponsor named.
        sponsor: String,
        /// What is wrong.
        reason: String,
    },
    /// No start was given.
    #[error("the campaign needs a start")]
    MissingStart,
    /// No deadline was given.
    #[error("the campaign needs a deadline")]
    MissingDeadline,
    /// The start or deadline cannot be placed in the zone.
    #[error("{field}: {source}")]
    Time {
        /// `start` or `deadline`.
        field: &'static str,
        /// Why.
        source: TimeError,
    },
    /// The deadline is not after the start.
    #[error("the deadline {deadline} is not after the start {start}")]
    DeadlineBeforeStart {
        /// The resolved start.
        start: DateTime<Utc>,
        /// The resolved deadline.
        deadline: DateTime<Utc>,
    },
    /// A milestone or baseline in another currency than the goal.
    #[error("{field}: {source}")]
    Currency {
        /// Which item (`milestone "Halfway"`, `baseline "cheques"`).
        field: String,
        /// The mismatch.
        source: MoneyError,
    },
    /// Milestones must be above zero, in increasing order, and labelled.
    #[error("milestone {label:?} at {amount}: {reason}")]
    Milestone {
        /// Its label.
        label: String,
        /// Its amount.
        amount: Quantity,
        /// What is wrong.
        reason: &'static str,
    },
    /// An image for a stage the campaign does not have, without a source, or without a size.
    #[error("illustration {src:?}: {reason}")]
    Illustration {
        /// Its source.
        src: String,
        /// What is wrong.
        reason: String,
    },
    /// A negative baseline, or one without a note.
    #[error("baseline {note:?} of {amount}: {reason}")]
    Baseline {
        /// Its note.
        note: String,
        /// Its amount.
        amount: Money,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Collects a campaign's parts; see [`Campaign::builder`].
#[derive(Clone, Debug)]
#[must_use]
pub struct CampaignBuilder {
    name: Localized,
    goal: Quantity,
    currency: Option<Currency>,
    matching: Vec<Pledge>,
    zone: Tz,
    start: Option<Moment>,
    deadline: Option<Moment>,
    milestones: Vec<Milestone>,
    baselines: Vec<Baseline>,
    rules: CountingRules,
    appeals: Appeals,
    stages: StageThresholds,
    illustrations: Vec<Illustration>,
    donate: Option<Donate>,
}

impl Campaign {
    /// Starts a campaign named `name`, raising `goal` (money, or a [`Quantity`] of donors,
    /// gifts or money a month), whose dates are read in `zone`.
    pub fn builder(
        name: impl Into<Localized>,
        goal: impl Into<Quantity>,
        zone: Tz,
    ) -> CampaignBuilder {
        CampaignBuilder {
            name: name.into(),
            goal: goal.into(),
            currency: None,
            matching: Vec::new(),
            zone,
            start: None,
            deadline: None,
            milestones: Vec::new(),
            baselines: Vec::new(),
            rules: CountingRules::default(),
            appeals: Appeals::default(),
            stages: StageThresholds::default(),
            illustrations: Vec::new(),
            donate: None,
        }
    }

    /// The name, in the campaign's fallback language.
    pub fn name(&self) -> &str {
        self.name.fallback()
    }
    /// The name in each language the campaign gives.
    pub fn names(&self) -> &Localized {
        &self.name
    }
    /// Where visitors give, if the campaign says.
    pub fn donate(&self) -> Option<&Donate> {
        self.donate.as_ref()
    }

    /// The rates gifts in other currencies are converted at; none: such gifts are refused.
    pub fn rates(&self) -> Option<&crate::rates::Rates> {
        self.rates.as_deref()
    }

    /// This campaign, converting gifts in other currencies at `rates` (see [`crate::Rates`]).
    #[must_use]
    pub fn with_rates(mut self, rates: crate::rates::Rates) -> Campaign {
        self.rates = Some(std::sync::Arc::new(rates));
        self
    }
    /// The goal, in what it counts.
    pub fn goal(&self) -> Quantity {
        self.goal
    }
    /// What the goal counts.
    pub fn measure(&self) -> Measure {
        self.goal.measure()
    }
    /// The currency gifts are counted in (the goal's, for a goal in money).
    pub fn currency(&self) -> Currency {
        self.currency
    }
    /// The goal in money, for a goal that counts money (not for one a month).
    pub fn money_goal(&self) -> Option<Money> {
        match self.goal {
            Quantity::Money(money) => Some(money),
            _ => None,
        }
    }
    /// Sponsors' promises to match what donors give.
    pub fn matching(&self) -> &[Pledge] {
        &self.matching
    }
    /// The IANA zone its dates are read in.
    pub fn zone(&self) -> Tz {
        self.zone
    }
    /// The first instant that counts.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }
    /// The first instant that no longer counts: the campaign runs over `[start, deadline)`.
    pub fn deadline(&self) -> DateTime<Utc> {
        self.deadline
    }
    /// Milestones, in increasing order.
    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }
    /// Money counted that is not in the ledger.
    pub fn baselines(&self) -> &[Baseline] {
        &self.baselines
    }
    /// The counting rules.
    pub fn rules(&self) -> CountingRules {
        self.rules
    }
    /// The appeal templates.
    pub fn appeals(&self) -> &Appeals {
        &self.appeals
    }
    /// The progress thresholds of the illustration's stages.
    pub fn stages(&self) -> &StageThresholds {
        &self.stages
    }
    /// The campaign's own images, in place of the built-in scene.
    pub fn illustrations(&self) -> &[Illustration] {
        &self.illustrations
    }
}

impl CampaignBuilder {
    /// When it starts (a date means the start of that day in the zone).
    pub fn start(mut self, start: Moment) -> CampaignBuilder {
        self.start = Some(start);
        self
    }

    /// When it ends (a date means the end of that day in the zone).
    pub fn deadline(mut self, deadline: Moment) -> CampaignBuilder {
        self.deadline = Some(deadline);
        self
    }

    /// The currency gifts are counted in: needed for a goal in donors or gifts, and must be
    /// the goal's for a goal in money.
    pub fn currency(mut self, currency: Currency) -> CampaignBuilder {
        self.currency = Some(currency);
        self
    }

    /// Adds a sponsor's promise to give `ratio` for each unit donors give, up to `up_to`.
    pub fn matching(
        mut self,
        sponsor: impl Into<String>,
        ratio: rust_decimal::Decimal,
        up_to: Money,
    ) -> CampaignBuilder {
        self.matching.push(Pledge {
            sponsor: sponsor.into(),
            ratio,
            up_to,
        });
        self
    }

    /// Adds a milestone, in what the goal counts; they must be given in increasing order.
    pub fn milestone(
        mut self,
        amount: impl Into<Quantity>,
        label: impl Into<Localized>,
    ) -> CampaignBuilder {
        self.milestones.push(Milestone {
            amount: amount.into(),
            label: label.into(),
        });
        self
    }

    /// Adds money counted outside the ledger, with a note saying what it is.
    pub fn baseline(mut self, amount: Money, note: impl Into<String>) -> CampaignBuilder {
        self.baselines.push(Baseline {
            amount,
            note: note.into(),
        });
        self
    }

    /// Sets the counting rules.
    pub fn rules(mut self, rules: CountingRules) -> CampaignBuilder {
        self.rules = rules;
        self
    }

    /// Sets the appeal templates.
    pub fn appeals(mut self, appeals: Appeals) -> CampaignBuilder {
        self.appeals = appeals;
        self
    }

    /// Sets the progress thresholds of the illustration's stages (default 0, 25, 50, 75, 100).
    pub fn stages(mut self, stages: StageThresholds) -> CampaignBuilder {
        self.stages = stages;
        self
    }

    /// Adds the campaign's own image for a stage.
    pub fn illustration(mut self, illustration: Illustration) -> CampaignBuilder {
        self.illustrations.push(illustration);
        self
    }

    /// Where visitors give (`url`, checked by [`CampaignBuilder::build`]) and the donate
    /// button's label (jauge's own per language when `None`).
    pub fn donate(
        mut self,
        url: impl Into<Localized>,
        label: Option<Localized>,
    ) -> CampaignBuilder {
        self.donate = Some(Donate {
            url: url.into(),
            label,
        });
        self
    }

    /// Checks everything and builds the campaign.
    ///
    /// # Errors
    ///
    /// The first [`CampaignError`] found: empty name, goal not above zero, missing or
    /// unplaceable dates, deadline not after start, an item in another currency, milestones
    /// out of order, a negative or unexplained baseline.
    pub fn build(self) -> Result<Campaign, CampaignError> {
        if self.name.texts().any(|name| name.trim().is_empty()) {
            return Err(CampaignError::EmptyName);
        }
        if let Some(donate) = &self.donate {
            for url in donate.url.texts() {
                if let Some(problem) = web_address_problem(url) {
                    return Err(CampaignError::DonateUrl {
                        url: url.to_owned(),
                        problem,
                    });
                }
            }
            let labels = donate.label.iter().flat_map(Localized::texts);
            if labels.into_iter().any(|label| label.trim().is_empty()) {
                return Err(CampaignError::EmptyDonateLabel);
            }
        }
        if self.goal.value() <= rust_decimal::Decimal::ZERO {
            return Err(CampaignError::GoalNotPositive(self.goal));
        }
        let currency = match (self.goal.money(), self.currency) {
            (Some(money), Some(currency)) if money.currency() != currency => {
                return Err(CampaignError::CurrencyNotGoals {
                    currency,
                    goal: self.goal,
                })
            }
            (Some(money), _) => money.currency(),
            (None, Some(currency)) => currency,
            (None, None) => return Err(CampaignError::MissingCurrency(self.goal)),
        };
        for pledge in &self.matching {
            let invalid = |reason: String| CampaignError::Pledge {
                sponsor: pledge.sponsor.clone(),
                reason,
            };
            if pledge.sponsor.trim().is_empty() {
                return Err(invalid("a pledge needs a sponsor's name".into()));
            }
            if pledge.ratio <= rust_decimal::Decimal::ZERO {
                return Err(invalid(format!(
                    "ratio {} must be above zero",
                    pledge.ratio
                )));
            }
            if pledge.up_to.currency() != currency {
                return Err(invalid(format!(
                    "up_to {} is not in the campaign's currency, {currency}",
                    pledge.up_to
                )));
            }
            if !pledge.up_to.is_positive() {
                return Err(invalid(format!(
                    "up_to {} must be above zero",
                    pledge.up_to
                )));
            }
        }
        let start = self
            .start
            .ok_or(CampaignError::MissingStart)?
            .resolve_start(self.zone)
            .map_err(|source| CampaignError::Time {
                field: "start",
                source,
            })?;
        let deadline = self
            .deadline
            .ok_or(CampaignError::MissingDeadline)?
            .resolve_deadline(self.zone)
            .map_err(|source| CampaignError::Time {
                field: "deadline",
                source,
            })?;
        if deadline <= start {
            return Err(CampaignError::DeadlineBeforeStart { start, deadline });
        }
        let mut previous: Option<Quantity> = None;
        for milestone in &self.milestones {
            let invalid = |reason| CampaignError::Milestone {
                label: milestone.label().to_owned(),
                amount: milestone.amount,
                reason,
            };
            if milestone.amount.measure() != self.goal.measure() {
                return Err(CampaignError::MilestoneMeasure {
                    label: milestone.label().to_owned(),
                    amount: milestone.amount,
                    measure: self.goal.measure().name(),
                });
            }
            if let (Some(goal), Some(amount)) = (self.goal.money(), milestone.amount.money()) {
                goal.checked_cmp(&amount)
                    .map_err(|source| CampaignError::Currency {
                        field: format!("milestone {:?}", milestone.label()),
                        source,
                    })?;
            }
            if milestone.label.texts().any(|label| label.trim().is_empty()) {
                return Err(invalid("a milestone needs a label"));
            }
            if milestone.amount.value() <= rust_decimal::Decimal::ZERO {
                return Err(invalid("must be above zero"));
            }
            if previous.is_some_and(|previous| previous.value() >= milestone.amount.value()) {
                return Err(invalid("milestones must be in increasing order of amount"));
            }
            previous = Some(milestone.amount);
        }
        for baseline in &self.baselines {
            let invalid = |reason| CampaignError::Baseline {
                note: baseline.note.clone(),
                amount: baseline.amount,
                reason,
            };
            Money::zero(currency)
                .checked_cmp(&baseline.amount)
                .map_err(|source| CampaignError::Currency {
                    field: format!("baseline {:?}", baseline.note),
                    source,
                })?;
            if baseline.amount.is_negative() {
                return Err(invalid("cannot be negative"));
            }
            if baseline.note.trim().is_empty() {
                return Err(invalid("needs a note saying what it is"));
            }
        }
        for image in &self.illustrations {
            let invalid = |reason: String| CampaignError::Illustration {
                src: image.src.clone(),
                reason,
            };
            if image.src.trim().is_empty() {
                return Err(invalid("needs a src".into()));
            }
            if !self.stages.percents().contains(&image.stage) {
                return Err(invalid(format!(
                    "stage {} is not one of the stages {:?}",
                    image.stage,
                    self.stages.percents()
                )));
            }
            if image.width == 0 || image.height == 0 {
                return Err(invalid(
                    "needs a width and a height above zero, reserved before it loads".into(),
                ));
            }
        }
        Ok(Campaign {
            name: self.name,
            goal: self.goal,
            currency,
            matching: self.matching,
            zone: self.zone,
            start,
            deadline,
            milestones: self.milestones,
            baselines: self.baselines,
            rules: self.rules,
            appeals: self.appeals,
            stages: self.stages,
            illustrations: self.illustrations,
            donate: self.donate,
            rates: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_zone;

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).unwrap()
    }

    fn builder() -> CampaignBuilder {
        Campaign::builder("Test", eur("1000"), parse_zone("Europe/Paris").unwrap())
            .start("2023-11-14".parse().unwrap())
            .deadline("2023-12-31".parse().unwrap())
    }

    #[test]
    fn reads_from_a_document_with_every_check() {
        let json = r#"{
            "name": "Framasoft 2023", "goal": "200000 EUR", "time_zone": "Europe/Paris",
            "start": "2023-11-14", "deadline": "2023-12-31",
            "rules": {"fees": "net"},
            "milestones": [{"amount": "100000 EUR", "label": "Halfway"}],
            "appeals": {"running": {"fr": "Il reste {time_left}."}}
        }"#;
        let campaign: Campaign = serde_json::from_str(json).unwrap();
        assert_eq!(campaign.rules().fees(), crate::FeeRule::Net);
        assert_eq!(campaign.milestones()[0].label(), "Halfway");
        let bad_zone = json.replace("Europe/Paris", "Europe/Pariss");
        let err = serde_json::from_str::<Campaign>(&bad_zone)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("time_zone: \"Europe/Pariss\" is not an IANA time zone"),
            "{err}"
        );
        let bad_template = json.replace("{time_left}", "{time}");
        assert!(serde_json::from_str::<Campaign>(&bad_template).is_err());
        let unknown_key = json.replace("\"rules\"", "\"rulez\"");
        assert!(serde_json::from_str::<Campaign>(&unknown_key).is_err());
    }

    #[test]
    fn texts_per_language_and_a_donation_page() {
        let json = r#"{
            "name": {"en": "Winter", "fr": "Hiver"}, "goal": "1000 EUR",
            "time_zone": "Europe/Paris", "start": "2023-11-14", "deadline": "2023-12-31",
            "milestones": [{"amount": "500 EUR", "label": {"fr": "Moitié : enfin !"}}],
            "donate_url": {"en": "https://example.org/give", "fr": "https://example.org/donner"},
            "donate_label": "Give"
        }"#;
        let campaign: Campaign = serde_json::from_str(json).unwrap();
        assert_eq!(campaign.name(), "Winter");
        assert_eq!(campaign.names().get(crate::Locale::Fr), "Hiver");
        assert_eq!(
            campaign.milestones()[0].label(),
            "Moitié\u{a0}: enfin\u{202f}!"
        );
        let donate = campaign.donate().unwrap();
        assert_eq!(
            donate.url.get(crate::Locale::De),
            "https://example.org/give"
        );
        assert_eq!(
            donate.url.get(crate::Locale::Fr),
            "https://example.org/donner"
        );
        for (bad, expected) in [
            ("https://example.org/donner", "javascript:alert(1)"),
            ("https://example.org/donner", "https://example.org/a\\\"b"),
            ("https://example.org/donner", "/donner"),
        ] {
            let err = serde_json::from_str::<Campaign>(&json.replace(bad, expected))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("donate_url "), "{expected}: {err}");
        }
        let no_url = json.replace("\"donate_url\"", "\"unused\"");
        assert!(serde_json::from_str::<Campaign>(&no_url).is_err());
        let without_url = r#"{"name": "A", "goal": "1 EUR", "time_zone": "UTC",
            "start": "2023-11-14", "deadline": "2023-12-31", "donate_label": "Give"}"#;
        let err = serde_json::from_str::<Campaign>(without_url)
            .unwrap_err()
            .to_string();
        assert!(err.contains("donate_url is not"), "{err}");
        let empty_name = json.replace("\"Hiver\"", "\" \"");
        let err = serde_json::from_str::<Campaign>(&empty_name)
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs a name"), "{err}");
    }

    #[test]
    fn illustrations_are_checked() {
        let image = |stage: u32, width: u32| crate::Illustration {
            stage,
            phase: None,
            src: "art.svg".into(),
            width,
            height: 100,
            position: None,
            alt: Default::default(),
        };
        assert!(builder().illustration(image(25, 320)).build().is_ok());
        assert_eq!(
            builder()
                .illustration(image(30, 320))
                .build()
                .unwrap_err()
                .to_string(),
            "illustration \"art.svg\": stage 30 is not one of the stages [0, 25, 50, 75, 100]"
        );
        assert!(builder().illustration(image(25, 0)).build().is_err());
    }

    #[test]
    fn every_check() {
        assert!(builder().build().is_ok());
        let errors = [
            Campaign::builder(" ", eur("1"), chrono_tz::UTC)
                .build()
                .unwrap_err(),
            Campaign::builder("a", eur("0"), chrono_tz::UTC)
                .build()
                .unwrap_err(),
            Campaign::builder("a", eur("1"), chrono_tz::UTC)
                .build()
                .unwrap_err(),
            builder()
                .deadline("2023-11-13".parse().unwrap())
                .build()
                .unwrap_err(),
            builder()
                .deadline("2024-03-31T02:30".parse().unwrap())
                .build()
                .unwrap_err(),
            builder()
                .milestone(Money::parse("5 USD").unwrap(), "x")
                .build()
                .unwrap_err(),
            builder()
                .milestone(eur("500"), "b")
                .milestone(eur("400"), "a")
                .build()
                .unwrap_err(),
            builder().milestone(eur("500"), "").build().unwrap_err(),
            builder()
                .baseline(eur("-1"), "cheques")
                .build()
                .unwrap_err(),
            builder().baseline(eur("10"), " ").build().unwrap_err(),
        ];
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "the campaign needs a name",
                "the goal 0.00 EUR must be above zero",
                "the campaign needs a start",
                "the deadline 2023-11-13 23:00:00 UTC is not after the start 2023-11-13 23:00:00 UTC",
                "deadline: 2024-03-31 02:30:00 does not exist in Europe/Paris: clocks skip it (daylight saving); choose another time",
                "milestone \"x\": cannot combine EUR and USD: amounts in different currencies are never summed",
                "milestone \"a\" at 400.00 EUR: milestones must be in increasing order of amount",
                "milestone \"\" at 500.00 EUR: a milestone needs a label",
                "baseline \"cheques\" of -1.00 EUR: cannot be negative",
                "baseline \" \" of 10.00 EUR: needs a note saying what it is",
            ]
        );
    }
}
