//! What a new report of a gift already known may change: the rules every writer follows, an
//! import as much as a webhook, so a gift ends the same whichever path, order or repetition
//! brought it.
//!
//! A gift is known by its id. A report with the same amount and instant is the same gift: its
//! status only ever moves forward (pending → failed or confirmed → refunded, a refund only
//! grows), because an older export that does not show a refund may simply predate it; what it
//! learns that was unknown (recurrence, fee, donor) is kept. A report with another amount or
//! instant is a conflict, never a silent overwrite.

use jauge::{Decimal, Donation, DonationError, DonationKind, DonationStatus, Money};

/// Whether two reports describe the same gift: same amount (and currency) and instant, and, when
/// both say it is recurring, the same subscription at the same interval. Anything else about it
/// may be learnt later or from another export (a one-off report may simply not know the
/// subscription).
pub fn same_gift(a: &Donation, b: &Donation) -> bool {
    let same_kind = match (a.kind(), b.kind()) {
        (DonationKind::Recurring { .. }, DonationKind::Recurring { .. }) => a.kind() == b.kind(),
        _ => true,
    };
    a.amount() == b.amount() && a.received_at() == b.received_at() && same_kind
}

/// How far along a payment's life a status is.
fn progress_rank(status: &DonationStatus) -> (u8, Decimal) {
    match status {
        DonationStatus::Pending => (0, Decimal::ZERO),
        DonationStatus::Failed => (1, Decimal::ZERO),
        DonationStatus::Confirmed => (2, Decimal::ZERO),
        DonationStatus::Refunded { refunded } => (3, refunded.amount()),
    }
}

/// What the ledger should hold once `new` has been seen for the gift `old` (the two being
/// [`same_gift`]): the more advanced status, and whatever `new` knows that `old` did not.
pub fn merge(old: &Donation, new: &Donation) -> Donation {
    let mut merged = old.clone();
    if progress_rank(new.status()) > progress_rank(old.status()) {
        merged = merged.clone().with_status(*new.status()).unwrap_or(merged);
    }
    if let (
        DonationKind::OneOff,
        DonationKind::Recurring {
            interval,
            subscription,
        },
    ) = (old.kind(), new.kind())
    {
        merged = merged
            .clone()
            .recurring(*interval, subscription.clone())
            .unwrap_or(merged);
    }
    if let (None, Some(fee)) = (old.fee(), new.fee()) {
        merged = merged.clone().with_fee(fee).unwrap_or(merged);
    }
    if let (None, Some(donor)) = (old.donor(), new.donor()) {
        merged = merged.with_donor(donor);
    }
    merged
}

/// How two reports of one id differ, for a conflict's message.
pub fn describe_difference(old: &Donation, new: &Donation) -> String {
    if old.amount() != new.amount() {
        format!("amount {} there, {} here", old.amount(), new.amount())
    } else if old.received_at() != new.received_at() {
        format!(
            "received {} there, {} here",
            old.received_at(),
            new.received_at()
        )
    } else if let (
        DonationKind::Recurring {
            interval: was,
            subscription: there,
        },
        DonationKind::Recurring {
            interval: now,
            subscription: here,
        },
    ) = (old.kind(), new.kind())
    {
        format!(
            "{} on subscription {there} there, {} on subscription {here} here",
            interval_name(*was),
            interval_name(*now)
        )
    } else {
        "they differ".to_owned()
    }
}

/// An interval as the ledger writes it.
pub fn interval_name(interval: jauge::Interval) -> &'static str {
    match interval {
        jauge::Interval::Monthly => "monthly",
        jauge::Interval::Yearly => "yearly",
    }
}

/// The gift once refunded `total` in all: `None` when it already shows that much or more (a
/// refund only grows, and repeated refund rows are one refund, not several).
///
/// # Errors
///
/// The total exceeds the gift, or is in another currency.
pub fn refunded_to(gift: &Donation, total: Money) -> Result<Option<Donation>, DonationError> {
    let already = match gift.status() {
        DonationStatus::Refunded { refunded } => *refunded,
        _ => Money::zero(total.currency()),
    };
    if already.checked_cmp(&total).is_ok_and(|o| o.is_ge()) {
        return Ok(None);
    }
    gift.clone()
        .with_status(DonationStatus::Refunded { refunded: total })
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gift(status: DonationStatus) -> Donation {
        Donation::try_new(
            "g",
            Money::parse("30 EUR").unwrap(),
            "2023-12-01T10:00:00Z".parse().unwrap(),
        )
        .unwrap()
        .with_status(status)
        .unwrap()
    }

    fn statuses() -> impl Strategy<Value = DonationStatus> {
        prop_oneof![
            Just(DonationStatus::Pending),
            Just(DonationStatus::Failed),
            Just(DonationStatus::Confirmed),
            (1u32..=30).prop_map(|euros| DonationStatus::Refunded {
                refunded: Money::parse(&format!("{euros} EUR")).unwrap()
            }),
        ]
    }

    proptest! {
        /// Any order of the same reports ends in the same gift: a platform that delivers late,
        /// twice or out of order cannot change the ledger's final state.
        #[test]
        fn merging_is_order_independent(reports in proptest::collection::vec(statuses(), 1..6)) {
            let gifts: Vec<Donation> = reports.into_iter().map(gift).collect();
            let fold = |order: &[Donation]| {
                order[1..].iter().fold(order[0].clone(), |held, new| merge(&held, new))
            };
            let forward = fold(&gifts);
            let mut reversed = gifts.clone();
            reversed.reverse();
            prop_assert_eq!(&forward, &fold(&reversed));
            let mut doubled = gifts.clone();
            doubled.extend(gifts.iter().cloned());
            prop_assert_eq!(&forward, &fold(&doubled));
        }
    }

    #[test]
    fn refunds_only_grow() {
        let ten = Money::parse("10 EUR").unwrap();
        let five = Money::parse("5 EUR").unwrap();
        let refunded = refunded_to(&gift(DonationStatus::Confirmed), ten)
            .unwrap()
            .unwrap();
        assert_eq!(refunded_to(&refunded, five).unwrap(), None);
        assert_eq!(refunded_to(&refunded, ten).unwrap(), None);
        assert!(refunded_to(&refunded, Money::parse("31 EUR").unwrap()).is_err());
    }
}
