//! What counts, under each declared rule.

use jauge::{
    Channel, CountingRules, Donation, DonationStatus, FeeRule, Interval, Money, PendingRule, Phase,
    RecurringRule, RefundRule, StatusError,
};

use crate::support::{eur, fixture_campaign, fixture_ledger, fixture_now, framasoft_2023, utc};

fn raised_under(rules: CountingRules) -> Money {
    let campaign = framasoft_2023().rules(rules).build().unwrap();
    campaign
        .status(&fixture_ledger(), fixture_now())
        .unwrap()
        .raised()
}

#[test]
fn the_fixture_breakdown() {
    let status = fixture_campaign()
        .status(&fixture_ledger(), fixture_now())
        .unwrap();
    let b = status.breakdown();
    // Confirmed and refunded gifts in the window, before fees and refunds.
    assert_eq!(b.gross, eur("2425"));
    assert_eq!(b.fees, eur("1.50"));
    assert_eq!(b.refunds, eur("115"));
    assert_eq!((b.pending.count, b.pending.amount), (1, eur("500")));
    assert_eq!(b.one_off, eur("2290"));
    assert_eq!(b.recurring_received, eur("20"));
    assert_eq!(b.recurring_counted, eur("20"));
    assert_eq!(b.matched, eur("1000"));
    assert_eq!(b.subscriptions, 1);
    assert_eq!(
        (
            b.excluded.before_start.count,
            b.excluded.before_start.amount
        ),
        (1, eur("50"))
    );
    assert_eq!(
        (b.excluded.after_as_of.count, b.excluded.after_as_of.amount),
        (1, eur("25"))
    );
    assert_eq!(
        (b.excluded.failed.count, b.excluded.failed.amount),
        (1, eur("20"))
    );
    assert_eq!(b.excluded.after_deadline.count, 0);
    let channels: Vec<(Channel, u64, Money)> = b
        .by_channel
        .iter()
        .map(|c| (c.channel, c.count, c.amount))
        .collect();
    assert_eq!(
        channels,
        [
            (Channel::Online, 6, eur("1160")),
            (Channel::Offline, 1, eur("150")),
            (Channel::BankTransfer, 1, eur("1000")),
            (Channel::Other, 0, eur("0")),
        ]
    );
    assert_eq!(status.phase(), Phase::Running);
}

#[test]
fn each_rule_changes_exactly_what_it_says() {
    let default = raised_under(CountingRules::DEFAULT);
    assert_eq!(default, eur("2310"));
    // The pending cheque.
    assert_eq!(
        raised_under(CountingRules::DEFAULT.with_pending(PendingRule::Counted)),
        eur("2810")
    );
    // Fees: 0.35 × 2 on the monthly gifts, 0.80 on one-1.
    assert_eq!(
        raised_under(CountingRules::DEFAULT.with_fees(FeeRule::Net)),
        eur("2308.50")
    );
    // Refunds kept: +40 on the partial refund, +75 for the full one.
    assert_eq!(
        raised_under(CountingRules::DEFAULT.with_refunds(RefundRule::Ignored)),
        eur("2425")
    );
    // First payment only: one monthly payment of 10 dropped.
    assert_eq!(
        raised_under(CountingRules::DEFAULT.with_recurring(RecurringRule::First)),
        eur("2300")
    );
    // A year of 10 a month: 120 instead of the 20 received.
    assert_eq!(
        raised_under(CountingRules::DEFAULT.with_recurring(RecurringRule::Annualized)),
        eur("2410")
    );
    // Last paid 20 December: no payment is due between 26 and 31 December.
    assert_eq!(
        raised_under(CountingRules::DEFAULT.with_recurring(RecurringRule::ToDeadline)),
        eur("2310")
    );
}

#[test]
fn to_deadline_counts_payments_still_due_for_active_subscriptions() {
    let campaign = framasoft_2023()
        .rules(CountingRules::DEFAULT.with_recurring(RecurringRule::ToDeadline))
        .build()
        .unwrap();
    let pay = |id: &str, sub: &str, at: &str| {
        Donation::try_new(id, eur("10"), utc(at))
            .unwrap()
            .recurring(Interval::Monthly, sub)
            .unwrap()
    };
    let ledger = [
        // Paid 15 November: due 15 December.
        pay("a1", "late", "2023-11-15T12:00:00+01:00"),
        // Paid 18 November: due 18 December.
        pay("l1", "later", "2023-11-18T12:00:00+01:00"),
        // Paid 27 November: due 27 December, before the deadline.
        pay("d1", "due", "2023-11-27T12:00:00+01:00"),
    ];
    let at = utc("2023-12-26T08:00:00+01:00");
    let status = campaign.status(&ledger, at).unwrap();
    let b = status.breakdown();
    assert_eq!(b.recurring_received, eur("30"));
    // On 26 December the 15 and 18 December payments are more than a week late: those
    // subscriptions are taken as lapsed. The third still has its 27 December payment to come.
    assert_eq!(b.recurring_counted, eur("40"));
    assert_eq!((b.subscriptions, b.active_subscriptions), (3, 1));
    assert_eq!(b.monthly_recurring, eur("10"));
    // On 20 December both late payments are inside the grace week and may yet come.
    let earlier = campaign
        .status(&ledger, utc("2023-12-20T08:00:00+01:00"))
        .unwrap();
    assert_eq!(earlier.breakdown().recurring_counted, eur("60"));
    assert_eq!(earlier.breakdown().active_subscriptions, 3);
    assert_eq!(earlier.breakdown().monthly_recurring, eur("30"));
}

