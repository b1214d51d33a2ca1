//! Which illustration a campaign shows: its stage, from progress and from the time left.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Progress thresholds in whole percent: ascending, starting at 0, at most 100. Past 100 % a
/// stage is marked `over` rather than given another threshold.
///
/// # Example
///
/// ```
/// use jauge::StageThresholds;
///
/// assert_eq!(StageThresholds::default().percents(), &[0, 25, 50, 75, 100]);
/// assert!(StageThresholds::try_new(vec![0, 50, 40]).is_err());
/// # Ok::<(), jauge::StageError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "Vec<u32>", into = "Vec<u32>")]
pub struct StageThresholds(Vec<u32>);

/// Why stage thresholds were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    /// They must start at 0, rise strictly, and stop at 100 at most.
    // Quoted by hand, not with `{:?}`: Debug's escaping and its Unicode tables would weigh
    // on the browser bundle.
    #[error("stage thresholds [{}] must start at 0, rise strictly and not exceed 100", .0.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))]
    Thresholds(Vec<u32>),
}

impl Default for StageThresholds {
    fn default() -> StageThresholds {
        StageThresholds(vec![0, 25, 50, 75, 100])
    }
}

impl StageThresholds {
    /// Thresholds from whole percentages.
    ///
    /// # Errors
    ///
    /// [`StageError::Thresholds`] unless they start at 0, rise strictly and stay at most 100.
    pub fn try_new(percents: Vec<u32>) -> Result<StageThresholds, StageError> {
        let rising = percents.windows(2).all(|w| w[0] < w[1]);
        if percents.first() != Some(&0) || !rising || percents.last().is_some_and(|&p| p > 100) {
            return Err(StageError::Thresholds(percents));
        }
        Ok(StageThresholds(percents))
    }

    /// The thresholds.
    pub fn percents(&self) -> &[u32] {
        &self.0
    }
}

impl TryFrom<Vec<u32>> for StageThresholds {
    type Error = StageError;

    fn try_from(percents: Vec<u32>) -> Result<StageThresholds, StageError> {
        StageThresholds::try_new(percents)
    }
}

impl From<StageThresholds> for Vec<u32> {
    fn from(thresholds: StageThresholds) -> Vec<u32> {
        thresholds.0
    }
}

/// Where a campaign stands in time, as the illustrations tell it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StagePhase {
    /// Before the start.
    NotStarted,
    /// Running, more than 48 hours left.
    Running,
    /// The last 48 hours.
    FinalHours,
    /// Ended short of the goal.
    EndedShort,
    /// Ended with the goal reached.
    EndedReached,
}

/// The stage of a campaign: its phase, the highest progress threshold reached, and whether it is
/// past its goal. Deterministic: the same figures and instant give the same stage.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct Stage {
    phase: StagePhase,
    threshold: u32,
    over: bool,
}

impl Stage {
    /// The stage of a campaign whose raised figure is `percent` % of its goal (exact, not
    /// rounded up), `seconds_left` before its deadline (negative or zero: ended),
    /// `seconds_since_start` after its start (negative: not started).
    ///
    /// The threshold is the highest one the percentage has reached: exactly 25 % is the 25
    /// stage, 24.99 % still the 0 stage. `over` means strictly more than the goal. The last 48
    /// hours (48 × 3,600 seconds or fewer) are the final hours.
    pub fn of(
        thresholds: &StageThresholds,
        percent: Decimal,
        seconds_since_start: i64,
        seconds_left: i64,
    ) -> Stage {
        let threshold = thresholds
            .percents()
            .iter()
            .rev()
            .find(|&&t| percent >= Decimal::from(t))
            .copied()
            .unwrap_or(0);
        let reached = percent >= Decimal::ONE_HUNDRED;
        let phase = if seconds_since_start < 0 {
            StagePhase::NotStarted
        } else if seconds_left <= 0 {
            if reached {
                StagePhase::EndedReached
            } else {
                StagePhase::EndedShort
            }
        } else if seconds_left <= 48 * 3600 {
            StagePhase::FinalHours
        } else {
            StagePhase::Running
        };
        Stage {
            phase,
            threshold,
            over: percent > Decimal::ONE_HUNDRED,
        }
    }

