//! What a campaign's goal counts: money, donors, gifts, or money coming in every month.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{Money, MoneyError};

/// What a goal counts (Framasoft once ran a campaign for a number of donors; open-source
/// projects count what their supporters give each month).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Measure {
    /// Money counted under the campaign's rules (the default).
    Money,
    /// Distinct donors among counted gifts.
    Donors,
    /// Counted gifts (each payment of a subscription is one).
    Gifts,
    /// What the subscriptions still paying bring in a month (a yearly gift counts a twelfth).
    Monthly,
}

impl Measure {
    /// Its name in the status document and in messages: `money`, `donors`, `gifts`, `monthly`.
    pub const fn name(self) -> &'static str {
        match self {
            Measure::Money => "money",
            Measure::Donors => "donors",
            Measure::Gifts => "gifts",
            Measure::Monthly => "monthly",
        }
    }

    /// Whether it counts people or payments rather than money.
    pub const fn is_count(self) -> bool {
        matches!(self, Measure::Donors | Measure::Gifts)
    }
}

/// An amount in what a goal counts: the goal itself, what counts toward it, what is still to
/// go, a milestone.
///
/// Text forms, as a campaign file writes them: `"200000 EUR"`, `"2000 donors"`,
/// `"5000 gifts"`, `"6000 EUR per month"`. In JSON money keeps its object form
/// (`{"amount": "200000.00", "currency": "EUR"}`), and the others are one-key objects:
/// `{"donors": 2000}`, `{"gifts": 5000}`, `{"monthly": {"amount": "6000.00", "currency": "EUR"}}`.
///
/// # Example
///
/// ```
/// use jauge::{Measure, Quantity};
///
/// let goal: Quantity = "2000 donors".parse()?;
/// assert_eq!(goal.measure(), Measure::Donors);
/// assert_eq!(goal.value(), 2000.into());
/// let monthly: Quantity = "6000 EUR per month".parse()?;
/// assert_eq!(monthly.money().map(|m| m.to_string()).as_deref(), Some("6000.00 EUR"));
/// # Ok::<(), jauge::MoneyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// An amount of money.
    Money(Money),
    /// A number of donors.
    Donors(u64),
    /// A number of gifts.
    Gifts(u64),
    /// An amount of money every month.
    Monthly(Money),
}

impl From<Money> for Quantity {
    fn from(money: Money) -> Quantity {
        Quantity::Money(money)
    }
}

impl Quantity {
    /// What it counts.
    pub const fn measure(&self) -> Measure {
        match self {
            Quantity::Money(_) => Measure::Money,
            Quantity::Donors(_) => Measure::Donors,
            Quantity::Gifts(_) => Measure::Gifts,
            Quantity::Monthly(_) => Measure::Monthly,
        }
    }

    /// The number, in the measure's unit.
    pub fn value(&self) -> Decimal {
        match self {
            Quantity::Money(m) | Quantity::Monthly(m) => m.amount(),
            Quantity::Donors(n) | Quantity::Gifts(n) => Decimal::from(*n),
        }
    }

    /// The money, for the measures that count money.
    pub const fn money(&self) -> Option<Money> {
        match self {
            Quantity::Money(m) | Quantity::Monthly(m) => Some(*m),
            Quantity::Donors(_) | Quantity::Gifts(_) => None,
        }
    }

    /// The same measure (and currency) with `value`, rounded to the currency's minor units or
    /// down to a whole count; `None` for a negative count or one past `u64`.
    pub fn with_value(&self, value: Decimal) -> Option<Quantity> {
        let count = || {
            let whole = value.trunc();
            (!whole.is_sign_negative() || whole.is_zero())
                .then(|| u64::try_from(whole.mantissa() / 10i128.pow(whole.scale())).ok())
                .flatten()
        };
        Some(match self {
            Quantity::Money(m) => Quantity::Money(Money::rounded(value, m.currency())),
            Quantity::Monthly(m) => Quantity::Monthly(Money::rounded(value, m.currency())),
            Quantity::Donors(_) => Quantity::Donors(count()?),
            Quantity::Gifts(_) => Quantity::Gifts(count()?),
        })
    }

    /// `self − base`, exactly, when both count the same thing (in the same currency) and
    /// `self` is not below `base`.
    pub fn beyond(&self, base: &Quantity) -> Option<Decimal> {
        let same = match (self.money(), base.money()) {
            (Some(a), Some(b)) => a.currency() == b.currency(),
            _ => true,
        } && self.measure() == base.measure();
        (same && self.value() >= base.value())
            .then(|| crate::money::exact_difference(self.value(), base.value()))
            .flatten()
    }

