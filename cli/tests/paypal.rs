//! PayPal, live: deliveries signed with RSA and a certificate (the test certificates of
//! `tests/fixtures/paypal`, served by a local server standing for PayPal's certificate host, and
//! trusted through a test root), on the real clock. Deliveries in several orders, with repeats
//! and refunds before their payment, end in the same store; forged ones (a certificate from
//! another host, untrusted, for another name; another webhook; an altered body) change nothing;
//! the certificate is fetched once; the activity download imported afterwards adds nothing.

use std::path::{Path, PathBuf};

use chrono::Utc;
use jauge_platforms::paypal;

use crate::fake_api::{fake_api, FakeApi};
use crate::live::running_now;
use crate::serve::{request, serve_at, Answer, Served};
use crate::support::{gifts, import_saved, raised};

const WEBHOOK: &str = "WH-4A827390NW2131847-1A1234567B890123C";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/fixtures/paypal/{name}"))
}

/// A local server standing for PayPal's certificate host.
fn certificate_host() -> FakeApi {
    let host = fake_api(&[], "", "");
    {
        let mut state = host.state.lock().unwrap();
        for (path, file) in [
            ("/v1/notifications/certs/CERT-1", "cert.pem"),
            ("/v1/notifications/certs/CERT-OTHER", "other-name.pem"),
            ("/v1/notifications/certs/CERT-SELF", "untrusted.pem"),
        ] {
            state
                .resources
                .insert(path.into(), std::fs::read_to_string(fixture(file)).unwrap());
        }
    }
    host
}

fn serve(dir: &Path, host: &FakeApi) -> Served {
    serve_at(
        dir,
        &[
            ("JAUGE_PAYPAL_WEBHOOK_ID", WEBHOOK),
            ("JAUGE_PAYPAL_CERT_BASE", &format!("{}/", host.base())),
            (
                "JAUGE_PAYPAL_CERT_ROOT",
                fixture("root.pem").to_str().unwrap(),
            ),
        ],
        &[],
        "127.0.0.1:0",
        None,
    )
}

/// Posts `body` signed with the key `key` (a fixture's name), for `webhook`, naming the
/// certificate at `cert_url`.
fn post(served: &Served, body: &str, key: &str, webhook: &str, cert_url: &str) -> Answer {
    post_signing(served, (body, body), key, webhook, cert_url)
}

/// Posts `sent` with the headers that sign `signed`.
fn post_signing(
    served: &Served,
    (sent, signed): (&str, &str),
    key: &str,
    webhook: &str,
    cert_url: &str,
) -> Answer {
    let body = signed;
    use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
    use rustls_pki_types::pem::PemObject;
    let der = rustls_pki_types::PrivatePkcs8KeyDer::from_pem_file(fixture(key)).unwrap();
    let pair = RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).unwrap();
    let id = format!("{:x}", Utc::now().timestamp_nanos_opt().unwrap_or_default());
    let time = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let text = paypal::signed_text(&id, &time, webhook, body.as_bytes());
    let mut signature = vec![0; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        text.as_bytes(),
        &mut signature,
    )
    .unwrap();
    use base64::Engine;
    let signature = base64::engine::general_purpose::STANDARD.encode(signature);
    request(
        served.addr,
        "POST",
        "/hooks/paypal",
        &[
            ("PAYPAL-TRANSMISSION-ID", &id),
            ("PAYPAL-TRANSMISSION-TIME", &time),
            ("PAYPAL-TRANSMISSION-SIG", &signature),
            ("PAYPAL-CERT-URL", cert_url),
            ("PAYPAL-AUTH-ALGO", "SHA256withRSA"),
            ("Content-Type", "application/json"),
        ],
        sent.as_bytes(),
    )
    .unwrap()
}

fn good(served: &Served, host: &FakeApi, body: &str) -> Answer {
    let url = format!("{}/v1/notifications/certs/CERT-1", host.base());
    post(served, body, "cert.key", WEBHOOK, &url)
}