#[test]
fn refunds_never_take_a_gift_below_zero_even_net_of_fees() {
    let campaign = framasoft_2023()
        .rules(CountingRules::DEFAULT.with_fees(FeeRule::Net))
        .build()
        .unwrap();
    let gift = Donation::try_new("r", eur("10"), utc("2023-12-01T10:00:00Z"))
        .unwrap()
        .with_fee(eur("0.50"))
        .unwrap()
        .with_status(DonationStatus::Refunded {
            refunded: eur("10"),
        })
        .unwrap();
    let status = campaign.status([&gift], fixture_now()).unwrap();
    assert_eq!(status.raised(), eur("0"));
    assert_eq!(status.donors(), 0);
    assert_eq!(status.donations(), 0);
}

#[test]
fn unique_donors_not_gifts() {
    let campaign = framasoft_2023().build().unwrap();
    let at = "2023-12-01T10:00:00Z";
    let ledger = [
        Donation::try_new("1", eur("5"), utc(at))
            .unwrap()
            .with_donor("k1"),
        Donation::try_new("2", eur("5"), utc(at))
            .unwrap()
            .with_donor("k1"),
        Donation::try_new("3", eur("5"), utc(at)).unwrap(),
        Donation::try_new("4", eur("5"), utc(at)).unwrap(),
        Donation::try_new("5", eur("5"), utc(at))
            .unwrap()
            .recurring(Interval::Yearly, "s")
            .unwrap(),
        Donation::try_new("6", eur("5"), utc(at))
            .unwrap()
            .recurring(Interval::Yearly, "s")
            .unwrap(),
    ];
    let status = campaign.status(&ledger, fixture_now()).unwrap();
    assert_eq!((status.donors(), status.donations()), (4, 6));
}

/// A gift in another currency with no rate is kept aside, with its reason, its amount in its
/// own currency and an id to find it by: the gifts around it still count, and the order the
/// gifts come in changes nothing.
#[test]
fn a_gift_that_cannot_be_counted_never_stops_the_figures() {
    let campaign = framasoft_2023().build().unwrap();
    let at = utc("2023-12-01T10:00:00Z");
    let gifts = [
        Donation::try_new("usd-2", Money::parse("7.50 USD").unwrap(), at).unwrap(),
        Donation::try_new("eur-1", eur("30"), at).unwrap(),
        Donation::try_new("usd-1", Money::parse("5 USD").unwrap(), at).unwrap(),
        Donation::try_new("chf-1", Money::parse("9 CHF").unwrap(), at).unwrap(),
    ];
    let status = campaign.status(&gifts, fixture_now()).unwrap();
    let mut reversed = gifts.clone();
    reversed.reverse();
    assert_eq!(campaign.status(&reversed, fixture_now()).unwrap(), status);
    assert_eq!((status.donations(), status.donors()), (1, 1));
    let baseline = campaign.status(&gifts[1..2], fixture_now()).unwrap();
    assert_eq!(status.raised(), baseline.raised());
    let json: serde_json::Value = serde_json::from_str(&status.to_json_pretty()).unwrap();
    assert_eq!(
        json["breakdown"]["excluded"]["not_counted"],
        serde_json::json!([
            { "reason": "no_rates", "count": 1, "example": "chf-1",
              "amount": { "amount": "9.00", "currency": "CHF" } },
            { "reason": "no_rates", "count": 2, "example": "usd-1",
              "amount": { "amount": "12.50", "currency": "USD" } },
        ])
    );
    // The document reads back whole, and one without any such gift leaves the field out.
    assert_eq!(
        jauge::StatusDocument::from_json(&status.to_json_pretty()).unwrap(),
        status
    );
    assert!(!baseline.to_json_pretty().contains("not_counted"));
}