    /// As a headline reads it in `locale`, in whole units rounded as `rounding` says:
    /// `€71,398`, `766 donors`, `€1,800 a month`.
    pub fn format(&self, locale: crate::Locale, rounding: crate::Headline) -> String {
        let words = crate::words::gauge::words(locale);
        match self {
            Quantity::Money(m) => locale.format_headline(*m, rounding),
            Quantity::Monthly(m) => {
                format!(
                    "{} {}",
                    locale.format_headline(*m, rounding),
                    words.per_month
                )
            }
            Quantity::Donors(n) => format!("{} {}", locale.format_count(*n), words.donor(*n)),
            Quantity::Gifts(n) => format!("{} {}", locale.format_count(*n), words.gift(*n)),
        }
    }

    /// Whether it is zero.
    pub fn is_zero(&self) -> bool {
        self.value().is_zero()
    }

    /// Reads the text forms: `"200000 EUR"`, `"2000 donors"`, `"5000 gifts"`,
    /// `"6000 EUR per month"` (also `"6000 EUR/month"`).
    ///
    /// # Errors
    ///
    /// [`MoneyError::Malformed`] naming the forms, or the error of the money part.
    pub fn parse(text: &str) -> Result<Quantity, MoneyError> {
        let trimmed = text.trim();
        let count = |number: &str| {
            number
                .trim()
                .parse::<u64>()
                .map_err(|_| MoneyError::Malformed {
                    input: text.to_owned(),
                    reason: "expected a whole number before \"donors\" or \"gifts\"",
                })
        };
        if let Some(number) = strip_word(trimmed, "donors") {
            return Ok(Quantity::Donors(count(number)?));
        }
        if let Some(number) = strip_word(trimmed, "gifts") {
            return Ok(Quantity::Gifts(count(number)?));
        }
        let monthly = strip_word(trimmed, "per month")
            .or_else(|| trimmed.strip_suffix("/month"))
            .or_else(|| strip_word(trimmed, "a month"));
        if let Some(money) = monthly {
            return Ok(Quantity::Monthly(Money::parse(money.trim())?));
        }
        Money::parse(trimmed)
            .map(Quantity::Money)
            .map_err(|error| match error {
                // The text as a whole is not of the form (an amount that is not a number keeps
                // money's own words, naming the amount), or its unit is no currency code ("500
                // donor"): say every form.
                MoneyError::Malformed { input, .. } if input.trim() == trimmed => {
                    MoneyError::Malformed {
                        input: text.to_owned(),
                        reason: FORMS,
                    }
                }
                MoneyError::Currency(_)
                    if trimmed
                        .split_whitespace()
                        .last()
                        .is_some_and(|unit| unit.len() != 3) =>
                {
                    MoneyError::Malformed {
                        input: text.to_owned(),
                        reason: FORMS,
                    }
                }
                other => other,
            })
    }
}

/// What a goal or a milestone may be, for the errors that say so.
const FORMS: &str = "expected an amount and a currency (\"200000 EUR\"), a number of donors or \
                     gifts (\"2000 donors\", \"5000 gifts\"), or an amount a month \
                     (\"6000 EUR per month\")";

/// `text` without the word(s) `word` at its end, when they stand apart.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let rest = text.strip_suffix(word)?;
    rest.ends_with(' ').then_some(rest)
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quantity::Money(m) => write!(f, "{m}"),
            Quantity::Donors(n) => write!(f, "{n} donors"),
            Quantity::Gifts(n) => write!(f, "{n} gifts"),
            Quantity::Monthly(m) => write!(f, "{m} per month"),
        }
    }
}

impl fmt::Debug for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for Quantity {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Quantity, MoneyError> {
        Quantity::parse(text)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Quantity::Money(money) = self else {
            let mut map = serializer.serialize_map(Some(1))?;
            match self {
                Quantity::Monthly(m) => map.serialize_entry("monthly", m)?,
                Quantity::Donors(n) | Quantity::Gifts(n) => {
                    map.serialize_entry(self.measure().name(), n)?
                }
                Quantity::Money(_) => {}
            }
            return map.end();
        };
        money.serialize(serializer)
    }
}

const EXPECTED: &str = r#"an amount as "200000 EUR", a count as "2000 donors" or "5000 gifts", or an amount a month as "6000 EUR per month""#;

