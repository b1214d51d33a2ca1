//! Server-rendered HTML of the gauge in each size, state and locale, as inline snapshots.

use std::rc::Rc;

use chrono::{DateTime, Utc};
use jauge::{Locale, StatusDocument};
use jauge_widget::{Fallback, FallbackProps, Gauge, GaugeProps, Size, Theme};
use yew::LocalServerRenderer;

pub(crate) const FIXTURE: &str = include_str!("../../tests/fixtures/status-document.json");

fn fixture() -> Rc<StatusDocument> {
    Rc::new(StatusDocument::from_json(FIXTURE).unwrap())
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// The fixture with its raised figure moved, for the reached and over-100 % states.
fn with_raised(amount: &str) -> Rc<StatusDocument> {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    let goal: jauge::Decimal = "200000".parse().unwrap();
    let raised: jauge::Decimal = amount.parse().unwrap();
    value["raised"]["amount"] = format!("{raised:.2}").into();
    value["remaining"]["amount"] =
        format!("{:.2}", (goal - raised).max(jauge::Decimal::ZERO)).into();
    value["surplus"]["amount"] = format!("{:.2}", (raised - goal).max(jauge::Decimal::ZERO)).into();
    let percent = (raised * jauge::Decimal::from(100) / goal)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    value["percent"] = format!("{percent:.2}").into();
    value["percent_display"] = percent.trunc().to_string().parse::<u64>().unwrap().into();
    value["reached"] = (raised >= goal).into();
    for milestone in value["milestones"].as_array_mut().unwrap() {
        let threshold: jauge::Decimal = milestone["amount"]["amount"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        milestone["reached"] = (raised >= threshold).into();
    }
    Rc::new(StatusDocument::from_json(&value.to_string()).unwrap())
}

pub(crate) async fn render(props: GaugeProps) -> String {
    let html = LocalServerRenderer::<Gauge>::with_props(props)
        .hydratable(false)
        .render()
        .await;
    // The scene's drawing, written out inline, is tested on its own (`art`): here it is the
    // element and its attributes.
    let html = match html.find("class=\"jauge__scene\"") {
        Some(at) => {
            let open_end = at + html[at..].find('>').unwrap() + 1;
            let close = open_end + html[open_end..].find("</svg>").unwrap();
            format!("{}…{}", &html[..open_end], &html[close..])
        }
        None => html,
    };
    // One element per line keeps the snapshots readable.
    html.replace("><", ">\n<")
}

pub(crate) fn props(
    status: Rc<StatusDocument>,
    locale: Locale,
    now: &str,
    size: Size,
) -> GaugeProps {
    GaugeProps {
        status,
        locale,
        now: at(now),
        size,
        theme: Theme::Auto,
        double_bar: false,
        stale_note: None,
        announcement: None,
        unfilled: false,
        images: Default::default(),
    }
}

#[tokio::test]
async fn full_running_in_english() {
    let html = render(props(
        fixture(),
        Locale::En,
        "2023-12-26T08:00:00+01:00",
        Size::Full,
    ))
    .await;
    insta::assert_snapshot!(html, @r#"
    <div lang="en" class="jauge jauge--full jauge--auto jauge--running">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160" role="img" class="jauge__scene" data-view="s2" aria-label="The defenders stand up to the giants, who look worried. 64% raised.">…</svg>
    <p class="jauge__name">Framasoft 2023</p>
    <p class="jauge__headline">
    <strong class="jauge__raised">€128,602</strong> raised of <span class="jauge__goal">€200,000</span> · <span class="jauge__percent">64%</span>
    </p>
    <div role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="64" aria-valuetext="€128,602 raised of €200,000, 5 days left" aria-label="Donation gauge: Framasoft 2023" class="jauge__progress">
    <svg viewBox="0 0 10000 100" preserveAspectRatio="none" aria-hidden="true" focusable="false" class="jauge__bar jauge__bar--money">
    <rect x="0" y="0" width="10000" height="100" rx="50" class="jauge__track">
    </rect>
    <rect x="0" y="0" width="6430" height="100" rx="50" class="jauge__fill">
    </rect>
    <line x1="3000" x2="3000" y1="0" y2="100" class="jauge__marker jauge__marker--reached">
    </line>
    <line x1="5000" x2="5000" y1="0" y2="100" class="jauge__marker jauge__marker--reached">
    </line>
    </svg>
    <p aria-hidden="true" class="jauge__goal-mark">goal €200,000</p>
    </div>
    <div class="jauge__figures">
    <p class="jauge__remaining">
    <strong>€71,398</strong> still to raise</p>
    <p class="jauge__time">
    <strong>5 days</strong> left</p>
    <p class="jauge__donors">5 donors</p>
    </div>
    <p class="jauge__next">Next milestone: <span>Budget balanced</span> (€200,000)</p>
    <p class="jauge__appeal">If we are to balance our budget for 2024, we have 5 days left to raise €71,398: we can't do it without your help!</p>
    <p aria-live="polite" class="jauge__sr">
    </p>
    </div>
    "#);
}

#[tokio::test]
async fn compact_in_french() {
    let html = render(props(
        fixture(),
        Locale::Fr,
        "2023-12-26T08:00:00+01:00",
        Size::Compact,
    ))
    .await;
    insta::assert_snapshot!(html, @r#"
    <div lang="fr" class="jauge jauge--compact jauge--auto jauge--running">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160" role="img" class="jauge__scene" data-view="s2" aria-label="Les défenseurs se dressent face aux géants, qui s’inquiètent. 64 % collectés.">…</svg>
    <p class="jauge__name">Framasoft 2023</p>
    <p class="jauge__headline">
    <strong class="jauge__raised">128 602 €</strong> collectés sur <span class="jauge__goal">200 000 €</span> · <span class="jauge__percent">64 %</span>
    </p>
    <div role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="64" aria-valuetext="128 602 € collectés sur 200 000 €, 5 jours restants" aria-label="Jauge des dons : Framasoft 2023" class="jauge__progress">
    <svg viewBox="0 0 10000 100" preserveAspectRatio="none" aria-hidden="true" focusable="false" class="jauge__bar jauge__bar--money">
    <rect x="0" y="0" width="10000" height="100" rx="50" class="jauge__track">
    </rect>
    <rect x="0" y="0" width="6430" height="100" rx="50" class="jauge__fill">
    </rect>
    <line x1="3000" x2="3000" y1="0" y2="100" class="jauge__marker jauge__marker--reached">
    </line>
    <line x1="5000" x2="5000" y1="0" y2="100" class="jauge__marker jauge__marker--reached">
    </line>
    </svg>
    <p aria-hidden="true" class="jauge__goal-mark">objectif 200 000 €</p>
    </div>
    <div class="jauge__figures">
    <p class="jauge__remaining">
    <strong>71 398 €</strong> restent à collecter</p>
    <p class="jauge__time">
    <strong>5 jours</strong> restants</p>
    <p class="jauge__donors">5 donateurs</p>
    </div>
    <p aria-live="polite" class="jauge__sr">
    </p>
    </div>
    "#);
}

#[tokio::test]
async fn bar_in_german() {
    let html = render(props(
        fixture(),
        Locale::De,
        "2023-12-26T08:00:00+01:00",
        Size::Bar,
    ))
    .await;
    insta::assert_snapshot!(html, @r#"
    <div lang="de" class="jauge jauge--bar jauge--auto jauge--running">
    <p class="jauge__headline">
    <strong class="jauge__raised">128.602 €</strong> gesammelt von <span class="jauge__goal">200.000 €</span> · <span class="jauge__percent">64 %</span>
    </p>
    <div role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="64" aria-valuetext="128.602 € gesammelt von 200.000 €, 5 Tage verbleibend" aria-label="Spendenbarometer: Framasoft 2023" class="jauge__progress">
    <svg viewBox="0 0 10000 100" preserveAspectRatio="none" aria-hidden="true" focusable="false" class="jauge__bar jauge__bar--money">
    <rect x="0" y="0" width="10000" height="100" rx="50" class="jauge__track">
    </rect>
    <rect x="0" y="0" width="6430" height="100" rx="50" class="jauge__fill">
    </rect>
    <line x1="3000" x2="3000" y1="0" y2="100" class="jauge__marker jauge__marker--reached">
    </line>
    <line x1="5000" x2="5000" y1="0" y2="100" class="jauge__marker jauge__marker--reached">
    </line>
    </svg>
    </div>
    <p class="jauge__time">
    <strong>5 Tage</strong> verbleibend</p>
    <p aria-live="polite" class="jauge__sr">
    </p>
    </div>
    "#);
}

/// What the rendered HTML holds between the first `start` and the next `end`.
pub(crate) fn between(html: &str, start: &str, end: &str) -> String {
    let after = html
        .split(start)
        .nth(1)
        .unwrap_or_else(|| panic!("no {start:?}"));
    after.split(end).next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn states_over_time() {
    let mut lines = Vec::new();
    for (now, status) in [
        ("2023-11-01T09:00:00+01:00", fixture()),
        ("2023-12-26T08:00:00+01:00", fixture()),
        ("2023-12-31T09:00:00+01:00", fixture()),
        ("2023-12-31T23:20:00+01:00", fixture()),
        ("2023-12-26T08:00:00+01:00", with_raised("200000")),
        ("2023-12-26T08:00:00+01:00", with_raised("274000.50")),
        ("2024-01-02T08:00:00+01:00", fixture()),
    ] {
        let html = render(props(status, Locale::En, now, Size::Compact)).await;
        let class = html
            .split("class=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let valuetext = between(&html, "aria-valuetext=\"", "\"");
        let time = between(&html, "jauge__time\">", "</p>").replace(['\n'], "");
        lines.push(format!("{now}  {class}\n    {valuetext}\n    {time}"));
    }
    insta::assert_snapshot!(lines.join("\n"), @"
    2023-11-01T09:00:00+01:00  jauge jauge--compact jauge--auto jauge--not-started
        €128,602 raised of €200,000, starts in 12 days
        starts in <strong>12 days</strong>
    2023-12-26T08:00:00+01:00  jauge jauge--compact jauge--auto jauge--running
        €128,602 raised of €200,000, 5 days left
        <strong>5 days</strong> left
    2023-12-31T09:00:00+01:00  jauge jauge--compact jauge--auto jauge--last-day
        €128,602 raised of €200,000, 15 hours left
        <strong>15 hours</strong> left
    2023-12-31T23:20:00+01:00  jauge jauge--compact jauge--auto jauge--last-hour
        €128,602 raised of €200,000, 40 minutes left
        <strong>40 minutes</strong> left
    2023-12-26T08:00:00+01:00  jauge jauge--compact jauge--auto jauge--reached
        €200,000 raised of €200,000, 5 days left
        <strong>5 days</strong> left
    2023-12-26T08:00:00+01:00  jauge jauge--compact jauge--auto jauge--over
        €274,000 raised of €200,000, 5 days left
        <strong>5 days</strong> left
    2024-01-02T08:00:00+01:00  jauge jauge--compact jauge--auto jauge--ended
        €128,602 raised of €200,000, ended
        <strong>ended</strong>
    ");
}

#[tokio::test]
async fn every_locale_headline() {
    let mut lines = Vec::new();
    for locale in Locale::ALL {
        let html = render(props(
            fixture(),
            locale,
            "2023-12-26T08:00:00+01:00",
            Size::Bar,
        ))
        .await;
        let headline = html
            .split("jauge__headline\">")
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap()
            .replace('\n', "");
        lines.push(format!("{locale}: {headline}"));
    }
    insta::assert_snapshot!(lines.join("\n"), @r#"
    en: <strong class="jauge__raised">€128,602</strong> raised of <span class="jauge__goal">€200,000</span> · <span class="jauge__percent">64%</span>
    fr: <strong class="jauge__raised">128 602 €</strong> collectés sur <span class="jauge__goal">200 000 €</span> · <span class="jauge__percent">64 %</span>
    de: <strong class="jauge__raised">128.602 €</strong> gesammelt von <span class="jauge__goal">200.000 €</span> · <span class="jauge__percent">64 %</span>
    es: <strong class="jauge__raised">128.602 €</strong> recaudados de <span class="jauge__goal">200.000 €</span> · <span class="jauge__percent">64 %</span>
    it: <strong class="jauge__raised">128.602 €</strong> raccolti su <span class="jauge__goal">200.000 €</span> · <span class="jauge__percent">64%</span>
    nl: <strong class="jauge__raised">€ 128.602</strong> opgehaald van <span class="jauge__goal">€ 200.000</span> · <span class="jauge__percent">64%</span>
    "#);
}

#[tokio::test]
async fn double_bar_stale_note_and_escaping() {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    value["campaign"]["name"] = "<script>alert(1)</script> & co".into();
    let status = Rc::new(StatusDocument::from_json(&value.to_string()).unwrap());
    let mut p = props(status, Locale::En, "2023-12-26T08:00:00+01:00", Size::Full);
    p.double_bar = true;
    p.stale_note = Some("Figures as of 14:05".into());
    let html = render(p).await;
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"),
        "{html}"
    );
    assert!(html.contains("jauge__bar--time"));
    // Said to screen readers as it appears: the figures are no longer live.
    assert!(
        html.contains("<p aria-live=\"polite\" class=\"jauge__stale\">Figures as of 14:05</p>"),
        "{html}"
    );
    assert!(!html.contains("style="), "no inline style, for strict CSP");
}

#[tokio::test]
async fn fallbacks_are_text() {
    let loading = LocalServerRenderer::<Fallback>::with_props(FallbackProps {
        locale: Locale::Fr,
        failed: false,
    })
    .hydratable(false)
    .render()
    .await;
    let failed = LocalServerRenderer::<Fallback>::with_props(FallbackProps {
        locale: Locale::En,
        failed: true,
    })
    .hydratable(false)
    .render()
    .await;
    insta::assert_snapshot!(format!("{loading}\n{failed}"), @r#"
    <div lang="fr" class="jauge jauge--fallback"><p role="status" class="jauge__fallback">Chargement des chiffres de la campagne…</p></div>
    <div lang="en" class="jauge jauge--fallback"><p role="status" class="jauge__fallback">The campaign's figures cannot be shown right now.</p></div>
    "#);
}

#[tokio::test]
async fn the_scene_at_every_stage() {
    let mut lines = Vec::new();
    for (now, raised) in [
        ("2023-11-01T09:00:00+01:00", "128602.42"),
        ("2023-12-26T08:00:00+01:00", "20000"),
        ("2023-12-26T08:00:00+01:00", "50000"),
        ("2023-12-26T08:00:00+01:00", "128602.42"),
        ("2023-12-26T08:00:00+01:00", "150000"),
        ("2023-12-30T12:00:00+01:00", "128602.42"),
        ("2023-12-26T08:00:00+01:00", "200000"),
        ("2024-01-02T08:00:00+01:00", "274000.50"),
    ] {
        let html = render(props(with_raised(raised), Locale::En, now, Size::Compact)).await;
        let attribute = |name: &str| {
            html.split(&format!("{name}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        };
        lines.push(format!(
            "{now} {raised:>10}  {}\n    {}",
            attribute("data-view"),
            attribute("aria-label")
        ));
    }
    insta::assert_snapshot!(lines.join("\n"), @r#"
    2023-11-01T09:00:00+01:00  128602.42  b
        Not started: the defenders sleep, the giants grill data. 64% raised.
    2023-12-26T08:00:00+01:00      20000  s0
        Two defenders sleep while two giants, a cloud and a server, grill skewers of data. 10% raised.
    2023-12-26T08:00:00+01:00      50000  s1
        The defenders wake up; at their data grill, the giants glance over, uneasy. 25% raised.
    2023-12-26T08:00:00+01:00  128602.42  s2
        The defenders stand up to the giants, who look worried. 64% raised.
    2023-12-26T08:00:00+01:00     150000  s3
        The defenders stride forward; the giants sweat and drop their data. 75% raised.
    2023-12-30T12:00:00+01:00  128602.42  f2
        The defenders stand up to the giants, who look worried. 64% raised. Evening: the last hours.
    2023-12-26T08:00:00+01:00     200000  s4
        The defenders cheer under confetti; the giants run away. 100% raised.
    2024-01-02T08:00:00+01:00  274000.50  s4
        The defenders cheer under confetti; the giants run away. 137% raised.
    "#);
}

#[tokio::test]
async fn the_bar_size_has_no_scene() {
    let html = render(props(
        fixture(),
        Locale::En,
        "2023-12-26T08:00:00+01:00",
        Size::Bar,
    ))
    .await;
    assert!(!html.contains("jauge__scene"));
}

/// The fixture with the campaign's own image for the 50 % stage.
fn with_image() -> Rc<StatusDocument> {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    value["campaign"]["illustrations"] = serde_json::json!([
        {"stage": 50, "src": "art/worried.webp", "width": 640, "height": 320, "position": "left",
         "alt": {"en": "Our mascots, halfway there", "fr": "Nos mascottes, à mi-chemin"}}
    ]);
    Rc::new(StatusDocument::from_json(&value.to_string()).unwrap())
}

#[tokio::test]
async fn a_campaign_image_replaces_the_built_in_scene() {
    let mut p = props(
        with_image(),
        Locale::Fr,
        "2023-12-26T08:00:00+01:00",
        Size::Full,
    );
    p.images = jauge_widget::view::ImagePolicy {
        base: Some("/campaign/status.json".into()),
        origins: vec![],
    };
    let html = render(p).await;
    let image = html
        .split("<img")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    insta::assert_snapshot!(image, @r#" src="/campaign/art/worried.webp" alt="Nos mascottes, à mi-chemin" width="640" height="320" loading="lazy" decoding="async" class="jauge__image jauge__image--left""#);
    assert!(!html.contains("jauge__scene"));
    // A stage without an image of its own keeps the built-in scene.
    let mut value: serde_json::Value = serde_json::to_value(&*with_raised("20000")).unwrap();
    value["campaign"]["illustrations"] =
        serde_json::to_value(&with_image().campaign().illustrations).unwrap();
    let quarter = Rc::new(StatusDocument::from_json(&value.to_string()).unwrap());
    let other = render(props(
        quarter,
        Locale::Fr,
        "2023-12-26T08:00:00+01:00",
        Size::Full,
    ))
    .await;
    assert!(
        other.contains("jauge__scene") && !other.contains("<img"),
        "{other}"
    );
}

#[tokio::test]
async fn the_first_frame_of_the_fill_animation_is_empty() {
    let mut p = props(
        fixture(),
        Locale::En,
        "2023-12-26T08:00:00+01:00",
        Size::Full,
    );
    p.double_bar = true;
    p.unfilled = true;
    let html = render(p).await;
    let empty = html
        .matches("width=\"0\" height=\"100\" rx=\"50\" class=\"jauge__fill\"")
        .count();
    assert_eq!(empty, 2, "both bars start empty: {html}");
    // The figures themselves are already there: only the drawing animates.
    assert!(html.contains("€128,602"));
}

/// The fixture with a donation page (per language, with a label of its own in German) and its
/// name and milestone labels in French.
fn with_donate_and_translations() -> Rc<StatusDocument> {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    value["campaign"]["donate"] = serde_json::json!({
        "url": {"en": "https://support.example.org/", "fr": "https://soutenir.example.org/"},
        "label": {"de": "Jetzt unterstützen"}
    });
    value["campaign"]["name"] = serde_json::json!({"en": "Winter 2023", "fr": "Hiver 2023"});
    value["milestones"][2]["label"] =
        serde_json::json!({"en": "Budget balanced", "fr": "Budget à l’équilibre"});
    Rc::new(StatusDocument::from_json(&value.to_string()).unwrap())
}

/// Every size shows one link to the donation page, in the visitor's language; without a
/// donation page there is none.
#[tokio::test]
async fn the_donate_link_in_every_size_and_language() {
    for size in [Size::Full, Size::Compact, Size::Bar] {
        for (locale, url, label) in [
            (Locale::En, "https://support.example.org/", ">Donate</a>"),
            (
                Locale::Fr,
                "https://soutenir.example.org/",
                ">Faire un don</a>",
            ),
            (
                Locale::De,
                "https://support.example.org/",
                ">Jetzt unterstützen</a>",
            ),
        ] {
            let html = render(props(
                with_donate_and_translations(),
                locale,
                "2023-12-26T12:00:00+01:00",
                size,
            ))
            .await;
            let link = format!("<a href=\"{url}\" class=\"jauge__donate\"{label}");
            assert_eq!(
                html.matches("<a ").count(),
                1,
                "{size:?} {locale:?}: {html}"
            );
            assert!(html.contains(&link), "{size:?} {locale:?}: {html}");
        }
        let without = render(props(
            fixture(),
            Locale::En,
            "2023-12-26T12:00:00+01:00",
            size,
        ))
        .await;
        assert!(!without.contains("<a "), "{without}");
    }
}

#[tokio::test]
async fn names_and_milestones_in_the_visitors_language() {
    let now = "2023-12-26T12:00:00+01:00";
    let french = render(props(
        with_donate_and_translations(),
        Locale::Fr,
        now,
        Size::Full,
    ))
    .await;
    assert!(
        french.contains("<p class=\"jauge__name\">Hiver 2023</p>"),
        "{french}"
    );
    assert!(
        french.contains(
            "Prochaine étape\u{a0}: <span>Budget à l’équilibre</span> (200\u{202f}000\u{a0}€)"
        ),
        "{french}"
    );
    assert!(
        french.contains("aria-label=\"Jauge des dons\u{a0}: Hiver 2023\""),
        "{french}"
    );
    // A language the campaign did not write for gets English.
    let dutch = render(props(
        with_donate_and_translations(),
        Locale::Nl,
        now,
        Size::Full,
    ))
    .await;
    assert!(
        dutch.contains("<p class=\"jauge__name\">Winter 2023</p>"),
        "{dutch}"
    );
    // The label borrowed from English is marked so, for screen readers; the gauge's own
    // words around it are Dutch.
    assert!(
        dutch.contains("<span lang=\"en\">Budget balanced</span>"),
        "{dutch}"
    );
    assert!(french.contains("<span>Budget"), "{french}");
}

/// The goal is the bar's full width: the fill is the percentage shown, the goal's mark is
/// labelled, and milestones beyond the goal get a bar of their own only once it is passed.
#[tokio::test]
async fn the_goal_is_the_bars_full_width() {
    let now = "2023-12-26T12:00:00+01:00";
    let running = render(props(with_raised("120000"), Locale::En, now, Size::Compact)).await;
    assert!(running.contains("aria-valuenow=\"60\""), "{running}");
    assert!(running.contains("class=\"jauge__fill\""), "{running}");
    assert!(
        running.contains("width=\"6000\" height=\"100\" rx=\"50\" class=\"jauge__fill\""),
        "{running}"
    );
    assert!(
        running.contains("<p aria-hidden=\"true\" class=\"jauge__goal-mark\">goal €200,000</p>"),
        "{running}"
    );
    assert!(!running.contains("jauge__bar--stretch"), "{running}");
    // Past the goal: the money bar is full, the stretch bar shows the way to €230,000.
    let over = render(props(with_raised("215000"), Locale::En, now, Size::Compact)).await;
    assert!(
        over.contains("width=\"10000\" height=\"100\" rx=\"50\" class=\"jauge__fill\""),
        "{over}"
    );
    assert!(over.contains("jauge__bar--stretch"), "{over}");
    assert!(
        over.contains("width=\"5000\" height=\"100\" rx=\"50\" class=\"jauge__fill\""),
        "{over}"
    );
    assert!(
        over.contains(
            "<p class=\"jauge__stretch-label\">Stretch: a new online service (€230,000)</p>"
        ),
        "{over}"
    );
}

/// A status document may come from another origin: a donate link that is not a web address is
/// refused with the document, never rendered.
#[test]
fn a_document_whose_donate_link_is_not_a_web_address_is_refused() {
    for url in [
        "javascript:alert(1)",
        "https://x.example/\"onclick=\"alert(1)",
        "data:text/html,x",
    ] {
        let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        value["campaign"]["donate"] = serde_json::json!({ "url": url });
        let error = StatusDocument::from_json(&value.to_string())
            .unwrap_err()
            .to_string();
        assert!(error.contains("campaign.donate.url"), "{url}: {error}");
    }
}

/// What a screen reader hears of the time says what the screen shows, word for word, in every
/// locale and every phase: one agreeing word for both ("1 jour restant", never "1 jour
/// restants"; "sept semaines restantes"; "1 giorno rimanente"; "beginnt in 12 Tagen").
#[tokio::test]
async fn what_is_heard_of_the_time_is_what_is_shown() {
    let mut heard_all = Vec::new();
    for now in [
        "2023-11-01T09:00:00+01:00",
        "2023-11-15T09:00:00+01:00",
        "2023-12-30T08:00:00+01:00",
        "2023-12-31T22:00:00+01:00",
        "2023-12-31T23:58:00+01:00",
    ] {
        for locale in Locale::ALL {
            let html = render(props(fixture(), locale, now, Size::Compact)).await;
            let heard = between(&html, "aria-valuetext=\"", "\"");
            let shown = between(&html, "jauge__time\">", "</p>")
                .replace("<strong>", "")
                .replace("</strong>", "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                heard.ends_with(&format!(", {shown}")),
                "{locale} at {now}: heard {heard:?}, shown {shown:?}"
            );
            heard_all.push(heard);
        }
    }
    for expected in [
        "1 jour restant",
        "sept semaines restantes",
        "1 giorno rimanente",
        "1 día restante",
        "beginnt in 12 Tagen",
        "2 heures restantes",
        "2 minutes restantes",
    ] {
        assert!(
            heard_all.iter().any(|h| h.ends_with(expected)),
            "{expected:?} not among {heard_all:#?}"
        );
    }
}
