//! The publishing commands: `build`, `snippet`, `badge`, `card`, `chart`, `serve`, and
//! `report --format md|html`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use jauge::{Locale, StatusDocument};

use crate::support::{
    campaign, campaign_scratch, example, import_into, jauge, stderr, stdout, widget_bundle,
};

const AT: &str = "2023-12-26T08:00:00+01:00";

fn build(campaign: &Path, out: &Path, bundle: &Path) -> std::process::Output {
    build_with(campaign, out, bundle, &[])
}

/// `jauge build` with more options.
fn build_with(campaign: &Path, out: &Path, bundle: &Path, extra: &[&str]) -> std::process::Output {
    jauge()
        .args(["build", "--at", AT, "--campaign"])
        .arg(campaign)
        .args(extra)
        .arg("--out")
        .arg(out)
        .arg("--widget")
        .arg(bundle)
        .output()
        .unwrap()
}

fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (std::fs::read(e.path()).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

fn text(files: &BTreeMap<String, (Vec<u8>, std::time::SystemTime)>, name: &str) -> String {
    String::from_utf8(files[name].0.clone()).unwrap()
}

/// The value of `attribute` on the element that has `marker` in its start tag.
fn attribute<'a>(svg: &'a str, marker: &str, attribute: &str) -> &'a str {
    let start = svg
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {svg}"));
    let tag = &svg[svg[..start].rfind('<').unwrap()..];
    let tag = &tag[..tag.find('>').unwrap()];
    let value = &tag[tag.find(&format!(" {attribute}=\"")).unwrap() + attribute.len() + 3..];
    &value[..value.find('"').unwrap()]
}

/// The international text chunk `keyword` of a PNG.
fn png_text(png: &[u8], keyword: &str) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let reader = decoder.read_info().unwrap();
    let chunk = reader
        .info()
        .utf8_text
        .iter()
        .find(|c| c.keyword == keyword)
        .unwrap_or_else(|| panic!("no {keyword} chunk"));
    chunk.get_text().unwrap()
}

/// A €40 gift imported into the fixture store in `dir`.
fn add_a_gift(dir: &Path) {
    let gift = dir.join("new-gift.csv");
    std::fs::write(
        &gift,
        format!(
            "{}\nt-new,2023-12-22T10:00:00Z,40.00,EUR,confirmed,one_off,,online,z,,,\n",
            jauge_cli::ledger::COLUMNS.join(",")
        ),
    )
    .unwrap();
    import_into(&dir.join("donations.db"), &gift);
}

