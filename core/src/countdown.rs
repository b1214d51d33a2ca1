//! How much time is left, and how to say it.

use serde::{Deserialize, Serialize};

use crate::locale::Locale;

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;

/// The unit a countdown is told in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Fourteen days or more: weeks, rounded to the nearest week.
    Weeks,
    /// Under fourteen days: whole 24-hour periods, floored.
    Days,
    /// The last 24 hours: whole hours, floored.
    Hours,
    /// The last hour: whole minutes, floored, and never less than one.
    Minutes,
    /// The deadline has passed.
    Ended,
}

/// The time left until a deadline, as a reader is told it.
///
/// Counting is in 24-hour periods to the deadline instant, so a daylight-saving change never
/// makes a day longer or shorter here. The rules:
///
/// | time left | told as | rounding |
/// |---|---|---|
/// | 14 days or more | weeks | nearest week (half a week rounds up) |
/// | 1 to 14 days | days | floored: "5 days" until 5 × 24 h remain |
/// | 1 to 24 hours | hours | floored |
/// | under one hour | minutes | floored, at least 1, so never "0 minutes" |
/// | none | ended | |
///
/// So the last day never says "0 days left".
///
/// # Example
///
/// ```
/// use jauge::{Locale, TimeLeft, TimeUnit};
///
/// // 21 November 09:00 Paris to the end of 31 December: 40 days and 15 hours.
/// let left = TimeLeft::from_seconds(40 * 86_400 + 15 * 3_600);
/// assert_eq!((left.unit(), left.count()), (TimeUnit::Weeks, 6));
/// assert_eq!(left.phrase(Locale::En), "six weeks");
/// assert_eq!(TimeLeft::from_seconds(5 * 86_400 + 1).phrase(Locale::Fr), "5 jours");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct TimeLeft {
    seconds: i64,
    unit: TimeUnit,
    count: u32,
}

impl TimeLeft {
    /// The countdown for `seconds` left until the deadline (zero or less: ended).
    pub const fn from_seconds(seconds: i64) -> TimeLeft {
        let (unit, count) = if seconds <= 0 {
            (TimeUnit::Ended, 0)
        } else if seconds >= 2 * WEEK {
            (
                TimeUnit::Weeks,
                seconds / WEEK + (seconds % WEEK >= WEEK / 2) as i64,
            )
        } else if seconds >= DAY {
            (TimeUnit::Days, seconds / DAY)
        } else if seconds >= HOUR {
            (TimeUnit::Hours, seconds / HOUR)
        } else if seconds >= MINUTE {
            (TimeUnit::Minutes, seconds / MINUTE)
        } else {
            (TimeUnit::Minutes, 1)
        };
        let count = if count > u32::MAX as i64 {
            u32::MAX
        } else {
            count as u32
        };
        TimeLeft {
            seconds: if seconds < 0 { 0 } else { seconds },
            unit,
            count,
        }
    }

    /// Seconds left (zero once ended).
    pub const fn seconds(&self) -> i64 {
        self.seconds
    }

    /// The unit it is told in.
    pub const fn unit(&self) -> TimeUnit {
        self.unit
    }

    /// How many of that unit (zero once ended).
    pub const fn count(&self) -> u32 {
        self.count
    }

    /// Whether the deadline has passed.
    pub const fn is_ended(&self) -> bool {
        matches!(self.unit, TimeUnit::Ended)
    }

    /// The phrase for an appeal sentence: "six weeks", "5 days", "3 hours", "12 minutes", and
    /// after the deadline the locale's word for "ended".
    ///
    /// Weeks from one to ten are spelled out ("six weeks", as campaign copy writes them); every
    /// other count is in digits. The words are the catalogue's (`words/<language>/countdown.ftl`).
    pub fn phrase(&self, locale: Locale) -> String {
        crate::words::countdown::words(locale).time_left(self.unit.name(), self.count.into(), "")
    }

    /// The phrase as it follows "in" ("starts in …"): German puts the noun in the dative,
    /// "beginnt in 2 Tagen", where [`TimeLeft::phrase`] says "2 Tage"; the other locales say
    /// the same either way.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{Locale, TimeLeft};
    ///
    /// let left = TimeLeft::from_seconds(2 * 86_400 + 60);
    /// assert_eq!(left.phrase(Locale::De), "2 Tage");
    /// assert_eq!(left.phrase_after_in(Locale::De), "2 Tagen");
    /// assert_eq!(left.phrase_after_in(Locale::Fr), "2 jours");
    /// ```
    pub fn phrase_after_in(&self, locale: Locale) -> String {
        crate::words::countdown::words(locale).time_left(
            self.unit.name(),
            self.count.into(),
            "after-in",
        )
    }
}

impl TimeUnit {
    /// The unit's name in the status document (`"weeks"`, `"days"` …), which the catalogue's
    /// messages also select on (a French "left" agrees with it).
    pub const fn name(self) -> &'static str {
        match self {
            TimeUnit::Weeks => "weeks",
            TimeUnit::Days => "days",
            TimeUnit::Hours => "hours",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Ended => "ended",
        }
    }
}

crate::json::unit_variants_from_json!(TimeUnit {
    "weeks" => Weeks,
    "days" => Days,
    "hours" => Hours,
    "minutes" => Minutes,
    "ended" => Ended,
});

crate::json::struct_from_json!(TimeLeft, "a countdown", {
    seconds: field,
    unit: field,
    count: field,
});

#[cfg(test)]
mod tests {
    use super::*;

    fn told(seconds: i64) -> (TimeUnit, u32) {
        let left = TimeLeft::from_seconds(seconds);
        (left.unit(), left.count())
    }

    #[test]
    fn boundaries_between_units() {
        assert_eq!(told(14 * DAY), (TimeUnit::Weeks, 2));
        assert_eq!(told(14 * DAY - 1), (TimeUnit::Days, 13));
        assert_eq!(
            told(2 * WEEK + 3 * DAY + 12 * HOUR - 1),
            (TimeUnit::Weeks, 2)
        );
        assert_eq!(told(2 * WEEK + 3 * DAY + 12 * HOUR), (TimeUnit::Weeks, 3));
        assert_eq!(told(DAY), (TimeUnit::Days, 1));
        assert_eq!(told(DAY - 1), (TimeUnit::Hours, 23));
        assert_eq!(told(HOUR), (TimeUnit::Hours, 1));
        assert_eq!(told(HOUR - 1), (TimeUnit::Minutes, 59));
        assert_eq!(told(61), (TimeUnit::Minutes, 1));
        assert_eq!(told(1), (TimeUnit::Minutes, 1));
        assert_eq!(told(0), (TimeUnit::Ended, 0));
        assert_eq!(told(-5), (TimeUnit::Ended, 0));
        assert_eq!(TimeLeft::from_seconds(-5).seconds(), 0);
        assert_eq!(told(i64::MAX).0, TimeUnit::Weeks);
    }

    #[test]
    fn phrases() {
        assert_eq!(TimeLeft::from_seconds(DAY + 5).phrase(Locale::En), "1 day");
        assert_eq!(
            TimeLeft::from_seconds(11 * WEEK).phrase(Locale::En),
            "11 weeks"
        );
        assert_eq!(TimeLeft::from_seconds(HOUR).phrase(Locale::Nl), "1 uur");
        assert_eq!(
            TimeLeft::from_seconds(3 * WEEK).phrase(Locale::De),
            "drei Wochen"
        );
        assert_eq!(TimeLeft::from_seconds(90).phrase(Locale::Fr), "1 minute");
        assert_eq!(TimeLeft::from_seconds(0).phrase(Locale::It), "terminata");
    }
}
