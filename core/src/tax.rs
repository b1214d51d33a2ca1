//! What a gift costs the donor after a tax deduction. Rules are data, not code per country.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::money::{Money, MoneyError};

/// A slice of the eligible gift and the rate deducted on it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The slice runs up to this cumulative amount (in the gift's currency); `None`: no upper
    /// bound. Only the last tier may be unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<Decimal>,
    /// The share deducted on the slice, between 0 and 1.
    pub rate: Decimal,
}

/// A cap on the gifts eligible for the deduction in a year.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Ceiling {
    /// A share of a base the donor states: taxable income, or a company's turnover.
    ShareOfBase(Decimal),
    /// A fixed amount in the gift's currency.
    Fixed(Decimal),
}

/// A deduction rule: tiered rates on the eligible part of a gift, the eligible part capped by
/// the greatest of the ceilings (none: no cap). Gifts above the cap are reported, since some
/// countries carry them over to later years.
///
/// # Example
///
/// ```
/// use jauge::{Money, TaxRule};
///
/// let rule = TaxRule::france_individuals();
/// let cost = rule.cost(Money::parse("100 EUR")?, None)?;
/// assert_eq!(cost.cost(), Money::parse("34 EUR")?);
///
/// // 20 % of a €2,000 taxable income caps the eligible part at €400.
/// let capped = rule.cost(Money::parse("1000 EUR")?, Some(Money::parse("2000 EUR")?))?;
/// assert_eq!(capped.deduction(), Money::parse("264 EUR")?);
/// assert_eq!(capped.above_ceiling(), Money::parse("600 EUR")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "TaxRuleRepr", into = "TaxRuleRepr")]
pub struct TaxRule {
    name: String,
    tiers: Vec<Tier>,
    ceilings: Vec<Ceiling>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxRuleRepr {
    name: String,
    tiers: Vec<Tier>,
    #[serde(default)]
    ceilings: Vec<Ceiling>,
}

/// Why a tax rule is not valid, or could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    /// A rule needs at least one tier.
    #[error("tax rule {0:?} has no tier")]
    NoTiers(String),
    /// A rate outside [0, 1].
    #[error("tax rule {name:?}: rate {rate} must be between 0 and 1")]
    Rate {
        /// The rule.
        name: String,
        /// The rate.
        rate: Decimal,
    },
    /// Tier bounds must increase, and only the last tier may be unbounded.
    #[error("tax rule {0:?}: tier bounds must increase and only the last tier may be unbounded")]
    TierOrder(String),
    /// A negative ceiling, or a share outside [0, 1].
    #[error("tax rule {0:?}: ceilings must be a share between 0 and 1 or a non-negative amount")]
    Ceiling(String),
    /// The gift must be above zero, and the base, if given, not negative.
    #[error("a gift must be above zero and a base cannot be negative")]
    Input,
    /// Gift and base in different currencies.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// What a gift costs after the deduction.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct TaxCost {
    gift: Money,
    eligible: Money,
    deduction: Money,
    cost: Money,
    above_ceiling: Money,
}

impl TaxCost {
    /// The gift.
    pub fn gift(&self) -> Money {
        self.gift
    }
    /// The part of it the deduction applies to.
    pub fn eligible(&self) -> Money {
        self.eligible
    }
    /// The deduction, rounded down to minor units so it is never overstated.
    pub fn deduction(&self) -> Money {
        self.deduction
    }
    /// What the gift really costs the donor.
    pub fn cost(&self) -> Money {
        self.cost
    }
    /// The part above the ceiling, not deducted this year.
    pub fn above_ceiling(&self) -> Money {
        self.above_ceiling
    }
}

impl TaxRule {
    /// A rule from its parts.
    ///
    /// # Errors
    ///
    /// [`TaxError`] for no tier, a rate or share outside [0, 1], bounds out of order, or a
    /// negative ceiling.
    pub fn try_new(
        name: impl Into<String>,
        tiers: Vec<Tier>,
        ceilings: Vec<Ceiling>,
    ) -> Result<TaxRule, TaxError> {
        let name = name.into();
        if tiers.is_empty() {
            return Err(TaxError::NoTiers(name));
        }
        let unit = |d: Decimal| d >= Decimal::ZERO && d <= Decimal::ONE;
        if let Some(tier) = tiers.iter().find(|t| !unit(t.rate)) {
            return Err(TaxError::Rate {
                name,
                rate: tier.rate,
            });
        }
        let mut previous = Decimal::ZERO;
        for (i, tier) in tiers.iter().enumerate() {
            match tier.up_to {
                Some(bound) if bound > previous => previous = bound,
                None if i == tiers.len() - 1 => {}
                _ => return Err(TaxError::TierOrder(name)),
            }
        }
        let valid_ceiling = |c: &Ceiling| match *c {
            Ceiling::ShareOfBase(share) => unit(share),
            Ceiling::Fixed(amount) => amount >= Decimal::ZERO,
        };
        if !ceilings.iter().all(valid_ceiling) {
            return Err(TaxError::Ceiling(name));
        }
        Ok(TaxRule {
            name,
            tiers,
            ceilings,
        })
    }

