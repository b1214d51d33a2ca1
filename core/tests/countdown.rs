//! The countdown examples of a real campaign (deadline 31 December 2023, end of day, Paris),
//! each read at 09:00 Paris time.

use jauge::{Locale, TimeLeft};

use crate::support::{framasoft_2023, utc};

#[test]
fn the_2023_campaign_posts() {
    let campaign = framasoft_2023().build().unwrap();
    let told = |morning: &str| {
        let now = utc(&format!("{morning}T09:00:00+01:00"));
        let status = campaign.status([], now).unwrap();
        status.time().left.phrase(Locale::En)
    };
    assert_eq!(told("2023-11-21"), "six weeks");
    assert_eq!(told("2023-11-28"), "five weeks");
    // The campaign's post of 5 December said "five weeks": 26 days 15 hours is nearer four.
    assert_eq!(told("2023-12-05"), "four weeks");
    assert_eq!(told("2023-12-12"), "three weeks");
    assert_eq!(told("2023-12-19"), "12 days");
    assert_eq!(told("2023-12-26"), "5 days");
    assert_eq!(told("2023-12-28"), "3 days");
}

#[test]
fn the_last_day_never_says_zero_days() {
    let campaign = framasoft_2023().build().unwrap();
    let phrase = |at: &str| {
        campaign
            .status([], utc(at))
            .unwrap()
            .time()
            .left
            .phrase(Locale::En)
    };
    assert_eq!(phrase("2023-12-30T23:59:59+01:00"), "1 day");
    assert_eq!(phrase("2023-12-31T00:00:01+01:00"), "23 hours");
    assert_eq!(phrase("2023-12-31T22:59:00+01:00"), "1 hour");
    assert_eq!(phrase("2023-12-31T23:00:01+01:00"), "59 minutes");
    assert_eq!(phrase("2023-12-31T23:59:30+01:00"), "1 minute");
    assert_eq!(phrase("2024-01-01T00:00:00+01:00"), "ended");
}

#[test]
fn a_ticking_page_recomputes_from_the_document() {
    let campaign = framasoft_2023().build().unwrap();
    let status = campaign
        .status([], utc("2023-12-26T09:00:00+01:00"))
        .unwrap();
    let later = status.time_left_at(utc("2023-12-31T20:30:00+01:00"));
    assert_eq!(later, TimeLeft::from_seconds(3 * 3600 + 30 * 60));
    assert_eq!(later.phrase(Locale::Fr), "3 heures");
}
