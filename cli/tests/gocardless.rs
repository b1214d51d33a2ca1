//! GoCardless, live: signed deliveries of up to 250 events whose payments jauge reads through
//! GoCardless's API (a local server answering as it does, with its rate limits and failures),
//! on the real clock. Deliveries replayed in several orders, with repeats and early reversals,
//! end in the same store; an export of the same payments imported afterwards adds nothing; a
//! forged or foreign delivery changes nothing; a catch-up after downtime takes what was missed,
//! once.

use std::path::Path;

use chrono::Utc;
use jauge_platforms::gocardless;

use crate::fake_api::{fake_api as fake_api_with, FakeApi};
use crate::live::running_now;
use crate::serve::{request, serve_at};
use crate::support::{
    export_adds_nothing, gifts, hook_saved, jauge, raised, says_caught_up, stderr, three_orders,
};

const SECRET: &str = "gc_endpoint_secret_0123456789";
const TOKEN: &str = "live_gocardless_token_abcdef";

/// A local server answering as GoCardless's API, with its credentials and version required.
fn fake_api() -> FakeApi {
    let api = fake_api_with(
        &[
            format!("authorization: bearer {}", TOKEN.to_lowercase()),
            "gocardless-version: 2015-07-06".to_owned(),
        ],
        "resource_type",
        r#"{"events":[],"linked":{},"meta":{"cursors":{"before":null,"after":null},"limit":500}}"#,
    );
    for resource in ["payments", "refunds"] {
        api.state
            .lock()
            .unwrap()
            .pages
            .insert(("/events".into(), resource.into()), Vec::new());
    }
    api
}

