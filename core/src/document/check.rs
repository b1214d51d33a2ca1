//! The check of a document read: its figures agree with each other as the core computes them.

use rust_decimal::Decimal;

use super::{hundredths_of_percent, remaining_and_surplus, DocumentError, StatusDocument};
use crate::money::Money;
use crate::quantity::Quantity;

impl StatusDocument {
    /// Checks that the headline figures agree with each other, as [`StatusDocument`]s the core
    /// computes always do: every amount in the goal's currency, nothing negative, `remaining`,
    /// `surplus`, `reached`, `percent` and `percent_display` as `raised` and the goal make them.
    /// A document that fails this was not written by jauge (or was edited), and a gauge must not
    /// show "−€50 raised" or a bar full of dollars toward a goal in euros.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Field`] naming the first figure that disagrees, and with what.
    pub fn check_consistency(&self) -> Result<(), DocumentError> {
        let wrong = |field: &str, problem: String| DocumentError::Field {
            field: field.to_owned(),
            problem,
        };
        // A document may come from another origin than the page: its link must be a web
        // address, never `javascript:` or a quote that ends an attribute.
        if let Some(donate) = &self.campaign.donate {
            for url in donate.url.texts() {
                if let Some(problem) = crate::localized::web_address_problem(url) {
                    return Err(wrong("campaign.donate.url", problem.to_owned()));
                }
            }
        }
        let goal = self.campaign.goal;
        // The campaign's currency: its goal's, or for a goal in donors or gifts what it raised.
        let currency = goal
            .money()
            .map_or(self.raised.currency(), |m| m.currency());
        // Every quantity toward the goal counts what the goal counts, money in the campaign's
        // currency. (Plain calls and loops: iterator chains weigh on the browser bundle.)
        let toward = |field: &str, quantity: Quantity| {
            if quantity.measure() != goal.measure() {
                return Err(wrong(field, "not in what the goal counts".to_owned()));
            }
            check_money(field, quantity.money(), currency)
        };
        toward("campaign.goal", goal)?;
        // Without pledges, a goal in money's progress is `raised`, and is named so.
        toward(
            if self.progress.is_some() {
                "progress"
            } else {
                "raised"
            },
            self.progress(),
        )?;
        toward("remaining", self.remaining)?;
        toward("surplus", self.surplus)?;
        for milestone in &self.milestones {
            toward("milestones[].amount", milestone.amount)?;
        }
        check_money("raised", Some(self.raised), currency)?;
        #[cfg(feature = "details")]
        for (field, amount) in [
            ("pace.trailing_per_day", Some(self.pace.trailing_per_day)),
            ("pace.projection", Some(self.pace.projection)),
            ("pace.needed_per_day", self.pace.needed_per_day),
            ("pace.low", self.pace.low),
            ("pace.high", self.pace.high),
        ] {
            check_money(field, amount, currency)?;
        }
        for pledge in &self.matching {
            check_money("matching[].amount", Some(pledge.amount), currency)?;
        }
        if goal.value() <= Decimal::ZERO {
            return Err(wrong("campaign.goal", "not a positive amount".to_owned()));
        }
        // Pledges only ever add to what was raised.
        if let Some(Quantity::Money(progress)) = self.progress {
            if progress.amount() < self.raised.amount() {
                return Err(wrong("progress", "below raised".to_owned()));
            }
        }
        let (raised, target) = (self.progress().value(), goal.value());
        let disagrees = |field: &str| wrong(field, "disagrees with raised and the goal".to_owned());
        let (remaining, surplus) = remaining_and_surplus(target, raised).map_err(|_| {
            wrong(
                "raised",
                "too far from the goal for exact arithmetic".to_owned(),
            )
        })?;
        if self.remaining.value() != remaining {
            return Err(disagrees("remaining"));
        }
        if self.surplus.value() != surplus {
            return Err(disagrees("surplus"));
        }
        if self.reached != remaining.is_zero() {
            return Err(disagrees("reached"));
        }
        // Compared in integers: the browser's bundle carries no decimal division or
        // multiplication for this.
        let percent = self.percent;
        let hundredths = (!percent.is_sign_negative() && percent.scale() <= 2)
            .then(|| percent.mantissa().unsigned_abs() * 10u128.pow(2 - percent.scale()));
        if hundredths.is_none() || hundredths != hundredths_of_percent(raised, target) {
            return Err(disagrees("percent"));
        }
        if u128::from(self.percent_display) != hundredths.unwrap_or_default() / 100 {
            return Err(wrong(
                "percent_display",
                "disagrees with percent".to_owned(),
            ));
        }
        Ok(())
    }
}

/// An amount of the document in the campaign's currency and not negative.
fn check_money(
    field: &str,
    amount: Option<Money>,
    currency: crate::Currency,
) -> Result<(), DocumentError> {
    let Some(amount) = amount else { return Ok(()) };
    let problem = if amount.currency() != currency {
        format!(
            "in {} but the campaign counts in {}",
            amount.currency().code(),
            currency.code()
        )
    } else if amount.amount().is_sign_negative() && !amount.amount().is_zero() {
        "negative".to_owned()
    } else {
        return Ok(());
    };
    Err(DocumentError::Field {
        field: field.to_owned(),
        problem,
    })
}
