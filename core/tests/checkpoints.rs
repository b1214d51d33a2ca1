//! A status resumed from a checkpoint, with its donors and subscriptions drained and merged
//! apart (as a store keeps them), is the status of the same gifts counted in one tally: for any
//! gifts, any boundary, any later instant and any points where the keys are drained.

use chrono::{DateTime, Duration, Utc};
use jauge::{
    parse_zone, Campaign, CountingRules, Donation, DonationStatus, FeeRule, Interval, KeysInfo,
    Money, PendingRule, RecurringRule, Resumed, StatusDocument, SubscriptionState, Tally,
};
use proptest::prelude::*;

fn campaign(rules: CountingRules) -> Campaign {
    Campaign::builder(
        "C",
        Money::parse("5000 EUR").unwrap(),
        parse_zone("Europe/Paris").unwrap(),
    )
    .start("2023-11-01".parse().unwrap())
    .deadline("2023-12-31".parse().unwrap())
    .rules(rules)
    .build()
    .unwrap()
}

fn origin() -> DateTime<Utc> {
    "2023-10-30T00:00:00Z".parse().unwrap()
}

/// One generated gift: when (seconds after the origin), how much, and what kind.
#[derive(Clone, Debug)]
struct Gift {
    seconds: i64,
    cents: i64,
    donor: Option<u8>,
    subscription: Option<(u8, bool)>,
    status: u8,
    foreign: bool,
}

fn gift() -> impl Strategy<Value = Gift> {
    (
        0i64..70 * 86_400,
        100i64..20_000,
        prop::option::of(0u8..30),
        prop::option::of((0u8..8, any::<bool>())),
        0u8..6,
        prop::bool::weighted(0.05),
    )
        .prop_map(
            |(seconds, cents, donor, subscription, status, foreign)| Gift {
                seconds,
                cents,
                donor,
                subscription,
                status,
                foreign,
            },
        )
}

fn donation(i: usize, g: &Gift) -> Donation {
    let at = origin() + Duration::seconds(g.seconds);
    let currency = if g.foreign { "USD" } else { "EUR" };
    let amount = Money::parse(&format!(
        "{}.{:02} {currency}",
        g.cents / 100,
        g.cents % 100
    ))
    .unwrap();
    let mut d = Donation::try_new(format!("g{i}"), amount, at).unwrap();
    if let Some(donor) = g.donor {
        d = d.with_donor(format!("d{donor}"));
    }
    if let Some((sub, _)) = g.subscription {
        // One interval per subscription.
        let interval = if sub % 3 == 0 {
            Interval::Yearly
        } else {
            Interval::Monthly
        };
        d = d.recurring(interval, format!("s{sub}")).unwrap();
    }
    let status = match g.status {
        0 => DonationStatus::Pending,
        1 => DonationStatus::Failed,
        2 => DonationStatus::Refunded {
            refunded: Money::parse(&format!("1 {currency}")).unwrap(),
        },
        3 => DonationStatus::Refunded {
            refunded: d.amount(),
        },
        _ => DonationStatus::Confirmed,
    };
    d.with_status(status).unwrap()
}

/// Sorted merge of drained keys, as a store does on disk.
fn merged(parts: Vec<jauge::Keys>) -> (Vec<u64>, Vec<SubscriptionState>) {
    let mut donors: Vec<u64> = parts.iter().flat_map(|k| k.donors.clone()).collect();
    donors.sort_unstable();
    donors.dedup();
    let mut all: Vec<SubscriptionState> = parts.into_iter().flat_map(|k| k.subscriptions).collect();
    all.sort_by_key(SubscriptionState::key);
    let mut subscriptions: Vec<SubscriptionState> = Vec::new();
    for state in all {
        match subscriptions.last_mut() {
            Some(last) if last.key() == state.key() => last.absorb(state).unwrap(),
            _ => subscriptions.push(state),
        }
    }
    (donors, subscriptions)
}

/// Counts `gifts` into `tally`, draining its keys into `kept` after each gift whose index is
/// in `drains`.
fn count_draining(
    tally: &mut Tally<'_>,
    gifts: &[(usize, Donation)],
    drains: &[usize],
    kept: &mut Vec<jauge::Keys>,
) {
    for (i, gift) in gifts {
        tally.add(gift).unwrap();
        if drains.contains(i) {
            kept.push(tally.drain_keys());
        }
    }
}