#[test]
fn every_artefact_shows_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = build(&example(), &out, &widget_bundle(dir.path()));
    assert!(output.status.success(), "{}", stderr(&output));
    let site = files(&out);
    let status = StatusDocument::from_json(&text(&site, "status.json")).unwrap();
    assert_eq!(status.raised().to_string(), "121321.31 EUR");
    let locale = Locale::En;
    let raised = locale.format_money_digits(
        status.raised().amount().floor(),
        status.raised().currency(),
        0,
    );
    let goal = status.campaign().goal.format(locale, jauge::Headline::Up);
    let percent = locale.format_percent(status.percent_display() as i64);
    let donors = locale.format_decimal(status.donors().into(), 0);
    assert_eq!(
        (raised.as_str(), goal.as_str(), percent.as_str()),
        ("€121,321", "€200,000", "60%")
    );

    let snippet = text(&site, "snippet.html");
    let badge = text(&site, "badge.svg");
    let bar = text(&site, "badge-bar.svg");
    // The card wraps the appeal over lines.
    let card = png_text(&site["card.png"].0, "Description").replace('\n', " ");
    for (name, shown) in [
        ("snippet", &snippet),
        ("badge", &badge),
        ("badge-bar", &bar),
        ("card", &card),
    ] {
        for figure in [&raised, &goal, &percent] {
            assert!(
                shown.contains(figure.as_str()),
                "{name} lacks {figure}: {shown}"
            );
        }
    }
    for (name, shown) in [("snippet", &snippet), ("badge", &badge), ("card", &card)] {
        assert!(
            shown.contains(&format!("{donors} donors")),
            "{name}: {shown}"
        );
        assert!(shown.contains("5 days left"), "{name}: {shown}");
    }
    assert!(
        card.contains("we have 5 days left to raise €78,679"),
        "{card}"
    );
    // The charts end where the status stands.
    let cumulative = text(&site, "chart-cumulative.svg");
    assert_eq!(
        attribute(&cumulative, "class=\"last\"", "data-amount"),
        status.raised().amount().to_string()
    );
    assert_eq!(
        attribute(&cumulative, "class=\"last\"", "data-date"),
        "2023-12-26"
    );
    assert_eq!(
        attribute(&cumulative, "class=\"projection\"", "data-amount"),
        status.pace().projection.amount().to_string()
    );
    let daily = text(&site, "chart-daily.svg");
    let per_day: jauge::Decimal = daily
        .split("<g data-date=")
        .skip(1)
        .map(|g| {
            attribute(&format!("<g data-date={g}"), "data-date", "data-amount")
                .parse::<jauge::Decimal>()
                .unwrap()
        })
        .sum();
    let baseline = status.breakdown().baseline.amount();
    assert_eq!(per_day + baseline, status.raised().amount());
    let apart = text(&site, "chart-recurring.svg");
    let one_off: jauge::Decimal = attribute(&apart, "class=\"one-off\"", "data-amount")
        .parse()
        .unwrap();
    let recurring: jauge::Decimal = attribute(&apart, "class=\"recurring\"", "data-amount")
        .parse()
        .unwrap();
    assert_eq!(one_off + recurring + baseline, status.raised().amount());
    assert_eq!(recurring, status.breakdown().recurring_counted.amount());
    // The live widget: hashed names, a stable loader, cache rules.
    let loader = text(&site, "jauge.js");
    let module = loader
        .split('"')
        .nth(1)
        .unwrap()
        .trim_start_matches("./")
        .to_owned();
    assert!(site.contains_key(&module), "{loader}");
    let module_text = text(&site, &module);
    let wasm = site
        .keys()
        .find(|k| k.starts_with("jauge_bg-") && k.ends_with(".wasm"))
        .unwrap();
    assert!(module_text.contains(&format!("'{wasm}'")), "{module_text}");
    assert!(text(&site, "_headers").contains(&format!(
        "/{wasm}\n  Cache-Control: public, max-age=31536000, immutable"
    )));
    assert!(text(&site, "_headers").contains("/status.json\n  Cache-Control: public, max-age=0, s-maxage=5, stale-while-revalidate=30\n  Access-Control-Allow-Origin: *"));
    let embed = text(&site, "embed.html");
    assert!(embed.contains("<script type=\"module\" src=\"jauge.js\"></script>"));
    // Built at --at: the preview is the snippet as built, frozen at that instant.
    assert!(
        embed.contains(
            snippet
                .trim()
                .replacen(" data-jauge ", " data-jauge data-clock=\"frozen\" ", 1)
                .as_str()
        ),
        "the page shows the snippet as built"
    );
    assert!(
        embed.contains("&lt;div class=&quot;jauge-snippet&quot;"),
        "and its code to copy"
    );
}