/// Sets what the API says of `payment` (its JSON as GoCardless describes it).
fn set_payment(api: &FakeApi, id: &str, payment: &str) {
    api.state.lock().unwrap().resources.insert(
        format!("/payments/{id}"),
        format!(r#"{{"payments":{payment}}}"#),
    );
}

/// A monthly subscription, SB1.
fn monthly(api: &FakeApi) {
    api.state.lock().unwrap().resources.insert(
        "/subscriptions/SB1".into(),
        r#"{"subscriptions":{"id":"SB1","interval_unit":"monthly","interval":1,"status":"active"}}"#.into(),
    );
}

fn instant(minutes_ago: i64) -> String {
    (Utc::now() - chrono::Duration::minutes(minutes_ago))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A payment as GoCardless's API describes it.
fn payment(
    id: &str,
    cents: i64,
    created: &str,
    status: &str,
    refunded: i64,
    subscription: Option<&str>,
) -> String {
    let subscription = subscription.map_or(String::new(), |s| format!(r#","subscription":"{s}""#));
    format!(
        r#"{{"id":"{id}","created_at":"{created}","charge_date":"{}","amount":{cents},"description":"Don","currency":"EUR","status":"{status}","amount_refunded":{refunded},"reference":null,"metadata":{{}},"links":{{"mandate":"MD{id}","creditor":"CR1"{subscription}}}}}"#,
        &created[..10]
    )
}

/// An event about `payment`.
fn event(id: &str, resource: &str, action: &str, payment: &str, created: &str) -> String {
    format!(
        r#"{{"id":"{id}","created_at":"{created}","resource_type":"{resource}","action":"{action}","details":{{"origin":"gocardless","cause":"{action}","description":"…"}},"metadata":{{}},"links":{{"payment":"{payment}"}}}}"#
    )
}

fn delivery(events: &[String]) -> String {
    format!(
        r#"{{"events":[{}],"meta":{{"webhook_id":"WB1"}}}}"#,
        events.join(",")
    )
}

/// One payment's life, event by event, with the payment as it stands after each.
struct Life {
    id: &'static str,
    steps: Vec<(String, String)>,
}

/// Three payments created at `created`: PM1 monthly, submitted, confirmed, paid out; PM2
/// confirmed, then refunded 5 of 35; PM3 confirmed, then charged back.
fn lives(created: &str) -> Vec<Life> {
    let created = created.to_owned();
    let p = |id, cents, status, refunded, sub| payment(id, cents, &created, status, refunded, sub);
    let e = |id, resource, action, pm| event(id, resource, action, pm, &created);
    vec![
        Life {
            id: "PM1",
            steps: vec![
                (
                    e("EV11", "payments", "submitted", "PM1"),
                    p("PM1", 2000, "submitted", 0, Some("SB1")),
                ),
                (
                    e("EV12", "payments", "confirmed", "PM1"),
                    p("PM1", 2000, "confirmed", 0, Some("SB1")),
                ),
                (
                    e("EV13", "payments", "paid_out", "PM1"),
                    p("PM1", 2000, "paid_out", 0, Some("SB1")),
                ),
            ],
        },
        Life {
            id: "PM2",
            steps: vec![
                (
                    e("EV21", "payments", "confirmed", "PM2"),
                    p("PM2", 3500, "confirmed", 0, None),
                ),
                (
                    e("EV22", "refunds", "created", "PM2"),
                    p("PM2", 3500, "confirmed", 500, None),
                ),
            ],
        },
        Life {
            id: "PM3",
            steps: vec![
                (
                    e("EV31", "payments", "confirmed", "PM3"),
                    p("PM3", 1000, "confirmed", 0, None),
                ),
                (
                    e("EV32", "payments", "charged_back", "PM3"),
                    p("PM3", 1000, "charged_back", 0, None),
                ),
            ],
        },
    ]
}

fn hook(dir: &Path, api: &FakeApi, body: &str) -> std::process::Output {
    hook_saved(
        dir,
        "gocardless",
        body,
        &[
            ("JAUGE_GOCARDLESS_ACCESS_TOKEN", TOKEN.to_owned()),
            ("JAUGE_GOCARDLESS_API_BASE", api.base()),
        ],
    )
}

#[test]
fn deliveries_in_any_order_with_repeats_and_early_reversals_end_in_the_same_store() {
    // Each order delivers every event (some twice); the API answers with the payment as it
    // stands at delivery time: after the furthest step of its life delivered so far.
    let created = instant(90);
    let lengths: Vec<usize> = lives(&created).iter().map(|l| l.steps.len()).collect();
    let mut ends = Vec::new();
    // The reversals early: PM3's charge-back, PM2's refund, and PM1's creation.
    for order in three_orders(&lengths, &[(2, 1), (1, 1), (0, 0)]) {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path();
        running_now(dir);
        let api = fake_api();
        monthly(&api);
        let lives = lives(&created);
        let mut furthest = vec![0; lives.len()];
        for (l, s) in order {
            furthest[l] = furthest[l].max(s);
            let life = &lives[l];
            set_payment(&api, life.id, &life.steps[furthest[l]].1);
            let output = hook(dir, &api, &delivery(&[life.steps[s].0.clone()]));
            assert!(output.status.success(), "{}", stderr(&output));
        }
        // 20.00 + (35.00 − 5.00) + (10.00 charged back) = 50.00.
        assert_eq!(raised(dir), "50.00");
        ends.push(gifts(dir));
        // A repeat of every delivery changes nothing.
        let all: Vec<String> = lives
            .iter()
            .flat_map(|l| l.steps.iter().map(|s| s.0.clone()))
            .collect();
        let again = hook(dir, &api, &delivery(&all));
        assert!(
            stderr(&again).matches("taken before").count() == all.len(),
            "{}",
            stderr(&again)
        );
        assert_eq!(gifts(dir), ends[ends.len() - 1]);
    }
    assert_eq!(ends[0], ends[1]);
    assert_eq!(ends[0], ends[2]);
    let ledger = &ends[0];
    assert!(
        ledger.contains("gocardless:PM1") && ledger.contains("gocardless:SB1"),
        "{ledger}"
    );
    assert!(ledger.contains("bank_transfer"), "{ledger}");
}

#[test]
fn an_export_of_the_same_payments_adds_nothing_and_a_forged_or_foreign_delivery_changes_nothing() {
    let created = instant(90);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = fake_api();
    let lives = lives(&created);
    monthly(&api);
    for life in &lives {
        set_payment(&api, life.id, &life.steps.last().unwrap().1);
    }
    let base = api.base();
    let served = serve_at(
        dir,
        &[
            ("JAUGE_GOCARDLESS_WEBHOOK_SECRET", SECRET),
            ("JAUGE_GOCARDLESS_ACCESS_TOKEN", TOKEN),
            ("JAUGE_GOCARDLESS_API_BASE", &base),
        ],
        &[],
        "127.0.0.1:0",
        None,
    );
    // It catches up on start (an empty events list, said nowhere): waited for, so the faults
    // below are the deliveries' own.
    let started = std::time::Instant::now();
    while !api.asked("resource_type=refunds") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{}",
            served.log.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let post = |body: &str, signature: &str| {
        request(
            served.addr,
            "POST",
            "/hooks/gocardless",
            &[
                ("Webhook-Signature", signature),
                ("Content-Type", "application/json"),
            ],
            body.as_bytes(),
        )
        .unwrap()
    };
    let all: Vec<String> = lives
        .iter()
        .flat_map(|l| l.steps.iter().map(|s| s.0.clone()))
        .collect();
    let body = delivery(&all);

    // Forged: another secret, or the body altered after signing. 498, as GoCardless asks.
    let forged = post(&body, &gocardless::sign("not-the-secret", body.as_bytes()));
    assert_eq!(forged.status, 498, "{}", forged.text());
    let altered = body.replace("EV21", "EV29");
    let tampered = post(&altered, &gocardless::sign(SECRET, body.as_bytes()));
    assert_eq!(tampered.status, 498);
    assert_eq!(post(&body, "").status, 498);
    assert!(
        !api.state
            .lock()
            .unwrap()
            .requests
            .iter()
            .any(|r| r.starts_with("GET /payments/")),
        "a forged delivery made jauge ask the API"
    );

    // The API failing past its retries: 503, and nothing of the delivery is kept. While
    // GoCardless waits, each of the three payments is tried twice (a catch-up tries four times).
    api.state.lock().unwrap().faults = vec![(500, "", "{}"); 12];
    let asked = || {
        let state = api.state.lock().unwrap();
        state
            .requests
            .iter()
            .filter(|r| r.starts_with("GET /payments/"))
            .count()
    };
    let before = asked();
    let failing = post(&body, &gocardless::sign(SECRET, body.as_bytes()));
    assert_eq!(failing.status, 503, "{}", failing.text());
    assert_eq!(asked() - before, 6);
    assert_eq!(raised(dir), "0.00");

    // A rate limit on the way is waited out; the whole delivery is taken in one answer.
    api.state.lock().unwrap().faults = vec![(429, "Retry-After: 1\r\n", "{}")];
    let taken = post(&body, &gocardless::sign(SECRET, body.as_bytes()));
    assert_eq!(taken.status, 200, "{}", taken.text());
    assert_eq!(taken.text().lines().count(), all.len(), "{}", taken.text());
    assert_eq!(raised(dir), "50.00");

    // Foreign: a payment the API does not know, and a mandate's event; a replay of the whole
    // delivery. Acknowledged, and nothing changes.
    let before = gifts(dir);
    let foreign = delivery(&[
        event("EV91", "payments", "confirmed", "PM999", &instant(5)),
        r#"{"id":"EV92","created_at":"2024-01-01T00:00:00.000Z","resource_type":"mandates","action":"created","links":{"mandate":"MD9"}}"#.to_owned(),
        // One that cannot be read (no resource type): kept as such, never stopping the others.
        r#"{"id":"EV93","created_at":"2024-01-01T00:00:00.000Z","action":"created"}"#.to_owned(),
    ]);
    let answer = post(&foreign, &gocardless::sign(SECRET, foreign.as_bytes()));
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(
        answer
            .text()
            .contains("EV91: ignored: GoCardless's API does not know the payment PM999"),
        "{}",
        answer.text()
    );
    assert!(
        answer
            .text()
            .contains("EV93: ignored: unreadable: events[2].resource_type"),
        "{}",
        answer.text()
    );
    let replay = post(&body, &gocardless::sign(SECRET, body.as_bytes()));
    assert_eq!(replay.status, 200);
    assert_eq!(
        replay.text().matches("taken before").count(),
        all.len(),
        "{}",
        replay.text()
    );
    assert_eq!(gifts(dir), before);
    let log = served.log.lock().unwrap().clone();
    assert!(!log.contains(SECRET) && !log.contains(TOKEN), "{log}");
    drop(served);

    // The export of the same payments, imported afterwards: nothing added, nothing changed.
    let rows: Vec<String> = lives
        .iter()
        .map(|life| {
            let p: serde_json::Value = serde_json::from_str(&life.steps.last().unwrap().1).unwrap();
            let cents = p["amount"].as_i64().unwrap();
            let refunded = p["amount_refunded"].as_i64().unwrap();
            format!(
                "{},{},{}.{:02},EUR,{},{}.{:02},{},{}",
                p["id"].as_str().unwrap(),
                p["created_at"].as_str().unwrap(),
                cents / 100,
                cents % 100,
                p["status"].as_str().unwrap(),
                refunded / 100,
                refunded % 100,
                p["links"]["mandate"].as_str().unwrap(),
                p["links"]["subscription"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let said = export_adds_nothing(
        dir,
        "gocardless",
        "payments-export.csv",
        "id,created_at,amount,currency,status,amount_refunded,links.mandate,links.subscription",
        &rows,
    );
    assert!(said.contains("3 already present"), "{said}");
}

#[test]
fn on_the_real_clock_missed_events_are_caught_up_once() {
    let created = instant(90);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = fake_api();
    let lives = lives(&created);
    let page = |events: &[String], linked: &[String], after: Option<&str>| {
        format!(
            r#"{{"events":[{}],"linked":{{"payments":[{}]}},"meta":{{"cursors":{{"before":null,"after":{}}},"limit":500}}}}"#,
            events.join(","),
            linked.join(","),
            after.map_or("null".to_owned(), |a| format!("\"{a}\""))
        )
    };
    let last = |l: usize| lives[l].steps.last().unwrap().1.clone();
    {
        let mut state = api.state.lock().unwrap();
        // PM2's refund event names its payment, which is read on its own.
        state.resources.insert(
            "/payments/PM2".into(),
            format!(r#"{{"payments":{}}}"#, last(1)),
        );
        state.resources.insert(
            "/subscriptions/SB1".into(),
            r#"{"subscriptions":{"id":"SB1","interval_unit":"monthly","interval":1}}"#.into(),
        );
        state.faults = vec![(429, "Retry-After: 1\r\n", "{}"), (500, "", "{}")];
        state.pages.insert(
            ("/events".into(), "payments".into()),
            vec![
                page(
                    &[lives[0].steps[2].0.clone(), lives[2].steps[1].0.clone()],
                    &[last(0), last(2)],
                    Some("EV32"),
                ),
                page(
                    &[
                        lives[0].steps[0].0.clone(),
                        lives[1].steps[0].0.clone(),
                        lives[2].steps[0].0.clone(),
                    ],
                    &[last(0), last(2)],
                    None,
                ),
            ],
        );
        state.pages.insert(
            ("/events".into(), "refunds".into()),
            vec![page(&[lives[1].steps[1].0.clone()], &[], None)],
        );
    }
    let run = || {
        jauge()
            .args(["catch-up", "--timeout", "5", "--campaign"])
            .arg(dir.join("campaign.toml"))
            .env("JAUGE_GOCARDLESS_ACCESS_TOKEN", TOKEN)
            .env("JAUGE_GOCARDLESS_API_BASE", api.base())
            .output()
            .unwrap()
    };
    let output = run();
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("gocardless: 6 events since") && said.contains("6 applied"),
        "{said}"
    );
    assert_eq!(raised(dir), "50.00");
    let requests = api.state.lock().unwrap().requests.clone();
    let events: Vec<&String> = requests
        .iter()
        .filter(|r| r.starts_with("GET /events?"))
        .collect();
    assert!(
        events[0].contains("resource_type=payments") && events[0].contains("&include=payment"),
        "{}",
        events[0]
    );
    assert!(
        events.iter().any(|r| r.contains("&after=EV32 ")),
        "{events:?}"
    );
    assert!(
        requests.iter().any(|r| r.starts_with("GET /payments/PM2 ")),
        "{requests:?}"
    );
    assert!(!said.contains(TOKEN));
    says_caught_up(dir, "gocardless");

    // Again, the same events listed, with one the first listing missed (EV12): nothing twice.
    {
        let mut state = api.state.lock().unwrap();
        let all: Vec<String> = lives
            .iter()
            .flat_map(|l| l.steps.iter().map(|s| s.0.clone()))
            .collect();
        state.pages.insert(
            ("/events".into(), "payments".into()),
            vec![page(&all, &[last(0), last(1), last(2)], None)],
        );
    }
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("1 applied, 6 taken before"),
        "{}",
        stderr(&output)
    );
    assert_eq!(raised(dir), "50.00");
}
