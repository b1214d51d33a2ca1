//! Laws of money that must hold for any input, not just the examples.

use jauge::{
    parse_zone, Campaign, CountingRules, Currency, Donation, DonationStatus, FeeRule, Money,
    RefundRule,
};
use proptest::prelude::*;

use crate::support::{eur, utc};

fn cents() -> impl Strategy<Value = i64> {
    -10_000_000_000i64..10_000_000_000
}

fn money(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

proptest! {
    #[test]
    fn addition_is_commutative(a in cents(), b in cents()) {
        prop_assert_eq!(money(a).checked_add(money(b)), money(b).checked_add(money(a)));
    }

    #[test]
    fn addition_is_associative(a in cents(), b in cents(), c in cents()) {
        let left = money(a).checked_add(money(b)).and_then(|ab| ab.checked_add(money(c)));
        let right = money(b).checked_add(money(c)).and_then(|bc| money(a).checked_add(bc));
        prop_assert_eq!(left, right);
    }

    #[test]
    fn subtraction_undoes_addition(a in cents(), b in cents()) {
        prop_assert_eq!(money(a).checked_add(money(b)).unwrap().checked_sub(money(b)).unwrap(), money(a));
    }

    #[test]
    fn text_and_json_round_trip(a in cents()) {
        let m = money(a);
        prop_assert_eq!(Money::parse(&m.to_string()).unwrap(), m);
        prop_assert_eq!(serde_json::from_str::<Money>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
    }

    #[test]
    fn ceiling_never_understates(a in 0i64..10_000_000_000) {
        let m = money(a);
        let whole = m.ceil_to_units();
        prop_assert!(whole.amount() >= m.amount());
        prop_assert!(whole.amount() - m.amount() < rust_decimal::Decimal::ONE);
        prop_assert!(whole.amount().fract().is_zero());
    }

    /// Whatever is refunded, and whatever the rules, raised never drops below the baseline.
    #[test]
    fn refunds_never_push_raised_below_the_baseline(
        gifts in prop::collection::vec((1i64..1_000_000, 0u8..4, 0i64..=100, 0i64..=100), 0..60),
        baseline in 0i64..10_000_000,
        net in any::<bool>(),
        subtract in any::<bool>(),
    ) {
        let rules = CountingRules::DEFAULT
            .with_fees(if net { FeeRule::Net } else { FeeRule::Gross })
            .with_refunds(if subtract { RefundRule::Subtracted } else { RefundRule::Ignored });
        let campaign = Campaign::builder("laws", eur("1000"), parse_zone("Europe/Paris").unwrap())
            .start("2024-01-01".parse().unwrap())
            .deadline("2024-12-31".parse().unwrap())
            .baseline(money(baseline), "before tracking")
            .rules(rules)
            .build()
            .unwrap();
        let ledger: Vec<Donation> = gifts
            .iter()
            .enumerate()
            .map(|(i, &(amount, status, refund_pct, fee_pct))| {
                let gift = Donation::try_new(i.to_string(), money(amount), utc("2024-06-01T12:00:00Z"))
                    .unwrap()
                    .with_fee(money(amount * fee_pct / 100))
                    .unwrap();
                let refunded = (amount * refund_pct / 100).max(1);
                let status = match status {
                    0 => DonationStatus::Confirmed,
                    1 => DonationStatus::Pending,
                    2 => DonationStatus::Failed,
                    _ => DonationStatus::Refunded { refunded: money(refunded) },
                };
                gift.with_status(status).unwrap()
            })
            .collect();
        let status = campaign.status(&ledger, utc("2024-07-01T00:00:00Z")).unwrap();
        prop_assert!(status.raised().amount() >= money(baseline).amount());
        prop_assert!(status.remaining().value() >= jauge::Decimal::ZERO);
    }
}

/// A million random donations: the status total equals the exact integer sum of their cents.
#[test]
fn no_cent_lost_over_a_million_donations() {
    let campaign = Campaign::builder(
        "million",
        eur("1000000"),
        parse_zone("Europe/Paris").unwrap(),
    )
    .start("2024-01-01".parse().unwrap())
    .deadline("2024-12-31".parse().unwrap())
    .build()
    .unwrap();
    let mut rng = proptest::test_runner::TestRng::deterministic_rng(
        proptest::test_runner::RngAlgorithm::ChaCha,
    );
    let at = utc("2024-06-01T12:00:00Z");
    let mut tally = jauge::Tally::new(&campaign, utc("2024-07-01T00:00:00Z"));
    let mut exact_cents: i128 = 0;
    for i in 0..1_000_000u32 {
        let cents = 1 + (rng.next_u64() % 5_000_000) as i64;
        exact_cents += i128::from(cents);
        let gift = Donation::try_new(i.to_string(), money(cents), at).unwrap();
        tally.add(&gift).unwrap();
    }
    let status = tally.finish().unwrap();
    let expected = rust_decimal::Decimal::from_i128_with_scale(exact_cents, 2);
    assert_eq!(status.raised().amount(), expected);
    assert_eq!(status.donations(), 1_000_000);
}
