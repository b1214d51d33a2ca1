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
        let [pending, fees, refunds, recurring] = self.phrases(locale);
        format!("{pending}, {fees}, {refunds}, {recurring}.")
    }

    fn phrases(&self, locale: Locale) -> [&'static str; 4] {
        let counted = self.pending == PendingRule::Counted;
        let net = self.fees == FeeRule::Net;
        let subtracted = self.refunds == RefundRule::Subtracted;
        let pick = |yes: bool, a, b| if yes { a } else { b };
        let recurring = |texts: [&'static str; 4]| match self.recurring {
            RecurringRule::Received => texts[0],
            RecurringRule::First => texts[1],
            RecurringRule::Annualized => texts[2],
            RecurringRule::ToDeadline => texts[3],
        };
        match locale {
            Locale::En => [
                pick(counted, "Confirmed and pending gifts", "Confirmed gifts"),
                pick(net, "net of fees", "gross of fees"),
                pick(subtracted, "refunds subtracted", "refunds not subtracted"),
                recurring([
                    "recurring gifts as received",
                    "the first payment of each recurring gift",
                    "recurring gifts valued over a year",
                    "recurring gifts with the payments due by the deadline",
                ]),
            ],
            Locale::Fr => [
                pick(counted, "Dons confirmés et en attente", "Dons confirmés"),
                pick(net, "nets de frais", "frais inclus"),
                pick(
                    subtracted,
                    "remboursements déduits",
                    "remboursements non déduits",
                ),
                recurring([
                    "dons réguliers comptés à leur réception",
                    "premier versement de chaque don régulier",
                    "dons réguliers comptés sur un an",
                    "dons réguliers avec les versements prévus d’ici l’échéance",
                ]),
            ],
            Locale::De => [
                pick(
                    counted,
                    "Bestätigte und ausstehende Spenden",
                    "Bestätigte Spenden",
                ),
                pick(net, "abzüglich Gebühren", "einschließlich Gebühren"),
                pick(
                    subtracted,
                    "Erstattungen abgezogen",
                    "Erstattungen nicht abgezogen",
                ),
                recurring([
                    "Dauerspenden wie eingegangen",
                    "nur die erste Zahlung jeder Dauerspende",
                    "Dauerspenden auf ein Jahr gerechnet",
                    "Dauerspenden mit den bis zum Stichtag fälligen Zahlungen",
                ]),
            ],
            Locale::Es => [
                pick(
                    counted,
                    "Donaciones confirmadas y pendientes",
                    "Donaciones confirmadas",
                ),
                pick(net, "netas de comisiones", "brutas"),
                pick(
                    subtracted,
                    "reembolsos descontados",
                    "reembolsos no descontados",
                ),
                recurring([
                    "donaciones periódicas según se reciben",
                    "el primer pago de cada donación periódica",
                    "donaciones periódicas valoradas a un año",
                    "donaciones periódicas con los pagos previstos hasta la fecha límite",
                ]),
            ],
            Locale::It => [
                pick(
                    counted,
                    "Donazioni confermate e in attesa",
                    "Donazioni confermate",
                ),
                pick(
                    net,
                    "al netto delle commissioni",
                    "al lordo delle commissioni",
                ),
                pick(subtracted, "rimborsi detratti", "rimborsi non detratti"),
                recurring([
                    "donazioni ricorrenti come ricevute",
                    "il primo versamento di ogni donazione ricorrente",
                    "donazioni ricorrenti valutate su un anno",
                    "donazioni ricorrenti con i versamenti previsti entro la scadenza",
                ]),
            ],
            Locale::Nl => [
                pick(counted, "Bevestigde en lopende giften", "Bevestigde giften"),
                pick(net, "na aftrek van kosten", "inclusief kosten"),
                pick(
                    subtracted,
                    "terugbetalingen afgetrokken",
                    "terugbetalingen niet afgetrokken",
                ),
                recurring([
                    "periodieke giften zoals ontvangen",
                    "de eerste betaling van elke periodieke gift",
                    "periodieke giften op jaarbasis",
                    "periodieke giften met de betalingen die tot de deadline verwacht worden",
                ]),
            ],
        }
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