#[test]
fn building_again_with_nothing_new_changes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let bundle = widget_bundle(dir.path());
    assert!(build(&example(), &out, &bundle).status.success());
    let first = files(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = build(&example(), &out, &bundle);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("0 files written, 64 unchanged, 0 removed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files(&out), first, "same bytes and same modification times");
    // A new gift changes what shows it, keeps the rest as it was.
    let work = campaign_scratch();
    let campaign = work.path().join("campaign.toml");
    assert!(build(&campaign, &out, &bundle).status.success());
    let before = files(&out);
    add_a_gift(work.path());
    let output = build(&campaign, &out, &bundle);
    assert!(output.status.success(), "{}", stderr(&output));
    let after = files(&out);
    assert_ne!(after["status.json"], before["status.json"]);
    assert_ne!(after["badge.svg"], before["badge.svg"]);
    // The card under a new versioned name, which the page now names; the earlier one stays a
    // while for pages cached before (site::EARLIER_CARDS_KEPT).
    // The card the public page names for link previews.
    let named = |files: &BTreeMap<String, (Vec<u8>, std::time::SystemTime)>| {
        let page = String::from_utf8(files["index.html"].0.clone()).unwrap();
        let tag = "<meta property=\"og:image\" content=\"";
        let start = page.find(tag).unwrap() + tag.len();
        page[start..start + page[start..].find('"').unwrap()].to_owned()
    };
    let (card_before, card_after) = (named(&before), named(&after));
    assert!(
        card_after.starts_with("card-") && card_after.ends_with(".png"),
        "{card_after}"
    );
    assert_ne!(card_before, card_after);
    assert_eq!(after[&card_before].0, before[&card_before].0);
    assert_eq!(after[&card_after].0, after["card.png"].0);
    assert_eq!(
        after["jauge.js"], before["jauge.js"],
        "unchanged files keep their dates"
    );
    assert_eq!(after["embed.css"], before["embed.css"]);
}

#[test]
fn bad_input_fails_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let bundle = widget_bundle(dir.path());
    let work = campaign_scratch();
    let campaign = work.path().join("campaign.toml");
    assert!(build(&campaign, &out, &bundle).status.success());
    let good = files(&out);
    // A row edited by hand in the store (with any SQLite client) into something that is not a
    // gift.
    rusqlite::Connection::open(work.path().join("donations.db"))
        .unwrap()
        .execute("UPDATE gifts SET amount = '25O.00' WHERE id = 't-3'", [])
        .unwrap();
    let output = build(&campaign, &out, &bundle);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(
            "donations.db: gift #3, column \"amount\": expected a whole number of the currency's \
             minor units (3000 for 30.00 EUR), found the text \"25O.00\""
        ),
        "{}",
        stderr(&output)
    );
    assert_eq!(files(&out), good, "the good folder is untouched");
    // A folder jauge did not write is never replaced.
    let mine = dir.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("thesis.txt"), "precious").unwrap();
    let output = build(&example(), &mine, &bundle);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("the folder is not empty and was not written by `jauge build`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("thesis.txt")).unwrap(),
        "precious"
    );
    // A base URL that is not one is refused before anything is written; a real one is used.
    let output = build_with(
        &example(),
        &dir.path().join("based"),
        &bundle,
        &["--base-url", "\"><script>"],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output)
            .contains("--base-url \"\\\"><script>\": expected the folder's public address"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("based").exists());
    let output = build_with(
        &example(),
        &dir.path().join("based"),
        &bundle,
        &["--base-url", "https://example.org/c/"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let snippet = std::fs::read_to_string(dir.path().join("based/snippet.html")).unwrap();
    assert!(
        snippet.contains("data-src=\"https://example.org/c/status.json\""),
        "{snippet}"
    );
    // Link previews: every Open Graph tag a preview reads, the card and the page absolute.
    assert!(
        !stderr(&output).contains("link previews"),
        "{}",
        stderr(&output)
    );
    let page = std::fs::read_to_string(dir.path().join("based/index.html")).unwrap();
    let meta = |property: &str| -> String {
        let tag = format!("property=\"{property}\" content=\"");
        let start = page.find(&tag).unwrap_or_else(|| panic!("no {property}")) + tag.len();
        page[start..start + page[start..].find('"').unwrap()].to_owned()
    };
    // The card under its versioned name, cached for good.
    let card = meta("og:image");
    let name = card.strip_prefix("https://example.org/c/").unwrap();
    assert!(
        name.starts_with("card-") && name.ends_with(".png"),
        "{card}"
    );
    assert!(dir.path().join("based").join(name).exists());
    let headers = std::fs::read_to_string(dir.path().join("based/_headers")).unwrap();
    assert!(headers.contains(&format!(
        "/{name}\n  Cache-Control: public, max-age=31536000, immutable"
    )));
    assert_eq!(meta("og:url"), "https://example.org/c/");
    assert_eq!(
        (meta("og:image:width"), meta("og:image:height")),
        ("1200".to_owned(), "630".to_owned())
    );
    assert_eq!(meta("og:locale"), "en_US");
    assert!(meta("og:image:alt").contains(" raised of "), "{page}");
    assert!(
        meta("og:description").contains("days left to raise"),
        "{page}"
    );
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/c/\">"));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    // Without an absolute base URL, no page address is made up, and the build says why.
    let output = build_with(&example(), &dir.path().join("relative"), &bundle, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("link previews (Mastodon, Discourse, chat apps) need absolute addresses: give --base-url"),
        "{}",
        stderr(&output)
    );
    let page = std::fs::read_to_string(dir.path().join("relative/index.html")).unwrap();
    assert!(
        !page.contains("og:url") && !page.contains("canonical"),
        "{page}"
    );
    // No bundle: said clearly, nothing written either.
    let output = build(
        &example(),
        &dir.path().join("other"),
        &dir.path().join("nowhere"),
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("the widget bundle is built by `cargo xtask dist`"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("other").exists());
    // No half-built folder left beside the output either.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().starts_with(".site")),
        "{leftovers:?}"
    );
}

