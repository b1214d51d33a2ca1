//! How the status document writes instants and decimals: RFC 3339 and plain decimal strings,
//! read and written by small exact routines rather than chrono's and rust_decimal's general
//! engines, which would triple the browser widget's size for formats it never sees.

use std::fmt::Write as _;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone, Timelike, Utc,
};
use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serializer};

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub(crate) fn parse_rfc3339(text: &str) -> Option<DateTime<FixedOffset>> {
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    let mut rest = 19;
    let mut nanos = 0u32;
    if b.get(19) == Some(&b'.') {
        let digits = b[20..].iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        nanos = number(20..20 + digits)? * 10u32.pow(9 - digits as u32);
        rest = 20 + digits;
    }
    let time =
        NaiveTime::from_hms_nano_opt(number(11..13)?, number(14..16)?, number(17..19)?, nanos)?;
    let offset = match &b[rest..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let seconds = i32::try_from(
                number(rest + 1..rest + 3)? * 3600 + number(rest + 4..rest + 6)? * 60,
            )
            .ok()?;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    FixedOffset::east_opt(offset)?
        .from_local_datetime(&date.and_time(time))
        .single()
}

/// Writes an instant as RFC 3339, seconds always, fractions only when there are some (3, 6 or 9
/// digits), the offset as `Z` when `utc_as_z`, else as `±HH:MM`: what chrono's
/// `to_rfc3339_opts(AutoSi, utc_as_z)` writes.
pub(crate) fn format_rfc3339<Tz: TimeZone>(instant: &DateTime<Tz>, utc_as_z: bool) -> String {
    let local = instant.naive_local();
    let offset = instant.offset().fix().local_minus_utc();
    let mut out = String::with_capacity(32);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    );
    let nanos = local.nanosecond() % 1_000_000_000;
    if nanos != 0 {
        let _ = match (nanos % 1_000_000, nanos % 1_000) {
            (0, _) => write!(out, ".{:03}", nanos / 1_000_000),
            (_, 0) => write!(out, ".{:06}", nanos / 1_000),
            _ => write!(out, ".{nanos:09}"),
        };
    }
    if offset == 0 && utc_as_z {
        out.push('Z');
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let _ = write!(
            out,
            "{sign}{:02}:{:02}",
            offset.abs() / 3600,
            offset.abs() % 3600 / 60
        );
    }
    out
}

fn text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    <std::borrow::Cow<'de, str>>::deserialize(deserializer)
}

/// The instant types the status document writes: UTC ones with `Z`, zoned ones with their offset.
pub(crate) trait Rfc3339: Sized {
    /// Whether a zero offset is written `Z`.
    const UTC_AS_Z: bool;
    /// The instant, from one read with its offset.
    fn from_fixed(instant: DateTime<FixedOffset>) -> Self;
    /// The instant, as RFC 3339.
    fn to_rfc3339(&self) -> String;
}

impl Rfc3339 for DateTime<Utc> {
    const UTC_AS_Z: bool = true;
    fn from_fixed(instant: DateTime<FixedOffset>) -> Self {
        instant.with_timezone(&Utc)
    }
    fn to_rfc3339(&self) -> String {
        format_rfc3339(self, Self::UTC_AS_Z)
    }
}

impl Rfc3339 for DateTime<FixedOffset> {
    const UTC_AS_Z: bool = false;
    fn from_fixed(instant: DateTime<FixedOffset>) -> Self {
        instant
    }
    fn to_rfc3339(&self) -> String {
        format_rfc3339(self, Self::UTC_AS_Z)
    }
}

/// An instant as RFC 3339 (`#[serde(with = "crate::wire::instant")]`).
pub(crate) mod instant {
    use super::*;

