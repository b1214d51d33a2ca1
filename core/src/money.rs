//! Exact amounts of money in one currency.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::currency::{Currency, CurrencyError};

/// An exact amount in one ISO 4217 currency, always held at the currency's minor units
/// (`71398` EUR is `71398.00 EUR`).
///
/// Arithmetic is checked: combining two currencies is an error naming both, never a sum, and
/// overflow is an error, never a wrap. Amounts travel in JSON as
/// `{"amount": "71398.00", "currency": "EUR"}`, the amount a string so no float ever touches it.
///
/// # Example
///
/// ```
/// use jauge::{Currency, Money};
///
/// let goal = Money::parse("200000 EUR")?;
/// let raised = Money::parse_in("128602.42", Currency::EUR)?;
/// assert_eq!(goal.checked_sub(raised)?.to_string(), "71397.58 EUR");
/// assert!(raised.checked_add(Money::parse("5 USD")?).is_err());
/// # Ok::<(), jauge::MoneyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

/// Why an amount of money was rejected or an operation on money failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The currency part is not an active ISO 4217 code.
    #[error(transparent)]
    Currency(#[from] CurrencyError),
    /// The text is not a plain decimal amount (digits, an optional `-`, an optional `.` and
    /// fraction digits).
    // Quoted by hand, not with `{:?}`: Debug's escaping and its Unicode tables would weigh
    // on the browser bundle.
    #[error("\"{input}\" is not an amount: {reason}")]
    Malformed {
        /// The rejected text.
        input: String,
        /// What was expected instead.
        reason: &'static str,
    },
    /// More decimal places than the currency has minor units. `"1.000"` in euros is rejected
    /// rather than read as one euro, since it is far more likely a thousand written with a
    /// European group separator.
    #[error("{amount} has {places} decimal places but {currency} has {allowed}")]
    TooPrecise {
        /// The amount as written.
        amount: String,
        /// Its currency.
        currency: Currency,
        /// Decimal places written.
        places: u32,
        /// The currency's minor units.
        allowed: u32,
    },
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {left} and {right}: amounts in different currencies are never summed")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: Currency,
        /// The currency of the right operand.
        right: Currency,
    },
    /// The result does not fit in a 96-bit decimal.
    #[error("amount overflow")]
    Overflow,
    /// A division by zero.
    #[error("division of money by zero")]
    DivisionByZero,
}

/// `a - b` exactly, on the decimals' integer mantissas brought to one scale; `None` when the
/// difference has no exact `Decimal`. rust_decimal's subtraction would round such a difference
/// instead, and it is 3 KB of the browser bundle, which carries only this one.
pub(crate) fn exact_difference(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale().max(b.scale());
    let aligned = |d: Decimal| {
        d.mantissa()
            .checked_mul(10i128.checked_pow(scale - d.scale())?)
    };
    Decimal::try_from_i128_with_scale(aligned(a)?.checked_sub(aligned(b)?)?, scale).ok()
}

