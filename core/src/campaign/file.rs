//! The campaign as a file writes it (TOML in the CLI, JSON elsewhere), read through every check
//! of [`CampaignBuilder::build`].

use serde::{Deserialize, Serialize};

use super::*;

/// The campaign as a file writes it (TOML in the CLI, JSON elsewhere):
///
/// ```toml
/// name = "Framasoft 2023"
/// goal = "200000 EUR"
/// time_zone = "Europe/Paris"
/// start = "2023-11-14"
/// deadline = "2023-12-31"
/// rules = { pending = "excluded", fees = "gross", refunds = "subtracted", recurring = "received" }
/// milestones = [{ amount = "100000 EUR", label = "Halfway" }]
/// baselines = [{ amount = "1200 EUR", note = "Cheques received at the office" }]
/// stages = [0, 25, 50, 75, 100]
/// [appeals.running]
/// en = "We have {time_left} left to raise {remaining}!"
/// ```
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CampaignRepr {
    name: Localized,
    goal: Quantity,
    #[serde(default)]
    currency: Option<Currency>,
    #[serde(default)]
    matching: Vec<PledgeRepr>,
    time_zone: String,
    start: Moment,
    deadline: Moment,
    #[serde(default)]
    rules: CountingRules,
    #[serde(default)]
    milestones: Vec<MilestoneRepr>,
    #[serde(default)]
    baselines: Vec<BaselineRepr>,
    #[serde(default)]
    appeals: Appeals,
    #[serde(default)]
    stages: StageThresholds,
    #[serde(default)]
    illustrations: Vec<Illustration>,
    #[serde(default)]
    donate_url: Option<Localized>,
    #[serde(default)]
    donate_label: Option<Localized>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneRepr {
    amount: Quantity,
    label: Localized,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PledgeRepr {
    sponsor: String,
    #[serde(with = "crate::wire::decimal")]
    ratio: rust_decimal::Decimal,
    up_to: Money,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineRepr {
    amount: Money,
    note: String,
}

impl TryFrom<CampaignRepr> for Campaign {
    type Error = CampaignError;

    fn try_from(repr: CampaignRepr) -> Result<Campaign, CampaignError> {
        let zone =
            crate::time::parse_zone(&repr.time_zone).map_err(|source| CampaignError::Time {
                field: "time_zone",
                source,
            })?;
        let mut builder = Campaign::builder(repr.name, repr.goal, zone)
            .start(repr.start)
            .deadline(repr.deadline)
            .rules(repr.rules)
            .appeals(repr.appeals)
            .stages(repr.stages);
        if let Some(currency) = repr.currency {
            builder = builder.currency(currency);
        }
        for pledge in repr.matching {
            builder = builder.matching(pledge.sponsor, pledge.ratio, pledge.up_to);
        }
        match (repr.donate_url, repr.donate_label) {
            (Some(url), label) => builder = builder.donate(url, label),
            (None, Some(_)) => return Err(CampaignError::DonateLabelWithoutUrl),
            (None, None) => {}
        }
        for illustration in repr.illustrations {
            builder = builder.illustration(illustration);
        }
        for milestone in repr.milestones {
            builder = builder.milestone(milestone.amount, milestone.label);
        }
        for baseline in repr.baselines {
            builder = builder.baseline(baseline.amount, baseline.note);
        }
        builder.build()
    }
}
