//! Mollie, live: classic webhooks (a payment's id, unsigned) and next-gen ones (signed events),
//! each only a nudge to read the payment through Mollie's API (a local server answering as it
//! does), on the real clock. Nudges replayed in several orders, with repeats and early
//! reversals, end in the same store; an export of the same payments imported afterwards adds
//! nothing; a forged, foreign or test-mode nudge changes nothing; a catch-up after downtime
//! takes what was missed, once.

use std::path::Path;

use chrono::Utc;
use jauge_platforms::mollie;

use crate::fake_api::{fake_api, FakeApi};
use crate::live::running_now;
use crate::serve::{request, serve_at};
use crate::support::{
    export_adds_nothing, gifts, holds_nothing, hook_saved, jauge, raised, says_caught_up, stderr,
    three_orders,
};

const KEY: &str = "live_mollie_key_0123456789abcdef";
const SIGNING: &str = "mollie_signing_secret_abcdef";

fn api() -> FakeApi {
    let api = fake_api(
        &[format!("authorization: bearer {}", KEY.to_lowercase())],
        "",
        r#"{"count":0,"_embedded":{"payments":[],"refunds":[],"chargebacks":[]},"_links":{"next":null}}"#,
    );
    {
        let mut state = api.state.lock().unwrap();
        for list in ["/v2/payments", "/v2/refunds", "/v2/chargebacks"] {
            state.pages.insert((list.into(), String::new()), Vec::new());
        }
        state.resources.insert(
            "/v2/customers/cst_1/subscriptions/sub_1".into(),
            r#"{"resource":"subscription","id":"sub_1","mode":"live","status":"active","interval":"1 month","customerId":"cst_1"}"#.into(),
        );
    }
    api
}

fn instant(minutes_ago: i64) -> String {
    (Utc::now() - chrono::Duration::minutes(minutes_ago))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        .replace('Z', "+00:00")
}

/// A payment as Mollie's API describes it.
fn payment(id: &str, value: &str, created: &str, status: &str, back: (&str, &str)) -> String {
    let (refunded, charged_back) = back;
    let subscription = if id == "tr_1" {
        r#","customerId":"cst_1","subscriptionId":"sub_1","sequenceType":"recurring""#
    } else {
        r#","sequenceType":"oneoff""#
    };
    format!(
        r#"{{"resource":"payment","id":"{id}","mode":"live","createdAt":"{created}","amount":{{"value":"{value}","currency":"EUR"}},"description":"Don","method":"ideal","status":"{status}","amountRefunded":{{"value":"{refunded}","currency":"EUR"}},"amountChargedBack":{{"value":"{charged_back}","currency":"EUR"}},"profileId":"pfl_1"{subscription},"_links":{{}}}}"#
    )
}

/// A nudge about `id`: classic (a form) or next-gen (an event).
fn nudge(id: &str, next_gen: bool) -> String {
    if next_gen {
        format!(
            r#"{{"resource":"event","id":"event_{id}_{}","type":"payment.updated","entityId":"{id}","createdAt":"{}","_links":{{}}}}"#,
            Utc::now().timestamp_micros(),
            instant(0)
        )
    } else {
        format!("id={id}")
    }
}

/// Four payments' lives: tr_1 monthly, paid; tr_2 paid then refunded 10 of 40; tr_3 paid then
/// charged back; tr_4 open, then expired.
fn lives(created: &str) -> Vec<(&'static str, Vec<String>)> {
    let p = |id, value, status, back| payment(id, value, created, status, back);
    let none = ("0.00", "0.00");
    vec![
        (
            "tr_1",
            vec![
                p("tr_1", "25.00", "open", none),
                p("tr_1", "25.00", "paid", none),
            ],
        ),
        (
            "tr_2",
            vec![
                p("tr_2", "40.00", "paid", none),
                p("tr_2", "40.00", "paid", ("10.00", "0.00")),
            ],
        ),
        (
            "tr_3",
            vec![
                p("tr_3", "15.00", "paid", none),
                p("tr_3", "15.00", "paid", ("0.00", "15.00")),
            ],
        ),
        (
            "tr_4",
            vec![
                p("tr_4", "60.00", "open", none),
                p("tr_4", "60.00", "expired", none),
            ],
        ),
    ]
}