    /// The phase.
    pub fn phase(&self) -> StagePhase {
        self.phase
    }
    /// The highest threshold reached, in percent.
    pub fn threshold(&self) -> u32 {
        self.threshold
    }
    /// Whether the raised figure is past the goal.
    pub fn over(&self) -> bool {
        self.over
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(percent: &str) -> Stage {
        Stage::of(
            &StageThresholds::default(),
            percent.parse().unwrap(),
            1,
            100 * 3600,
        )
    }

    #[test]
    fn every_threshold_boundary() {
        for (percent, threshold) in [
            ("0", 0),
            ("24.99", 0),
            ("25", 25),
            ("25.00", 25),
            ("49.99", 25),
            ("50", 50),
            ("74.99", 50),
            ("75", 75),
            ("99.99", 75),
            ("100", 100),
            ("137", 100),
        ] {
            assert_eq!(at(percent).threshold(), threshold, "{percent} %");
        }
        assert!(!at("100").over());
        assert!(at("100.01").over());
    }

    #[test]
    fn every_phase_boundary() {
        let thresholds = StageThresholds::default();
        let phase = |since: i64, left: i64, percent: &str| {
            Stage::of(&thresholds, percent.parse().unwrap(), since, left).phase()
        };
        assert_eq!(phase(-1, 1_000_000, "0"), StagePhase::NotStarted);
        assert_eq!(phase(0, 1_000_000, "0"), StagePhase::Running);
        assert_eq!(phase(10, 48 * 3600 + 1, "0"), StagePhase::Running);
        assert_eq!(phase(10, 48 * 3600, "0"), StagePhase::FinalHours);
        assert_eq!(phase(10, 1, "0"), StagePhase::FinalHours);
        assert_eq!(phase(10, 0, "99.99"), StagePhase::EndedShort);
        assert_eq!(phase(10, -5, "100"), StagePhase::EndedReached);
    }

    #[test]
    fn custom_thresholds() {
        let thresholds = StageThresholds::try_new(vec![0, 10, 90]).unwrap();
        let stage = Stage::of(&thresholds, "95".parse().unwrap(), 1, 1_000_000);
        assert_eq!(stage.threshold(), 90);
        assert_eq!(
            StageThresholds::try_new(vec![5, 10]),
            Err(StageError::Thresholds(vec![5, 10]))
        );
        assert!(StageThresholds::try_new(vec![0, 150]).is_err());
        assert!(serde_json::from_str::<StageThresholds>("[0, 30, 20]").is_err());
        assert_eq!(serde_json::to_string(&thresholds).unwrap(), "[0,10,90]");
    }
}

/// A campaign's own image for a stage, instead of the built-in scene.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Illustration {
    /// The stage's threshold, in percent (one of the campaign's `stages`).
    pub stage: u32,
    /// Only in this phase (for example an image for `ended_reached`); any phase when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<StagePhase>,
    /// The image's URL (SVG, PNG or WebP), relative to the status document.
    pub src: String,
    /// Its width in pixels, reserved before it loads.
    pub width: u32,
    /// Its height in pixels, reserved before it loads.
    pub height: u32,
    /// Where it goes: `top` (default), `left` or `right` of the figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// What it shows, per language (`en = "…"`).
    #[serde(default)]
    pub alt: crate::SmallMap<crate::locale::Locale, String>,
}

impl Illustration {
    /// The campaign's image for `stage`, if it has one: one made for the stage's phase comes
    /// before one for any phase.
    pub fn choose(illustrations: &[Illustration], stage: Stage) -> Option<&Illustration> {
        let for_threshold = |i: &&Illustration| i.stage == stage.threshold();
        illustrations
            .iter()
            .filter(for_threshold)
            .find(|i| i.phase == Some(stage.phase()))
            .or_else(|| {
                illustrations
                    .iter()
                    .filter(for_threshold)
                    .find(|i| i.phase.is_none())
            })
    }
}

crate::json::unit_variants_from_json!(StagePhase {
    "not_started" => NotStarted,
    "running" => Running,
    "final_hours" => FinalHours,
    "ended_short" => EndedShort,
    "ended_reached" => EndedReached,
});

impl crate::json::FromJson for StageThresholds {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Self, crate::json::Invalid> {
        StageThresholds::try_new(crate::json::FromJson::from_json(value, at)?)
            .map_err(|e| at.invalid(e))
    }
}

crate::json::struct_from_json!(Stage, "an illustration stage", {
    phase: field,
    threshold: field,
    over: field,
});

crate::json::struct_from_json!(
    Illustration,
    "an illustration",
    strict {
        stage: field,
        phase: optional,
        src: field,
        width: field,
        height: field,
        position: optional,
        alt: or_default,
    }
);

#[cfg(test)]
mod illustration_tests {
    use super::*;

    #[test]
    fn phase_specific_images_come_first() {
        let json = r#"[
            {"stage": 100, "src": "any.svg", "width": 320, "height": 160, "alt": {"en": "any"}},
            {"stage": 100, "phase": "ended_reached", "src": "won.png", "width": 320, "height": 160, "alt": {"en": "won"}},
            {"stage": 25, "src": "a.webp", "width": 10, "height": 10, "position": "left"}
        ]"#;
        let illustrations: Vec<Illustration> = serde_json::from_str(json).unwrap();
        let thresholds = StageThresholds::default();
        let at =
            |percent: &str, left: i64| Stage::of(&thresholds, percent.parse().unwrap(), 1, left);
        assert_eq!(
            Illustration::choose(&illustrations, at("100", 0))
                .unwrap()
                .src,
            "won.png"
        );
        assert_eq!(
            Illustration::choose(&illustrations, at("120", 1000))
                .unwrap()
                .src,
            "any.svg"
        );
        assert_eq!(
            Illustration::choose(&illustrations, at("30", 1000))
                .unwrap()
                .src,
            "a.webp"
        );
        assert!(Illustration::choose(&illustrations, at("60", 1000)).is_none());
        assert!(serde_json::from_str::<Vec<Illustration>>(
            r#"[{"stage": 0, "src": "x", "width": 1}]"#
        )
        .is_err());
    }
}