fn resumed_status(
    campaign: &Campaign,
    gifts: &[Donation],
    boundary: DateTime<Utc>,
    now: DateTime<Utc>,
    drains: &[usize],
) -> StatusDocument {
    let indexed: Vec<(usize, Donation)> = gifts.iter().cloned().enumerate().collect();
    let (before, after): (Vec<_>, Vec<_>) = indexed
        .into_iter()
        .partition(|(_, g)| g.received_at() < boundary);
    let mut settled = Tally::trusting_unique_ids(campaign, boundary)
        .keeping_minutes_from(Tally::minutes_from(boundary));
    let mut kept = Vec::new();
    count_draining(&mut settled, &before, drains, &mut kept);
    kept.push(settled.drain_keys());
    let (donors, subscriptions) = merged(kept);
    let info = KeysInfo {
        donors: donors.len() as u64,
        subscriptions: subscriptions.len() as u64,
        checksum: 1,
    };
    let bytes = settled.checkpoint(boundary, info).unwrap();
    let Resumed {
        mut tally,
        keys,
        edge,
        ..
    } = Tally::resume(campaign, now, &bytes).unwrap();
    assert_eq!(keys, info);
    if let Some(edge) = edge {
        for gift in gifts {
            tally.add_edge(gift, edge).unwrap();
        }
    }
    let mut recent = Tally::trusting_unique_ids(campaign, now);
    let mut recent_keys = Vec::new();
    count_draining(&mut recent, &after, drains, &mut recent_keys);
    tally.merge(recent).unwrap();
    recent_keys.push(tally.drain_keys());
    // The checkpoint's keys, as kept, with the recent ones.
    let mut parts = vec![jauge::Keys {
        donors,
        subscriptions,
    }];
    parts.extend(recent_keys);
    let (donors, subscriptions) = merged(parts);
    let donors = donors.len() as u64;
    let mut finishing = tally.finishing().unwrap();
    for state in &subscriptions {
        finishing.add(state).unwrap();
    }
    finishing.finish(donors).unwrap()
}

fn rules() -> impl Strategy<Value = CountingRules> {
    (0u8..2, 0u8..2, 0u8..4).prop_map(|(pending, fees, recurring)| {
        CountingRules::DEFAULT
            .with_pending(if pending == 0 {
                PendingRule::Excluded
            } else {
                PendingRule::Counted
            })
            .with_fees(if fees == 0 {
                FeeRule::Gross
            } else {
                FeeRule::Net
            })
            .with_recurring(match recurring {
                0 => RecurringRule::Received,
                1 => RecurringRule::First,
                2 => RecurringRule::Annualized,
                _ => RecurringRule::ToDeadline,
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_resumed_status_is_the_status_of_every_gift(
        gifts in prop::collection::vec(gift(), 0..120),
        rules in rules(),
        boundary_seconds in 0i64..70 * 86_400,
        later_seconds in 0i64..20 * 86_400,
        drains in prop::collection::vec(0usize..120, 0..6),
    ) {
        let campaign = campaign(rules);
        let gifts: Vec<Donation> = gifts.iter().enumerate().map(|(i, g)| donation(i, g)).collect();
        let boundary = origin() + Duration::seconds(boundary_seconds);
        let now = boundary + Duration::seconds(later_seconds);
        let everything = campaign.status(&gifts, now).unwrap();
        let resumed = resumed_status(&campaign, &gifts, boundary, now, &drains);
        prop_assert_eq!(resumed, everything);
    }

    /// The instant the trailing week starts at lands on a gift, just before or just after it.
    #[test]
    fn the_trailing_week_starts_anywhere_in_a_minute(
        gifts in prop::collection::vec(gift(), 1..60),
        pick in any::<prop::sample::Index>(),
        nudge in -2_000_000i64..2_000_000,
        boundary_back in 0i64..3 * 86_400,
    ) {
        let campaign = campaign(CountingRules::DEFAULT);
        let gifts: Vec<Donation> = gifts.iter().enumerate().map(|(i, g)| donation(i, g)).collect();
        let on = gifts[pick.index(gifts.len())].received_at();
        let now = on + Duration::days(7) + Duration::microseconds(nudge);
        let boundary = (now - Duration::seconds(boundary_back)).max(origin());
        let everything = campaign.status(&gifts, now).unwrap();
        prop_assert_eq!(resumed_status(&campaign, &gifts, boundary, now, &[]), everything);
    }
}