impl Money {
    /// `minor` minor units of `currency` (cents for EUR), for literals and constants.
    ///
    /// ```
    /// use jauge::{Currency, Money};
    ///
    /// const GOAL: Money = Money::from_minor(20_000_000, Currency::EUR);
    /// assert_eq!(GOAL.to_string(), "200000.00 EUR");
    /// ```
    pub const fn from_minor(minor: i64, currency: Currency) -> Money {
        let magnitude = minor.unsigned_abs();
        Money {
            amount: Decimal::from_parts(
                magnitude as u32,
                (magnitude >> 32) as u32,
                0,
                minor < 0,
                currency.minor_units(),
            ),
            currency,
        }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Money {
        Money::from_minor(0, currency)
    }

    /// `amount` of `currency`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::TooPrecise`] if `amount` is written with more decimal places than the
    /// currency's minor units (trailing zeros included: see the variant).
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{Currency, Money};
    /// use rust_decimal::Decimal;
    ///
    /// let gift = Money::try_new(Decimal::new(305, 1), Currency::EUR)?;
    /// assert_eq!(gift.to_string(), "30.50 EUR");
    /// assert!(Money::try_new(Decimal::new(1, 1), Currency::JPY).is_err());
    /// # Ok::<(), jauge::MoneyError>(())
    /// ```
    pub fn try_new(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        if amount.scale() > currency.minor_units() {
            return Err(MoneyError::TooPrecise {
                amount: amount.to_string(),
                currency,
                places: amount.scale(),
                allowed: currency.minor_units(),
            });
        }
        Ok(Money::at_minor_units(amount, currency))
    }

    /// `amount` rounded half away from zero to the currency's minor units, for computed values
    /// (a daily pace, a weighted budget line) rather than amounts that were entered.
    pub fn rounded(amount: Decimal, currency: Currency) -> Money {
        Money::at_minor_units(
            amount.round_dp_with_strategy(
                currency.minor_units(),
                RoundingStrategy::MidpointAwayFromZero,
            ),
            currency,
        )
    }

    fn at_minor_units(mut amount: Decimal, currency: Currency) -> Money {
        if amount.scale() != currency.minor_units() {
            amount.rescale(currency.minor_units());
        }
        Money { amount, currency }
    }

    /// Parses `"71398 EUR"`, `"71398.50 EUR"` or `"EUR 71398.50"`.
    ///
    /// The amount is a plain decimal: digits, an optional leading `-`, an optional `.` followed
    /// by fraction digits. Locale-formatted amounts (`1 234,50`) are the import layer's job.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Malformed`] if there is no currency or the amount is not a plain decimal,
    /// [`MoneyError::Currency`] for an unknown code, [`MoneyError::TooPrecise`] for too many
    /// decimal places.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::Money;
    ///
    /// assert_eq!(Money::parse("EUR 12.5")?, Money::parse("12.50 EUR")?);
    /// assert!(Money::parse("1.000 EUR").is_err());
    /// # Ok::<(), jauge::MoneyError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let mut words = text.split_whitespace();
        let (first, second) = match (words.next(), words.next(), words.next()) {
            (Some(first), Some(second), None) => (first, second),
            _ => {
                return Err(MoneyError::Malformed {
                    input: text.to_owned(),
                    reason: "expected an amount and a currency code, such as \"71398.50 EUR\"",
                })
            }
        };
        let first_is_code = first.bytes().all(|b| b.is_ascii_alphabetic());
        let (amount, code) = if first_is_code {
            (second, first)
        } else {
            (first, second)
        };
        Money::parse_in(amount, Currency::try_new(code)?)
    }

    /// Parses a plain decimal amount (`"71398"`, `"71398.50"`, `"-5"`) in `currency`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Malformed`] or [`MoneyError::TooPrecise`], as for [`Money::parse`].
    pub fn parse_in(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let amount = parse_plain_decimal(text)?;
        Money::try_new(amount, currency)
    }

    /// The exact amount, at the currency's minor units.
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// Whether the amount is above zero.
    pub fn is_positive(&self) -> bool {
        self.amount.is_sign_positive() && !self.amount.is_zero()
    }

    fn same_currency(&self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] across currencies, [`MoneyError::Overflow`].
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let sum = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::at_minor_units(sum, self.currency))
    }

    /// `self - other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] across currencies, [`MoneyError::Overflow`].
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let difference = exact_difference(self.amount, other.amount).ok_or(MoneyError::Overflow)?;
        Ok(Money::at_minor_units(difference, self.currency))
    }

    /// `self × factor`, rounded half away from zero to minor units.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`].
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, MoneyError> {
        let product = self
            .amount
            .checked_mul(factor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::rounded(product, self.currency))
    }

    /// `self ÷ divisor`, rounded half away from zero to minor units.
    ///
    /// # Errors
    ///
    /// [`MoneyError::DivisionByZero`], [`MoneyError::Overflow`].
    pub fn checked_div(self, divisor: Decimal) -> Result<Money, MoneyError> {
        if divisor.is_zero() {
            return Err(MoneyError::DivisionByZero);
        }
        let quotient = self
            .amount
            .checked_div(divisor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::rounded(quotient, self.currency))
    }

    /// The larger of `self` and zero: what is still to raise is never negative.
    pub fn or_zero_if_negative(self) -> Money {
        if self.is_negative() {
            Money::zero(self.currency)
        } else {
            self
        }
    }

    /// Rounded up to whole currency units, for headlines that must never understate what is
    /// still needed (`71397.58 EUR` → `71398.00 EUR`).
    pub fn ceil_to_units(self) -> Money {
        Money::at_minor_units(
            self.amount
                .round_dp_with_strategy(0, RoundingStrategy::ToPositiveInfinity),
            self.currency,
        )
    }

    /// Compares two amounts of the same currency.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] across currencies: there is no order between them.
    pub fn checked_cmp(&self, other: &Money) -> Result<Ordering, MoneyError> {
        self.same_currency(*other)?;
        Ok(self.amount.cmp(&other.amount))
    }
}

