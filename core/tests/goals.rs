//! Goals beyond money (donors, gifts, money a month) and matching pledges shown apart from what
//! donors gave.

use jauge::{
    parse_zone, Campaign, CampaignBuilder, CampaignError, Currency, Decimal, Donation,
    DonationStatus, Headline, Interval, Locale, Measure, Money, Quantity, StatusDocument,
};

use crate::support::{eur, utc};

fn gift(id: &str, amount: &str, at: &str, donor: &str) -> Donation {
    Donation::try_new(id, eur(amount), utc(at))
        .unwrap()
        .with_donor(donor)
}

/// Three donors (a twice), a monthly supporter, one failed and one pending gift, and a
/// sponsor's own payment of its match.
fn ledger() -> Vec<Donation> {
    vec![
        gift("g1", "50", "2024-01-03T10:00:00Z", "a"),
        gift("g2", "30", "2024-01-05T10:00:00Z", "a"),
        gift("g3", "20", "2024-01-08T10:00:00Z", "b"),
        gift("m1", "10", "2024-01-10T10:00:00Z", "c")
            .recurring(Interval::Monthly, "sub-c")
            .unwrap(),
        gift("f1", "99", "2024-01-11T10:00:00Z", "d")
            .with_status(DonationStatus::Failed)
            .unwrap(),
        gift("p1", "77", "2024-01-12T10:00:00Z", "e")
            .with_status(DonationStatus::Pending)
            .unwrap(),
    ]
}

fn campaign(goal: impl Into<Quantity>) -> CampaignBuilder {
    Campaign::builder("Supporters", goal, parse_zone("Europe/Paris").unwrap())
        .currency(Currency::EUR)
        .start("2024-01-01".parse().unwrap())
        .deadline("2024-01-31".parse().unwrap())
}

fn status(campaign: CampaignBuilder, ledger: &[Donation]) -> StatusDocument {
    campaign
        .build()
        .unwrap()
        .status(ledger, utc("2024-01-20T12:00:00+01:00"))
        .unwrap()
}

/// The document reads back as it was written, through jauge's reader and through serde.
fn round_trips(status: &StatusDocument) {
    let json = status.to_json_pretty();
    assert_eq!(&StatusDocument::from_json(&json).unwrap(), status, "{json}");
    assert_eq!(
        &serde_json::from_str::<StatusDocument>(&json).unwrap(),
        status
    );
}