#[test]
fn the_snippet_is_static_html_with_every_rule_inline() {
    let output = jauge()
        .args([
            "snippet",
            "--at",
            AT,
            "--size",
            "compact",
            "--lang",
            "fr",
            "--src",
            "https://example.org/s.json?a=1&b=2",
            "--campaign",
        ])
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(html.starts_with("<div class=\"jauge-snippet\" data-jauge data-src=\"https://example.org/s.json?a=1&amp;b=2\" data-lang=\"fr\" data-size=\"compact\" data-theme=\"light\">"), "{html}");
    for absent in [
        "<script",
        "<style",
        "class=\"jauge__appeal\"",
        "var(",
        "light-dark(",
    ] {
        assert!(!html.contains(absent), "{absent} in {html}");
    }
    assert!(html.contains("121\u{202f}321&nbsp;€"), "{html}");
    assert!(
        html.contains("class=\"jauge__fill\" x=\"0\" y=\"0\" width=\"6066\""),
        "the goal is the bar's full width: €121,321 of €200,000 fills 60.66 %: {html}"
    );
    assert!(
        html.contains("class=\"jauge__donate\" href=\"https://soutenir.framasoft.org/\""),
        "{html}"
    );
    assert!(
        html.contains("style=\"box-sizing: border-box;fill: #6d28d9;"),
        "{html}"
    );
    let dark = jauge()
        .args(["snippet", "--at", AT, "--theme", "dark", "--campaign"])
        .arg(example())
        .output()
        .unwrap();
    assert!(
        stdout(&dark).contains("fill: #c4b5fd;"),
        "{}",
        stdout(&dark)
    );
}

