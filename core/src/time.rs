//! Campaign boundaries: dates, local times and instants, resolved in the campaign's time zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
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
/// at 00:00, Kiritimati moved from −10:40 to −10:00 at midnight in 1979, and Samoa skipped
/// 30 December 2011 whole), the day starts at the instant of the transition that skipped it,
/// the first wall-clock time of the day that exists; where midnight happens twice, at the first
/// of them.
pub(crate) fn first_instant_of(date: NaiveDate, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let midnight = date
        .and_hms_opt(0, 0, 0)
        .ok_or(TimeError::OutOfRange(date))?;
    match zone.from_local_datetime(&midnight) {
        LocalResult::Single(instant) | LocalResult::Ambiguous(instant, _) => {
            return Ok(instant.with_timezone(&Utc))
        }
        LocalResult::None => {}
    }
    // Inside a gap: the answer is the earliest instant whose wall-clock time is midnight or
    // later. Offsets stay within ±26 hours, so it lies within 26 hours of midnight read as UTC,
    // and wall-clock time only moves forward across the one gap in between: a bisection over
    // seconds (tz transitions fall on whole seconds) finds it exactly.
    let local = |seconds: i64| {
        DateTime::from_timestamp(seconds, 0)
            .map(|t| zone.from_utc_datetime(&t.naive_utc()).naive_local())
    };
    let anchor = midnight.and_utc().timestamp();
    let (mut before, mut after) = (anchor - 26 * 3600, anchor + 26 * 3600);
    let reaches = |seconds: i64| local(seconds).is_some_and(|wall| wall >= midnight);
    if reaches(before) || !reaches(after) {
        return Err(TimeError::OutOfRange(date));
    }
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if reaches(middle) {
            after = middle;
        } else {
            before = middle;
        }
    }
    DateTime::from_timestamp(after, 0).ok_or(TimeError::OutOfRange(date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Offset;

    fn zone(name: &str) -> Tz {
        parse_zone(name).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_day_that_starts_inside_an_odd_sized_jump_starts_at_the_jump() {
        // Kiritimati, 1 October 1979: from −10:40 to −10:00 at midnight, so the day starts at
        // 00:40 local, 10:40 UTC (a 15-minute search started it 5 minutes late, at 00:45).
        let kiritimati = zone("Pacific/Kiritimati");
        let date = NaiveDate::from_ymd_opt(1979, 10, 1).unwrap();
        let start = first_instant_of(date, kiritimati).unwrap();
        assert_eq!(start, utc("1979-10-01T10:40:00Z"));
        assert_eq!(
            kiritimati
                .from_utc_datetime(&start.naive_utc())
                .naive_local(),
            date.and_hms_opt(0, 40, 0).unwrap()
        );
        // Samoa skipped 30 December 2011 whole: 31 December starts when the clocks jumped.
        let samoa = zone("Pacific/Apia");
        let start =
            first_instant_of(NaiveDate::from_ymd_opt(2011, 12, 30).unwrap(), samoa).unwrap();
        assert_eq!(start, utc("2011-12-30T10:00:00Z"));
    }

    /// Every midnight the zone database skips, in every zone, from 1850 to 2040: the day starts
    /// exactly at the transition, found by scanning each zone's offsets.
    #[test]
    fn every_skipped_midnight_starts_at_its_transition() {
        let offset_at = |zone: Tz, seconds: i64| {
            let t = DateTime::from_timestamp(seconds, 0).unwrap().naive_utc();
            zone.offset_from_utc_datetime(&t).fix().local_minus_utc() as i64
        };
        let (first, last) = (
            utc("1850-01-01T00:00:00Z").timestamp(),
            utc("2040-01-01T00:00:00Z").timestamp(),
        );
        let step = 2 * 86_400;
        let mut checked = 0;
        for &zone in chrono_tz::TZ_VARIANTS.iter() {
            let mut t = first;
            let mut offset = offset_at(zone, t);
            while t < last {
                let next = t + step;
                let next_offset = offset_at(zone, next);
                if next_offset != offset {
                    // The transition: the first second with the new offset.
                    let (mut before, mut after) = (t, next);
                    while after - before > 1 {
                        let middle = before + (after - before) / 2;
                        if offset_at(zone, middle) == offset {
                            before = middle;
                        } else {
                            after = middle;
                        }
                    }
                    let jump_start = after + offset_at(zone, before);
                    let jump_end = after + offset_at(zone, after);
                    // Every midnight inside the skipped wall-clock span [start, end).
                    let day = 86_400;
                    let mut midnight = jump_start.div_euclid(day) * day;
                    if midnight < jump_start {
                        midnight += day;
                    }
                    while midnight < jump_end {
                        let date = DateTime::from_timestamp(midnight, 0).unwrap().date_naive();
                        assert_eq!(
                            first_instant_of(date, zone).unwrap().timestamp(),
                            after,
                            "{} {date}",
                            zone.name()
                        );
                        checked += 1;
                        midnight += day;
                    }
                }
                t = next;
                offset = next_offset;
            }
        }
        eprintln!("{checked} skipped midnights checked");
        assert!(checked > 300, "only {checked} skipped midnights found");
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