    pub(crate) fn serialize<T: Rfc3339, S: Serializer>(
        instant: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&instant.to_rfc3339())
    }

    pub(crate) fn deserialize<'de, T: Rfc3339, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = text(deserializer)?;
        parse_rfc3339(&text)
            .map(T::from_fixed)
            .ok_or_else(|| de::Error::custom(format!("{text:?} is not an RFC 3339 instant")))
    }
}

/// `Decimal` as a plain decimal string (`"64.30"`), never a number or scientific notation.
pub(crate) mod decimal {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        let text = text(deserializer)?;
        crate::money::parse_plain_decimal(&text).map_err(de::Error::custom)
    }
}

/// `Option<Decimal>` as a plain decimal string or null.
#[cfg(feature = "tz")]
pub(crate) mod option_decimal {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(value),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| crate::money::parse_plain_decimal(&text).map_err(de::Error::custom))
            .transpose()
    }
}

fn instant_from_json(
    value: &crate::json::Value,
    at: crate::json::At<'_>,
) -> Result<DateTime<FixedOffset>, crate::json::Invalid> {
    let text = value.str(at, "an RFC 3339 instant")?;
    parse_rfc3339(text)
        .ok_or_else(|| at.invalid(format_args!("\"{text}\" is not an RFC 3339 instant")))
}

impl crate::json::FromJson for DateTime<FixedOffset> {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Self, crate::json::Invalid> {
        instant_from_json(value, at)
    }
}

impl crate::json::FromJson for DateTime<Utc> {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Self, crate::json::Invalid> {
        instant_from_json(value, at).map(|instant| instant.with_timezone(&Utc))
    }
}

impl crate::json::FromJson for Decimal {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Decimal, crate::json::Invalid> {
        let text = value.str(at, "a decimal number in a string")?;
        crate::money::parse_plain_decimal(text).map_err(|e| at.invalid(e))
    }
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110's IMF-fixdate), as servers send in
/// `Date` headers.
pub fn parse_http_date(text: &str) -> Option<DateTime<Utc>> {
    let mut words = text.split_whitespace();
    let _weekday = words.next()?;
    let day: u32 = words.next()?.parse().ok()?;
    let month = match words.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i32 = words.next()?.parse().ok()?;
    let mut clock = words.next()?.split(':').map(|p| p.parse::<u32>().ok());
    let time = NaiveTime::from_hms_opt(clock.next()??, clock.next()??, clock.next()??)?;
    if words.next()? != "GMT" {
        return None;
    }
    Some(
        NaiveDate::from_ymd_opt(year, month, day)?
            .and_time(time)
            .and_utc(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_agrees_with_chrono() {
        for text in [
            "2023-12-26T07:00:00Z",
            "2023-11-14T00:00:00+01:00",
            "2024-01-01T00:00:00-05:30",
            "2023-12-26T07:00:00.123Z",
            "2023-12-26T07:00:00.123456+02:00",
            "2023-12-26T07:00:00.123456789Z",
        ] {
            let ours = parse_rfc3339(text).unwrap();
            let theirs = DateTime::parse_from_rfc3339(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.offset(), theirs.offset(), "{text}");
            assert_eq!(
                format_rfc3339(&ours, false),
                theirs.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
                "{text}"
            );
            let utc = ours.with_timezone(&Utc);
            assert_eq!(
                format_rfc3339(&utc, true),
                utc.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                "{text}"
            );
        }
        for bad in [
            "2023-12-26",
            "2023-13-26T07:00:00Z",
            "2023-12-26T07:00:00",
            "2023-12-26T07:00:00+1:00",
            "2023-12-26T07:00:00.Z",
            "2023-12-26T07:00:60Z x",
        ] {
            assert!(parse_rfc3339(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Thu, 26 Nov 2026 11:57:13 GMT"),
            Some(
                DateTime::parse_from_rfc3339("2026-11-26T11:57:13Z")
                    .unwrap()
                    .to_utc()
            )
        );
        assert_eq!(parse_http_date("Thu, 26 Nov 2026 11:57:13 CET"), None);
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
