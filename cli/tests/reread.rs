//! HelloAsso without a partner signature: a notification at the secret path is only a nudge;
//! with the organisation's API client configured, its order is read again through HelloAsso's
//! API (a local server answering as it does) before anything is recorded, so a forged body's
//! amounts are never taken, on the real clock.

use chrono::Utc;

use crate::fake_api::fake_api;
use crate::live::running_now;
use crate::serve::{request, serve_at};
use crate::support::{holds_nothing, raised};

const TOKEN: &str = "0123456789abcdef0123456789abcdef-path";
const CLIENT_SECRET: &str = "ha-client-secret-xyz";

fn order(id: i64, organization: &str, cents: i64) -> String {
    let date = (Utc::now() - chrono::Duration::minutes(20))
        .format("%Y-%m-%dT%H:%M:%S.4293708+00:00")
        .to_string();
    format!(
        r#"{{"id":{id},"date":"{date}","formSlug":"dons","formType":"Donation","organizationSlug":"{organization}","amount":{{"total":{cents}}},"payer":{{"email":"p{id}@example.org"}},"items":[{{"id":{id}1,"type":"Donation","amount":{cents},"state":"Processed"}}],"payments":[{{"id":{id}2,"amount":{cents},"date":"{date}","state":"Authorized","paymentMeans":"Card"}}]}}"#
    )
}

#[test]
fn an_unsigned_notification_is_only_a_nudge_to_read_its_order_again() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    let api = fake_api(&[], "", "");
    {
        let mut state = api.state.lock().unwrap();
        state.resources.insert(
            "/oauth2/token".into(),
            r#"{"access_token":"ha_token_1","token_type":"bearer","expires_in":1800}"#.into(),
        );
        state
            .resources
            .insert("/v5/orders/4101".into(), order(4101, "mon-asso", 3000));
        state
            .resources
            .insert("/v5/orders/4102".into(), order(4102, "une-autre", 5000));
    }
    let served = serve_at(
        dir,
        &[
            ("JAUGE_HELLOASSO_PATH_TOKEN", TOKEN),
            ("JAUGE_HELLOASSO_CLIENT_ID", "client-abc"),
            ("JAUGE_HELLOASSO_CLIENT_SECRET", CLIENT_SECRET),
            ("JAUGE_HELLOASSO_ORGANIZATION", "mon-asso"),
            ("JAUGE_HELLOASSO_API_BASE", &api.base()),
        ],
        &[],
        "127.0.0.1:0",
        None,
    );
    let post = |body: &str| {
        request(
            served.addr,
            "POST",
            &format!("/hooks/helloasso/{TOKEN}"),
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .unwrap()
    };
    // About an order the API does not know, and about another organisation's: nothing written.
    let unknown = post(&format!(
        r#"{{"eventType":"Order","data":{}}}"#,
        order(999, "mon-asso", 100)
    ));
    assert_eq!(unknown.status, 200, "{}", unknown.text());
    assert!(
        unknown.text().starts_with("nothing to record"),
        "{}",
        unknown.text()
    );
    let other = post(&format!(
        r#"{{"eventType":"Order","data":{}}}"#,
        order(4102, "une-autre", 5000)
    ));
    assert!(
        other.text().contains("another organisation's"),
        "{}",
        other.text()
    );
    assert!(holds_nothing(&dir.join("donations.db")) || raised(dir) == "0.00");
    // A notification claiming 9,999.00 for order 4101: the API says 30.00, and 30.00 is taken.
    let forged = post(&format!(
        r#"{{"eventType":"Order","data":{}}}"#,
        order(4101, "mon-asso", 999900)
    ));
    assert_eq!(forged.status, 200, "{}", forged.text());
    assert_eq!(raised(dir), "30.00");
    // The same order's payment notified: read again, the same state, taken before.
    let payment = r#"{"eventType":"Payment","data":{"id":41012,"amount":999900,"state":"Authorized","order":{"id":4101,"formType":"Donation"}}}"#;
    let again = post(payment);
    assert!(again.text().contains("taken before"), "{}", again.text());
    assert_eq!(raised(dir), "30.00");
    assert!(api.asked("GET /v5/orders/4101 "));
    let log = served.log.lock().unwrap().clone();
    assert!(
        log.contains("each order read again through its API"),
        "{log}"
    );
    assert!(!log.contains(CLIENT_SECRET), "{log}");
}
