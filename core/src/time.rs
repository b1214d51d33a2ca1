//! Campaign boundaries: dates, local times and instants, resolved in the campaign's time zone.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// When a campaign starts or ends, as people write it.
///
/// - a **date** (`2023-12-31`): for a start, the beginning of that day in the campaign's zone;
///   for a deadline, the *end* of that day (the first instant of the next day), since "until
///   31 December" includes the 31st;
/// - a **local date and time** (`2023-12-31T18:00`): that wall-clock time in the campaign's
///   zone;
/// - an **instant** (`2023-12-31T18:00:00+01:00`, `…Z`): exactly that.
///
/// # Example
///
/// ```
/// use jauge::Moment;
///
/// assert!(matches!("2023-12-31".parse()?, Moment::Date(_)));
/// assert!(matches!("2023-12-31 18:00".parse()?, Moment::Local(_)));
/// assert!(matches!("2023-12-31T18:00:00+01:00".parse()?, Moment::Instant(_)));
/// # Ok::<(), jauge::TimeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Moment {
    /// A calendar day in the campaign's zone.
    Date(NaiveDate),
    /// A wall-clock time in the campaign's zone.
    Local(NaiveDateTime),
    /// An exact instant.
    Instant(DateTime<FixedOffset>),
}

/// Why a campaign time could not be read or placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not a date, a local date-time or an RFC 3339 instant.
    #[error("{0:?} is not a date (2023-12-31), a local time (2023-12-31T18:00) or an instant (2023-12-31T18:00:00+01:00)")]
    Malformed(String),
    /// Not an IANA time-zone name.
    #[error("{0:?} is not an IANA time zone such as \"Europe/Paris\"")]
    UnknownZone(String),
    /// The wall-clock time was skipped by a daylight-saving change.
    #[error(
        "{local} does not exist in {zone}: clocks skip it (daylight saving); choose another time"
    )]
    Nonexistent {
        /// The local time asked for.
        local: NaiveDateTime,
        /// The zone.
        zone: Tz,
    },
    /// The wall-clock time happens twice because clocks go back.
    #[error(
        "{local} happens twice in {zone} (at {earlier} and {later}): give the UTC offset to choose"
    )]
    Ambiguous {
        /// The local time asked for.
        local: NaiveDateTime,
        /// The zone.
        zone: Tz,
        /// The first occurrence.
        earlier: DateTime<FixedOffset>,
        /// The second occurrence.
        later: DateTime<FixedOffset>,
    },
    /// The date is out of the supported range.
    #[error("{0} is out of range")]
    OutOfRange(NaiveDate),
}

/// Parses an IANA time-zone name.
///
/// # Errors
///
/// [`TimeError::UnknownZone`].
pub fn parse_zone(name: &str) -> Result<Tz, TimeError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| TimeError::UnknownZone(name.to_owned()))
}

impl FromStr for Moment {
    type Err = TimeError;

    fn from_str(text: &str) -> Result<Moment, TimeError> {
        let trimmed = text.trim();
        if let Ok(instant) = DateTime::parse_from_rfc3339(trimmed) {
            return Ok(Moment::Instant(instant));
        }
        if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
            return Ok(Moment::Date(date));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(local) = NaiveDateTime::parse_from_str(trimmed, format) {
                return Ok(Moment::Local(local));
            }
        }
        Err(TimeError::Malformed(text.to_owned()))
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moment::Date(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            Moment::Local(local) => write!(f, "{}", local.format("%Y-%m-%dT%H:%M:%S")),
            Moment::Instant(instant) => f.write_str(&instant.to_rfc3339()),
        }
    }
}

crate::serde_via_str!(Moment);

impl Moment {
    /// The instant a campaign starts: a date means the first instant of that day.
    ///
    /// # Errors
    ///
    /// [`TimeError::Nonexistent`] or [`TimeError::Ambiguous`] for a wall-clock time a DST change
    /// skips or repeats.
    pub fn resolve_start(&self, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
        match *self {
            Moment::Date(date) => first_instant_of(date, zone),
            _ => self.resolve_exact(zone),
        }
    }

    /// The instant a campaign ends: a date means the end of that day, i.e. the first instant of
    /// the next day in the zone.
    ///
    /// # Errors
    ///
    /// As for [`Moment::resolve_start`].
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{parse_zone, Moment};
    ///
    /// let end: Moment = "2023-12-31".parse()?;
    /// let instant = end.resolve_deadline(parse_zone("Europe/Paris")?)?;
    /// assert_eq!(instant.to_rfc3339(), "2023-12-31T23:00:00+00:00");
    /// # Ok::<(), jauge::TimeError>(())
    /// ```
    pub fn resolve_deadline(&self, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
        match *self {
            Moment::Date(date) => {
                let next = date.succ_opt().ok_or(TimeError::OutOfRange(date))?;
                first_instant_of(next, zone)
            }
            _ => self.resolve_exact(zone),
        }
    }