fn hook(dir: &Path, api: &FakeApi, body: &str) -> std::process::Output {
    hook_saved(
        dir,
        "mollie",
        body,
        &[
            ("JAUGE_MOLLIE_API_KEY", KEY.to_owned()),
            ("JAUGE_MOLLIE_API_BASE", api.base()),
        ],
    )
}

#[test]
fn nudges_in_any_order_with_repeats_and_early_reversals_end_in_the_same_store() {
    let created = instant(90);
    let lengths: Vec<usize> = lives(&created).iter().map(|(_, s)| s.len()).collect();
    let mut ends = Vec::new();
    // The reversals early: tr_3's charge-back, tr_2's refund, tr_4's expiry.
    for order in three_orders(&lengths, &[(2, 1), (1, 1), (3, 1)]) {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path();
        running_now(dir);
        let api = api();
        let lives = lives(&created);
        let mut furthest = vec![0; lives.len()];
        for (n, (l, s)) in order.into_iter().enumerate() {
            furthest[l] = furthest[l].max(s);
            let (id, states) = &lives[l];
            api.state
                .lock()
                .unwrap()
                .resources
                .insert(format!("/v2/payments/{id}"), states[furthest[l]].clone());
            // Classic and next-gen nudges, in turn.
            let output = hook(dir, &api, &nudge(id, n % 2 == 1));
            assert!(output.status.success(), "{}", stderr(&output));
        }
        // 25.00 + (40.00 − 10.00) + (15.00 charged back) + (expired) = 55.00.
        assert_eq!(raised(dir), "55.00");
        ends.push(gifts(dir));
        for (id, _) in &lives {
            let again = hook(dir, &api, &nudge(id, false));
            assert!(
                stderr(&again).contains("taken before"),
                "{}",
                stderr(&again)
            );
        }
        assert_eq!(gifts(dir), ends[ends.len() - 1]);
    }
    assert_eq!(ends[0], ends[1]);
    assert_eq!(ends[0], ends[2]);
    assert!(
        ends[0].contains("mollie:tr_1") && ends[0].contains("mollie:sub_1"),
        "{}",
        ends[0]
    );
}

