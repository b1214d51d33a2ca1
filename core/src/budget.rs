//! The budget gap a campaign exists to close.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::document::StatusDocument;
use crate::money::{Money, MoneyError};

/// How sure an income line is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Certainty {
    /// Signed and certain.
    Secured,
    /// Hoped for, with a probability between 0 and 1 (a grant applied for: 0.5).
    Expected(Decimal),
}

/// A budget year: expenses, and income secured or expected.
///
/// `gap = expenses − secured income − Σ expected income × probability`.
///
/// # Example
///
/// ```
/// use jauge::{Budget, Certainty, Money};
/// use rust_decimal::Decimal;
///
/// let budget = Budget::builder("2024")
///     .expense("Salaries", Money::parse("1250000 EUR")?)
///     .expense("Servers", Money::parse("120000 EUR")?)
///     .income("Recurring donations", Money::parse("900000 EUR")?, Certainty::Secured)
///     .income("Foundation grant", Money::parse("100000 EUR")?, Certainty::Expected(Decimal::new(5, 1)))
///     .build()?;
/// let gap = budget.gap()?;
/// assert_eq!(gap.gap(), Money::parse("420000 EUR")?);
/// assert_eq!(gap.goal(), Money::parse("420000 EUR")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "BudgetRepr", into = "BudgetRepr")]
pub struct Budget {
    name: String,
    expenses: Vec<(String, Money)>,
    income: Vec<(String, Money, Certainty)>,
}

/// Collects a budget's lines; see [`Budget::builder`].
#[derive(Clone, Debug)]
#[must_use]
pub struct BudgetBuilder {
    budget: Budget,
}

/// Why a budget is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    /// A budget needs at least one expense line.
    #[error("budget {0:?} has no expense line")]
    NoExpenses(String),
    /// A line without a label.
    #[error("a budget line of {0} has no label")]
    EmptyLabel(Money),
    /// A negative amount: record income as income and costs as expenses.
    #[error("budget line {label:?}: amount {amount} cannot be negative")]
    Negative {
        /// The line.
        label: String,
        /// Its amount.
        amount: Money,
    },
    /// A probability outside [0, 1].
    #[error("budget line {label:?}: probability {probability} must be between 0 and 1")]
    Probability {
        /// The line.
        label: String,
        /// The probability given.
        probability: Decimal,
    },
    /// Lines in two currencies.
    #[error("budget line {label:?}: {source}")]
    Currency {
        /// The line.
        label: String,
        /// The mismatch.
        source: MoneyError,
    },
}

/// A budget's gap, line totals included.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct BudgetGap {
    expenses: Money,
    secured: Money,
    expected: Money,
    expected_weighted: Money,
    gap: Money,
}

impl Budget {
    /// Starts a budget named `name` (usually its year).
    pub fn builder(name: impl Into<String>) -> BudgetBuilder {
        BudgetBuilder {
            budget: Budget {
                name: name.into(),
                expenses: Vec::new(),
                income: Vec::new(),
            },
        }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The currency of its lines.
    pub fn currency(&self) -> Currency {
        self.expenses[0].1.currency()
    }

    /// Expense lines: label and amount.
    pub fn expenses(&self) -> &[(String, Money)] {
        &self.expenses
    }

    /// Income lines: label, amount and certainty.
    pub fn income(&self) -> &[(String, Money, Certainty)] {
        &self.income
    }

    /// The gap still to close.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] only for sums beyond 10^28.
    pub fn gap(&self) -> Result<BudgetGap, MoneyError> {
        let zero = Money::zero(self.currency());
        let mut expenses = zero;
        for (_, amount) in &self.expenses {
            expenses = expenses.checked_add(*amount)?;
        }
        let (mut secured, mut expected, mut weighted) = (zero, zero, Decimal::ZERO);
        for (_, amount, certainty) in &self.income {
            match certainty {
                Certainty::Secured => secured = secured.checked_add(*amount)?,
                Certainty::Expected(p) => {
                    expected = expected.checked_add(*amount)?;
                    weighted += amount.amount() * p;
                }
            }
        }
        // Weighted income is rounded down: a budget gap is never understated by rounding.
        let expected_weighted = Money::rounded(
            weighted.round_dp_with_strategy(
                self.currency().minor_units(),
                rust_decimal::RoundingStrategy::ToZero,
            ),
            self.currency(),
        );
        let gap = expenses
            .checked_sub(secured)?
            .checked_sub(expected_weighted)?;
        Ok(BudgetGap {
            expenses,
            secured,
            expected,
            expected_weighted,
            gap,
        })
    }
}

impl BudgetBuilder {
    /// Adds an expense line.
    pub fn expense(mut self, label: impl Into<String>, amount: Money) -> BudgetBuilder {
        self.budget.expenses.push((label.into(), amount));
        self
    }

