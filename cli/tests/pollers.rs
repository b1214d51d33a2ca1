//! The platforms jauge polls, on the real clock, against local servers answering as they do:
//! Open Collective's GraphQL API (pages by offset, a rate limit, a failure, a refund listed
//! after its contribution, a webhook that only nudges a poll) and Liberapay's public chart of
//! weekly receipts. Nothing lost, nothing twice.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::fake_api::{fake_api, FakeApi};
use crate::live::running_now;
use crate::serve::{request, serve_at, status_json};
use crate::support::{export_adds_nothing, gifts, jauge, raised, says_caught_up, stderr};

const TOKEN: &str = "oc_personal_token_0123456789";

fn instant(minutes_ago: i64) -> String {
    (Utc::now() - chrono::Duration::minutes(minutes_ago))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A transaction of the collective `asso`.
fn transaction(id: &str, kind: &str, cents: i64, minutes_ago: i64, extra: &str) -> String {
    let (from, to) = if kind == "CREDIT" {
        ("ada", "asso")
    } else {
        ("asso", "ada")
    };
    format!(
        r#"{{"id":"9e1c-{id}","legacyId":{id},"type":"{kind}","createdAt":"{}","clearedAt":null,"isRefund":false,"isRefunded":false,"amountInHostCurrency":{{"valueInCents":{cents},"currency":"EUR"}},"paymentProcessorFee":{{"valueInCents":-90,"currency":"EUR"}},"fromAccount":{{"slug":"{from}"}},"toAccount":{{"slug":"{to}"}},"refundTransaction":null,"order":{{"legacyId":{id}0,"frequency":"ONETIME"}}{extra}}}"#,
        instant(minutes_ago)
    )
}

fn refund(id: &str, of: &str, cents: i64, minutes_ago: i64) -> String {
    transaction(id, "DEBIT", -cents, minutes_ago, "")
        .replace(r#""isRefund":false"#, r#""isRefund":true"#)
        .replace(
            r#""refundTransaction":null"#,
            &format!(r#""refundTransaction":{{"legacyId":{of}}}"#),
        )
}

fn page(total: usize, nodes: &[String]) -> String {
    format!(
        r#"{{"data":{{"transactions":{{"totalCount":{total},"offset":0,"limit":100,"nodes":[{}]}}}}}}"#,
        nodes.join(",")
    )
}

fn open_collective() -> FakeApi {
    let api = fake_api(
        &[format!("personal-token: {}", TOKEN.to_lowercase())],
        "",
        r#"{"data":{"transactions":{"totalCount":0,"offset":0,"limit":100,"nodes":[]}}}"#,
    );
    api.state
        .lock()
        .unwrap()
        .pages
        .insert(("/graphql/v2".into(), String::new()), Vec::new());
    api
}

/// The day `days_ago` days ago, as Liberapay writes it.
fn day(days_ago: i64) -> String {
    (Utc::now() - chrono::Duration::days(days_ago))
        .format("%Y-%m-%d")
        .to_string()
}

/// Liberapay's account `asso`, at `api`.
fn liberapay_env(api: &FakeApi) -> [(&'static str, String); 2] {
    [
        ("JAUGE_LIBERAPAY_ACCOUNT", "asso".to_owned()),
        ("JAUGE_LIBERAPAY_BASE", api.base()),
    ]
}

/// A poll that succeeds saying `what`: what it said.
fn polled(dir: &Path, env: &[(&str, String)], what: &str) -> String {
    let output = poll(dir, env);
    let said = stderr(&output);
    assert!(output.status.success() && said.contains(what), "{said}");
    said
}

fn poll(dir: &Path, env: &[(&str, String)]) -> std::process::Output {
    jauge()
        .args(["catch-up", "--timeout", "5", "--campaign"])
        .arg(dir.join("campaign.toml"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap()
}

#[test]
fn on_the_real_clock_open_collective_is_polled_page_by_page_once() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = open_collective();
    let (t1, t2, r1) = (
        transaction("101", "CREDIT", 3000, 50, ""),
        transaction("102", "CREDIT", 2000, 40, ""),
        refund("103", "101", 1000, 30),
    );
    {
        let mut state = api.state.lock().unwrap();
        state.faults = vec![(429, "Retry-After: 1\r\n", "{}"), (502, "", "{}")];
        state.pages.insert(
            ("/graphql/v2".into(), String::new()),
            vec![
                page(3, &[t1.clone(), t2.clone()]),
                page(3, std::slice::from_ref(&r1)),
            ],
        );
    }
    let env = [
        ("JAUGE_OPENCOLLECTIVE_SLUG", "asso".to_owned()),
        ("JAUGE_OPENCOLLECTIVE_TOKEN", TOKEN.to_owned()),
        ("JAUGE_OPENCOLLECTIVE_API_BASE", api.base()),
    ];
    let said = polled(dir, &env, "opencollective: 3 events since");
    assert!(said.contains("3 applied"), "{said}");
    // 30 − 10 refunded, and 20.
    assert_eq!(raised(dir), "40.00");
    assert!(!said.contains(TOKEN));
    let requests = api.state.lock().unwrap().requests.clone();
    assert!(
        requests.iter().all(|r| r.starts_with("POST /graphql/v2 ")),
        "{requests:?}"
    );

    // Again, with a new contribution: nothing twice.
    let t4 = transaction("104", "CREDIT", 500, 5, "");
    api.state.lock().unwrap().pages.insert(
        ("/graphql/v2".into(), String::new()),
        vec![page(4, &[t1.clone(), t2.clone(), r1.clone(), t4.clone()])],
    );
    polled(dir, &env, "1 applied, 3 taken before");
    assert_eq!(raised(dir), "45.00");
    says_caught_up(dir, "opencollective");

    // The collective's transactions export of the same transactions (Open Collective's default
    // preset: labels, seconds, fees in rows of their own) adds nothing.
    let row = |node: &str, fields: &str| {
        let node: serde_json::Value = serde_json::from_str(node).unwrap();
        let at = node["createdAt"].as_str().unwrap();
        format!("{},{},{fields}", &at[..19], node["legacyId"])
    };
    let export = [
        row(&t1, "CREDIT,CONTRIBUTION,g1,30,EUR,,,,ada"),
        row(&t1, "DEBIT,PAYMENT_PROCESSOR_FEE,g1,-0.9,EUR,,,,stripe").replace(",101,", ",1101,"),
        row(&t2, "CREDIT,CONTRIBUTION,g2,20,EUR,,,,ada"),
        row(&r1, "DEBIT,CONTRIBUTION,g3,-10,EUR,REVERSE,,101,ada"),
        row(&t4, "CREDIT,CONTRIBUTION,g4,5,EUR,,,,ada"),
        row(&t4, "DEBIT,EXPENSE,g5,-80,EUR,,,,printer").replace(",104,", ",105,"),
    ];
    export_adds_nothing(
        dir,
        "opencollective",
        "asso-transactions.csv",
        "Effective Date & Time,Transaction ID,Credit/Debit,Kind,Group ID,Amount Single Column,Currency,Is Reverse,Is Reversed,Reverse Transaction ID,Opposite Account Handle",
        &export,
    );
    assert_eq!(raised(dir), "45.00");
}

#[test]
fn open_collective_transactions_listed_out_of_order_end_in_the_same_store() {
    let (c1, c2, r1) = (
        transaction("201", "CREDIT", 3000, 50, ""),
        transaction("202", "CREDIT", 2000, 40, ""),
        refund("203", "201", 3000, 30),
    );
    let mut ends = Vec::new();
    for order in [
        vec![c1.clone(), c2.clone(), r1.clone()],
        vec![r1.clone(), c2.clone(), c1.clone()],
        vec![c2.clone(), r1.clone(), c1.clone(), r1.clone(), c1.clone()],
    ] {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path();
        running_now(dir);
        let api = open_collective();
        api.state.lock().unwrap().pages.insert(
            ("/graphql/v2".into(), String::new()),
            vec![page(order.len(), &order)],
        );
        let env = [
            ("JAUGE_OPENCOLLECTIVE_SLUG", "asso".to_owned()),
            ("JAUGE_OPENCOLLECTIVE_TOKEN", TOKEN.to_owned()),
            ("JAUGE_OPENCOLLECTIVE_API_BASE", api.base()),
        ];
        let output = poll(dir, &env);
        let said = stderr(&output);
        assert!(
            output.status.success() && !said.contains("not applied"),
            "{said}"
        );
        assert_eq!(raised(dir), "20.00");
        ends.push(gifts(dir));
    }
    assert_eq!(ends[0], ends[1]);
    assert_eq!(ends[0], ends[2]);
}

#[test]
fn an_open_collective_webhook_only_makes_the_server_poll_now() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = open_collective();
    let served = serve_at(
        dir,
        &[
            ("JAUGE_OPENCOLLECTIVE_SLUG", "asso"),
            ("JAUGE_OPENCOLLECTIVE_TOKEN", TOKEN),
            ("JAUGE_OPENCOLLECTIVE_API_BASE", &api.base()),
        ],
        &[],
        "127.0.0.1:0",
        None,
    );
    let polls = || {
        let state = api.state.lock().unwrap();
        state
            .requests
            .iter()
            .filter(|r| r.starts_with("POST /graphql/v2"))
            .count()
    };
    let started = Instant::now();
    while polls() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{}",
            served.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A contribution arrives; its webhook (unsigned, and what it says never read) nudges.
    api.state.lock().unwrap().pages.insert(
        ("/graphql/v2".into(), String::new()),
        vec![page(1, &[transaction("109", "CREDIT", 1500, 1, "")])],
    );
    let nudged = Instant::now();
    for _ in 0..10 {
        let answer = request(
            served.addr,
            "POST",
            "/hooks/opencollective",
            &[("Content-Type", "application/json")],
            br#"{"type":"collective.transaction.created","data":{"transaction":{"amount":99999999}}}"#,
        )
        .unwrap();
        assert_eq!(answer.status, 202, "{}", answer.text());
    }
    loop {
        let (_, status) = status_json(served.addr);
        if status.raised().to_string() == "15.00 EUR" {
            break;
        }
        assert!(
            nudged.elapsed() < Duration::from_secs(30),
            "the nudge brought no poll: {}",
            served.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Ten nudges in a row: one poll for them (and the round on start).
    std::thread::sleep(Duration::from_secs(1));
    assert!(polls() <= 3, "{} polls", polls());
}

#[test]
fn on_the_real_clock_liberapays_paydays_are_polled_once() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = fake_api(&[], "", "[]");
    let chart = |entries: &[(i64, &str)]| {
        let items: Vec<String> = entries
            .iter()
            .map(|(ago, amount)| {
                format!(
                    r#"{{"date":"{}","npatrons":7,"receipts":{{"amount":"{amount}","currency":"EUR"}}}}"#,
                    day(*ago)
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    };
    // Paydays 1 and 8 days ago, and one 15 days ago, before the campaign began (10 days ago).
    // The account is not a team: Liberapay refuses it its payments page.
    {
        let mut state = api.state.lock().unwrap();
        state.resources.insert(
            "/asso/charts.json".into(),
            chart(&[(1, "48.25"), (8, "40.00"), (15, "35.00")]),
        );
        state.refused.push("/asso/income/payments.json".into());
    }
    let env = liberapay_env(&api);
    polled(dir, &env, "liberapay: 2 events since");
    assert_eq!(raised(dir), "88.25");
    polled(dir, &env, "0 applied, 2 taken before");
    assert_eq!(raised(dir), "88.25");
    // An account that hides what it receives is said so.
    api.state.lock().unwrap().faults = vec![(403, "", r#"{"error_message_short":"Forbidden"}"#); 2];
    let output = poll(dir, &env);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("make it public"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn on_the_real_clock_a_liberapay_teams_payments_are_polled_once_and_its_export_adds_nothing() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = fake_api(&[], "", "[]");
    // A payment: its day, its patron (public or not), and its transfers (id, amount, reversed).
    let payment = |days_ago: i64, payer: Option<u32>, transfers: &[(u32, &str, &str)]| {
        let transfers: Vec<String> = transfers
            .iter()
            .map(|(id, amount, reversed)| {
                let reversed = if *reversed == "0" {
                    "null".to_owned()
                } else {
                    format!(r#"{{"amount":"{reversed}","currency":"EUR"}}"#)
                };
                format!(
                    r#"{{"id":{id},"amount":{{"amount":"{amount}","currency":"EUR"}},"unit_amount":{{"amount":"{amount}","currency":"EUR"}},"n_units":1,"period":"monthly","reversed_amount":{reversed},"recipient_id":12,"recipient_username":"alice"}}"#
                )
            })
            .collect();
        let payer = payer.map_or("null".to_owned(), |p| p.to_string());
        format!(
            r#"{{"date":"{}","payer_id":{payer},"payer_username":null,"payer_public_name":null,"payment_method":"stripe-card","transfers":[{}]}}"#,
            day(days_ago),
            transfers.join(",")
        )
    };
    // A full page of 100 payments a day old, then one of 6 + 4 (the 4 reversed) three days old
    // and one from before the campaign began.
    let first: Vec<String> = (0..100)
        .map(|n| payment(1, Some(300 + n), &[(1099 - n, "1.00", "0")]))
        .collect();
    let second = [
        payment(3, Some(345), &[(900, "6.00", "0"), (901, "4.00", "4.00")]),
        payment(15, None, &[(800, "35.00", "0")]),
    ];
    let pages = vec![
        format!("[{}]", first.join(",")),
        format!("[{}]", second.join(",")),
    ];
    {
        let mut state = api.state.lock().unwrap();
        state.faults = vec![(429, "Retry-After: 1\r\n", "{}"), (502, "", "{}")];
        state.pages.insert(
            ("/asso/income/payments.json".into(), String::new()),
            pages.clone(),
        );
    }
    let env = liberapay_env(&api);
    polled(dir, &env, "102 applied");
    assert_eq!(raised(dir), "106.00");
    let requests = api.state.lock().unwrap().requests.clone();
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("GET /asso/income/payments.json?per_page=100&before=1000 ")),
        "{requests:?}"
    );
    assert!(!requests.iter().any(|r| r.contains("charts.json")));

    // Again: nothing twice.
    api.state
        .lock()
        .unwrap()
        .pages
        .insert(("/asso/income/payments.json".into(), String::new()), pages);
    polled(dir, &env, "0 applied, 102 taken before");

    // The team's payments export of the same transfers adds nothing.
    let mut rows: Vec<String> = Vec::new();
    rows.extend((0..100).map(|n| {
        format!(
            "{},{},EUR,1.00,0,12,alice,stripe-card,{},,",
            1099 - n,
            day(1),
            300 + n
        )
    }));
    rows.push(format!(
        "900,{},EUR,6.00,0,12,alice,stripe-card,345,,",
        day(3)
    ));
    rows.push(format!(
        "901,{},EUR,4.00,4.00,12,alice,stripe-card,345,,",
        day(3)
    ));
    export_adds_nothing(
        dir,
        "liberapay",
        "liberapay-payments.csv",
        "id,date,currency,amount,reversed_amount,recipient_id,recipient_username,payment_method,payer_id,payer_username,payer_public_name",
        &rows,
    );
    assert_eq!(raised(dir), "106.00");
}

/// Every platform's API that never answers: each request is given up after its timeout, tried
/// four times, and the catch-up or poll fails saying so, marking nothing (the next one asks
/// again), the credentials never shown.
#[test]
fn an_api_that_never_answers_marks_nothing_for_any_platform() {
    // Each platform: its name, its settings, and the setting that says where its API is.
    type Platform = (
        &'static str,
        Vec<(&'static str, &'static str)>,
        &'static str,
    );
    let platforms: Vec<Platform> = vec![
        (
            "helloasso",
            vec![
                ("JAUGE_HELLOASSO_CLIENT_ID", "client-abc"),
                ("JAUGE_HELLOASSO_CLIENT_SECRET", "ha-secret-1"),
                ("JAUGE_HELLOASSO_ORGANIZATION", "mon-asso"),
            ],
            "JAUGE_HELLOASSO_API_BASE",
        ),
        (
            "gocardless",
            vec![("JAUGE_GOCARDLESS_ACCESS_TOKEN", "gc-secret-2")],
            "JAUGE_GOCARDLESS_API_BASE",
        ),
        (
            "mollie",
            vec![("JAUGE_MOLLIE_API_KEY", "live_mollie-secret-3")],
            "JAUGE_MOLLIE_API_BASE",
        ),
        (
            "opencollective",
            vec![
                ("JAUGE_OPENCOLLECTIVE_SLUG", "asso"),
                ("JAUGE_OPENCOLLECTIVE_TOKEN", "oc-secret-4"),
            ],
            "JAUGE_OPENCOLLECTIVE_API_BASE",
        ),
        (
            "liberapay",
            vec![("JAUGE_LIBERAPAY_ACCOUNT", "asso")],
            "JAUGE_LIBERAPAY_BASE",
        ),
        (
            "paypal",
            vec![
                ("JAUGE_PAYPAL_CLIENT_ID", "pp-client"),
                ("JAUGE_PAYPAL_CLIENT_SECRET", "pp-secret-5"),
            ],
            "JAUGE_PAYPAL_API_BASE",
        ),
    ];
    let runs: Vec<_> = platforms
        .into_iter()
        .map(|(name, settings, base)| {
            std::thread::spawn(move || {
                let work = tempfile::tempdir().unwrap();
                let dir = work.path();
                running_now(dir);
                let api = fake_api(&[], "", "");
                api.state.lock().unwrap().hang = true;
                let mut env: Vec<(&str, String)> = settings
                    .iter()
                    .map(|(k, v)| (*k, (*v).to_owned()))
                    .collect();
                env.push((base, api.base()));
                let started = Instant::now();
                let output = jauge()
                    .args(["catch-up", "--timeout", "1", "--campaign"])
                    .arg(dir.join("campaign.toml"))
                    .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                    .output()
                    .unwrap();
                let said = stderr(&output);
                assert!(!output.status.success(), "{name}: {said}");
                assert!(
                    said.contains(&format!("catching up with {name}:"))
                        && said.contains("cannot be reached")
                        && said.contains("4 times"),
                    "{name}: {said}"
                );
                // Four tries of a second each, and the waits of 1, 2 and 4 s between them.
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "{name}: {:?}",
                    started.elapsed()
                );
                assert_eq!(api.state.lock().unwrap().requests.len(), 4, "{name}");
                for (_, secret) in &settings {
                    assert!(!said.contains(secret) || secret.len() < 6, "{name}: {said}");
                }
                let status = jauge()
                    .args(["status", "--campaign"])
                    .arg(dir.join("campaign.toml"))
                    .output()
                    .unwrap();
                assert!(
                    !String::from_utf8_lossy(&status.stdout).contains("caught up"),
                    "{name}"
                );
            })
        })
        .collect();
    for run in runs {
        run.join().unwrap();
    }
}