    /// France, individuals (income tax): 66 % of gifts, up to 20 % of taxable income.
    pub fn france_individuals() -> TaxRule {
        TaxRule {
            name: "France, individuals: 66 % up to 20 % of taxable income".into(),
            tiers: vec![Tier {
                up_to: None,
                rate: Decimal::new(66, 2),
            }],
            ceilings: vec![Ceiling::ShareOfBase(Decimal::new(20, 2))],
        }
    }

    /// France, companies: 60 % of gifts, up to €20,000 or 0.5 % of turnover, whichever is
    /// greater (the base is the turnover, in euros).
    pub fn france_companies() -> TaxRule {
        TaxRule {
            name: "France, companies: 60 % up to the greater of €20,000 and 0.5 % of turnover"
                .into(),
            tiers: vec![Tier {
                up_to: None,
                rate: Decimal::new(60, 2),
            }],
            ceilings: vec![
                Ceiling::Fixed(Decimal::from(20_000)),
                Ceiling::ShareOfBase(Decimal::new(5, 3)),
            ],
        }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What `gift` costs. `base` is what share ceilings apply to (taxable income, turnover);
    /// without it, share ceilings are not applied, which is right for any gift well under them.
    ///
    /// # Errors
    ///
    /// [`TaxError::Input`] for a gift not above zero or a negative base,
    /// [`TaxError::Money`] if the base is in another currency.
    pub fn cost(&self, gift: Money, base: Option<Money>) -> Result<TaxCost, TaxError> {
        if !gift.is_positive() || base.is_some_and(|b| b.is_negative()) {
            return Err(TaxError::Input);
        }
        if let Some(base) = base {
            gift.checked_cmp(&base)?;
        }
        let caps: Vec<Decimal> = self
            .ceilings
            .iter()
            .filter_map(|ceiling| match *ceiling {
                Ceiling::Fixed(amount) => Some(amount),
                Ceiling::ShareOfBase(share) => base.map(|b| b.amount() * share),
            })
            .collect();
        let eligible = match caps.into_iter().max() {
            Some(cap) => gift.amount().min(cap),
            None => gift.amount(),
        };
        let mut deduction = Decimal::ZERO;
        let mut floor = Decimal::ZERO;
        for tier in &self.tiers {
            let top = tier.up_to.map_or(eligible, |bound| bound.min(eligible));
            if top > floor {
                deduction += (top - floor) * tier.rate;
                floor = top;
            }
        }
        let currency = gift.currency();
        let digits = currency.minor_units();
        let deduction = Money::rounded(
            deduction.round_dp_with_strategy(digits, RoundingStrategy::ToZero),
            currency,
        );
        let eligible = Money::rounded(
            eligible.round_dp_with_strategy(digits, RoundingStrategy::ToZero),
            currency,
        );
        Ok(TaxCost {
            gift,
            eligible,
            deduction,
            cost: gift.checked_sub(deduction)?,
            above_ceiling: gift.checked_sub(eligible)?,
        })
    }
}

impl TryFrom<TaxRuleRepr> for TaxRule {
    type Error = TaxError;

    fn try_from(repr: TaxRuleRepr) -> Result<TaxRule, TaxError> {
        TaxRule::try_new(repr.name, repr.tiers, repr.ceilings)
    }
}

impl From<TaxRule> for TaxRuleRepr {
    fn from(rule: TaxRule) -> TaxRuleRepr {
        TaxRuleRepr {
            name: rule.name,
            tiers: rule.tiers,
            ceilings: rule.ceilings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).unwrap()
    }

    #[test]
    fn companies_take_the_greater_ceiling() {
        let rule = TaxRule::france_companies();
        let small = rule.cost(eur("50000"), Some(eur("1000000"))).unwrap();
        assert_eq!(small.eligible(), eur("20000"));
        assert_eq!(small.deduction(), eur("12000"));
        let large = rule.cost(eur("50000"), Some(eur("10000000"))).unwrap();
        assert_eq!(large.eligible(), eur("50000"));
        assert_eq!(large.cost(), eur("20000"));
    }

    #[test]
    fn tiers_as_data() {
        // France's "Coluche" rule: 75 % up to €1,000, 66 % beyond.
        let json = r#"{"name":"aid","tiers":[{"up_to":"1000","rate":"0.75"},{"rate":"0.66"}],"ceilings":[{"share_of_base":"0.2"}]}"#;
        let rule: TaxRule = serde_json::from_str(json).unwrap();
        let cost = rule.cost(eur("1500"), None).unwrap();
        assert_eq!(cost.deduction(), eur("1080"));
        assert_eq!(rule.cost(eur("0.01"), None).unwrap().deduction(), eur("0"));
        assert_eq!(
            rule.cost(eur("0.03"), None).unwrap().deduction(),
            eur("0.02")
        );
        assert!(serde_json::from_str::<TaxRule>(&json.replace("0.75", "1.5")).is_err());
        assert!(serde_json::from_str::<TaxRule>(
            &json.replace(r#"{"rate":"0.66"}"#, r#"{"up_to":"500","rate":"0.66"}"#)
        )
        .is_err());
        assert!(matches!(rule.cost(eur("0"), None), Err(TaxError::Input)));
        assert!(rule
            .cost(eur("5"), Some(Money::parse("5 USD").unwrap()))
            .is_err());
    }
}
