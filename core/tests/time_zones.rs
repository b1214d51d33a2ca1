//! Deadlines and countdowns across daylight-saving changes, in three hemispheres' zones.

use jauge::{parse_zone, Campaign, CampaignError, Locale, TimeError, TimeUnit};

use crate::support::{eur, utc};

fn campaign(zone: &str, start: &str, deadline: &str) -> Result<Campaign, CampaignError> {
    Campaign::builder("DST", eur("1000"), parse_zone(zone).unwrap())
        .start(start.parse().unwrap())
        .deadline(deadline.parse().unwrap())
        .build()
}

#[test]
fn paris_deadline_on_the_last_sunday_of_october() {
    let c = campaign("Europe/Paris", "2024-10-01", "2024-10-27").unwrap();
    // The end of a 25-hour day: midnight after it, in winter time.
    assert_eq!(c.deadline(), utc("2024-10-28T00:00:00+01:00"));
    // From Saturday 09:00 (summer time) to Monday 00:00 (winter time) is 40 real hours.
    let status = c.status([], utc("2024-10-26T09:00:00+02:00")).unwrap();
    assert_eq!(status.time().left.seconds(), 40 * 3600);
    assert_eq!(
        (status.time().left.unit(), status.time().left.count()),
        (TimeUnit::Days, 1)
    );
    // 02:30 happens twice that night: an error unless the offset says which.
    let err = campaign("Europe/Paris", "2024-10-01", "2024-10-27T02:30").unwrap_err();
    assert!(matches!(
        err,
        CampaignError::Time {
            source: TimeError::Ambiguous { .. },
            ..
        }
    ));
    let second = campaign("Europe/Paris", "2024-10-01", "2024-10-27T02:30:00+01:00").unwrap();
    assert_eq!(second.deadline(), utc("2024-10-27T01:30:00Z"));
    let status = second.status([], utc("2024-10-27T01:00:00+02:00")).unwrap();
    assert_eq!(status.time().left.phrase(Locale::En), "2 hours");
}

#[test]
fn paris_deadline_on_the_last_sunday_of_march() {
    let c = campaign("Europe/Paris", "2024-03-01", "2024-03-31").unwrap();
    assert_eq!(c.deadline(), utc("2024-04-01T00:00:00+02:00"));
    // Saturday 12:00 (winter) to Monday 00:00 (summer): 35 hours, not 36.
    let status = c.status([], utc("2024-03-30T12:00:00+01:00")).unwrap();
    assert_eq!(status.time().left.seconds(), 35 * 3600);
    let err = campaign("Europe/Paris", "2024-03-01", "2024-03-31T02:30").unwrap_err();
    assert_eq!(
        err.to_string(),
        "deadline: 2024-03-31 02:30:00 does not exist in Europe/Paris: clocks skip it (daylight saving); choose another time"
    );
    // 02:00 on the 31st is skipped too: a start on that wall-clock time is refused, not moved.
    assert!(campaign("Europe/Paris", "2024-03-31T02:00", "2024-04-30").is_err());
}

#[test]
fn new_york_campaign_over_the_november_change() {
    let c = campaign("America/New_York", "2024-10-01", "2024-11-03").unwrap();
    assert_eq!(c.deadline(), utc("2024-11-04T00:00:00-05:00"));
    let status = c.status([], utc("2024-11-02T12:00:00-04:00")).unwrap();
    assert_eq!(status.time().left.seconds(), 37 * 3600);
    assert_eq!(
        status.campaign().deadline.to_rfc3339(),
        "2024-11-04T00:00:00-05:00"
    );
    assert_eq!(
        status.campaign().start.to_rfc3339(),
        "2024-10-01T00:00:00-04:00"
    );
    assert!(campaign("America/New_York", "2024-10-01", "2024-11-03T01:30").is_err());
    assert!(campaign("America/New_York", "2024-03-10T02:30", "2024-04-01").is_err());
}

#[test]
fn auckland_campaign_in_the_southern_hemisphere() {
    // New Zealand springs forward on the last Sunday of September, falls back on the first
    // Sunday of April.
    let spring = campaign("Pacific/Auckland", "2024-09-01", "2024-09-29").unwrap();
    assert_eq!(spring.deadline(), utc("2024-09-30T00:00:00+13:00"));
    let autumn = campaign("Pacific/Auckland", "2024-03-01", "2024-04-07").unwrap();
    assert_eq!(autumn.deadline(), utc("2024-04-08T00:00:00+12:00"));
    let status = autumn.status([], utc("2024-04-06T12:00:00+13:00")).unwrap();
    assert_eq!(status.time().left.seconds(), 37 * 3600);
    assert!(campaign("Pacific/Auckland", "2024-03-01", "2024-04-07T02:30").is_err());
    assert!(campaign("Pacific/Auckland", "2024-09-29T02:30", "2024-10-30").is_err());
}

#[test]
fn donations_at_the_boundaries() {
    let c = campaign("Europe/Paris", "2023-11-14", "2023-12-31").unwrap();
    let gift = |id: &str, at: &str| jauge::Donation::try_new(id, eur("1"), utc(at)).unwrap();
    let ledger = [
        gift("first-instant", "2023-11-14T00:00:00+01:00"),
        gift("last-second", "2023-12-31T23:59:59+01:00"),
        gift("new-year", "2024-01-01T00:00:00+01:00"),
        gift("eve-of-start", "2023-11-13T23:59:59+01:00"),
    ];
    let status = c.status(&ledger, utc("2024-01-02T00:00:00Z")).unwrap();
    assert_eq!(status.raised(), eur("2"));
    assert_eq!(status.breakdown().excluded.before_start.count, 1);
    assert_eq!(status.breakdown().excluded.after_deadline.count, 1);
}