#[test]
fn forged_foreign_and_test_nudges_change_nothing_and_an_export_adds_nothing() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = api();
    let created = instant(90);
    let lives = lives(&created);
    {
        let mut state = api.state.lock().unwrap();
        for (id, states) in &lives {
            state
                .resources
                .insert(format!("/v2/payments/{id}"), states.last().unwrap().clone());
        }
        state.resources.insert(
            "/v2/payments/tr_test".into(),
            payment("tr_test", "99.00", &created, "paid", ("0.00", "0.00"))
                .replace(r#""mode":"live""#, r#""mode":"test""#),
        );
    }
    let served = serve_at(
        dir,
        &[
            ("JAUGE_MOLLIE_API_KEY", KEY),
            ("JAUGE_MOLLIE_WEBHOOK_SECRET", SIGNING),
            ("JAUGE_MOLLIE_API_BASE", &api.base()),
        ],
        &[],
        "127.0.0.1:0",
        None,
    );
    // It catches up on start (empty lists, said nowhere): waited for, so that the faults below
    // are the nudges' own.
    let started = std::time::Instant::now();
    while !api.asked("GET /v2/chargebacks") {
        assert!(
            started.elapsed().as_secs() < 30,
            "{}",
            served.log.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let post = |body: &str, headers: &[(&str, &str)]| {
        request(
            served.addr,
            "POST",
            "/hooks/mollie",
            headers,
            body.as_bytes(),
        )
        .unwrap()
    };
    let form = [("Content-Type", "application/x-www-form-urlencoded")];

    // A next-gen event whose signature fails: refused, and the API is not asked.
    let event = nudge("tr_2", true);
    let forged = post(
        &event,
        &[(
            "X-Mollie-Signature",
            &mollie::sign("not-it", event.as_bytes()),
        )],
    );
    assert_eq!(forged.status, 400, "{}", forged.text());
    assert_eq!(post(&event, &[]).status, 400);
    assert!(!api.asked("GET /v2/payments/tr_2"));

    // Nudges about what is not this organisation's payment: acknowledged, nothing written.
    for body in [
        "id=tr_unknown1",
        "id=ord_kEn1PlbGa",
        "id=tr_../../v2/customers",
        "id=tr_test",
    ] {
        let answer = post(body, &form);
        assert_eq!(answer.status, 200, "{body}: {}", answer.text());
    }
    assert!(api.asked("GET /v2/payments/tr_unknown1"));
    assert!(!api.asked("/v2/customers HTTP"));
    assert!(holds_nothing(&dir.join("donations.db")) || raised(dir) == "0.00");

    // The API failing past its retries: 503, nothing kept; then the nudges are taken.
    api.state.lock().unwrap().faults = vec![(500, "", "{}"); 4];
    assert_eq!(post("id=tr_1", &form).status, 503);
    api.state.lock().unwrap().faults = vec![(429, "Retry-After: 1\r\n", "{}")];
    for (n, (id, _)) in lives.iter().enumerate() {
        let body = nudge(id, n % 2 == 0);
        let answer = if body.starts_with('{') {
            post(
                &body,
                &[(
                    "X-Mollie-Signature",
                    &mollie::sign(SIGNING, body.as_bytes()),
                )],
            )
        } else {
            post(&body, &form)
        };
        assert_eq!(answer.status, 200, "{}", answer.text());
    }
    assert_eq!(raised(dir), "55.00");
    let before = gifts(dir);
    let replay = post("id=tr_2", &form);
    assert!(replay.text().contains("taken before"), "{}", replay.text());
    assert_eq!(gifts(dir), before);
    let log = served.log.lock().unwrap().clone();
    assert!(!log.contains(KEY) && !log.contains(SIGNING), "{log}");
    assert!(
        log.contains("tr_test") && log.contains("it never counts"),
        "{log}"
    );
    drop(served);

    // The export of the same payments: nothing added, nothing changed.
    let rows: Vec<String> = lives
        .iter()
        .map(|(_, states)| {
            let p: serde_json::Value = serde_json::from_str(states.last().unwrap()).unwrap();
            format!(
                "{},{},{},EUR,{},{},{},{},{}",
                p["id"].as_str().unwrap(),
                p["createdAt"].as_str().unwrap(),
                p["amount"]["value"].as_str().unwrap(),
                p["status"].as_str().unwrap(),
                p["amountRefunded"]["value"].as_str().unwrap(),
                p["amountChargedBack"]["value"].as_str().unwrap(),
                p["customerId"].as_str().unwrap_or_default(),
                p["subscriptionId"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let said = export_adds_nothing(
        dir,
        "mollie",
        "mollie-payments.csv",
        "ID,Created at,Amount,Currency,Status,Amount refunded,Amount charged back,Customer ID,Subscription ID",
        &rows,
    );
    assert!(said.contains("4 already present"), "{said}");
}

#[test]
fn on_the_real_clock_missed_payments_refunds_and_chargebacks_are_caught_up_once() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = api();
    let created = instant(90);
    let lives = lives(&created);
    let last = |l: usize| lives[l].1.last().unwrap().clone();
    // Paid five hours ago, before the second catch-up's window; refunded half an hour ago.
    let old = payment(
        "tr_old",
        "80.00",
        &instant(5 * 60),
        "paid",
        ("20.00", "0.00"),
    );
    let list = |field: &str, items: &[String], next: Option<&str>| {
        format!(
            r#"{{"count":{},"_embedded":{{"{field}":[{}]}},"_links":{{"next":{}}}}}"#,
            items.len(),
            items.join(","),
            // An answer may name another host: only its cursor is taken.
            next.map_or("null".to_owned(), |n| format!(r#"{{"href":"https://elsewhere.example/v2/{field}?from={n}&limit=250","type":"application/hal+json"}}"#))
        )
    };
    {
        let mut state = api.state.lock().unwrap();
        state
            .resources
            .insert("/v2/payments/tr_old".into(), old.clone());
        state.faults = vec![(429, "Retry-After: 1\r\n", "{}"), (503, "", "{}")];
        state.pages.insert(
            ("/v2/payments".into(), String::new()),
            vec![
                list("payments", &[last(3), last(2)], Some("tr_2")),
                list("payments", &[last(1), last(0)], None),
            ],
        );
    }
    let run = || {
        jauge()
            .args(["catch-up", "--timeout", "5", "--campaign"])
            .arg(dir.join("campaign.toml"))
            .env("JAUGE_MOLLIE_API_KEY", KEY)
            .env("JAUGE_MOLLIE_API_BASE", api.base())
            .output()
            .unwrap()
    };
    let output = run();
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("mollie: 4 events since") && said.contains("4 applied"),
        "{said}"
    );
    assert_eq!(raised(dir), "55.00");
    // The second page at the configured address, with only the cursor Mollie's link named.
    assert!(api.asked("GET /v2/payments?limit=250&from=tr_2 "));
    assert!(!said.contains(KEY));
    says_caught_up(dir, "mollie");

    // Again, from an hour before the newest payment held: the same payments listed (nothing
    // twice) down to an older one, where the listing stops; a refund since of that older
    // payment names it, and it is read on its own.
    {
        let mut state = api.state.lock().unwrap();
        state
            .resources
            .insert("/v2/payments/tr_old".into(), old.clone());
        state.pages.insert(
            ("/v2/payments".into(), String::new()),
            vec![list(
                "payments",
                &[last(3), last(2), last(1), last(0), old.clone()],
                None,
            )],
        );
        state.pages.insert(
            ("/v2/refunds".into(), String::new()),
            vec![list(
                "refunds",
                &[format!(
                    r#"{{"resource":"refund","id":"re_1","paymentId":"tr_old","createdAt":"{}","amount":{{"value":"20.00","currency":"EUR"}},"status":"refunded"}}"#,
                    instant(30)
                )],
                None,
            )],
        );
    }
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("1 applied, 4 taken before"),
        "{}",
        stderr(&output)
    );
    assert!(api.asked("GET /v2/payments/tr_old "));
    // 55.00 + (80.00 − 20.00).
    assert_eq!(raised(dir), "115.00");
}

#[test]
fn a_payment_links_event_takes_the_links_payments_once() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = api();
    let created = instant(20);
    let link_event = |link: &str| {
        format!(
            r#"{{"resource":"event","id":"event_{link}_{}","type":"payment-link.paid","entityId":"{link}","createdAt":"{}","_links":{{}}}}"#,
            Utc::now().timestamp_micros(),
            instant(0)
        )
    };
    let paid = payment("tr_5", "35.00", &created, "paid", ("0.00", "0.00"));
    let open = payment("tr_6", "8.00", &created, "open", ("0.00", "0.00"));
    {
        let mut state = api.state.lock().unwrap();
        state.resources.insert(
            "/v2/payment-links/pl_1/payments".into(),
            format!(
                r#"{{"count":2,"_embedded":{{"payments":[{paid},{open}]}},"_links":{{"next":null}}}}"#
            ),
        );
        state
            .resources
            .insert("/v2/payments/tr_5".into(), paid.clone());
    }
    let output = hook(dir, &api, &link_event("pl_1"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(api.asked("GET /v2/payment-links/pl_1/payments?limit=250 "));
    assert_eq!(raised(dir), "35.00");

    // The same payment by a classic nudge, and the link's event again: nothing twice.
    let again = hook(dir, &api, "id=tr_5");
    assert!(
        stderr(&again).contains("taken before"),
        "{}",
        stderr(&again)
    );
    let again = hook(dir, &api, &link_event("pl_1"));
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(raised(dir), "35.00");

    // A link this organisation does not have, or an id Mollie never makes: nothing written.
    for link in ["pl_nope", "pl_../../v2/customers"] {
        let asked_before = api.state.lock().unwrap().requests.len();
        let output = hook(dir, &api, &link_event(link));
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("nothing to record"),
            "{}",
            stderr(&output)
        );
        // The unknown link is asked about; an id Mollie never makes is never put in an
        // address (its dots would be resolved away before any request showed them).
        let asked = api.state.lock().unwrap().requests[asked_before..].to_vec();
        if link == "pl_nope" {
            assert!(
                asked
                    .iter()
                    .any(|r| r.starts_with("GET /v2/payment-links/pl_nope/payments")),
                "{asked:?}"
            );
        } else {
            assert!(asked.is_empty(), "{asked:?}");
        }
    }
    assert_eq!(raised(dir), "35.00");
}