#[test]
fn bad_ledgers_are_errors_not_sums() {
    let campaign = framasoft_2023().build().unwrap();
    let at = utc("2023-12-01T10:00:00Z");
    let twice = Donation::try_new("dup", eur("5"), at).unwrap();
    assert_eq!(
        campaign
            .status([&twice, &twice], fixture_now())
            .unwrap_err(),
        StatusError::DuplicateId("dup".into())
    );
    let monthly = twice.clone().recurring(Interval::Monthly, "s").unwrap();
    let yearly = Donation::try_new("dup2", eur("5"), at)
        .unwrap()
        .recurring(Interval::Yearly, "s")
        .unwrap();
    assert!(matches!(
        campaign.status([&monthly, &yearly], fixture_now()),
        Err(StatusError::IntervalConflict { .. })
    ));
}

#[test]
fn percent_floors_and_keeps_counting_past_the_goal() {
    let campaign = |baseline: &str| {
        framasoft_2023()
            .baseline(eur(baseline), "by hand")
            .build()
            .unwrap()
    };
    let status = |baseline: &str| campaign(baseline).status([], fixture_now()).unwrap();
    let almost = status("199999.99");
    assert_eq!(
        (almost.percent().to_string(), almost.percent_display()),
        ("99.99".into(), 99)
    );
    assert!(!almost.reached());
    assert_eq!(almost.remaining(), eur("0.01").into());
    let exactly = status("200000");
    assert_eq!(exactly.percent_display(), 100);
    assert!(exactly.reached());
    assert_eq!(exactly.remaining(), eur("0").into());
    let beyond = status("274000.50");
    assert_eq!(beyond.percent_display(), 137);
    assert_eq!(beyond.surplus(), eur("74000.50").into());
    assert_eq!(beyond.remaining(), eur("0").into());
    assert!(beyond.milestones().iter().all(|m| m.reached));
    assert!(beyond.next_milestone().is_none());
    assert_eq!(
        beyond.current_milestone().unwrap().label.fallback(),
        "Stretch: a new online service"
    );
}

#[test]
fn pace_and_projection() {
    let campaign = framasoft_2023().build().unwrap();
    // 700 in the last week, 1,000 before it.
    let ledger = [
        Donation::try_new("old", eur("1000"), utc("2023-12-01T10:00:00Z")).unwrap(),
        Donation::try_new("w1", eur("300"), utc("2023-12-20T10:00:00Z")).unwrap(),
        Donation::try_new("w2", eur("400"), utc("2023-12-25T10:00:00Z")).unwrap(),
    ];
    // 26 December 07:00 UTC: 5 days 16 hours (5.6667 days) to the deadline.
    let status = campaign.status(&ledger, fixture_now()).unwrap();
    let pace = status.pace();
    assert_eq!(pace.trailing_days.to_string(), "7");
    assert_eq!(pace.trailing_per_day, eur("100"));
    // (200,000 − 1,700) / 5.6667 days.
    assert_eq!(pace.needed_per_day, Some(eur("34994.12")));
    assert_eq!(pace.projection, eur("2266.67"));
    assert!(!pace.on_track);

    // Two days in, the average is over the two days.
    let ledger = [Donation::try_new("d", eur("900"), utc("2023-11-15T10:00:00Z")).unwrap()];
    let two_days = campaign
        .status(&ledger, utc("2023-11-15T23:00:00Z"))
        .unwrap();
    assert_eq!(two_days.pace().trailing_days.to_string(), "2");
    assert_eq!(two_days.pace().trailing_per_day, eur("450"));

    // Before the start, what is needed is the goal spread over the campaign's 48 days;
    // after the end, nothing is needed and the projection is what was raised.
    let before = campaign.status([], utc("2023-11-01T00:00:00Z")).unwrap();
    assert_eq!(before.phase(), Phase::NotStarted);
    assert_eq!(before.pace().needed_per_day, Some(eur("4166.67")));
    let after = campaign
        .status(&ledger, utc("2024-01-05T00:00:00Z"))
        .unwrap();
    assert_eq!(after.phase(), Phase::Ended);
    assert_eq!(after.pace().needed_per_day, None);
    assert_eq!(after.pace().projection, eur("900"));
}

#[test]
fn final_hours_phase() {
    let campaign = framasoft_2023().build().unwrap();
    let phase = |at: &str| campaign.status([], utc(at)).unwrap().phase();
    assert_eq!(phase("2023-12-29T23:00:00Z"), Phase::FinalHours);
    assert_eq!(phase("2023-12-29T22:59:59Z"), Phase::Running);
    assert_eq!(phase("2023-12-31T23:00:00Z"), Phase::Ended);
    assert_eq!(phase("2023-11-13T22:59:59Z"), Phase::NotStarted);
}

