//! Gifts in other currencies, converted at declared rates: the European Central Bank's reference
//! rates (its daily file or its historical file), or a fixed table.
//!
//! Conversion is exact decimal arithmetic with one rounding: a gift's amount (and its fee and
//! the part refunded, each) is multiplied out exactly at the rate, then rounded once to the
//! campaign currency's minor unit, half away from zero. A currency is never summed as it stands.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::donation::Donation;
use crate::money::Money;

/// The ECB publishes its reference rates for a day at about 16:00 Central European Time: a gift
/// before that on the same day was made before that day's rate existed.
const PUBLISHED_AT: NaiveTime = match NaiveTime::from_hms_opt(16, 0, 0) {
    Some(time) => time,
    None => panic!("a valid time"),
};

/// How stale a rate may be: no ECB rate is published on weekends and TARGET holidays, and the
/// longest such gap (Good Friday to Easter Monday, or 24 to 26 December after a weekend) leaves
/// a gift at most five days after the last rate. Older than that, the file does not cover the
/// gift's day.
const MAX_AGE_DAYS: i64 = 5;

/// Why rates could not be read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatesError {
    /// A rates file that is not in the ECB's layout: where, and what was expected.
    #[error("line {line}, column {column}: {problem}")]
    Layout {
        /// The line, from 1.
        line: u64,
        /// The column, from 1.
        column: u64,
        /// What is wrong there.
        problem: String,
    },
    /// A gift in a currency the rates do not cover on its day.
    #[error(
        "gift {id} is in {currency} and the rates have none for {day}{}",
        latest.map_or_else(String::new, |d| format!(" (the latest before it is of {d})"))
    )]
    NoRate {
        /// The gift.
        id: String,
        /// Its currency.
        currency: Currency,
        /// Its day (in Central European Time, as the ECB dates its rates).
        day: NaiveDate,
        /// The latest rate for that currency before the gift, if any.
        latest: Option<NaiveDate>,
    },
    /// A gift whose converted amount is beyond exact decimal arithmetic (28 digits).
    #[error("gift {0}: its amount converted is too large to count exactly")]
    TooLarge(String),
    /// A fixed rate that is zero or negative.
    #[error("the rate of {0} must be more than zero")]
    NotPositive(Currency),
    /// A fixed rate given in another currency than the campaign's.
    #[error("the rate of {currency} is in {found}; rates are given in the campaign's currency, {expected}")]
    WrongCurrency {
        /// The currency rated.
        currency: Currency,
        /// The campaign's currency.
        expected: Currency,
        /// The one the rate was given in.
        found: Currency,
    },
}

/// Declared rates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rates {
    /// The ECB's reference rates: per day, units of each currency for one euro.
    Ecb(BTreeMap<NaiveDate, BTreeMap<Currency, Decimal>>),
    /// A fixed table: the value of one unit of each currency in the campaign's currency, every
    /// day.
    Fixed(BTreeMap<Currency, Decimal>),
}

/// The rate a gift was converted at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RateUsed {
    /// The currency converted.
    pub currency: Currency,
    /// One unit of it in the campaign's currency (exact: the ECB's cross rate may have many
    /// decimals; shown rounded).
    #[serde(with = "crate::wire::decimal")]
    pub rate: Decimal,
    /// The ECB day of the rate; none for a fixed rate.
    pub day: Option<NaiveDate>,
}