/// `markup` with the quoted attribute values inside its tags left out (text content kept).
fn without_attribute_values(markup: &str) -> String {
    let (mut out, mut in_tag, mut in_value) = (String::new(), false, false);
    for c in markup.chars() {
        match c {
            '"' if in_tag => in_value = !in_value,
            _ if in_value => {}
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        if !in_value {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_campaign_name_cannot_inject_markup_anywhere() {
    let work = campaign_scratch();
    let campaign = work.path().join("campaign.toml");
    let text = std::fs::read_to_string(&campaign).unwrap().replace(
        "name = \"Test campaign\"",
        "name = \"<script>alert(1)</script> & \\\"co\\\"\"",
    );
    std::fs::write(&campaign, text).unwrap();
    let out = work.path().join("site");
    let output = build(&campaign, &out, &widget_bundle(work.path()));
    assert!(output.status.success(), "{}", stderr(&output));
    for name in [
        "snippet.html",
        "badge.svg",
        "badge-bar.svg",
        "chart-cumulative.svg",
        "chart-daily.svg",
        "embed.html",
    ] {
        let shown = std::fs::read_to_string(out.join(name)).unwrap();
        // Inside a quoted attribute `<` is only a character; elsewhere it must be escaped.
        assert!(
            !without_attribute_values(&shown).contains("<script>alert"),
            "{name}: {shown}"
        );
        assert!(
            shown.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
            "{name}: {shown}"
        );
    }
}

/// A dark card shows the drawing at night (its sky dark, as the card's background), a light one
/// by day.
#[test]
fn a_dark_card_shows_the_scene_at_night() {
    let dir = tempfile::tempdir().unwrap();
    let sky = |theme: &str| {
        let card = dir.path().join(format!("{theme}.png"));
        jauge()
            .args(["card", "--at", AT, "--theme", theme, "--campaign"])
            .arg(example())
            .arg("--out")
            .arg(&card)
            .assert()
            .success();
        let decoder = png::Decoder::new(std::io::Cursor::new(std::fs::read(&card).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        let channels = frame.color_type.samples();
        // In the scene's sky, above the characters (the scene is at 40,70, 496 × 248).
        let at = (90 * frame.width as usize + 300) * channels;
        pixels[at..at + 3]
            .iter()
            .map(|c| u32::from(*c))
            .sum::<u32>()
            / 3
    };
    let (day, night) = (sky("light"), sky("dark"));
    assert!(day > 200, "a light card's sky is light: {day}");
    assert!(night < 80, "a dark card's sky is night: {night}");
}

#[test]
fn card_and_charts_are_pngs_of_the_promised_size() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("card.png");
    let output = jauge()
        .args(["card", "--at", AT, "--campaign"])
        .arg(example())
        .arg("--out")
        .arg(&card)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&card).unwrap();
    let info = png::Decoder::new(std::io::Cursor::new(&bytes))
        .read_info()
        .unwrap()
        .info()
        .clone();
    assert_eq!((info.width, info.height), (1200, 630));
    assert_eq!(png_text(&bytes, "Title"), "Framasoft 2023");
    // Deterministic: the same instant gives the same bytes.
    let again = dir.path().join("again.png");
    jauge()
        .args(["card", "--at", AT, "--campaign"])
        .arg(example())
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(std::fs::read(&again).unwrap(), bytes);
    let chart = jauge()
        .args([
            "chart",
            "--at",
            AT,
            "--kind",
            "daily",
            "--format",
            "png",
            "--lang",
            "de",
            "--campaign",
        ])
        .arg(example())
        .output()
        .unwrap();
    assert!(chart.status.success(), "{}", stderr(&chart));
    let info = png::Decoder::new(std::io::Cursor::new(&chart.stdout))
        .read_info()
        .unwrap()
        .info()
        .clone();
    assert_eq!((info.width, info.height), (1600, 840));
    let svg = jauge()
        .args(["chart", "--at", AT, "--lang", "fr", "--campaign"])
        .arg(example())
        .output()
        .unwrap();
    let svg = stdout(&svg);
    assert!(
        svg.contains(">200\u{202f}000\u{a0}€</text>"),
        "French amounts on the axis: {svg}"
    );
    assert!(
        svg.contains(">19 déc.</text>"),
        "French dates on the axis: {svg}"
    );
}

#[test]
fn reports_embed_the_charts() {
    let md = jauge()
        .args(["report", "--at", AT, "--format", "md", "--campaign"])
        .arg(campaign())
        .output()
        .unwrap();
    assert!(md.status.success(), "{}", stderr(&md));
    let md = stdout(&md);
    assert!(
        md.contains("## Charts\n\n![Test campaign\\: Money raised](data:image/svg+xml;base64,"),
        "{md}"
    );
    let html = jauge()
        .args(["report", "--at", AT, "--format", "html", "--campaign"])
        .arg(campaign())
        .output()
        .unwrap();
    let html = stdout(&html);
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"en\">"),
        "{html}"
    );
    assert!(html.contains("<table>"), "{html}");
    assert!(
        html.contains("<figure><svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{html}"
    );
}

/// One request on a fresh connection; the response's status line, headers and body.
fn get(addr: std::net::SocketAddr, path: &str, headers: &str) -> (String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&response[..split]).into_owned(),
        response[split + 4..].to_vec(),
    )
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| {
            let (key, value) = l.split_once(": ")?;
            key.eq_ignore_ascii_case(name).then_some(value)
        })
        .unwrap_or_else(|| panic!("no {name} in {head}"))
}

