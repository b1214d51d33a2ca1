//! What only a browser can show: mounting from data attributes, the ARIA the page exposes,
//! polling with ETags, and keeping the last good figures when a response is malformed.
//! Run in headless Chromium by `cargo xtask test` (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &str = include_str!("../../tests/fixtures/status-document.json");

#[wasm_bindgen(inline_js = r#"
export function install_fetch_stub(bodies, etags) {
  // Answers /stub/status.json from a script: each answer once, then the last one again;
  // a request whose If-None-Match is the current ETag gets a 304.
  const log = [];
  let index = 0;
  window.__jaugeRequests = log;
  window.fetch = async (request) => {
    const url = typeof request === "string" ? request : request.url;
    const sent = typeof request === "string" ? null : request.headers.get("If-None-Match");
    log.push({ url, ifNoneMatch: sent, credentials: request.credentials, cache: request.cache });
    const at = Math.min(index, bodies.length - 1);
    const date = new Date().toUTCString();
    if (sent && sent === etags[at]) {
      index += 1;
      return new Response(null, { status: 304, headers: { ETag: etags[at], Date: date } });
    }
    index += 1;
    return new Response(bodies[at], { status: 200, headers: { ETag: etags[at], Date: date, "Content-Type": "application/json" } });
  };
}
export function requests() { return JSON.stringify(window.__jaugeRequests || []); }
"#)]
extern "C" {
    fn install_fetch_stub(bodies: Vec<String>, etags: Vec<String>);
    fn requests() -> String;
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The fixture, moved so that its deadline is five and a half days from now, with `raised` and
/// the figures that follow from it (goal €200,000).
fn live_fixture(raised: &str) -> String {
    let goal = jauge::Decimal::from(200_000);
    let amount: jauge::Decimal = raised.parse().unwrap();
    let percent = (amount * jauge::Decimal::ONE_HUNDRED / goal).trunc_with_scale(2);
    let remaining = (goal - amount).max(jauge::Decimal::ZERO);
    let surplus = (amount - goal).max(jauge::Decimal::ZERO);
    let now_ms = js_sys::Date::now();
    let iso = |offset_days: f64| {
        let date = js_sys::Date::new(&JsValue::from_f64(now_ms + offset_days * 86_400_000.0));
        let text: String = date.to_iso_string().into();
        format!("{}Z", &text[..19])
    };
    FIXTURE
        .replace("2023-12-26T07:00:00Z", &iso(0.0))
        .replace("2024-01-01T00:00:00+01:00", &iso(5.5))
        .replace("2023-11-14T00:00:00+01:00", &iso(-40.0))
        .replace(
            "\"amount\": \"128602.42\"",
            &format!("\"amount\": \"{raised}\""),
        )
        .replace(
            "\"amount\": \"71397.58\"",
            &format!("\"amount\": \"{remaining:.2}\""),
        )
        .replace(
            "\"percent\": \"64.30\"",
            &format!("\"percent\": \"{percent:.2}\""),
        )
        .replace(
            "\"percent_display\": 64",
            &format!("\"percent_display\": {}", percent.trunc()),
        )
        .replace(
            "\"reached\": false",
            &format!("\"reached\": {}", amount >= goal),
        )
        .replacen(
            "\"surplus\": {\n    \"amount\": \"0.00\"",
            &format!("\"surplus\": {{\n    \"amount\": \"{surplus:.2}\""),
            1,
        )
}

fn mount(html: &str) -> Element {
    let host = document().create_element("div").unwrap();
    host.set_inner_html(html);
    document().body().unwrap().append_child(&host).unwrap();
    jauge_widget::mount_all();
    host
}

async fn settle(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn mounts_from_data_attributes_with_inline_json() {
    let json = live_fixture("128602.42");
    let host = mount(&format!(
        r#"<div data-jauge data-lang="fr" data-size="compact"><p>no script</p><script type="application/json">{json}</script></div>"#
    ));
    settle(200).await;
    let gauge = host
        .query_selector(".jauge")
        .unwrap()
        .expect("the gauge is mounted");
    assert!(gauge.class_list().contains("jauge--compact"));
    assert_eq!(gauge.get_attribute("lang").as_deref(), Some("fr"));
    assert_eq!(text(&host, ".jauge__raised"), "128\u{202f}602\u{a0}€");
    assert!(
        text(&host, ".jauge__time").contains("5\u{a0}jours")
            || text(&host, ".jauge__time").contains("5 jours")
    );
    assert!(
        !host.inner_html().contains("no script"),
        "the no-script content is replaced"
    );
    assert!(host
        .query_selector("[data-jauge]")
        .unwrap()
        .unwrap()
        .has_attribute("data-jauge-mounted"));
}

#[wasm_bindgen_test]
async fn exposes_a_progressbar_to_assistive_technology() {
    let json = live_fixture("128602.42");
    let host = mount(&format!(
        r#"<div data-jauge><script type="application/json">{json}</script></div>"#
    ));
    settle(200).await;
    let bar = host
        .query_selector("[role=progressbar]")
        .unwrap()
        .expect("a progressbar");
    assert_eq!(bar.get_attribute("aria-valuemin").as_deref(), Some("0"));
    assert_eq!(bar.get_attribute("aria-valuemax").as_deref(), Some("100"));
    assert_eq!(bar.get_attribute("aria-valuenow").as_deref(), Some("64"));
    assert_eq!(
        bar.get_attribute("aria-valuetext").as_deref(),
        Some("€128,602 raised of €200,000, 5 days left")
    );
    let live = host.query_selector("[aria-live=polite]").unwrap();
    assert!(live.is_some(), "updates are announced politely");
    // The drawing is hidden from screen readers; the text carries the meaning.
    let bar = host.query_selector(".jauge__bar").unwrap().unwrap();
    assert_eq!(bar.get_attribute("aria-hidden").as_deref(), Some("true"));
    // The illustration is an image with its own sentence.
    let scene = host.query_selector(".jauge__scene").unwrap().unwrap();
    assert_eq!(scene.get_attribute("role").as_deref(), Some("img"));
    assert!(scene
        .get_attribute("aria-label")
        .is_some_and(|alt| alt.ends_with("64% raised.")));
}

#[wasm_bindgen_test]
async fn polls_with_etags_and_keeps_the_last_good_figures() {
    install_fetch_stub(
        vec![
            live_fixture("128602.42"),
            live_fixture("128602.42"),
            live_fixture("150000.00"),
            "{ not json".into(),
        ],
        vec![
            "\"a\"".into(),
            "\"a\"".into(),
            "\"b\"".into(),
            "\"c\"".into(),
        ],
    );
    let host = mount(r#"<div data-jauge data-src="/stub/status.json" data-refresh="1"></div>"#);
    settle(400).await;
    assert_eq!(text(&host, ".jauge__raised"), "€128,602");
    settle(2300).await;
    // The third answer had a new ETag and new figures.
    assert_eq!(text(&host, ".jauge__raised"), "€150,000");
    settle(1200).await;
    // A malformed answer: the last good figures stay, with a discreet note.
    assert_eq!(text(&host, ".jauge__raised"), "€150,000");
    assert!(
        text(&host, ".jauge__stale").starts_with("Figures as of "),
        "{}",
        host.inner_html()
    );
    let log: Vec<serde_json::Value> = serde_json::from_str(&requests()).unwrap();
    assert!(log.len() >= 4, "{log:?}");
    assert!(
        log.iter()
            .all(|r| r["url"].as_str().unwrap().ends_with("/stub/status.json")),
        "only src is requested"
    );
    assert!(
        log.iter()
            .all(|r| r["credentials"] == "omit" && r["cache"] == "no-store"),
        "{log:?}"
    );
    assert_eq!(
        log[1]["ifNoneMatch"], "\"a\"",
        "the second request is conditional"
    );
}

#[wasm_bindgen_test]
async fn with_no_figures_at_all_a_readable_text_not_a_blank_box() {
    install_fetch_stub(vec!["<html>500</html>".into()], vec!["\"x\"".into()]);
    let host = mount(
        r#"<div data-jauge data-src="/stub/broken.json" data-refresh="0" data-lang="de"></div>"#,
    );
    settle(400).await;
    assert_eq!(
        text(&host, ".jauge__fallback"),
        "Die Zahlen der Kampagne können gerade nicht angezeigt werden."
    );
    let _ = host.dyn_ref::<web_sys::HtmlElement>();
}

#[wasm_bindgen_test]
async fn the_bar_fills_to_its_figure() {
    let json = live_fixture("128602.42");
    let host = mount(&format!(
        r#"<div data-jauge><script type="application/json">{json}</script></div>"#
    ));
    settle(5).await;
    let width = || {
        host.query_selector(".jauge__fill")
            .unwrap()
            .and_then(|e| e.get_attribute("width"))
            .unwrap_or_default()
    };
    let first = width();
    settle(300).await;
    // The goal is the bar's full width: €128,602.42 of €200,000 is 64.30 % of it.
    assert_eq!(width(), "6430");
    assert!(first == "0" || first == "6430", "{first}");
}

#[wasm_bindgen_test]
async fn a_new_status_changes_the_stage_and_its_alt_text() {
    install_fetch_stub(
        vec![live_fixture("128602.42"), live_fixture("210000.00")],
        vec!["\"s1\"".into(), "\"s2\"".into()],
    );
    let host = mount(
        r#"<div data-jauge data-src="/stub/stage.json" data-refresh="1" data-size="compact"></div>"#,
    );
    settle(400).await;
    let scene = || {
        host.query_selector(".jauge__scene")
            .unwrap()
            .expect("a scene")
    };
    assert_eq!(
        scene().get_attribute("data-view").as_deref(),
        Some("s2"),
        "{}",
        host.inner_html()
    );
    assert_eq!(
        scene().get_attribute("aria-label").as_deref(),
        Some("The defenders stand up to the giants, who look worried. 64% raised.")
    );
    // After the first paint, the drawing's view as an image beside the status document.
    let image = || {
        scene()
            .query_selector(".jauge__scene-view--now")
            .unwrap()
            .expect("the scene's image")
            .get_attribute("src")
            .unwrap_or_default()
    };
    assert!(
        image().starts_with("/stub/scene.svg?v=") && image().ends_with("#s2"),
        "{}",
        image()
    );
    settle(1300).await;
    assert_eq!(
        scene().get_attribute("data-view").as_deref(),
        Some("s4"),
        "{}",
        host.inner_html()
    );
    assert!(image().ends_with("#s4"), "{}", image());
    // The stage before stays under the new one while it fades in.
    let before = scene()
        .query_selector(".jauge__scene-view--before")
        .unwrap();
    assert!(before.is_some_and(|b| b.get_attribute("src").unwrap_or_default().ends_with("#s2")));
    assert_eq!(
        scene().get_attribute("aria-label").as_deref(),
        Some("The defenders cheer under confetti; the giants run away. 105% raised.")
    );
}

#[wasm_bindgen_test]
async fn a_campaign_image_that_fails_gives_way_to_the_built_in_scene() {
    let json = live_fixture("128602.42").replacen(
        "\"time_zone\": \"Europe/Paris\",",
        "\"time_zone\": \"Europe/Paris\", \"illustrations\": [{\"stage\": 50, \"src\": \"missing-art.png\", \"width\": 640, \"height\": 320, \"alt\": {\"en\": \"Our mascots\"}}],",
        1,
    );
    let host = mount(&format!(
        r#"<div data-jauge><script type="application/json">{json}</script></div>"#
    ));
    settle(100).await;
    // The image loads lazily: only once it is near the viewport.
    host.scroll_into_view();
    settle(1500).await;
    assert!(
        host.query_selector("img[src*=missing-art]")
            .unwrap()
            .is_none(),
        "{}",
        host.inner_html()
    );
    assert!(host.query_selector(".jauge__scene").unwrap().is_some());
}

/// What `jauge snippet` writes, in short: a gauge already drawn inside the element.
const PRERENDERED: &str = r#"<div class="jauge jauge--compact jauge--light" id="prerendered"><p class="jauge__raised">€128,602</p></div>"#;

#[wasm_bindgen_test]
async fn a_server_rendered_gauge_gives_way_to_the_live_one_in_place() {
    let json = live_fixture("128602.42");
    let host = mount(&format!(
        r#"<div data-jauge data-size="compact" data-theme="light">{PRERENDERED}<script type="application/json">{json}</script></div>"#
    ));
    settle(30).await;
    assert!(
        host.query_selector("#prerendered").unwrap().is_none(),
        "the static gauge is gone once the live one has figures"
    );
    let gauges = host.query_selector_all(".jauge").unwrap();
    assert_eq!(gauges.length(), 1, "{}", host.inner_html());
    let live = host
        .query_selector(".jauge-live > .jauge")
        .unwrap()
        .expect("the live gauge");
    assert!(live.class_list().contains("jauge--compact"));
    // Already filled: a gauge that was on screen does not empty itself to animate again.
    let fill = host
        .query_selector(".jauge__bar--money .jauge__fill")
        .unwrap()
        .unwrap();
    assert_ne!(fill.get_attribute("width").as_deref(), Some("0"));
}

#[wasm_bindgen_test]
async fn a_server_rendered_gauge_stays_when_no_figures_come() {
    install_fetch_stub(vec!["{ not json".into()], vec!["\"x\"".into()]);
    let host = mount(&format!(
        r#"<div data-jauge data-src="/stub/status.json" data-refresh="0">{PRERENDERED}</div>"#
    ));
    settle(300).await;
    assert!(
        host.query_selector("#prerendered").unwrap().is_some(),
        "{}",
        host.inner_html()
    );
    assert!(
        host.query_selector(".jauge--fallback").unwrap().is_none(),
        "no loading or failure text over a gauge that has figures"
    );
    assert_eq!(text(&host, ".jauge__raised"), "€128,602");
}

/// The live gauge toward 4,000 donors, with a sponsor's pledge: the browser's reader takes the
/// counts and the pledge (its document type holds no breakdown), and the gauge heads with the
/// donors and shows the match apart.
#[wasm_bindgen_test]
async fn a_live_gauge_toward_donors_shows_them_and_the_match_apart() {
    let mut value: serde_json::Value = serde_json::from_str(&live_fixture("128602.42")).unwrap();
    value["campaign"]["goal"] = serde_json::json!({"donors": 4000});
    value["progress"] = serde_json::json!({"donors": 2417});
    value["remaining"] = serde_json::json!({"donors": 1583});
    value["surplus"] = serde_json::json!({"donors": 0});
    value["percent"] = "60.42".into();
    value["percent_display"] = 60.into();
    value["reached"] = false.into();
    value["milestones"] = serde_json::json!([
        {"amount": {"donors": 1000}, "label": "A thousand friends", "reached": true},
    ]);
    value["matching"] = serde_json::json!([{
        "sponsor": "Fondation Exemple", "ratio": "1",
        "up_to": {"amount": "5000.00", "currency": "EUR"},
        "amount": {"amount": "5000.00", "currency": "EUR"},
    }]);
    let host = mount(&format!(
        r#"<div data-jauge data-lang="en"><script type="application/json">{value}</script></div>"#
    ));
    settle(200).await;
    assert_eq!(text(&host, ".jauge__raised"), "2,417 donors");
    assert_eq!(text(&host, ".jauge__goal"), "4,000 donors");
    assert_eq!(text(&host, ".jauge__remaining"), "1,583 donors to go");
    assert_eq!(text(&host, ".jauge__donors"), "€128,602 raised");
    assert_eq!(
        text(&host, ".jauge__matched"),
        "Fondation Exemple matches gifts: €5,000"
    );
}
