//! What counts toward the goal: declared, and carried with every figure.

use serde::{Deserialize, Serialize};

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
}