#[test]
fn serve_answers_with_etags_and_rebuilds_when_the_ledger_changes() {
    let work = campaign_scratch();
    let campaign = work.path().join("campaign.toml");
    let options = jauge_cli::publish::site::SiteOptions {
        at: chrono::Utc::now(),
        locale: Locale::En,
        widget: Some(widget_bundle(work.path())),
        base_url: None,
        frozen: true,
    };
    let at = "2023-12-26T07:00:00Z".parse().ok();
    let site = jauge_cli::publish::serve::live_site(
        campaign,
        options,
        std::time::Duration::from_secs(3600),
        at,
        jauge_server::Push::new(16),
        None,
    )
    .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let router = jauge_server::axum::Router::new().fallback_service(jauge_server::plain(
        move |request: jauge_server::Request| site.respond(&request),
    ));
    let server = jauge_server::Server::new(listener, jauge_server::Limits::default(), router);
    std::thread::spawn(move || server.run());
    let (head, body) = get(addr, "/status.json", "");
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert_eq!(
        header(&head, "Cache-Control"),
        "public, max-age=0, s-maxage=5, stale-while-revalidate=30"
    );
    assert_eq!(header(&head, "Content-Type"), "application/json");
    let status = StatusDocument::from_json(&String::from_utf8(body).unwrap()).unwrap();
    assert_eq!(status.raised().to_string(), "390.00 EUR");
    let etag = header(&head, "ETag").to_owned();
    let (head, body) = get(addr, "/status.json", &format!("If-None-Match: {etag}\r\n"));
    assert!(head.starts_with("HTTP/1.1 304 Not Modified"), "{head}");
    assert!(body.is_empty());
    let (head, _) = get(addr, "/", "");
    assert_eq!(header(&head, "Content-Type"), "text/html; charset=utf-8");
    let (head, _) = get(addr, "/../campaign.toml", "");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    // HEAD: the headers a GET would have, no body.
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "HEAD /badge.svg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(
        response.contains("content-type: image/svg+xml"),
        "{response}"
    );
    assert!(response.contains("content-length: "), "{response}");
    assert!(response.ends_with("\r\n\r\n"), "no body: {response}");
    // A request head larger than any browser's is refused, and not read on.
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let padding = "x".repeat(20_000);
    let _ = write!(
        stream,
        "GET /status.json HTTP/1.1\r\nX-Padding: {padding}\r\n\r\n"
    );
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    assert!(
        response.starts_with("HTTP/1.1 431 Request Header Fields Too Large"),
        "{response}"
    );
    // Compressed for a client that accepts it: brotli first, then gzip, each with its own ETag,
    // always with Vary; the same bytes once decompressed.
    let (plain_head, plain) = get(addr, "/embed.html", "");
    assert_eq!(header(&plain_head, "Vary"), "Accept-Encoding");
    let (br_head, br) = get(
        addr,
        "/embed.html",
        "Accept-Encoding: gzip, deflate, br\r\n",
    );
    assert_eq!(header(&br_head, "Content-Encoding"), "br");
    let mut unbrotlied = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).unwrap();
    assert_eq!(unbrotlied, plain);
    assert!(
        br.len() < plain.len() / 3,
        "{} of {}",
        br.len(),
        plain.len()
    );
    let (gz_head, gz) = get(addr, "/embed.html", "Accept-Encoding: gzip, br;q=0\r\n");
    assert_eq!(header(&gz_head, "Content-Encoding"), "gzip");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, plain);
    let tags = [
        header(&plain_head, "ETag"),
        header(&br_head, "ETag"),
        header(&gz_head, "ETag"),
    ];
    assert!(
        tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2],
        "{tags:?}"
    );
    let (head, _) = get(
        addr,
        "/embed.html",
        &format!("Accept-Encoding: br\r\nIf-None-Match: {}\r\n", tags[1]),
    );
    assert!(head.starts_with("HTTP/1.1 304"), "{head}");
    // PNG is compressed already: sent as it is.
    let (head, _) = get(addr, "/card.png", "Accept-Encoding: gzip, br\r\n");
    assert!(!head.to_lowercase().contains("content-encoding"), "{head}");
    // A new gift: the next poll gets new figures and a new ETag.
    add_a_gift(work.path());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (head, body) = get(addr, "/status.json", &format!("If-None-Match: {etag}\r\n"));
        if head.starts_with("HTTP/1.1 200") {
            let status = StatusDocument::from_json(&String::from_utf8(body).unwrap()).unwrap();
            assert_eq!(status.raised().to_string(), "430.00 EUR");
            assert_ne!(header(&head, "ETag"), etag);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no rebuild after the ledger changed"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn the_compact_badge_has_room_for_every_language() {
    for lang in ["en", "fr", "de", "es", "it", "nl"] {
        let output = jauge()
            .args(["badge", "--at", AT, "--lang", lang, "--campaign"])
            .arg(example())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let svg = stdout(&output);
        let locale: Locale = lang.parse().unwrap();
        let donors = locale.format_decimal(1531.into(), 0);
        assert!(!svg.contains('…'), "{lang}: something was cut: {svg}");
        assert!(svg.contains(&donors), "{lang}: {svg}");
        assert!(svg.contains(&locale.format_percent(60)), "{lang}: {svg}");
    }
}