#[test]
fn a_goal_in_donors_counts_distinct_donors() {
    let status = status(
        campaign(Quantity::Donors(10)).milestone(Quantity::Donors(5), "Five friends"),
        &ledger(),
    );
    // a, b and c: the failed and the pending gifts' donors do not count.
    assert_eq!(status.progress(), Quantity::Donors(3));
    assert_eq!(status.remaining(), Quantity::Donors(7));
    assert_eq!(status.surplus(), Quantity::Donors(0));
    assert_eq!(status.percent().to_string(), "30.00");
    assert!(!status.reached());
    assert!(!status.milestones()[0].reached);
    // The money is still counted, and said apart.
    assert_eq!(status.raised(), eur("110"));
    assert_eq!(status.measure(), Measure::Donors);
    // A goal in donors is not met by money a day.
    assert_eq!(status.pace().needed_per_day, None);
    assert_eq!(
        status.appeal(Locale::En),
        "We have 11 days left and 7 donors to go: we can't do it without your help!"
    );
    assert_eq!(
        status.appeal(Locale::Fr),
        "Il nous reste 11 jours et encore 7 donateurs à trouver\u{a0}: nous ne pouvons pas y \
         arriver sans votre aide\u{202f}!"
    );
    let json = status.to_json_pretty();
    assert!(
        json.contains(r#""goal": {"#) && json.contains(r#""donors": 10"#),
        "{json}"
    );
    assert!(json.contains(r#""progress": {"#), "{json}");
    round_trips(&status);
}

#[test]
fn a_goal_in_gifts_counts_each_payment() {
    let status = status(campaign(Quantity::Gifts(4)), &ledger());
    assert_eq!(status.progress(), Quantity::Gifts(4));
    assert!(status.reached());
    assert_eq!(status.percent_display(), 100);
    assert_eq!(
        status.surplus().format(Locale::En, Headline::Down),
        "0 gifts"
    );
    round_trips(&status);
    let one = status_of_one_gift();
    assert_eq!(one.format(Locale::En, Headline::Down), "1 gift");
    assert_eq!(one.format(Locale::De, Headline::Down), "1 Spende");
}

fn status_of_one_gift() -> Quantity {
    status(campaign(Quantity::Gifts(4)), &ledger()[..1]).progress()
}

#[test]
fn a_goal_in_money_a_month_counts_the_subscriptions_still_paying() {
    let goal: Quantity = "100 EUR per month".parse().unwrap();
    let status = status(
        campaign(goal).milestone("50 EUR per month".parse::<Quantity>().unwrap(), "Half"),
        &ledger(),
    );
    assert_eq!(status.progress(), "10 EUR per month".parse().unwrap());
    assert_eq!(status.remaining().to_string(), "90.00 EUR per month");
    assert_eq!(status.percent().to_string(), "10.00");
    assert_eq!(
        status.remaining().format(Locale::En, Headline::Up),
        "€90 a month"
    );
    assert_eq!(
        status.appeal(Locale::En),
        "We have 11 days left to raise €90 a month: we can't do it without your help!"
    );
    round_trips(&status);
}

#[test]
fn a_pledge_matches_what_donors_gave_up_to_its_cap() {
    let money = |goal: &str| campaign(eur(goal));
    // Donors gave 110; the sponsor doubles up to 50.
    let capped = status(
        money("1000").matching("ACME", Decimal::ONE, eur("50")),
        &ledger(),
    );
    assert_eq!(capped.raised(), eur("110"));
    assert_eq!(capped.progress(), Quantity::Money(eur("160")));
    assert_eq!(capped.matching()[0].amount, eur("50"));
    assert_eq!(capped.percent().to_string(), "16.00");
    round_trips(&capped);
    // Half of each gift, well under its cap.
    let half = status(
        money("1000").matching("ACME", Decimal::new(5, 1), eur("1000")),
        &ledger(),
    );
    assert_eq!(half.matching()[0].amount, eur("55"));
    assert_eq!(half.progress(), Quantity::Money(eur("165")));
    // What the sponsor paid in is the pledge's payment, not a gift to match nor a second
    // match: the total toward the goal is the same.
    let mut paid = ledger();
    paid.push(gift("acme-1", "20", "2024-01-15T10:00:00Z", "acme").matched_by("ACME"));
    let paid = status(
        money("1000").matching("ACME", Decimal::ONE, eur("50")),
        &paid,
    );
    assert_eq!(paid.raised(), eur("130"));
    assert_eq!(paid.matching()[0].amount, eur("50"));
    assert_eq!(paid.progress(), Quantity::Money(eur("160")));
    // Without a pledge the document is as it always was: no progress, no matching.
    let plain = status(money("1000"), &ledger()).to_json_pretty();
    assert!(!plain.contains("progress") && !plain.contains("matching"));
}

#[test]
fn a_pledge_beside_a_goal_in_donors_adds_money_not_donors() {
    let status = status(
        campaign(Quantity::Donors(10)).matching("ACME", Decimal::ONE, eur("500")),
        &ledger(),
    );
    assert_eq!(status.progress(), Quantity::Donors(3));
    assert_eq!(status.matching()[0].amount, eur("110"));
    round_trips(&status);
}

#[test]
fn a_document_whose_quantities_disagree_with_its_goal_is_refused() {
    let status = status(campaign(Quantity::Donors(10)), &ledger());
    let json: serde_json::Value = serde_json::from_str(&status.to_json_pretty()).unwrap();
    let mut money_remaining = json.clone();
    money_remaining["remaining"] = serde_json::json!({"amount": "7.00", "currency": "EUR"});
    let error = StatusDocument::from_json(&money_remaining.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "not a valid jauge status document: remaining: not in what the goal counts"
    );
    let mut wrong_count = json.clone();
    wrong_count["remaining"] = serde_json::json!({"donors": 6});
    assert!(StatusDocument::from_json(&wrong_count.to_string())
        .unwrap_err()
        .to_string()
        .contains("remaining: disagrees"));
    let mut gifts = json;
    gifts["progress"] = serde_json::json!({"gifts": 3});
    assert!(StatusDocument::from_json(&gifts.to_string()).is_err());
}

#[test]
fn a_campaign_says_what_its_goal_needs() {
    let zone = parse_zone("Europe/Paris").unwrap();
    let dated = |b: CampaignBuilder| {
        b.start("2024-01-01".parse().unwrap())
            .deadline("2024-01-31".parse().unwrap())
            .build()
    };
    assert_eq!(
        dated(Campaign::builder("x", Quantity::Donors(10), zone)).unwrap_err(),
        CampaignError::MissingCurrency(Quantity::Donors(10))
    );
    assert!(matches!(
        dated(campaign(Quantity::Donors(10)).milestone(eur("5"), "Money")),
        Err(CampaignError::MilestoneMeasure { .. })
    ));
    assert!(matches!(
        dated(Campaign::builder("x", eur("10"), zone).currency(Currency::USD)),
        Err(CampaignError::CurrencyNotGoals { .. })
    ));
    for (sponsor, ratio, up_to, reason) in [
        (" ", Decimal::ONE, eur("5"), "a sponsor's name"),
        ("ACME", Decimal::ZERO, eur("5"), "above zero"),
        (
            "ACME",
            Decimal::ONE,
            Money::parse("5 USD").unwrap(),
            "currency",
        ),
        ("ACME", Decimal::ONE, eur("0"), "above zero"),
    ] {
        let error = dated(campaign(eur("10")).matching(sponsor, ratio, up_to))
            .unwrap_err()
            .to_string();
        assert!(error.contains(reason), "{error}");
    }
    assert_eq!(
        dated(Campaign::builder("x", Quantity::Gifts(0), zone).currency(Currency::EUR))
            .unwrap_err(),
        CampaignError::GoalNotPositive(Quantity::Gifts(0))
    );
}

#[test]
fn a_campaign_file_writes_its_goal_as_text() {
    let campaign: Campaign = toml_like(
        r#"{"name": "Supporters", "goal": "500 donors", "currency": "EUR",
            "time_zone": "Europe/Paris", "start": "2024-01-01", "deadline": "2024-01-31",
            "milestones": [{"amount": "250 donors", "label": "Halfway"}],
            "matching": [{"sponsor": "ACME", "ratio": "1", "up_to": "1000 EUR"}]}"#,
    );
    assert_eq!(campaign.goal(), Quantity::Donors(500));
    assert_eq!(campaign.currency(), Currency::EUR);
    assert_eq!(campaign.milestones()[0].amount(), Quantity::Donors(250));
    assert_eq!(campaign.matching()[0].up_to(), eur("1000"));
}

fn toml_like(json: &str) -> Campaign {
    serde_json::from_str(json).unwrap()
}