    fn resolve_exact(&self, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
        match *self {
            Moment::Instant(instant) => Ok(instant.with_timezone(&Utc)),
            Moment::Local(local) => match zone.from_local_datetime(&local) {
                LocalResult::Single(instant) => Ok(instant.with_timezone(&Utc)),
                LocalResult::None => Err(TimeError::Nonexistent { local, zone }),
                LocalResult::Ambiguous(earlier, later) => Err(TimeError::Ambiguous {
                    local,
                    zone,
                    earlier: earlier.fixed_offset(),
                    later: later.fixed_offset(),
                }),
            },
            Moment::Date(date) => first_instant_of(date, zone),
        }
    }
}

/// The first instant of `date` in `zone`. Where midnight is skipped (some zones change clocks
/// at 00:00, and Samoa skipped 30 December 2011 whole), the day starts at the first wall-clock
/// time that exists; where midnight happens twice, at the first of them.
fn first_instant_of(date: NaiveDate, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let midnight = date
        .and_hms_opt(0, 0, 0)
        .ok_or(TimeError::OutOfRange(date))?;
    // Every zone's offsets are multiples of 15 minutes and no gap exceeds 48 hours.
    for step in 0..(48 * 4) {
        let local = midnight + Duration::minutes(15 * step);
        match zone.from_local_datetime(&local) {
            LocalResult::Single(instant) | LocalResult::Ambiguous(instant, _) => {
                return Ok(instant.with_timezone(&Utc))
            }
            LocalResult::None => {}
        }
    }
    Err(TimeError::OutOfRange(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Tz {
        parse_zone(name).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn end_of_day_is_next_local_midnight() {
        let paris = zone("Europe/Paris");
        let end: Moment = "2023-12-31".parse().unwrap();
        assert_eq!(
            end.resolve_deadline(paris).unwrap(),
            utc("2023-12-31T23:00:00Z")
        );
        let start: Moment = "2023-11-14".parse().unwrap();
        assert_eq!(
            start.resolve_start(paris).unwrap(),
            utc("2023-11-13T23:00:00Z")
        );
    }

    #[test]
    fn dst_days_in_paris() {
        let paris = zone("Europe/Paris");
        // Last Sunday of October 2024: clocks go back at 03:00 to 02:00, the day lasts 25 h.
        let fall: Moment = "2024-10-27".parse().unwrap();
        assert_eq!(
            fall.resolve_deadline(paris).unwrap(),
            utc("2024-10-27T23:00:00Z")
        );
        assert_eq!(
            fall.resolve_start(paris).unwrap(),
            utc("2024-10-26T22:00:00Z")
        );
        let twice: Moment = "2024-10-27T02:30".parse().unwrap();
        let err = twice.resolve_deadline(paris).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2024-10-27 02:30:00 happens twice in Europe/Paris (at 2024-10-27 02:30:00 +02:00 and \
             2024-10-27 02:30:00 +01:00): give the UTC offset to choose"
        );
        let chosen: Moment = "2024-10-27T02:30:00+01:00".parse().unwrap();
        assert_eq!(
            chosen.resolve_deadline(paris).unwrap(),
            utc("2024-10-27T01:30:00Z")
        );
        // Last Sunday of March 2024: 02:00 jumps to 03:00, the day lasts 23 h.
        let spring: Moment = "2024-03-31".parse().unwrap();
        assert_eq!(
            spring.resolve_deadline(paris).unwrap(),
            utc("2024-03-31T22:00:00Z")
        );
        let skipped: Moment = "2024-03-31T02:30".parse().unwrap();
        assert!(matches!(
            skipped.resolve_deadline(paris),
            Err(TimeError::Nonexistent { .. })
        ));
    }

    #[test]
    fn skipped_midnights() {
        // Samoa skipped 30 December 2011: the 29th ended when the 31st began.
        let apia = zone("Pacific/Apia");
        let end: Moment = "2011-12-29".parse().unwrap();
        assert_eq!(
            end.resolve_deadline(apia).unwrap(),
            utc("2011-12-30T10:00:00Z")
        );
        // Santiago springs forward at 00:00 (2023-09-03 00:00 → 01:00).
        let santiago = zone("America/Santiago");
        let start: Moment = "2023-09-03".parse().unwrap();
        assert_eq!(
            start.resolve_start(santiago).unwrap(),
            utc("2023-09-03T04:00:00Z")
        );
    }

    #[test]
    fn malformed_input_is_named() {
        assert_eq!(
            "31/12/2023".parse::<Moment>().unwrap_err(),
            TimeError::Malformed("31/12/2023".into())
        );
        assert_eq!(
            parse_zone("Paris"),
            Err(TimeError::UnknownZone("Paris".into()))
        );
    }

    #[test]
    fn moments_round_trip_through_text() {
        for text in [
            "2023-12-31",
            "2023-12-31T18:00:00",
            "2023-12-31T18:00:00+01:00",
        ] {
            let moment: Moment = text.parse().unwrap();
            assert_eq!(moment.to_string(), text);
            assert_eq!(moment.to_string().parse::<Moment>().unwrap(), moment);
        }
    }
}
