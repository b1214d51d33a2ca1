//! `StatusDocument::from_json` reads the document without serde's derives (the browser bundle's
//! size), so it is held to exactly what the derived `Deserialize` accepts and produces: on every
//! document the core writes, and on every mutation of them.

use jauge::{
    AppealState, Channel, FeeRule, PendingRule, Phase, RecurringRule, RefundRule, StagePhase,
    StatusDocument, TimeUnit,
};
use serde_json::{json, Value};

use crate::support::{fixture_campaign, fixture_ledger, utc};

/// Documents of every phase, plus one carrying what the fixture lacks: illustrations (with
/// optional fields and alt texts), appeals for every state, an absent pace need.
fn documents() -> Vec<Value> {
    let campaign = fixture_campaign();
    let ledger = fixture_ledger();
    let mut documents: Vec<Value> = [
        "2023-11-01T00:00:00Z",
        "2023-11-20T12:00:00Z",
        "2023-12-26T07:00:00Z",
        "2023-12-30T12:00:00Z",
        "2023-12-31T22:30:00Z",
        "2024-01-02T00:00:00Z",
    ]
    .iter()
    .map(|at| serde_json::to_value(campaign.status(&ledger, utc(at)).unwrap()).unwrap())
    .collect();
    let mut rich = documents[2].clone();
    rich["campaign"]["illustrations"] = json!([
        {"stage": 50, "src": "half.svg", "width": 320, "height": 160},
        {"stage": 100, "phase": "ended_reached", "src": "done.png", "width": 640, "height": 320,
         "position": "left", "alt": {"en": "Done", "fr": "Fini"}}
    ]);
    rich["appeals"]["reached"] = json!({"de": "{raised} gesammelt, danke!"});
    rich["appeals"]["ended"] = json!({"en": "Over: {raised}. Thanks, {donors} donors!"});
    rich["pace"]["needed_per_day"] = Value::Null;
    rich["rules"] = json!({"pending": "counted", "fees": "net", "refunds": "ignored", "recurring": "to_deadline"});
    rich["raised"] = json!("128602.42 EUR");
    rich["campaign"]["name"] = json!("Quote \" backslash \\ tab \t é 😀 \u{1}");
    documents.push(rich);
    documents
}

/// Both readers, on the same text: the same document or both an error.
fn agree(text: &str) -> Result<(), String> {
    let ours = StatusDocument::from_json(text);
    // serde's derive is the schema, not a reader of documents: what the core writes is
    // consistent, and both readings must pass the same check.
    let serde = serde_json::from_str::<StatusDocument>(text)
        .map_err(|e| e.to_string())
        .and_then(|d| d.check_consistency().map(|()| d).map_err(|e| e.to_string()));
    match (&ours, &serde) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Err(_), Err(_)) => Ok(()),
        _ => Err(format!(
            "ours: {:?}\nserde: {:?}",
            ours.map(|_| "a document"),
            serde.map(|_| "a document")
        )),
    }
}

#[test]
fn every_document_reads_the_same_as_with_serde() {
    for document in documents() {
        let text = serde_json::to_string_pretty(&document).unwrap();
        let ours = StatusDocument::from_json(&text).unwrap();
        assert_eq!(ours, serde_json::from_str::<StatusDocument>(&text).unwrap());
    }
}

/// Every variant name serde writes, of every enum in the document.
fn variant_names() -> Vec<Value> {
    fn names<T: serde::Serialize>(variants: &[T]) -> impl Iterator<Item = Value> + '_ {
        variants.iter().map(|v| serde_json::to_value(v).unwrap())
    }
    use Phase as P;
    use StagePhase as S;
    use TimeUnit as T;
    names(&[P::NotStarted, P::Running, P::FinalHours, P::Ended])
        .chain(names(&[
            S::NotStarted,
            S::Running,
            S::FinalHours,
            S::EndedShort,
            S::EndedReached,
        ]))
        .chain(names(&[T::Weeks, T::Days, T::Hours, T::Minutes, T::Ended]))
        .chain(names(&Channel::ALL))
        .chain(names(&[PendingRule::Excluded, PendingRule::Counted]))
        .chain(names(&[FeeRule::Gross, FeeRule::Net]))
        .chain(names(&[RefundRule::Subtracted, RefundRule::Ignored]))
        .chain(names(&[
            RecurringRule::Received,
            RecurringRule::First,
            RecurringRule::Annualized,
            RecurringRule::ToDeadline,
        ]))
        .chain(names(&[
            AppealState::Running,
            AppealState::Reached,
            AppealState::Ended,
        ]))
        .collect()
}

/// Every place in `value`, as a path of keys and indexes.
fn places(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(json!(key));
                places(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(json!(index));
                places(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(value: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(value, |v, step| match step {
        Value::String(key) => &mut v[key.as_str()],
        step => &mut v[step.as_u64().unwrap() as usize],
    })
}

#[test]
fn every_mutation_is_refused_or_read_as_serde_reads_it() {
    let replacements: Vec<Value> = [
        json!(null),
        json!(true),
        json!(0),
        json!(4294967296u64),
        json!(-1),
        json!(1.5),
        json!("x"),
        json!("12.50 EUR"),
        json!("2023-12-26T07:00:00+01:00"),
        json!([]),
        json!([0, 50, 100]),
        json!({}),
        json!({"amount": "1.00", "currency": "EUR"}),
        json!({"en": "x"}),
    ]
    .into_iter()
    .chain(variant_names())
    .collect();
    let mut checked = 0;
    let mut failures = Vec::new();
    for document in documents() {
        let mut all = Vec::new();
        places(&document, &mut Vec::new(), &mut all);
        for path in all {
            let mut variants = Vec::new();
            if let Some((last, parent)) = path.split_last() {
                let mut removed = document.clone();
                match at(&mut removed, parent) {
                    Value::Object(map) => {
                        map.remove(last.as_str().unwrap());
                    }
                    Value::Array(items) => {
                        items.remove(last.as_u64().unwrap() as usize);
                    }
                    _ => unreachable!(),
                }
                variants.push(removed);
                if let Value::Object(_) = at(&mut document.clone(), parent) {
                    let mut extra = document.clone();
                    at(&mut extra, parent)["unexpected"] = json!(1);
                    variants.push(extra);
                }
            }
            for replacement in &replacements {
                let mut changed = document.clone();
                let place = at(&mut changed, &path);
                // serde's derive also reads a struct from an array of its fields in order; the
                // document never uses that form, and `from_json` refuses it.
                if place.is_object() && replacement.is_array() {
                    continue;
                }
                *place = replacement.clone();
                variants.push(changed);
            }
            for variant in variants {
                checked += 1;
                let text = serde_json::to_string(&variant).unwrap();
                if let Err(why) = agree(&text) {
                    failures.push(format!("{path:?}: {why}"));
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} mutations");
    assert!(
        failures.is_empty(),
        "{} of {checked} disagree:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn text_that_is_not_json_is_refused_by_both() {
    let text = serde_json::to_string_pretty(&documents()[2]).unwrap();
    for end in (0..text.len()).step_by(7) {
        if text.is_char_boundary(end) {
            agree(&text[..end]).unwrap();
        }
    }
    for (from, to) in [
        ("\"", "'"),
        (":", "="),
        (",", ""),
        ("}", "]"),
        ("true", "True"),
    ] {
        agree(&text.replacen(from, to, 3)).unwrap();
    }
}
