//! Shared builders for the integration tests.

use chrono::{DateTime, Utc};
use jauge::{
    parse_zone, AppealState, Appeals, Campaign, CampaignBuilder, Channel, Currency, Donation,
    DonationStatus, Interval, Locale, Money,
};

pub fn eur(amount: &str) -> Money {
    Money::parse_in(amount, Currency::EUR).unwrap()
}

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A campaign shaped like Framasoft's 2023 year-end campaign.
pub fn framasoft_2023() -> CampaignBuilder {
    let appeals = Appeals::default()
        .with(
            AppealState::Running,
            Locale::En,
            "If we are to balance our budget for 2024, we have {time_left} left to raise {remaining}: \
             we can't do it without your help!",
        )
        .unwrap()
        .with(
            AppealState::Running,
            Locale::Fr,
            "Pour boucler notre budget 2024, il nous reste {time_left} pour collecter {remaining}\u{a0}: \
             nous ne pouvons pas y arriver sans votre aide\u{a0}!",
        )
        .unwrap();
    Campaign::builder(
        "Framasoft 2023",
        eur("200000"),
        parse_zone("Europe/Paris").unwrap(),
    )
    .start("2023-11-14".parse().unwrap())
    .deadline("2023-12-31".parse().unwrap())
    .milestone(eur("60000"), "Servers and bandwidth for 2024")
    .milestone(eur("100000"), "Halfway")
    .milestone(eur("200000"), "Budget balanced")
    .milestone(eur("230000"), "Stretch: a new online service")
    .appeals(appeals)
}

/// The instant of the fixture: 26 December 2023, 08:00 in Paris.
pub fn fixture_now() -> DateTime<Utc> {
    utc("2023-12-26T08:00:00+01:00")
}

fn gift(id: &str, amount: &str, at: &str) -> Donation {
    Donation::try_new(id, eur(amount), utc(at)).unwrap()
}

/// A small ledger with one of everything: statuses, channels, recurring payments, a match, gifts
/// outside the window.
pub fn fixture_ledger() -> Vec<Donation> {
    let monthly = |id: &str, at: &str, donor: &str| {
        gift(id, "10", at)
            .recurring(Interval::Monthly, "sub-alice")
            .unwrap()
            .with_fee(eur("0.35"))
            .unwrap()
            .with_donor(donor)
    };
    vec![
        gift("before-start", "50", "2023-11-13T22:59:59Z"),
        monthly("m-1", "2023-11-20T09:00:00+01:00", "alice"),
        monthly("m-2", "2023-12-20T09:00:00+01:00", "alice"),
        gift("one-1", "30", "2023-12-19T10:15:00+01:00")
            .with_fee(eur("0.80"))
            .unwrap()
            .with_donor("bob"),
        gift("one-2", "50", "2023-12-20T18:40:00+01:00").with_donor("bob"),
        gift("one-3", "1000", "2023-12-21T12:00:00+01:00")
            .with_channel(Channel::BankTransfer)
            .with_donor("carol"),
        gift("cheque-1", "150", "2023-12-22T09:00:00+01:00").with_channel(Channel::Offline),
        gift("pending-cheque", "500", "2023-12-23T09:00:00+01:00")
            .with_channel(Channel::Offline)
            .with_status(DonationStatus::Pending)
            .unwrap(),
        gift("failed-card", "20", "2023-12-23T11:00:00+01:00")
            .with_status(DonationStatus::Failed)
            .unwrap(),
        gift("part-refund", "100", "2023-12-24T15:00:00+01:00")
            .with_status(DonationStatus::Refunded {
                refunded: eur("40"),
            })
            .unwrap()
            .with_donor("dan"),
        gift("full-refund", "75", "2023-12-24T16:00:00+01:00")
            .with_status(DonationStatus::Refunded {
                refunded: eur("75"),
            })
            .unwrap(),
        gift("match-1", "1000", "2023-12-25T10:00:00+01:00")
            .matched_by("ACME Coop")
            .with_donor("acme"),
        gift("after-as-of", "25", "2023-12-26T10:00:00+01:00"),
    ]
}

/// The fixture campaign, with a baseline that brings it to Framasoft's figure of
/// 26 December 2023: €128,602.42 raised, €71,397.58 still to raise.
pub fn fixture_campaign() -> Campaign {
    framasoft_2023()
        .baseline(
            eur("126292.42"),
            "Gifts received from 14 November to 18 December",
        )
        .build()
        .unwrap()
}
