//! Catching up after downtime: `jauge catch-up` against a local server answering as Stripe's
//! events list does (pages newest first, a rate limit with `Retry-After`, a failure, a server
//! that never answers), on the real clock: nothing lost, nothing twice, the key never shown.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;

use crate::live::running_now;
use crate::support::{jauge, raised, says_caught_up, stderr, stdout};

const KEY: &str = "sk_live_51catchupsecret";

/// What the fake API answers to each request, in turn.
enum Answer {
    Respond(u16, &'static str, String),
    /// Reads the request and never answers.
    Hang,
}

/// A local HTTP server answering each request with the next answer of its script, keeping each
/// request's head.
struct FakeApi {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

fn fake_api(script: Vec<Answer>) -> FakeApi {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let kept = requests.clone();
    std::thread::spawn(move || {
        for answer in script {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            kept.lock().unwrap().push(head);
            match answer {
                Answer::Respond(status, extra, body) => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
                Answer::Hang => std::thread::sleep(Duration::from_secs(4)),
            }
        }
    });
    FakeApi { addr, requests }
}

/// A Stripe event `minutes_ago` about a charge of `cents` (refunded `refunded`), made
/// `charged_minutes_ago`.
fn event(
    id: &str,
    kind: &str,
    charge: &str,
    cents: i64,
    refunded: i64,
    (minutes_ago, charged_minutes_ago): (i64, i64),
) -> String {
    let now = Utc::now().timestamp();
    let (created, charged) = (now - minutes_ago * 60, now - charged_minutes_ago * 60);
    format!(
        r#"{{"id":"{id}","object":"event","api_version":"2024-06-20","type":"{kind}","created":{created},"livemode":true,"data":{{"object":{{"id":"{charge}","object":"charge","amount":{cents},"amount_refunded":{refunded},"refunded":{},"currency":"eur","created":{charged},"status":"succeeded","paid":true,"billing_details":{{"email":"{charge}@example.org"}}}}}}}}"#,
        refunded == cents
    )
}

fn page(events: &[String], has_more: bool) -> String {
    format!(
        r#"{{"object":"list","url":"/v1/events","has_more":{has_more},"data":[{}]}}"#,
        events.join(",")
    )
}

fn catch_up(dir: &Path, api: &FakeApi, timeout: &str) -> std::process::Output {
    jauge()
        .args(["catch-up", "--timeout", timeout, "--campaign"])
        .arg(dir.join("campaign.toml"))
        .env("JAUGE_STRIPE_API_KEY", KEY)
        .env("JAUGE_STRIPE_API_BASE", format!("http://{}", api.addr))
        .output()
        .unwrap()
}

#[test]
fn on_the_real_clock_missed_events_are_caught_up_once_through_limits_and_failures() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    // One event came by webhook while the receiver was up: taken once, never twice.
    let delivered = dir.join("evt_b.json");
    let b = event("evt_b", "charge.succeeded", "ch_b", 2000, 0, (50, 50));
    std::fs::write(&delivered, &b).unwrap();
    let hook = jauge()
        .args(["hook", "--from", "stripe", "--campaign"])
        .arg(dir.join("campaign.toml"))
        .arg(&delivered)
        .output()
        .unwrap();
    assert!(hook.status.success(), "{}", stderr(&hook));
    // Then the receiver was down. Newest first, as Stripe lists them: a refund of A, C; then A
    // and B on the next page.
    let newest = vec![
        event("evt_a2", "charge.refunded", "ch_a", 5000, 1500, (10, 55)),
        event("evt_c", "charge.succeeded", "ch_c", 700, 0, (20, 20)),
    ];
    let older = vec![
        b.clone(),
        event("evt_a1", "charge.succeeded", "ch_a", 5000, 0, (55, 55)),
    ];
    let api = fake_api(vec![
        Answer::Respond(
            429,
            "Retry-After: 1\r\n",
            r#"{"error":{"message":"Too many requests"}}"#.into(),
        ),
        Answer::Respond(200, "", page(&newest, true)),
        Answer::Respond(
            500,
            "",
            r#"{"error":{"message":"An error occurred"}}"#.into(),
        ),
        Answer::Respond(200, "", page(&older, false)),
    ]);
    let output = catch_up(dir, &api, "5");
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("stripe: 4 events since") && said.contains("3 applied, 1 taken before"),
        "{said}"
    );
    // A: 50.00 less 15.00 refunded; B: 20.00; C: 7.00.
    assert_eq!(raised(dir), "62.00");
    let requests = api.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 4, "{requests:?}");
    for request in &requests {
        assert!(
            request.starts_with("GET /v1/events?limit=100&created%5Bgte%5D="),
            "{request}"
        );
        assert!(
            request
                .to_lowercase()
                .contains(&format!("authorization: bearer {}", KEY.to_lowercase())),
            "{request}"
        );
    }
    // The second page starts after the first page's last event.
    assert!(
        requests[3].contains("&starting_after=evt_c "),
        "{}",
        requests[3]
    );
    says_caught_up(dir, "stripe");
    assert!(!said.contains(KEY) && !stdout(&output).contains(KEY));

    // Again: the same events listed from an hour before the newest held; nothing twice.
    let again = fake_api(vec![Answer::Respond(
        200,
        "",
        page(&[newest, older].concat(), false),
    )]);
    let output = catch_up(dir, &again, "5");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("0 applied, 4 taken before"),
        "{}",
        stderr(&output)
    );
    assert_eq!(raised(dir), "62.00");
    let asked_from: i64 = again.requests.lock().unwrap()[0]
        .split("created%5Bgte%5D=")
        .nth(1)
        .unwrap()
        .split([' ', '&'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let newest_held = Utc::now().timestamp() - 10 * 60;
    assert!(
        (asked_from - (newest_held - 3600)).abs() <= 120,
        "asked from {asked_from}, the newest event held at {newest_held}"
    );
}

#[test]
fn a_platform_that_never_answers_or_refuses_the_key_marks_nothing() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let silent = fake_api((0..4).map(|_| Answer::Hang).collect());
    let output = catch_up(dir, &silent, "1");
    let said = stderr(&output);
    assert!(!output.status.success());
    assert!(
        said.contains("catching up with stripe: Stripe's API cannot be reached")
            && said.contains("4 times"),
        "{said}"
    );
    assert!(!said.contains(KEY), "{said}");
    let refused = fake_api(vec![Answer::Respond(
        401,
        "",
        r#"{"error":{"message":"Invalid API Key provided: sk_live_****cret"}}"#.into(),
    )]);
    let output = catch_up(dir, &refused, "5");
    let said = stderr(&output);
    assert!(
        said.contains(
            "Stripe refused the credentials (401 Unauthorized): check JAUGE_STRIPE_API_KEY"
        ),
        "{said}"
    );
    assert!(!said.contains(KEY), "{said}");
    assert_eq!(refused.requests.lock().unwrap().len(), 1);
    let status = jauge()
        .args(["status", "--campaign"])
        .arg(dir.join("campaign.toml"))
        .output()
        .unwrap();
    assert!(
        !stdout(&status).contains("caught up"),
        "{}",
        stdout(&status)
    );
    // The key goes only over TLS, or to this machine.
    let output = jauge()
        .args(["catch-up", "--campaign"])
        .arg(dir.join("campaign.toml"))
        .env("JAUGE_STRIPE_API_KEY", KEY)
        .env("JAUGE_STRIPE_API_BASE", "http://api.example.org")
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("the key goes only to an https:// address"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn jauge_serve_catches_up_on_start_and_says_so() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = fake_api(vec![Answer::Respond(
        200,
        "",
        page(
            &[event(
                "evt_d",
                "charge.succeeded",
                "ch_d",
                1200,
                0,
                (10, 10),
            )],
            false,
        ),
    )]);
    let base = format!("http://{}", api.addr);
    let served = crate::serve::serve_at(
        dir,
        &[
            ("JAUGE_STRIPE_API_KEY", KEY),
            ("JAUGE_STRIPE_API_BASE", &base),
        ],
        &[],
        "127.0.0.1:0",
        None,
    );
    let started = std::time::Instant::now();
    loop {
        let (_, status) = crate::serve::status_json(served.addr);
        if status.raised().to_string() == "12.00 EUR" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the missed gift never showed: {}",
            served.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let log = served.log.lock().unwrap().clone();
    assert!(log.contains("jauge serve: stripe: 1 events since"), "{log}");
    assert!(!log.contains(KEY), "{log}");
}

/// A HelloAsso donation order of `cents`, `minutes_ago` before `now`, paid (or refunded).
fn order(id: i64, cents: i64, (now, minutes_ago): (i64, i64), state: &str) -> String {
    let date = (chrono::DateTime::from_timestamp(now, 0).unwrap()
        - chrono::Duration::minutes(minutes_ago))
    .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
    // Seven fractional digits, as HelloAsso writes them.
    .format("%Y-%m-%dT%H:%M:%S.4293708%:z")
    .to_string();
    format!(
        r#"{{"id":{id},"date":"{date}","formSlug":"dons","formType":"Donation","organizationSlug":"mon-asso","amount":{{"total":{cents}}},"payer":{{"email":"p{id}@example.org"}},"items":[{{"id":{id}1,"type":"Donation","amount":{cents},"state":"Processed"}}],"payments":[{{"id":{id}2,"amount":{cents},"date":"{date}","state":"{state}","paymentMeans":"Card"}}]}}"#
    )
}

#[test]
fn on_the_real_clock_helloasso_orders_are_caught_up_with_the_api_client() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let orders = |list: &[String], next: &str| {
        format!(
            r#"{{"data":[{}],"pagination":{{"pageSize":100,"pageIndex":1,"continuationToken":"{next}"}}}}"#,
            list.join(",")
        )
    };
    let token = r#"{"access_token":"ha_token_123","token_type":"bearer","expires_in":1800}"#;
    let now = Utc::now().timestamp();
    let api = fake_api(vec![
        Answer::Respond(200, "", token.into()),
        Answer::Respond(
            200,
            "",
            orders(
                &[
                    order(501, 3000, (now, 40), "Authorized"),
                    // One order that cannot be read never stops the others: said, not applied.
                    r#"{"id":503,"formType":"Donation","payments":[{"id":5032,"amount":"ten"}]}"#
                        .to_owned(),
                    order(502, 1500, (now, 30), "Authorized"),
                ],
                "c+1/=",
            ),
        ),
        Answer::Respond(503, "", "{}".into()),
        Answer::Respond(200, "", orders(&[], "c2")),
    ]);
    let run = |api: &FakeApi| {
        jauge()
            .args(["catch-up", "--timeout", "5", "--campaign"])
            .arg(dir.join("campaign.toml"))
            .env("JAUGE_HELLOASSO_CLIENT_ID", "client-abc")
            .env("JAUGE_HELLOASSO_CLIENT_SECRET", "very-secret-xyz")
            .env("JAUGE_HELLOASSO_ORGANIZATION", "mon-asso")
            .env("JAUGE_HELLOASSO_API_BASE", format!("http://{}", api.addr))
            .output()
            .unwrap()
    };
    let output = run(&api);
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("helloasso: 3 events since") && said.contains("2 applied"),
        "{said}"
    );
    assert!(said.contains("not applied: order 503:"), "{said}");
    assert_eq!(raised(dir), "45.00");
    let requests = api.requests.lock().unwrap().clone();
    assert!(
        requests[0].starts_with("POST /oauth2/token "),
        "{}",
        requests[0]
    );
    for request in &requests[1..] {
        assert!(
            request.starts_with("GET /v5/organizations/mon-asso/orders?from=")
                && request.contains("&pageSize=100&sortOrder=Asc")
                && request
                    .to_lowercase()
                    .contains("authorization: bearer ha_token_123"),
            "{request}"
        );
    }
    // The next page is asked with the continuation token, escaped; a 503 on the way is tried
    // again.
    assert!(
        requests[3].contains("&continuationToken=c%2B1%2F%3D "),
        "{}",
        requests[3]
    );
    assert!(!said.contains("very-secret-xyz"), "{said}");

    // Later: order 501 refunded. Listed again with the unchanged 502: the refund is taken, 502
    // is not counted twice.
    let later = fake_api(vec![
        Answer::Respond(200, "", token.into()),
        Answer::Respond(
            200,
            "",
            orders(
                &[
                    order(501, 3000, (now, 40), "Refunded"),
                    order(502, 1500, (now, 30), "Authorized"),
                ],
                "c3",
            ),
        ),
        Answer::Respond(200, "", orders(&[], "c4")),
    ]);
    let output = run(&later);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(raised(dir), "15.00");
    says_caught_up(dir, "helloasso");
}