    /// Adds an income line.
    pub fn income(
        mut self,
        label: impl Into<String>,
        amount: Money,
        certainty: Certainty,
    ) -> BudgetBuilder {
        self.budget.income.push((label.into(), amount, certainty));
        self
    }

    /// Checks the lines and builds the budget.
    ///
    /// # Errors
    ///
    /// The first [`BudgetError`]: no expenses, an unlabelled or negative line, a probability
    /// outside [0, 1], or lines in two currencies.
    pub fn build(self) -> Result<Budget, BudgetError> {
        let budget = self.budget;
        let first = budget
            .expenses
            .first()
            .ok_or_else(|| BudgetError::NoExpenses(budget.name.clone()))?
            .1;
        let lines = budget
            .expenses
            .iter()
            .map(|(label, amount)| (label, amount, None))
            .chain(budget.income.iter().map(|(label, amount, certainty)| {
                let probability = match certainty {
                    Certainty::Expected(p) => Some(*p),
                    Certainty::Secured => None,
                };
                (label, amount, probability)
            }));
        for (label, amount, probability) in lines {
            if label.trim().is_empty() {
                return Err(BudgetError::EmptyLabel(*amount));
            }
            first
                .checked_cmp(amount)
                .map_err(|source| BudgetError::Currency {
                    label: label.clone(),
                    source,
                })?;
            if amount.is_negative() {
                return Err(BudgetError::Negative {
                    label: label.clone(),
                    amount: *amount,
                });
            }
            if let Some(p) = probability.filter(|p| *p < Decimal::ZERO || *p > Decimal::ONE) {
                return Err(BudgetError::Probability {
                    label: label.clone(),
                    probability: p,
                });
            }
        }
        Ok(budget)
    }
}

impl BudgetGap {
    /// Total expenses.
    pub fn expenses(&self) -> Money {
        self.expenses
    }
    /// Secured income.
    pub fn secured(&self) -> Money {
        self.secured
    }
    /// Expected income at face value.
    pub fn expected(&self) -> Money {
        self.expected
    }
    /// Expected income weighted by probability (rounded down).
    pub fn expected_weighted(&self) -> Money {
        self.expected_weighted
    }
    /// Expenses minus weighted income; negative when the budget is already balanced.
    pub fn gap(&self) -> Money {
        self.gap
    }

    /// The campaign goal this gap implies: the gap rounded up to whole units, or zero.
    pub fn goal(&self) -> Money {
        self.gap.or_zero_if_negative().ceil_to_units()
    }

