//! `jauge hook` and the receiver's core: platforms' events applied exactly once, converging to
//! one state whatever the order, the repetitions and the path (webhook or export).

use std::path::Path;

use jauge_cli::receive::{apply, Applied, Platform};
use jauge_platforms::{stripe, Mode};

use crate::support::{jauge, ledger_text, scratch, stderr};

fn event(id: &str, kind: &str, live: bool, object: &str) -> String {
    format!(
        r#"{{"id":"{id}","object":"event","api_version":"2024-06-20","type":"{kind}","created":1702400000,"livemode":{live},"data":{{"object":{object}}}}}"#
    )
}

fn charge(id: &str, amount: i64, refunded: i64, created: i64) -> String {
    // The payer of the subscription's invoice (evt_3) is Bob, as his invoice says.
    let email = if id == "ch_B" {
        "bob@example.org"
    } else {
        "alice@example.org"
    };
    format!(
        r#"{{"id":"{id}","object":"charge","amount":{amount},"amount_refunded":{refunded},"currency":"eur","created":{created},"status":"succeeded","paid":true,"billing_details":{{"email":"{email}"}}}}"#
    )
}

/// Eight deliveries: a charge and its partial refund, a subscription's invoice and the same
/// charge seen as a plain charge, a lost dispute and its charge, a test payment, an event of
/// another kind.
fn deliveries() -> Vec<String> {
    vec![
        event(
            "evt_1",
            "charge.succeeded",
            true,
            &charge("ch_A", 3000, 0, 1702368420),
        ),
        event(
            "evt_2",
            "charge.refunded",
            true,
            &charge("ch_A", 3000, 1000, 1702368420),
        ),
        event(
            "evt_3",
            "invoice.paid",
            true,
            r#"{"id":"in_1","object":"invoice","amount_paid":1000,"currency":"eur","created":1702370000,"charge":"ch_B","subscription":"sub_9","customer_email":"bob@example.org","lines":{"data":[{"price":{"recurring":{"interval":"month"}}}]}}"#,
        ),
        event(
            "evt_4",
            "charge.succeeded",
            true,
            &charge("ch_B", 1000, 0, 1702370000),
        ),
        event(
            "evt_5",
            "charge.succeeded",
            true,
            &charge("ch_C", 5000, 0, 1702380000),
        ),
        event(
            "evt_6",
            "charge.dispute.closed",
            true,
            r#"{"id":"dp_1","object":"dispute","amount":5000,"charge":"ch_C","currency":"eur","status":"lost","created":1702390000}"#,
        ),
        event(
            "evt_7",
            "charge.succeeded",
            false,
            &charge("ch_T", 9900, 0, 1702380000),
        ),
        event(
            "evt_8",
            "customer.created",
            true,
            r#"{"id":"cus_1","object":"customer"}"#,
        ),
    ]
}

/// Delivers `order` as a platform does: an event the store cannot take yet (a refund before its
/// gift) is retried after the others.
fn deliver(store: &Path, order: &[usize]) -> Vec<Applied> {
    let events = deliveries();
    let mut queue: std::collections::VecDeque<usize> = order.iter().copied().collect();
    let mut outcomes = Vec::new();
    let mut retries = 0;
    while let Some(i) = queue.pop_front() {
        let event = stripe::interpret(events[i].as_bytes(), Mode::Live).unwrap();
        match apply(
            store,
            Platform::Stripe,
            &event,
            chrono::Utc::now(),
            std::time::Duration::from_secs(30),
        ) {
            Ok(applied) => outcomes.push(applied),
            Err(jauge_cli::error::CliError::GiftNotYetKnown { .. }) => {
                retries += 1;
                assert!(retries < 50, "an event is never taken");
                queue.push_back(i);
            }
            Err(other) => panic!("{other}"),
        }
    }
    outcomes
}

/// `jauge hook --from stripe` of one saved delivery.
fn hook(store: &Path, file: &Path) -> std::process::Output {
    jauge()
        .args(["hook", "--from", "stripe", "--ledger"])
        .arg(store)
        .arg(file)
        .output()
        .unwrap()
}

