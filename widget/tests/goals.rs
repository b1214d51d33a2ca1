//! A gauge toward a goal in donors, with a sponsor's matching pledge shown apart.

use std::rc::Rc;

use jauge::{Locale, StatusDocument};
use jauge_widget::Size;

use crate::render::{props, render, FIXTURE};

/// The fixture turned toward 4,000 donors (2,417 so far), with a pledge from a sponsor whose
/// name tries to become markup.
fn toward_donors() -> Rc<StatusDocument> {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    value["campaign"]["goal"] = serde_json::json!({"donors": 4000});
    value["donors"] = 2417.into();
    value["progress"] = serde_json::json!({"donors": 2417});
    value["remaining"] = serde_json::json!({"donors": 1583});
    value["surplus"] = serde_json::json!({"donors": 0});
    value["percent"] = "60.42".into();
    value["percent_display"] = 60.into();
    value["milestones"] = serde_json::json!([
        {"amount": {"donors": 1000}, "label": "A thousand friends", "reached": true},
        {"amount": {"donors": 3000}, "label": "Three thousand", "reached": false},
    ]);
    // jauge's own sentences (the fixture's speak of money to raise).
    value["appeals"] = serde_json::json!({});
    value["matching"] = serde_json::json!([{
        "sponsor": "<b>ACME</b> & co",
        "ratio": "1",
        "up_to": {"amount": "5000.00", "currency": "EUR"},
        "amount": {"amount": "5000.00", "currency": "EUR"},
    }]);
    Rc::new(StatusDocument::from_json(&value.to_string()).unwrap())
}

#[tokio::test]
async fn a_gauge_toward_donors_heads_with_them_and_shows_the_match_apart() {
    let html = render(props(
        toward_donors(),
        Locale::En,
        "2023-12-26T08:00:00+01:00",
        Size::Full,
    ))
    .await;
    let headline = crate::render::between(&html, "<p class=\"jauge__headline\">", "</p>");
    assert_eq!(
        headline.trim(),
        "<strong class=\"jauge__raised\">2,417 donors</strong> of <span class=\"jauge__goal\">\
         4,000 donors</span>\u{a0}·\u{a0}<span class=\"jauge__percent\">60%</span>"
    );
    // What a screen reader hears is what the screen shows.
    assert!(html.contains("aria-valuetext=\"2,417 donors of 4,000 donors, 5 days left\""));
    // The bar is of donors: 2,417 of 4,000, a marker at 1,000 and one at 3,000.
    assert!(html.contains("width=\"6042\""), "{html}");
    assert!(
        html.contains("x1=\"2500\"") && html.contains("x1=\"7500\""),
        "{html}"
    );
    let figures = crate::render::between(&html, "<div class=\"jauge__figures\">", "</div>");
    assert_eq!(
        figures.trim(),
        "<p class=\"jauge__remaining\">\n<strong>1,583 donors</strong> to go</p>\n\
         <p class=\"jauge__time\">\n<strong>5 days</strong> left</p>\n\
         <p class=\"jauge__donors\">€128,602 raised</p>"
    );
    // The sponsor's name stays text.
    assert!(
        html.contains(
            "<p class=\"jauge__matched\">&lt;b&gt;ACME&lt;/b&gt; &amp; co matches gifts: €5,000</p>"
        ),
        "{html}"
    );
    assert!(html.contains("Next milestone: <span>Three thousand</span> (3,000 donors)"));
    assert!(
        html.contains("We have 5 days left and 1,583 donors to go"),
        "{html}"
    );
}

#[tokio::test]
async fn the_same_gauge_in_french_and_german() {
    let french = render(props(
        toward_donors(),
        Locale::Fr,
        "2023-12-26T08:00:00+01:00",
        Size::Compact,
    ))
    .await;
    assert!(
        french.contains("2\u{202f}417 donateurs</strong> sur"),
        "{french}"
    );
    assert!(
        french.contains("1\u{202f}583 donateurs</strong> avant l’objectif"),
        "{french}"
    );
    let german = render(props(
        toward_donors(),
        Locale::De,
        "2023-12-26T08:00:00+01:00",
        Size::Compact,
    ))
    .await;
    assert!(
        german.contains("1.583 Spender:innen</strong> bis zum Ziel"),
        "{german}"
    );
}