    /// What is still open once the campaign's raised figure is counted; never negative.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] if the campaign counts in another currency.
    pub fn open_after(&self, status: &StatusDocument) -> Result<Money, MoneyError> {
        Ok(self.gap.checked_sub(status.raised())?.or_zero_if_negative())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetRepr {
    name: String,
    #[serde(default)]
    expenses: Vec<ExpenseRepr>,
    #[serde(default)]
    income: Vec<IncomeRepr>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpenseRepr {
    label: String,
    amount: Money,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncomeRepr {
    label: String,
    amount: Money,
    /// Absent for secured income.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    probability: Option<Decimal>,
}

impl TryFrom<BudgetRepr> for Budget {
    type Error = BudgetError;

    fn try_from(repr: BudgetRepr) -> Result<Budget, BudgetError> {
        let mut builder = Budget::builder(repr.name);
        for line in repr.expenses {
            builder = builder.expense(line.label, line.amount);
        }
        for line in repr.income {
            let certainty = line
                .probability
                .map_or(Certainty::Secured, Certainty::Expected);
            builder = builder.income(line.label, line.amount, certainty);
        }
        builder.build()
    }
}

impl From<Budget> for BudgetRepr {
    fn from(budget: Budget) -> BudgetRepr {
        BudgetRepr {
            name: budget.name,
            expenses: budget
                .expenses
                .into_iter()
                .map(|(label, amount)| ExpenseRepr { label, amount })
                .collect(),
            income: budget
                .income
                .into_iter()
                .map(|(label, amount, certainty)| IncomeRepr {
                    label,
                    amount,
                    probability: match certainty {
                        Certainty::Secured => None,
                        Certainty::Expected(p) => Some(p),
                    },
                })
                .collect(),
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
    fn weighted_income_rounds_down_so_the_gap_rounds_up() {
        let budget = Budget::builder("2024")
            .expense("Costs", eur("100"))
            .income(
                "Maybe",
                eur("0.05"),
                Certainty::Expected(Decimal::new(5, 1)),
            )
            .build()
            .unwrap();
        let gap = budget.gap().unwrap();
        assert_eq!(gap.expected_weighted(), eur("0.02"));
        assert_eq!(gap.gap(), eur("99.98"));
        assert_eq!(gap.goal(), eur("100"));
    }

    #[test]
    fn balanced_budget_needs_no_goal() {
        let budget = Budget::builder("2025")
            .expense("Costs", eur("100"))
            .income("Grant", eur("150"), Certainty::Secured)
            .build()
            .unwrap();
        assert_eq!(budget.gap().unwrap().gap(), eur("-50"));
        assert_eq!(budget.gap().unwrap().goal(), eur("0"));
    }

    #[test]
    fn invalid_budgets() {
        let messages: Vec<String> = [
            Budget::builder("a").build(),
            Budget::builder("a").expense("", eur("1")).build(),
            Budget::builder("a").expense("x", eur("-1")).build(),
            Budget::builder("a")
                .expense("x", eur("1"))
                .income("y", eur("1"), Certainty::Expected(Decimal::new(11, 1)))
                .build(),
            Budget::builder("a")
                .expense("x", eur("1"))
                .income("y", Money::parse("1 USD").unwrap(), Certainty::Secured)
                .build(),
        ]
        .into_iter()
        .map(|r| r.unwrap_err().to_string())
        .collect();
        assert_eq!(
            messages,
            [
                "budget \"a\" has no expense line",
                "a budget line of 1.00 EUR has no label",
                "budget line \"x\": amount -1.00 EUR cannot be negative",
                "budget line \"y\": probability 1.1 must be between 0 and 1",
                "budget line \"y\": cannot combine EUR and USD: amounts in different currencies are never summed",
            ]
        );
    }

    #[test]
    fn serde_form() {
        let json = r#"{"name":"2024","expenses":[{"label":"Salaries","amount":{"amount":"1000.00","currency":"EUR"}}],"income":[{"label":"Grant","amount":{"amount":"400.00","currency":"EUR"},"probability":"0.5"}]}"#;
        let budget: Budget = serde_json::from_str(json).unwrap();
        assert_eq!(budget.gap().unwrap().gap(), eur("800"));
        assert_eq!(serde_json::to_string(&budget).unwrap(), json);
        assert!(serde_json::from_str::<Budget>(&json.replace("0.5", "2")).is_err());
    }
}