impl Rates {
    /// Reads a file in the ECB's reference-rate CSV layout: the daily file (`Date, USD, JPY, …`
    /// then one row dated `29 November 2024`) or the historical file (the same header, one row
    /// per working day dated `2024-11-29`, `N/A` where a currency has no rate). Spaces around
    /// fields and the trailing comma the ECB writes are accepted.
    ///
    /// # Errors
    ///
    /// [`RatesError::Layout`] naming the line and column of the first thing that is not in the
    /// layout: a header without `Date`, an unknown currency code, a date or a rate that does not
    /// read, a row with too many fields, a file without rows.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{Currency, Money, Rates};
    ///
    /// let rates = Rates::from_ecb_csv("Date,USD,JPY,\n2023-12-22,1.1023,156.33,\n")?;
    /// let used = rates.rate(Currency::USD, Currency::EUR, "2023-12-27T10:00:00Z".parse()?).unwrap();
    /// assert_eq!(used.day.unwrap().to_string(), "2023-12-22");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_ecb_csv(text: &str) -> Result<Rates, RatesError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let wrong = |line: usize, column: usize, problem: String| RatesError::Layout {
            line: line as u64 + 1,
            column: column as u64 + 1,
            problem,
        };
        let (header_line, header) = lines.next().ok_or_else(|| {
            wrong(
                0,
                0,
                "an empty file: expected the ECB's header `Date, USD, …`".into(),
            )
        })?;
        let fields: Vec<&str> = header.split(',').map(str::trim).collect();
        if !fields[0].eq_ignore_ascii_case("date") {
            return Err(wrong(
                header_line,
                0,
                format!(
                    "expected the ECB's header starting with `Date`, found {:?}",
                    fields[0]
                ),
            ));
        }
        let mut currencies = Vec::new();
        for (column, code) in fields.iter().enumerate().skip(1) {
            if code.is_empty() && column == fields.len() - 1 {
                continue;
            }
            // The historical file keeps the columns of currencies since replaced by the euro
            // (CYP, EEK, …): no gift is in them, so their column is read and left aside.
            let retired = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
            match Currency::try_new(code) {
                Ok(currency) => currencies.push(Some(currency)),
                Err(_) if retired => currencies.push(None),
                Err(e) => return Err(wrong(header_line, column, format!("{code:?}: {e}"))),
            }
        }
        let mut days = BTreeMap::new();
        for (line, row) in lines {
            let fields: Vec<&str> = row.split(',').map(str::trim).collect();
            let day = NaiveDate::parse_from_str(fields[0], "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(fields[0], "%d %B %Y"))
                .map_err(|_| {
                    wrong(
                        line,
                        0,
                        format!(
                            "{:?} is not a date such as 2024-11-29 or 29 November 2024",
                            fields[0]
                        ),
                    )
                })?;
            let mut rates = BTreeMap::new();
            for (column, field) in fields.iter().enumerate().skip(1) {
                let Some(currency) = currencies.get(column - 1) else {
                    if field.is_empty() {
                        continue;
                    }
                    return Err(wrong(
                        line,
                        column,
                        format!(
                            "{field:?} is beyond the header's {} currencies",
                            currencies.len()
                        ),
                    ));
                };
                if field.is_empty() || field.eq_ignore_ascii_case("N/A") {
                    continue;
                }
                let Some(currency) = *currency else { continue };
                let rate = crate::money::parse_plain_decimal(field)
                    .ok()
                    .filter(|rate| *rate > Decimal::ZERO)
                    .ok_or_else(|| {
                        wrong(
                            line,
                            column,
                            format!("{field:?} is not a rate (a decimal above zero, or N/A)"),
                        )
                    })?;
                rates.insert(currency, rate);
            }
            days.insert(day, rates);
        }
        if days.is_empty() {
            return Err(wrong(
                header_line,
                0,
                "no rates: expected a row of rates after the header".into(),
            ));
        }
        Ok(Rates::Ecb(days))
    }

    /// A fixed table: the value of one unit of each currency, as money in the campaign's
    /// currency (`USD = "0.92 EUR"`).
    ///
    /// # Errors
    ///
    /// [`RatesError::WrongCurrency`] for a value in another currency, and
    /// [`RatesError::NotPositive`].
    pub fn fixed(
        campaign: Currency,
        table: impl IntoIterator<Item = (Currency, Money)>,
    ) -> Result<Rates, RatesError> {
        let mut rates = BTreeMap::new();
        for (currency, value) in table {
            if value.currency() != campaign {
                return Err(RatesError::WrongCurrency {
                    currency,
                    expected: campaign,
                    found: value.currency(),
                });
            }
            if value.amount() <= Decimal::ZERO {
                return Err(RatesError::NotPositive(currency));
            }
            rates.insert(currency, value.amount());
        }
        Ok(Rates::Fixed(rates))
    }

    /// One unit of `from` in `to` for a gift received `at`: the last rate published before it,
    /// no older than five days. `None` when the rates have none.
    pub fn rate(&self, from: Currency, to: Currency, at: DateTime<Utc>) -> Option<RateUsed> {
        let (times, over, day) = self.factors(from, to, at)?;
        Some(RateUsed {
            currency: from,
            rate: times.checked_div(over)?,
            day,
        })
    }

    /// The rate as a fraction, `times / over`, so that an amount is multiplied and divided once
    /// (not multiplied by a rounded quotient), and the ECB day it is of.
    fn factors(
        &self,
        from: Currency,
        to: Currency,
        at: DateTime<Utc>,
    ) -> Option<(Decimal, Decimal, Option<NaiveDate>)> {
        if from == to {
            return Some((Decimal::ONE, Decimal::ONE, None));
        }
        match self {
            Rates::Fixed(table) => table.get(&from).map(|rate| (*rate, Decimal::ONE, None)),
            Rates::Ecb(days) => {
                let (day, rates) = Self::latest(days, from, to, at)?;
                if (ecb_day(at) - day).num_days() > MAX_AGE_DAYS {
                    return None;
                }
                let per_euro = |c: Currency| {
                    if c == Currency::EUR {
                        Some(Decimal::ONE)
                    } else {
                        rates.get(&c).copied()
                    }
                };
                // 1 from = (1 / from-per-euro) euros = (to-per-euro / from-per-euro) to.
                Some((per_euro(to)?, per_euro(from)?, Some(day)))
            }
        }
    }

    /// The latest day published before `at` with rates for both currencies.
    fn latest(
        days: &BTreeMap<NaiveDate, BTreeMap<Currency, Decimal>>,
        from: Currency,
        to: Currency,
        at: DateTime<Utc>,
    ) -> Option<(NaiveDate, &BTreeMap<Currency, Decimal>)> {
        let has = |rates: &BTreeMap<Currency, Decimal>, c: Currency| {
            c == Currency::EUR || rates.contains_key(&c)
        };
        days.range(..=ecb_day(at))
            .rev()
            .filter(|(day, _)| published(**day) <= at)
            .find(|(_, rates)| has(rates, from) && has(rates, to))
            .map(|(day, rates)| (*day, rates))
    }

    /// `donation` in `currency`: its amount, its fee and the part refunded each converted at
    /// the rate of its day and rounded once; unchanged (and no rate) when already in it.
    ///
    /// # Errors
    ///
    /// [`RatesError::NoRate`] naming the gift, its currency and its day.
    pub fn convert(
        &self,
        donation: &Donation,
        currency: Currency,
    ) -> Result<(Donation, Option<RateUsed>), RatesError> {
        let from = donation.amount().currency();
        if from == currency {
            return Ok((donation.clone(), None));
        }
        let at = donation.received_at();
        let missing = || RatesError::NoRate {
            id: donation.id().to_owned(),
            currency: from,
            day: ecb_day(at),
            latest: match self {
                Rates::Ecb(days) => Self::latest(days, from, currency, at).map(|(day, _)| day),
                Rates::Fixed(_) => None,
            },
        };
        let (times, over, day) = self.factors(from, currency, at).ok_or_else(missing)?;
        let used = RateUsed {
            currency: from,
            rate: times.checked_div(over).ok_or_else(missing)?,
            day,
        };
        let convert = |money: Money| {
            let exact = money.amount().checked_mul(times)?.checked_div(over)?;
            Some(Money::rounded(exact, currency))
        };
        let converted = donation
            .converted(convert)
            .ok_or_else(|| RatesError::TooLarge(donation.id().to_owned()))?;
        Ok((converted, Some(used)))
    }

    /// A fingerprint of the rates, so that what was counted with them is not reused with others
    /// (the store's checkpoints).
    pub fn fingerprint(&self) -> u64 {
        let text = match self {
            Rates::Ecb(days) => format!("ecb{days:?}"),
            Rates::Fixed(table) => format!("fixed{table:?}"),
        };
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

/// The ECB's day of an instant: its rates are dated in Central European Time.
fn ecb_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}