/// `jauge build` writes a gzip and a brotli copy beside every file worth compressing (not the
/// PNGs), each the file's bytes once decompressed, for servers that send precompressed files.
#[test]
fn build_writes_compressed_copies() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = build(&example(), &out, &widget_bundle(dir.path()));
    assert!(output.status.success(), "{}", stderr(&output));
    for name in [
        "status.json",
        "embed.html",
        "snippet.html",
        "badge.svg",
        "chart-daily.svg",
    ] {
        let plain = std::fs::read(out.join(name)).unwrap();
        let gz = std::fs::read(out.join(format!("{name}.gz"))).unwrap();
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped)
            .unwrap();
        assert_eq!(unzipped, plain, "{name}.gz");
        let br = std::fs::read(out.join(format!("{name}.br"))).unwrap();
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, plain, "{name}.br");
        assert!(br.len() < plain.len() && gz.len() < plain.len(), "{name}");
    }
    assert!(!out.join("card.png.gz").exists() && !out.join("card.png.br").exists());
}

/// French typography: the appeal typed with ordinary spaces before `:` and `!` gets no-break
/// spaces, so no line of the French card starts with `:` or `!`, wherever it wraps.
#[test]
fn no_french_line_starts_with_a_colon() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("card.png");
    let output = jauge()
        .args(["card", "--lang", "fr", "--at", AT, "--out"])
        .arg(&out)
        .arg("--campaign")
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let description = png_text(&std::fs::read(&out).unwrap(), "Description");
    assert!(description.contains("\u{a0}: nous"), "{description:?}");
    for line in description.lines() {
        assert!(
            !line.starts_with([':', '!', '?', ';']),
            "{line:?} in {description:?}"
        );
    }
}

