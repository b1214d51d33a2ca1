//! What counts toward the goal: declared, and carried with every figure.

use serde::{Deserialize, Serialize};

use crate::locale::Locale;

/// Whether pending gifts (announced, not yet received) count.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingRule {
    /// Only money received counts.
    #[default]
    Excluded,
    /// Pending gifts count as if received.
    Counted,
}

/// Whether figures are gross or net of payment fees.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeRule {
    /// What donors gave.
    #[default]
    Gross,
    /// What the association keeps after the providers' fees.
    Net,
}

/// Whether refunds lower the total.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundRule {
    /// Refunded amounts are taken off.
    #[default]
    Subtracted,
    /// Refunds are reported but the gifts keep counting in full.
    Ignored,
}

/// How recurring gifts count.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecurringRule {
    /// Every payment received so far, like a one-off gift.
    #[default]
    Received,
    /// The first payment of each subscription only.
    First,
    /// A year of the subscription: 12 × the monthly amount (1 × a yearly one), or what was
    /// received if that is more.
    Annualized,
    /// Payments received, plus the payments still due up to the deadline for subscriptions that
    /// are still active.
    ToDeadline,
}

/// The declared counting rules of a campaign. Every status carries them, so any page can say
/// exactly what its figure includes.
///
/// The default counts confirmed money, gross of fees, refunds subtracted, recurring payments as
/// received.
///
/// # Example
///
/// ```
/// use jauge::{CountingRules, FeeRule, RecurringRule};
///
/// let rules = CountingRules::default()
///     .with_fees(FeeRule::Net)
///     .with_recurring(RecurringRule::Annualized);
/// assert_eq!(rules.fees(), FeeRule::Net);
/// assert_eq!(
///     serde_json::to_string(&rules)?,
///     r#"{"pending":"excluded","fees":"net","refunds":"subtracted","recurring":"annualized"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CountingRules {
    pending: PendingRule,
    fees: FeeRule,
    refunds: RefundRule,
    recurring: RecurringRule,
}

impl CountingRules {
    /// The defaults, as a constant.
    pub const DEFAULT: CountingRules = CountingRules {
        pending: PendingRule::Excluded,
        fees: FeeRule::Gross,
        refunds: RefundRule::Subtracted,
        recurring: RecurringRule::Received,
    };

    /// With this pending rule.
    pub const fn with_pending(mut self, pending: PendingRule) -> CountingRules {
        self.pending = pending;
        self
    }
    /// With this fee rule.
    pub const fn with_fees(mut self, fees: FeeRule) -> CountingRules {
        self.fees = fees;
        self
    }
    /// With this refund rule.
    pub const fn with_refunds(mut self, refunds: RefundRule) -> CountingRules {
        self.refunds = refunds;
        self
    }
    /// With this recurring rule.
    pub const fn with_recurring(mut self, recurring: RecurringRule) -> CountingRules {
        self.recurring = recurring;
        self
    }
    /// Whether pending gifts count.
    pub const fn pending(&self) -> PendingRule {
        self.pending
    }
    /// Gross or net of fees.
    pub const fn fees(&self) -> FeeRule {
        self.fees
    }
    /// Whether refunds are subtracted.
    pub const fn refunds(&self) -> RefundRule {
        self.refunds
    }
    /// How recurring gifts count.
    pub const fn recurring(&self) -> RecurringRule {
        self.recurring
    }

    /// What the figure includes, in words, for a page to show next to it.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{CountingRules, Locale, RecurringRule};
    ///
    /// let rules = CountingRules::DEFAULT.with_recurring(RecurringRule::Annualized);
    /// assert_eq!(
    ///     rules.describe(Locale::En),
    ///     "Confirmed gifts, gross of fees, refunds subtracted, recurring gifts valued over a year."
    /// );
    /// ```
    pub fn describe(&self, locale: Locale) -> String {
        let w = crate::words::rules::words(locale);
        let pending = match self.pending {
            PendingRule::Counted => w.pending_counted,
            PendingRule::Excluded => w.pending_not_counted,
        };
        let fees = match self.fees {
            FeeRule::Net => w.fees_net,
            FeeRule::Gross => w.fees_gross,
        };
        let refunds = match self.refunds {
            RefundRule::Subtracted => w.refunds_subtracted,
            RefundRule::Ignored => w.refunds_not_subtracted,
        };
        let recurring = match self.recurring {
            RecurringRule::Received => w.recurring_received,
            RecurringRule::First => w.recurring_first,
            RecurringRule::Annualized => w.recurring_annualized,
            RecurringRule::ToDeadline => w.recurring_to_deadline,
        };
        w.describe(pending, fees, refunds, recurring)
    }
}

crate::json::unit_variants_from_json!(PendingRule { "excluded" => Excluded, "counted" => Counted });
crate::json::unit_variants_from_json!(FeeRule { "gross" => Gross, "net" => Net });
crate::json::unit_variants_from_json!(RefundRule { "subtracted" => Subtracted, "ignored" => Ignored });
crate::json::unit_variants_from_json!(RecurringRule {
    "received" => Received,
    "first" => First,
    "annualized" => Annualized,
    "to_deadline" => ToDeadline,
});

crate::json::struct_from_json!(
    CountingRules,
    "the counting rules",
    strict {
        pending: or_default,
        fees: or_default,
        refunds: or_default,
        recurring: or_default,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_describes_every_rule_differently() {
        let variants = [
            CountingRules::DEFAULT,
            CountingRules::DEFAULT.with_pending(PendingRule::Counted),
            CountingRules::DEFAULT.with_fees(FeeRule::Net),
            CountingRules::DEFAULT.with_refunds(RefundRule::Ignored),
            CountingRules::DEFAULT.with_recurring(RecurringRule::First),
            CountingRules::DEFAULT.with_recurring(RecurringRule::Annualized),
            CountingRules::DEFAULT.with_recurring(RecurringRule::ToDeadline),
        ];
        for locale in Locale::ALL {
            let mut texts: Vec<String> = variants.iter().map(|r| r.describe(locale)).collect();
            texts.sort();
            texts.dedup();
            assert_eq!(texts.len(), variants.len(), "{locale}");
        }
        assert_eq!(
            CountingRules::DEFAULT.describe(Locale::Fr),
            "Dons confirmés, frais inclus, remboursements déduits, dons réguliers comptés à leur réception."
        );
    }
}