fn capture(id: &str, kind: &str, cents: &str, at: &str) -> String {
    format!(
        r#"{{"id":"WH-{id}-{kind}","event_version":"1.0","create_time":"{at}","resource_type":"capture","event_type":"PAYMENT.CAPTURE.{kind}","resource":{{"id":"{id}","amount":{{"currency_code":"EUR","value":"{cents}"}},"seller_receivable_breakdown":{{"gross_amount":{{"currency_code":"EUR","value":"{cents}"}},"paypal_fee":{{"currency_code":"EUR","value":"1.25"}}}},"status":"{kind}","create_time":"{at}","update_time":"{at}"}}}}"#
    )
}

fn taken_back(id: &str, of: &str, kind: &str, value: &str, total: &str) -> String {
    format!(
        r#"{{"id":"WH-{id}","event_version":"1.0","create_time":"{now}","resource_type":"refund","event_type":"PAYMENT.CAPTURE.{kind}","resource":{{"id":"{id}","amount":{{"currency_code":"EUR","value":"{value}"}},"seller_payable_breakdown":{{"total_refunded_amount":{{"currency_code":"EUR","value":"{total}"}}}},"status":"COMPLETED","create_time":"{now}","links":[{{"href":"https://api.paypal.com/v2/payments/refunds/{id}","rel":"self","method":"GET"}},{{"href":"https://api.paypal.com/v2/payments/captures/{of}","rel":"up","method":"GET"}}]}}}}"#,
        now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

/// Six deliveries: CAP1 paid 30 (refunded 10 later), CAP2 pending then paid 50 (reversed
/// later), a subscription's payment of 15.
fn deliveries(at: &str) -> Vec<String> {
    vec![
        capture("CAP1", "COMPLETED", "30.00", at),
        capture("CAP2", "PENDING", "50.00", at),
        capture("CAP2", "COMPLETED", "50.00", at),
        taken_back("REF1", "CAP1", "REFUNDED", "10.00", "10.00"),
        format!(
            r#"{{"id":"WH-SALE1","event_version":"1.0","create_time":"{at}","resource_type":"sale","event_type":"PAYMENT.SALE.COMPLETED","resource":{{"id":"SALE1","amount":{{"total":"15.00","currency":"EUR"}},"state":"completed","transaction_fee":{{"value":"0.65","currency":"EUR"}},"billing_agreement_id":"I-PE7JWXKGVN0R","create_time":"{at}"}}}}"#
        ),
        taken_back("REV2", "CAP2", "REVERSED", "50.00", "50.00"),
    ]
}

#[test]
fn deliveries_in_any_order_with_repeats_and_early_refunds_end_in_the_same_store() {
    let at = (Utc::now() - chrono::Duration::minutes(30))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let all = deliveries(&at);
    let orders: Vec<Vec<usize>> = vec![
        (0..all.len()).collect(),
        (0..all.len()).rev().collect(),
        vec![3, 5, 3, 0, 1, 2, 4, 0, 5],
    ];
    let host = certificate_host();
    let mut ends = Vec::new();
    for order in orders {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path();
        running_now(dir);
        let served = serve(dir, &host);
        // As PayPal does: what is not answered 2xx is sent again, later.
        let mut waiting = order;
        for _ in 0..4 {
            let mut again = Vec::new();
            for i in waiting {
                let answer = good(&served, &host, &all[i]);
                match answer.status {
                    200 => {}
                    409 => again.push(i),
                    other => panic!("{other}: {}", answer.text()),
                }
            }
            waiting = again;
        }
        assert!(waiting.is_empty(), "never taken: {waiting:?}");
        // 30 − 10 + (50 reversed) + 15.
        assert_eq!(raised(dir), "35.00");
        ends.push(gifts(dir));
        drop(served);
    }
    assert_eq!(ends[0], ends[1]);
    assert_eq!(ends[0], ends[2]);
    assert!(
        ends[0].contains("paypal:SALE1") && ends[0].contains("paypal:I-PE7JWXKGVN0R"),
        "{}",
        ends[0]
    );
    // One certificate, fetched once by each server.
    let fetched = host
        .state
        .lock()
        .unwrap()
        .requests
        .iter()
        .filter(|r| r.starts_with("GET /v1/notifications/certs/CERT-1 "))
        .count();
    assert_eq!(fetched, 3);
}

#[test]
fn forged_deliveries_change_nothing_and_the_activity_download_adds_nothing() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let host = certificate_host();
    let served = serve(dir, &host);
    let at = (Utc::now() - chrono::Duration::minutes(30))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let body = capture("CAP9", "COMPLETED", "30.00", &at);
    let url = |name: &str| format!("{}/v1/notifications/certs/{name}", host.base());
    let refused = [
        // A certificate from a host that is not PayPal's: refused before anything is fetched.
        post(
            &served,
            &body,
            "cert.key",
            WEBHOOK,
            "https://evil.example/v1/notifications/certs/CERT-1",
        ),
        post(
            &served,
            &body,
            "cert.key",
            WEBHOOK,
            "http://api.paypal.com/v1/notifications/certs/CERT-1",
        ),
        // PayPal's name, self-signed; a trusted certificate for another name.
        post(&served, &body, "untrusted.key", WEBHOOK, &url("CERT-SELF")),
        post(
            &served,
            &body,
            "other-name.key",
            WEBHOOK,
            &url("CERT-OTHER"),
        ),
        // Signed for another webhook.
        post(
            &served,
            &body,
            "cert.key",
            "WH-SOMEONE-ELSES",
            &url("CERT-1"),
        ),
    ];
    for answer in &refused {
        assert_eq!(answer.status, 400, "{}", answer.text());
    }
    // Refused before any fetch, each for its address.
    let log = served.log.lock().unwrap().clone();
    assert!(
        log.contains(
            "\"https://evil.example/v1/notifications/certs/CERT-1\" is not on PayPal's hosts"
        ) && log.contains(
            "\"http://api.paypal.com/v1/notifications/certs/CERT-1\" is not on PayPal's hosts"
        ),
        "{log}"
    );
    // An altered body: the headers of one delivery, the bytes of another.
    let honest = capture("CAP8", "COMPLETED", "5.00", &at);
    let altered = capture("CAP8", "COMPLETED", "5000.00", &at);
    let answer = post_signing(
        &served,
        (&altered, &honest),
        "cert.key",
        WEBHOOK,
        &url("CERT-1"),
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    let taken = good(&served, &host, &honest);
    assert_eq!(
        taken.status,
        200,
        "{}\n{}",
        taken.text(),
        served.log.lock().unwrap()
    );
    assert_eq!(raised(dir), "5.00");
    // A certificate that cannot be fetched: 503, PayPal sends it again.
    let missing = post(&served, &body, "cert.key", WEBHOOK, &url("CERT-GONE"));
    assert_eq!(missing.status, 503, "{}", missing.text());

    for delivery in deliveries(&at) {
        let answer = good(&served, &host, &delivery);
        assert_eq!(answer.status, 200, "{}", answer.text());
    }
    assert_eq!(raised(dir), "40.00");
    let log = served.log.lock().unwrap().clone();
    assert!(
        log.contains("not trusted") && log.contains("not for messageverificationcerts.paypal.com"),
        "{log}"
    );
    drop(served);

    // The activity download of the same payments: nothing added.
    let local = chrono::DateTime::parse_from_rfc3339(&at).unwrap().to_utc();
    let (date, time) = (
        local.format("%d/%m/%Y").to_string(),
        local.format("%H:%M:%S").to_string(),
    );
    let row = |name: &str,
               kind: &str,
               status: &str,
               gross: &str,
               fee: &str,
               id: &str,
               reference: &str| {
        format!(
            r#""{date}","{time}","UTC","{name}","{kind}","{status}","EUR","{gross}","{fee}","0.00","{name}@example.org","{id}","{reference}""#
        )
    };
    let download = [
            r#""Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address","Transaction ID","Reference Txn ID""#.to_owned(),
            row("ada", "Donation Payment", "Completed", "30.00", "-1.25", "CAP1", ""),
            row("ada", "Payment Refund", "Completed", "-10.00", "0.00", "REF1", "CAP1"),
            row("bo", "Donation Payment", "Completed", "50.00", "-1.25", "CAP2", ""),
            row("bo", "Payment Reversal", "Completed", "-50.00", "0.00", "REV2", "CAP2"),
            row("cy", "Subscription Payment", "Completed", "15.00", "-0.65", "SALE1", "I-PE7JWXKGVN0R"),
    ]
    .join("\r\n")
            + "\r\n";
    let said = import_saved(
        dir,
        "paypal",
        "Download.CSV",
        &download,
        &["--date-order", "dmy"],
    );
    assert!(said.contains(": 0 added,"), "{said}");
    assert_eq!(raised(dir), "40.00");
}

#[test]
fn on_the_real_clock_paypals_events_are_caught_up_once_beside_the_webhooks() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let at = (Utc::now() - chrono::Duration::minutes(30))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let all = deliveries(&at);
    // CAP1's capture came by webhook before the receiver went down.
    let hooked = crate::support::hook_saved(dir, "paypal", &all[0], &[]);
    assert!(
        hooked.status.success(),
        "{}",
        crate::support::stderr(&hooked)
    );
    let api = fake_api(&[], "", r#"{"events":[],"count":0,"links":[]}"#);
    let list = |events: &[String], next: Option<&str>| {
        let links = next.map_or(String::new(), |query| {
            format!(r#"{{"href":"https://api-m.paypal.com/v1/notifications/webhooks-events?{query}","rel":"next","method":"GET"}}"#)
        });
        format!(
            r#"{{"events":[{}],"count":{},"links":[{links}]}}"#,
            events.join(","),
            events.len()
        )
    };
    {
        let mut state = api.state.lock().unwrap();
        state.resources.insert(
            "/v1/oauth2/token".into(),
            r#"{"scope":"https://uri.paypal.com/services/applications/webhooks","access_token":"pp_token_1","token_type":"Bearer","expires_in":32400}"#.into(),
        );
        state.faults = vec![(429, "Retry-After: 1\r\n", "{}")];
        // Newest first, as PayPal lists them.
        let newest: Vec<String> = all.iter().rev().take(3).cloned().collect();
        let older: Vec<String> = all.iter().rev().skip(3).cloned().collect();
        state.pages.insert(
            ("/v1/notifications/webhooks-events".into(), String::new()),
            vec![
                list(&newest, Some("page_size=100&page=2")),
                list(&older, None),
            ],
        );
    }
    let env = [
        ("JAUGE_PAYPAL_CLIENT_ID", "pp-client".to_owned()),
        ("JAUGE_PAYPAL_CLIENT_SECRET", "pp-secret-xyz".to_owned()),
        ("JAUGE_PAYPAL_API_BASE", api.base()),
    ];
    let run = || {
        crate::support::jauge()
            .args(["catch-up", "--timeout", "5", "--campaign"])
            .arg(dir.join("campaign.toml"))
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap()
    };
    let output = run();
    let said = crate::support::stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("paypal: 6 events since") && said.contains("5 applied, 1 taken before"),
        "{said}"
    );
    assert_eq!(raised(dir), "35.00");
    assert!(!said.contains("pp-secret-xyz"));
    let requests = api.state.lock().unwrap().requests.clone();
    // The app's credentials only for the token, the token only for the list; the next page at
    // the configured address with PayPal's query.
    assert!(
        requests[0].starts_with("POST /v1/oauth2/token ")
            && requests[0].to_lowercase().contains("authorization: basic "),
        "{}",
        requests[0]
    );
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("GET /v1/notifications/webhooks-events?page_size=100&page=2 ")),
        "{requests:?}"
    );
    assert!(
        requests[1..].iter().all(|r| !r.starts_with("GET")
            || r.to_lowercase()
                .contains("authorization: bearer pp_token_1")),
        "{requests:?}"
    );
    crate::support::says_caught_up(dir, "paypal");

    // Again, everything listed once more: nothing twice.
    api.state.lock().unwrap().pages.insert(
        ("/v1/notifications/webhooks-events".into(), String::new()),
        vec![list(&all, None)],
    );
    let output = run();
    assert!(
        crate::support::stderr(&output).contains("0 applied, 6 taken before"),
        "{}",
        crate::support::stderr(&output)
    );
    assert_eq!(raised(dir), "35.00");
}