fn sorted_rows(store: &Path) -> Vec<String> {
    let mut rows: Vec<String> = ledger_text(store).lines().map(str::to_owned).collect();
    rows.sort();
    rows
}

#[test]
fn any_order_and_any_repetition_ends_in_one_state() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("in-order.db");
    let outcomes = deliver(&reference, &[0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(outcomes.len(), 8);
    assert!(matches!(outcomes[6], Applied::Ignored(_)), "{outcomes:?}");
    assert!(matches!(outcomes[7], Applied::Ignored(_)), "{outcomes:?}");
    let expected = sorted_rows(&reference);
    insta::assert_snapshot!(expected.join("\n"), @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    stripe:ch_A,2023-12-12T08:07:00Z,30.00,EUR,refunded,one_off,,online,h:7a64adf28737ea90719cbdf0,,10.00,
    stripe:ch_B,2023-12-12T08:33:20Z,10.00,EUR,confirmed,monthly,stripe:sub_9,online,h:686b5e4cf4f963adf8f51468,,,
    stripe:ch_C,2023-12-12T11:20:00Z,50.00,EUR,refunded,one_off,,online,h:7a64adf28737ea90719cbdf0,,50.00,
    ");
    let orders: [&[usize]; 5] = [
        &[7, 6, 5, 4, 3, 2, 1, 0],
        &[1, 0, 5, 3, 2, 6, 4, 7],
        &[0, 0, 1, 1, 0, 2, 3, 3, 2, 4, 5, 5, 6, 7, 7],
        &[5, 1, 3, 4, 0, 2, 6, 7, 1, 5],
        &[2, 3, 2, 3, 1, 0, 5, 4, 6, 6, 7],
    ];
    for (n, order) in orders.iter().enumerate() {
        let store = dir.path().join(format!("order-{n}.db"));
        let outcomes = deliver(&store, order);
        assert_eq!(sorted_rows(&store), expected, "order {order:?}");
        let repeats = outcomes
            .iter()
            .filter(|o| matches!(o, Applied::AlreadyTaken(_)))
            .count();
        assert_eq!(repeats, order.len() - 8, "order {order:?}: {outcomes:?}");
    }
}

#[test]
fn a_gift_by_webhook_and_again_by_export_is_one_gift() {
    let dir = scratch(&["stripe_payments.csv"]);
    let store = dir.path().join("d.db");
    // The first row of the fixture export, as its webhook would have delivered it.
    let body = event(
        "evt_x",
        "charge.succeeded",
        true,
        &charge("ch_3OMe1", 3000, 0, 1702368420),
    );
    let file = dir.path().join("evt_x.json");
    std::fs::write(&file, body).unwrap();
    let output = hook(&store, &file);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("charge.succeeded evt_x: applied, 1 gifts added or changed"),
        "{}",
        stderr(&output)
    );
    let output = jauge()
        .args(["import", "--from", "stripe", "--into"])
        .arg(&store)
        .arg(dir.path().join("stripe_payments.csv"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // The export adds the four others and teaches the known one its fee.
    assert!(
        stderr(&output).contains("4 added, 1 updated, 0 already present"),
        "{}",
        stderr(&output)
    );
    assert_eq!(ledger_text(&store).lines().count(), 6);
    // The same delivery again changes nothing.
    let output = hook(&store, &file);
    assert!(
        stderr(&output).contains("taken before (Applied), nothing changed"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_refund_before_its_gift_waits_for_it_and_bad_events_name_their_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("d.db");
    let dispute = dir.path().join("dispute.json");
    std::fs::write(&dispute, &deliveries()[5]).unwrap();
    let output = hook(&store, &dispute);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("event evt_6 refunds stripe:ch_C, which the store does not hold yet: nothing was written"),
        "{}",
        stderr(&output)
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        event(
            "evt_9",
            "charge.succeeded",
            true,
            &charge("ch_Z", 3000, 0, 1).replace("3000", "30.5"),
        ),
    )
    .unwrap();
    let output = hook(&store, &bad);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("bad.json: data.object.amount: expected a whole number"),
        "{}",
        stderr(&output)
    );
}