/// When the rates of `day` were published: 16:00 in Frankfurt.
fn published(day: NaiveDate) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .from_local_datetime(&day.and_time(PUBLISHED_AT))
        .earliest()
        .map_or_else(
            || day.and_time(PUBLISHED_AT).and_utc() - Duration::hours(1),
            |t| t.to_utc(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::donation::DonationStatus;

    const HISTORICAL: &str = "Date,USD,JPY,GBP,CHF,\n\
        2023-12-27,1.1065,156.83,0.86560,N/A,\n\
        2023-12-22,1.1023,156.33,0.86760,0.9438,\n\
        2023-12-21,1.0983,156.67,0.86570,0.9450,\n";

    const DAILY: &str = "Date, USD, JPY, GBP, \n29 November 2024, 1.0565, 158.48, 0.83208, \n";

    fn usd(text: &str) -> Money {
        Money::parse(&format!("{text} USD")).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn both_ecb_layouts_read() {
        let Rates::Ecb(days) = Rates::from_ecb_csv(HISTORICAL).unwrap() else {
            panic!()
        };
        assert_eq!(days.len(), 3);
        let day = NaiveDate::from_ymd_opt(2023, 12, 27).unwrap();
        // N/A: no rate that day, not zero.
        assert!(!days[&day].contains_key(&Currency::try_new("CHF").unwrap()));
        let Rates::Ecb(days) = Rates::from_ecb_csv(DAILY).unwrap() else {
            panic!()
        };
        let day = NaiveDate::from_ymd_opt(2024, 11, 29).unwrap();
        assert_eq!(days[&day][&Currency::USD].to_string(), "1.0565");
    }

    #[test]
    fn a_gift_takes_the_last_rate_published_before_it() {
        let rates = Rates::from_ecb_csv(HISTORICAL).unwrap();
        let rate = |at: &str| rates.rate(Currency::USD, Currency::EUR, utc(at)).unwrap();
        // 27 December before 16:00 in Frankfurt: the 22nd's rate (24 to 26 December: none).
        let used = rate("2023-12-27T10:00:00Z");
        assert_eq!(used.day.unwrap().to_string(), "2023-12-22");
        assert_eq!(
            used.rate,
            Decimal::ONE / Decimal::from_str_exact("1.1023").unwrap()
        );
        // After 16:00 CET (15:00 UTC), that day's.
        assert_eq!(
            rate("2023-12-27T15:30:00Z").day.unwrap().to_string(),
            "2023-12-27"
        );
        // No rate published yet: the earliest gift the file cannot price.
        assert_eq!(
            rates.rate(Currency::USD, Currency::EUR, utc("2023-12-21T09:00:00Z")),
            None
        );
        // Too long after the last rate: the file does not cover the gift's day.
        assert_eq!(
            rates.rate(Currency::USD, Currency::EUR, utc("2024-01-03T12:00:00Z")),
            None
        );
    }

    #[test]
    fn a_gift_is_converted_exactly_then_rounded_once() {
        let rates = Rates::from_ecb_csv(HISTORICAL).unwrap();
        let gift = Donation::try_new("us-1", usd("100.00"), utc("2023-12-27T16:00:00Z"))
            .unwrap()
            .with_fee(usd("3.20"))
            .unwrap()
            .with_status(DonationStatus::Refunded {
                refunded: usd("100.00"),
            })
            .unwrap();
        let (converted, used) = rates.convert(&gift, Currency::EUR).unwrap();
        // 100 / 1.1065 = 90.37505…: rounded once, half away from zero.
        assert_eq!(converted.amount().to_string(), "90.38 EUR");
        assert_eq!(converted.fee().unwrap().to_string(), "2.89 EUR");
        assert_eq!(
            converted.status(),
            &DonationStatus::Refunded {
                refunded: converted.amount()
            }
        );
        assert_eq!(used.unwrap().day.unwrap().to_string(), "2023-12-27");
        // A cross rate for a campaign in pounds: 100 USD × 0.86560 / 1.1065.
        let (pounds, _) = rates
            .convert(&gift, Currency::try_new("GBP").unwrap())
            .unwrap();
        assert_eq!(pounds.amount().to_string(), "78.23 GBP");
        // In the campaign's currency already: as it is.
        let euros = Donation::try_new(
            "eu-1",
            Money::parse("5 EUR").unwrap(),
            utc("2020-01-01T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(rates.convert(&euros, Currency::EUR).unwrap(), (euros, None));
        // Past exact arithmetic: an error naming the gift, never a made-up amount.
        let huge = Donation::try_new(
            "us-9",
            usd("700000000000000000000000000"),
            utc("2023-12-27T16:00:00Z"),
        )
        .unwrap();
        assert_eq!(
            rates
                .convert(&huge, Currency::try_new("JPY").unwrap())
                .unwrap_err(),
            RatesError::TooLarge("us-9".into())
        );
    }

    #[test]
    fn a_gift_without_a_rate_is_named_with_its_day() {
        let rates = Rates::from_ecb_csv(HISTORICAL).unwrap();
        let gift = Donation::try_new("us-9", usd("10"), utc("2024-01-03T12:00:00Z")).unwrap();
        let error = rates.convert(&gift, Currency::EUR).unwrap_err();
        assert_eq!(
            error.to_string(),
            "gift us-9 is in USD and the rates have none for 2024-01-03 (the latest before it is of 2023-12-27)"
        );
        let swiss = Donation::try_new(
            "ch-1",
            Money::parse("10 CHF").unwrap(),
            utc("2023-12-27T18:00:00Z"),
        )
        .unwrap();
        // CHF is N/A on the 27th: the 22nd's rate, five days before, still serves.
        let (_, used) = rates.convert(&swiss, Currency::EUR).unwrap();
        assert_eq!(used.unwrap().day.unwrap().to_string(), "2023-12-22");
    }

    #[test]
    fn a_fixed_table_prices_every_day() {
        let rates = Rates::fixed(
            Currency::EUR,
            [(Currency::USD, Money::parse("0.92 EUR").unwrap())],
        )
        .unwrap();
        let gift = Donation::try_new("us-1", usd("12.34"), utc("1999-01-01T00:00:00Z")).unwrap();
        let (converted, used) = rates.convert(&gift, Currency::EUR).unwrap();
        // 12.34 × 0.92 = 11.3528.
        assert_eq!(converted.amount().to_string(), "11.35 EUR");
        assert_eq!(used.unwrap().day, None);
        assert!(matches!(
            Rates::fixed(Currency::EUR, [(Currency::USD, usd("1"))]),
            Err(RatesError::WrongCurrency { .. })
        ));
        assert_eq!(
            Rates::fixed(
                Currency::EUR,
                [(Currency::USD, Money::parse("0 EUR").unwrap())]
            ),
            Err(RatesError::NotPositive(Currency::USD))
        );
    }

    #[test]
    fn files_out_of_the_layout_are_named_by_line_and_column() {
        let error = |text: &str| Rates::from_ecb_csv(text).unwrap_err().to_string();
        assert_eq!(
            error(""),
            "line 1, column 1: an empty file: expected the ECB's header `Date, USD, …`"
        );
        assert!(error("Day,USD\n").starts_with("line 1, column 1: expected the ECB's header"));
        assert!(error("Date,US$\n").starts_with("line 1, column 2: \"US$\""));
        // A retired currency's column is read and left aside.
        let Rates::Ecb(days) = Rates::from_ecb_csv("Date,CYP,USD\n2023-12-01,N/A,1.1\n").unwrap()
        else {
            panic!()
        };
        assert_eq!(days.values().next().unwrap().len(), 1);
        assert!(error("Date,USD\n2023-13-01,1.1\n")
            .starts_with("line 2, column 1: \"2023-13-01\" is not a date"));
        assert!(error("Date,USD\n2023-12-01,abc\n")
            .starts_with("line 2, column 2: \"abc\" is not a rate"));
        assert!(error("Date,USD\n2023-12-01,-1\n").starts_with("line 2, column 2:"));
        assert!(error("Date,USD\n2023-12-01,1.1,2.2\n").starts_with("line 2, column 3:"));
        assert!(error("Date,USD\n").contains("no rates"));
    }
}