#[test]
fn merging_tallies_of_parts_equals_one_tally() {
    for rules in [
        CountingRules::DEFAULT,
        CountingRules::DEFAULT.with_recurring(RecurringRule::First),
        CountingRules::DEFAULT
            .with_recurring(RecurringRule::ToDeadline)
            .with_fees(FeeRule::Net),
    ] {
        let campaign = framasoft_2023().rules(rules).build().unwrap();
        let ledger = fixture_ledger();
        let whole = campaign.status(&ledger, fixture_now()).unwrap();
        for split in 0..=ledger.len() {
            let (left, right) = ledger.split_at(split);
            let mut first = jauge::Tally::new(&campaign, fixture_now());
            first.add_all(right).unwrap();
            let mut second = jauge::Tally::new(&campaign, fixture_now());
            second.add_all(left).unwrap();
            first.merge(second).unwrap();
            assert_eq!(first.finish().unwrap(), whole, "split at {split}");
        }
    }
    // The same id in both parts is still a duplicate.
    let campaign = framasoft_2023().build().unwrap();
    let gift = Donation::try_new("dup", eur("5"), utc("2023-12-01T10:00:00Z")).unwrap();
    let mut first = jauge::Tally::new(&campaign, fixture_now());
    first.add(&gift).unwrap();
    let mut second = jauge::Tally::new(&campaign, fixture_now());
    second.add(&gift).unwrap();
    assert!(matches!(
        first.merge(second),
        Err(StatusError::DuplicateId(_))
    ));
    let other_instant = jauge::Tally::new(&campaign, utc("2023-12-02T10:00:00Z"));
    let mut first = jauge::Tally::new(&campaign, fixture_now());
    assert_eq!(first.merge(other_instant), Err(StatusError::Mismatch));
}

#[test]
fn the_stage_travels_with_the_document_and_follows_the_clock() {
    use jauge::{StagePhase, StageThresholds};
    let campaign = framasoft_2023()
        .stages(StageThresholds::try_new(vec![0, 60, 90]).unwrap())
        .baseline(eur("126292.42"), "before the export")
        .build()
        .unwrap();
    let status = campaign.status(&fixture_ledger(), fixture_now()).unwrap();
    // 64.30 %: the 60 stage, running (5 days 16 hours left).
    assert_eq!(
        (status.stage().phase(), status.stage().threshold()),
        (StagePhase::Running, 60)
    );
    assert_eq!(
        status.stage_at(utc("2023-12-30T12:00:00+01:00")).phase(),
        StagePhase::FinalHours
    );
    assert_eq!(
        status.stage_at(utc("2024-01-01T00:00:00+01:00")).phase(),
        StagePhase::EndedShort
    );
    assert_eq!(
        status.stage_at(utc("2023-11-13T23:00:00+01:00")).phase(),
        StagePhase::NotStarted
    );
    let json = serde_json::to_string(&status).unwrap();
    assert!(json.contains(r#""stages":[0,60,90]"#), "{json}");
    assert!(
        json.contains(r#""stage":{"phase":"running","threshold":60,"over":false}"#),
        "{json}"
    );
}

/// A refund whose gift is not named (a reversal) comes off what is raised, never below zero, only
/// in the window and by now, and says so in the breakdown; one of nothing is refused by name.
#[test]
fn reversals_come_off_what_is_raised_within_the_window() {
    let campaign = framasoft_2023().build().unwrap();
    let now = fixture_now();
    let gift = Donation::try_new("g", eur("100"), utc("2023-12-01T10:00:00Z")).unwrap();
    let mut tally = jauge::Tally::new(&campaign, now);
    tally.add(&gift).unwrap();
    assert!(tally
        .add_reversal("re_1", eur("40"), utc("2023-12-02T10:00:00Z"))
        .unwrap());
    // After the as-of instant, or before the start: not taken off.
    assert!(!tally
        .add_reversal("re_2", eur("10"), now + chrono::Duration::hours(1))
        .unwrap());
    assert!(!tally
        .add_reversal("re_3", eur("10"), utc("2023-01-01T00:00:00Z"))
        .unwrap());
    assert_eq!(
        tally.add_reversal("re_4", eur("0"), utc("2023-12-02T10:00:00Z")),
        Err(StatusError::Reversal {
            id: "re_4".to_owned(),
            reason: "0.00 EUR is not above zero".to_owned()
        })
    );
    let status = tally.finish().unwrap();
    let baseline = status.breakdown().baseline;
    assert_eq!(
        status.raised().amount(),
        baseline.amount() + eur("60").amount()
    );
    let unmatched = status.breakdown().unmatched_refunds.as_ref().unwrap();
    assert_eq!((unmatched.count, unmatched.amount), (1, eur("40")));
    // More given back than raised: zero, not below.
    let mut tally = jauge::Tally::new(&campaign, now);
    tally
        .add_reversal("re_5", eur("1000000"), utc("2023-12-02T10:00:00Z"))
        .unwrap();
    assert_eq!(tally.finish().unwrap().raised(), eur("0"));
}