/// The daily chart's last day, still under way, is drawn as partial and said so in the
/// legend; once the campaign has ended no day is.
#[test]
fn the_day_under_way_is_marked_partial() {
    let chart = |at: &str| {
        let output = jauge()
            .args(["chart", "--kind", "daily", "--at", at, "--campaign"])
            .arg(example())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let running = chart(AT);
    assert_eq!(running.matches("class=\"partial\"").count(), 1, "{running}");
    assert!(running.contains("today so far"));
    let partial = running.split("class=\"partial\"").next().unwrap();
    let date = partial.rsplit("data-date=\"").next().unwrap();
    assert!(date.starts_with("2023-12-26"), "{date}");
    let ended = chart("2024-01-05T12:00:00+01:00");
    assert!(!ended.contains("class=\"partial\"") && !ended.contains("today so far"));
}

/// Built as of a chosen instant, the embed page's live previews are frozen at it, so that every
/// artefact on the page shows the same instant; the code to copy stays live, and a build as of
/// now keeps its previews live.
#[test]
fn a_page_built_at_an_instant_shows_that_instant_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = build(&example(), &out, &widget_bundle(dir.path()));
    assert!(output.status.success(), "{}", stderr(&output));
    let embed = std::fs::read_to_string(out.join("embed.html")).unwrap();
    assert_eq!(embed.matches("data-clock=\"frozen\"").count(), 2, "{embed}");
    assert!(
        !embed.contains("data-clock=&quot;frozen&quot;"),
        "the code to copy stays live"
    );
    let now = dir.path().join("now");
    let output = jauge()
        .args(["build", "--campaign"])
        .arg(example())
        .arg("--out")
        .arg(&now)
        .arg("--widget")
        .arg(widget_bundle(dir.path()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let live = std::fs::read_to_string(now.join("embed.html")).unwrap();
    assert!(!live.contains("data-clock"), "{live}");
}

/// The bar badge's milestone ticks are notches at its edges, clear of the text between them.
#[test]
fn the_bar_badges_ticks_keep_clear_of_its_digits() {
    let output = jauge()
        .args(["badge", "--shape", "bar", "--at", AT, "--campaign"])
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = stdout(&output);
    let ticks: Vec<&str> = svg
        .split("<path class=\"tick\" d=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(!ticks.is_empty(), "{svg}");
    for tick in ticks {
        let ys: Vec<&str> = tick
            .split(['M', 'V'])
            .filter(|part| !part.is_empty())
            .map(|part| part.split(' ').next_back().unwrap())
            .collect();
        assert_eq!(ys, ["0", "3", "17.5", "20"], "{tick}");
    }
}

/// The campaign's donation page, in the reader's language, on every surface that can carry a
/// link (the badges link to it, the embed page wraps the `<img>` in it) and printed on the card.
#[test]
fn every_surface_leads_to_the_donation_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = jauge()
        .args(["build", "--at", AT, "--lang", "fr", "--out"])
        .arg(&out)
        .arg("--widget")
        .arg(widget_bundle(dir.path()))
        .arg("--campaign")
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let french = "https://soutenir.framasoft.org/";
    for badge in ["badge.svg", "badge-bar.svg"] {
        let svg = read(badge);
        assert!(
            svg.contains(&format!("<a href=\"{french}\" target=\"_top\">")),
            "{svg}"
        );
        roxmltree::Document::parse(&svg).unwrap();
    }
    let embed = read("embed.html");
    assert!(
        embed.contains(&format!("&lt;a href=&quot;{french}&quot;&gt;&lt;img src=")),
        "the badge's code wraps the image in the link: {embed}"
    );
    assert!(embed.contains(&format!("]({french})")), "{embed}");
    assert!(read("snippet.html").contains(&format!("href=\"{french}\"")));
    let card = std::fs::read(out.join("card.png")).unwrap();
    let description = png_text(&card, "Description");
    assert!(
        description.contains("Faire un don\u{a0}: soutenir.framasoft.org/"),
        "{description}"
    );
    // In English, the English page.
    let output = jauge()
        .args(["badge", "--at", AT, "--campaign"])
        .arg(example())
        .output()
        .unwrap();
    assert!(stdout(&output).contains("<a href=\"https://support.framasoft.org/\" target=\"_top\">"));
}

/// The newsletter form: what every mail client renders (tables, inline colours, a PNG), none of
/// what Gmail or Outlook drop (SVG, a stylesheet, classes), with the bar's cells at the share
/// raised and the scene written beside it at twice its size.
#[test]
fn the_mail_snippet_is_tables_and_a_png() {
    let output = jauge()
        .args(["snippet", "--form", "mail", "--at", AT, "--lang", "fr"])
        .args([
            "--image-url",
            "https://example.org/c/scene.png",
            "--campaign",
        ])
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let html = stdout(&output);
    for absent in [
        "<svg", "<style", "class=", "<script", "var(", "<link", "<div",
    ] {
        assert!(!html.contains(absent), "{absent} in {html}");
    }
    // €121,321 of €200,000: 60 % filled, 40 % left, in whole percents.
    assert!(html.contains("<td width=\"60%\" height=\"12\""), "{html}");
    assert!(html.contains("<td width=\"40%\" height=\"12\""), "{html}");
    assert!(
        html.contains(
            "<img src=\"https://example.org/c/scene.png\" width=\"320\" height=\"160\" alt=\""
        ),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://soutenir.framasoft.org/\""),
        "{html}"
    );
    assert!(html.contains(">Faire un don</a>"), "{html}");
    // ASCII only: every other character as a reference, whatever encoding a tool assumes.
    assert!(html.is_ascii(), "{html}");
    assert!(
        html.contains("objectif 200&#x202f;000&#xa0;&#x20ac;"),
        "{html}"
    );
    // Every table part is closed: mail clients repair HTML less kindly than browsers.
    for tag in ["table", "tr", "td", "p", "a", "strong"] {
        let opened =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        assert_eq!(
            opened,
            html.matches(&format!("</{tag}>")).count(),
            "<{tag}> in {html}"
        );
    }
    // `jauge build` writes the form and its scene, 2× for sharp screens.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = build(&example(), &out, &widget_bundle(dir.path()));
    assert!(output.status.success(), "{}", stderr(&output));
    let mail = std::fs::read_to_string(out.join("snippet-mail.html")).unwrap();
    assert!(
        mail.contains("<img src=\"scene.png\" width=\"320\" height=\"160\""),
        "{mail}"
    );
    let png = std::fs::read(out.join("scene.png")).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (640, 320));
    let embed = std::fs::read_to_string(out.join("embed.html")).unwrap();
    assert!(embed.contains("<h2>Newsletter (e-mail)</h2>"), "{embed}");
}