impl<'de> Deserialize<'de> for Quantity {
    /// Accepts the text forms and the JSON forms; never a bare number.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Quantity, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Quantity;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Quantity, E> {
                Quantity::parse(text).map_err(E::custom)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Quantity, A::Error> {
                use serde::de::Error;
                let (mut amount, mut currency) = (None::<String>, None::<crate::Currency>);
                let mut one = None;
                let mut keys = 0;
                while let Some(key) = map.next_key::<String>()? {
                    keys += 1;
                    match key.as_str() {
                        "donors" => one = Some(Quantity::Donors(map.next_value()?)),
                        "gifts" => one = Some(Quantity::Gifts(map.next_value()?)),
                        "monthly" => one = Some(Quantity::Monthly(map.next_value()?)),
                        "amount" => amount = Some(map.next_value()?),
                        "currency" => currency = Some(map.next_value()?),
                        other => {
                            return Err(A::Error::custom(format!(
                                "unknown field `{other}`: expected {EXPECTED}"
                            )))
                        }
                    }
                }
                match (one, amount, currency) {
                    (Some(quantity), None, None) if keys == 1 => Ok(quantity),
                    (None, Some(amount), Some(currency)) => Money::parse_in(&amount, currency)
                        .map(Quantity::Money)
                        .map_err(A::Error::custom),
                    _ => Err(A::Error::custom(EXPECTED)),
                }
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

impl crate::json::FromJson for Quantity {
    /// Reads the JSON forms a status document holds; the text forms are for campaign files,
    /// and reading them here would weigh on the browser bundle. A one-key object is a count or
    /// an amount a month; anything else is read as money, whose errors say what it expects.
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Quantity, crate::json::Invalid> {
        if let crate::json::Value::Object(entries) = value {
            if let [(key, inner)] = &entries[..] {
                let at = crate::json::At::Field(&at, key);
                match key.as_str() {
                    "donors" => return u64::from_json(inner, at).map(Quantity::Donors),
                    "gifts" => return u64::from_json(inner, at).map(Quantity::Gifts),
                    "monthly" => return Money::from_json(inner, at).map(Quantity::Monthly),
                    _ => {}
                }
            }
        }
        Money::from_json(value, at).map(Quantity::Money)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_read_and_write_back() {
        for text in [
            "200000.00 EUR",
            "2000 donors",
            "5000 gifts",
            "6000.00 EUR per month",
        ] {
            let quantity = Quantity::parse(text).unwrap();
            assert_eq!(quantity.to_string(), text);
            let json = serde_json::to_string(&quantity).unwrap();
            assert_eq!(serde_json::from_str::<Quantity>(&json).unwrap(), quantity);
            let value = crate::json::parse(&json).unwrap();
            // The JSON form, as documents hold it.
            assert_eq!(
                <Quantity as crate::json::FromJson>::from_json(&value, crate::json::At::Root)
                    .unwrap(),
                quantity,
                "{json}"
            );
        }
        assert_eq!(
            Quantity::parse("6000 EUR/month").unwrap(),
            Quantity::parse("6000 EUR a month").unwrap()
        );
        assert_eq!(
            serde_json::to_string(&Quantity::parse("2000 donors").unwrap()).unwrap(),
            r#"{"donors":2000}"#
        );
    }

    #[test]
    fn bad_forms_say_what_is_expected() {
        for bad in [
            "2000.5 donors",
            "-3 gifts",
            "donors",
            "12",
            "6000 per month",
        ] {
            let error = Quantity::parse(bad).unwrap_err().to_string();
            assert!(error.contains("expected"), "{bad}: {error}");
        }
        assert!(serde_json::from_str::<Quantity>(r#"{"donors": 3, "gifts": 4}"#).is_err());
        assert!(serde_json::from_str::<Quantity>(
            r#"{"amount": "3", "currency": "EUR", "per": "week"}"#
        )
        .is_err());
        assert!(serde_json::from_str::<Quantity>(r#"{"donors": 3, "amount": "3"}"#).is_err());
        for bad in [
            r#"{"donors": -3}"#,
            r#"{"donor": 3}"#,
            r#"{"monthly": 3}"#,
            "[]",
        ] {
            let value = crate::json::parse(bad).unwrap();
            assert!(
                <Quantity as crate::json::FromJson>::from_json(&value, crate::json::At::Root)
                    .is_err(),
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<Quantity>("12").is_err());
    }

    #[test]
    fn a_value_keeps_the_measure() {
        let donors = Quantity::Donors(10);
        assert_eq!(
            donors.with_value(Decimal::new(75, 1)),
            Some(Quantity::Donors(7))
        );
        assert_eq!(donors.with_value(Decimal::from(-1)), None);
        let money = Quantity::parse("10 EUR per month").unwrap();
        assert_eq!(
            money
                .with_value(Decimal::new(8_333_333, 6))
                .unwrap()
                .to_string(),
            "8.33 EUR per month"
        );
    }
}