/// Reads digits with an optional leading `-` and one optional `.`: the one amount syntax of
/// jauge's own files and documents, so that `1,000` or `1e3` never sneak in as something else.
pub(crate) fn parse_plain_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let malformed = |reason| MoneyError::Malformed {
        input: text.to_owned(),
        reason,
    };
    let trimmed = text.trim();
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(
            "expected digits, with an optional '.' and decimals (no group separators)",
        ));
    }
    // A point was written exactly when `split_once` found one (not `contains('.')`, whose
    // char pattern carries the substring searcher into the browser bundle).
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return Err(malformed("expected digits after the decimal point"));
    }
    let fraction = fraction.unwrap_or_default();
    // Digits straight into the mantissa: exact, and ten times cheaper than the general parser
    // on the million-row path. 28 digits always fit in the 96-bit mantissa.
    let digits = whole.len() + fraction.len();
    if digits > 28 {
        return Err(malformed("too many digits"));
    }
    let mantissa = whole
        .bytes()
        .chain(fraction.bytes())
        .fold(0i128, |n, d| n * 10 + i128::from(d - b'0'));
    let value = Decimal::from_i128_with_scale(
        if negative { -mantissa } else { mantissa },
        fraction.len() as u32,
    );
    Ok(value)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Money, MoneyError> {
        Money::parse(s)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyRepr<'a> {
    #[serde(borrow)]
    amount: std::borrow::Cow<'a, str>,
    currency: Currency,
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        MoneyRepr {
            amount: self.amount.to_string().into(),
            currency: self.currency,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Accepts `{"amount": "71398.50", "currency": "EUR"}` or `"71398.50 EUR"`; never a number.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        struct MoneyVisitor;

        impl<'de> serde::de::Visitor<'de> for MoneyVisitor {
            type Value = Money;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    r#"an amount as "71398.50 EUR" or {"amount": "71398.50", "currency": "EUR"}"#,
                )
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Money, E> {
                Money::parse(text).map_err(E::custom)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Money, A::Error> {
                let repr =
                    MoneyRepr::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Money::parse_in(&repr.amount, repr.currency).map_err(serde::de::Error::custom)
            }
        }

        deserializer.deserialize_any(MoneyVisitor)
    }
}

impl crate::json::FromJson for Money {
    /// Reads what [`Money`]'s `Deserialize` reads: an object with `amount` and `currency`, or
    /// the text form; never a number. The browser's build (without `details`) reads the
    /// object form only, which is the form jauge writes: the text form's reader weighs on its
    /// bundle for documents that never hold it.
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Money, crate::json::Invalid> {
        match value {
            #[cfg(feature = "details")]
            crate::json::Value::String(text) => Money::parse(text).map_err(|e| at.invalid(e)),
            crate::json::Value::Object(_) => {
                let fields = value.object(at, "")?;
                fields.only(&["amount", "currency"])?;
                let amount: String = fields.field("amount")?;
                Money::parse_in(&amount, fields.field("currency")?).map_err(|e| at.invalid(e))
            }
            other => Err(at.expected(
                r#"an amount as "71398.50 EUR" or {"amount": "71398.50", "currency": "EUR"}"#,
                other,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(text: &str) -> Money {
        Money::parse_in(text, Currency::EUR).unwrap()
    }

    proptest::proptest! {
        /// Wherever rust_decimal's subtraction is exact, the mantissas' difference is the same.
        #[test]
        fn the_exact_difference_is_rust_decimals_where_that_is_exact(
            a in proptest::num::i32::ANY, a_scale in 0u32..=12,
            b in proptest::num::i32::ANY, b_scale in 0u32..=12,
        ) {
            let (a, b) = (Decimal::new(a.into(), a_scale), Decimal::new(b.into(), b_scale));
            proptest::prop_assert_eq!(exact_difference(a, b), Some(a - b));
        }
    }

    #[test]
    fn a_difference_with_no_exact_decimal_is_refused_not_rounded() {
        let half = Decimal::new(5, 1);
        // 79228162514264337593543950334.5 needs one digit more than a Decimal holds:
        // rust_decimal rounds it, the exact difference does not exist.
        assert!(Decimal::MAX.checked_sub(half).is_some());
        assert_eq!(exact_difference(Decimal::MAX, half), None);
        assert_eq!(exact_difference(Decimal::MAX, -Decimal::ONE), None);
        assert_eq!(
            exact_difference(Decimal::new(12_345, 2), Decimal::new(5, 3)),
            Some(Decimal::new(123_445, 3))
        );
    }

    #[test]
    fn parses_both_orders_and_normalises_scale() {
        assert_eq!(
            Money::parse("71398 EUR").unwrap().to_string(),
            "71398.00 EUR"
        );
        assert_eq!(Money::parse("usd 0.5").unwrap().to_string(), "0.50 USD");
        assert_eq!(Money::parse("1500 JPY").unwrap().to_string(), "1500 JPY");
        assert_eq!(eur("-5").to_string(), "-5.00 EUR");
    }

    #[test]
    fn rejects_what_is_not_a_plain_amount() {
        for bad in [
            "1,000", "1 000", "1e3", "", "-", ".5", "5.", "12,3,4", "+5", "€5", "5.5.5",
        ] {
            assert!(
                matches!(
                    Money::parse_in(bad, Currency::EUR),
                    Err(MoneyError::Malformed { .. })
                ),
                "{bad:?} should be malformed"
            );
        }
        assert_eq!(
            Money::parse_in("1.000", Currency::EUR)
                .unwrap_err()
                .to_string(),
            "1.000 has 3 decimal places but EUR has 2"
        );
        assert!(Money::parse("12 EUR USD").is_err());
        assert!(matches!(
            Money::parse("12 EUT"),
            Err(MoneyError::Currency(CurrencyError::Unknown(_)))
        ));
    }

    #[test]
    fn the_fast_parser_agrees_with_the_general_one() {
        for text in [
            "0",
            "-0.00",
            "71398.50",
            "1",
            "99999999999999999999.12345678",
            "-12.3",
            "0.001",
        ] {
            assert_eq!(
                parse_plain_decimal(text).unwrap(),
                Decimal::from_str_exact(text).unwrap(),
                "{text}"
            );
            assert_eq!(
                parse_plain_decimal(text).unwrap().scale(),
                Decimal::from_str_exact(text).unwrap().scale()
            );
        }
        assert!(parse_plain_decimal("12345678901234567890123456789").is_err());
    }

    #[test]
    fn mixing_currencies_is_an_error_naming_both() {
        let err = eur("1")
            .checked_add(Money::parse("1 USD").unwrap())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot combine EUR and USD: amounts in different currencies are never summed"
        );
        assert!(eur("1")
            .checked_cmp(&Money::parse("1 USD").unwrap())
            .is_err());
    }

    #[test]
    fn rounding_helpers() {
        assert_eq!(eur("71397.58").ceil_to_units(), eur("71398"));
        assert_eq!(eur("71398").ceil_to_units(), eur("71398"));
        assert_eq!(
            eur("100").checked_div(Decimal::from(3)).unwrap(),
            eur("33.33")
        );
        assert_eq!(
            eur("0.05").checked_mul(Decimal::new(5, 1)).unwrap(),
            eur("0.03")
        );
        assert_eq!(eur("-3").or_zero_if_negative(), eur("0"));
        assert!(matches!(
            eur("1").checked_div(Decimal::ZERO),
            Err(MoneyError::DivisionByZero)
        ));
        let max = Money::try_new(Decimal::MAX, Currency::JPY).unwrap();
        assert_eq!(max.checked_add(max), Err(MoneyError::Overflow));
    }

    #[test]
    fn from_minor_handles_sign_and_large_values() {
        assert_eq!(Money::from_minor(-150, Currency::EUR), eur("-1.50"));
        assert_eq!(
            Money::from_minor(i64::MAX, Currency::JPY).amount(),
            Decimal::from(i64::MAX)
        );
        assert_eq!(
            Money::from_minor(i64::MIN, Currency::JPY).amount(),
            Decimal::from(i64::MIN)
        );
    }

    #[test]
    fn json_amounts_are_strings_never_numbers() {
        let json = serde_json::to_string(&eur("128602.42")).unwrap();
        assert_eq!(json, r#"{"amount":"128602.42","currency":"EUR"}"#);
        assert_eq!(
            serde_json::from_str::<Money>(&json).unwrap(),
            eur("128602.42")
        );
        assert!(serde_json::from_str::<Money>(r#"{"amount":128602.42,"currency":"EUR"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1.001","currency":"EUR"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1","currency":"EUR","x":1}"#).is_err());
        assert_eq!(
            serde_json::from_str::<Money>(r#""128602.42 EUR""#).unwrap(),
            eur("128602.42")
        );
        let err = serde_json::from_str::<Money>("128602.42")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("invalid type: floating point `128602.42`, expected an amount as"),
            "{err}"
        );
    }
}
