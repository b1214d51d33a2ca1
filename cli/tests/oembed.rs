//! A pasted link that becomes the gauge: the public page at the site's root (one per language
//! the campaign names itself in), the oEmbed answer a build writes and `jauge serve` sizes, the
//! discovery link, and the framed page speaking WordPress's embed protocol in Chromium,
//! sandboxed as WordPress frames it.

use std::path::Path;
use std::process::Command;

use crate::serve::{request, serve};
use crate::support::{campaign_scratch, jauge, replace_line, stderr, widget_bundle};

const AT: &str = "2023-12-20T12:00:00Z";
const BASE: &str = "https://dons.example.org/2023/";

fn build(dir: &Path, extra: &[&str]) -> std::path::PathBuf {
    build_into(dir, "site", extra)
}

/// As [`build`], into the folder `out` of `dir`.
fn build_into(dir: &Path, out: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join(out);
    let output = jauge()
        .args(["build", "--at", AT, "--campaign"])
        .arg(dir.join("campaign.toml"))
        .args(extra)
        .arg("--out")
        .arg(&out)
        .arg("--widget")
        .arg(widget_bundle(dir))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

#[test]
fn the_public_page_is_at_the_root_in_each_of_the_campaigns_languages() {
    let work = campaign_scratch();
    let campaign = work.path().join("campaign.toml");
    replace_line(
        &campaign,
        "name = ",
        "name = { en = \"Winter appeal\", fr = \"Appel d’hiver\", de = \"Winteraufruf\" }",
    );
    let out = build(work.path(), &["--base-url", BASE]);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let index = read("index.html");
    assert!(index.contains("<html lang=\"en\">"));
    assert!(index.contains("<title>Winter appeal</title>"), "{index}");
    assert!(index.contains("<h1>Winter appeal</h1>"));
    // The gauge itself (static, made live by the script), and the way to the webmaster's page.
    assert!(
        index.contains("<div class=\"jauge-snippet\" data-jauge"),
        "{index}"
    );
    assert!(index.contains("<script type=\"module\" src=\"jauge.js\"></script>"));
    assert!(index.contains("<a href=\"embed.html\">Embed this gauge</a>"));
    for (language, address) in [
        ("en", BASE.to_owned()),
        ("fr", format!("{BASE}fr.html")),
        ("de", format!("{BASE}de.html")),
        ("x-default", BASE.to_owned()),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{language}\" href=\"{address}\">");
        assert!(index.contains(&link), "{link} in {index}");
        assert!(read("fr.html").contains(&link), "{link} in fr.html");
    }
    assert!(index.contains(&format!("<link rel=\"canonical\" href=\"{BASE}\">")));
    let french = read("fr.html");
    assert!(french.contains("<html lang=\"fr\">"));
    assert!(french.contains("<title>Appel d’hiver</title>"));
    assert!(french.contains("<meta property=\"og:locale\" content=\"fr_FR\">"));
    assert!(french.contains(&format!("<link rel=\"canonical\" href=\"{BASE}fr.html\">")));
    assert!(french.contains("Intégrer cette jauge"));
    assert!(french.contains("collectés"), "the French gauge");
    assert!(read("de.html").contains("<title>Winteraufruf</title>"));
    assert!(
        !out.join("es.html").exists(),
        "only the languages the campaign names itself in"
    );
    // The webmaster's page names the public one as the page to preview.
    let embed = read("embed.html");
    assert!(embed.contains("embed the gauge</title>"));
    assert!(embed.contains(&format!("<link rel=\"canonical\" href=\"{BASE}\">")));
    // The webmaster's page in the site's language too, its links and code kept.
    let french = build_into(work.path(), "fr-site", &["--lang", "fr"]);
    let embed = std::fs::read_to_string(french.join("embed.html")).unwrap();
    assert!(
        embed.contains("<h1>Appel d’hiver\u{a0}: intégrer la jauge</h1>"),
        "{embed}"
    );
    assert!(embed.contains("vient de <a href=\"status.json\">status.json</a>. Copiez"));
    assert!(embed.contains("(<a href=\"scene.png\">scene.png</a>, au double"));
    assert!(embed.contains("en <code>--base-url</code>, pour"));
    // A campaign with one name has one page.
    let work = campaign_scratch();
    let out = build(work.path(), &["--base-url", BASE]);
    assert!(!std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("hreflang"));
    assert!(!out.join("fr.html").exists());
}

/// The public page's head as a maintained link-preview parser reads it (`metadata_parser` from
/// PyPI, which `cargo xtask test` installs): title, description, image with its size and alt,
/// canonical and og:url, all there and absolute, in each language's page.
#[test]
fn a_link_preview_parser_reads_the_figure_from_the_page() {
    let work = campaign_scratch();
    let campaign = work.path().join("campaign.toml");
    replace_line(
        &campaign,
        "name = ",
        "name = { en = \"Winter appeal\", fr = \"Appel d’hiver\" }",
    );
    let out = build(work.path(), &["--base-url", BASE]);
    const READ: &str = r#"
import json, sys, warnings
warnings.simplefilter("ignore")
import metadata_parser
page = metadata_parser.MetadataParser(html=open(sys.argv[1], encoding="utf-8").read(),
    url=sys.argv[2], search_head_only=True)
found = page.parsed_result.metadata
print(json.dumps({"og": found["og"], "twitter": found["twitter"], "page": found["page"]}))
"#;
    for (file, address, title) in [
        ("index.html", BASE.to_owned(), "Winter appeal"),
        ("fr.html", format!("{BASE}fr.html"), "Appel d’hiver"),
    ] {
        let output = Command::new("python3")
            .args(["-c", READ])
            .arg(out.join(file))
            .arg(&address)
            .output()
            .expect("python3");
        assert!(
            output.status.success(),
            "metadata_parser (pip install metadata_parser==2.0.0; cargo xtask test installs it): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let read: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let og = &read["og"];
        assert_eq!(og["title"], title, "{read}");
        assert_eq!(og["url"], address.as_str(), "{read}");
        assert_eq!(read["page"]["canonical"], address.as_str(), "{read}");
        let description = og["description"].as_str().unwrap_or_default();
        assert!(description.len() > 40, "the appeal: {read}");
        let image = og["image"].as_str().unwrap_or_default();
        assert!(
            image.starts_with(BASE) && image.contains("card-") && image.ends_with(".png"),
            "absolute, versioned: {read}"
        );
        assert_eq!(
            (og["image:width"].as_str(), og["image:height"].as_str()),
            (Some("1200"), Some("630"))
        );
        let alt = og["image:alt"].as_str().unwrap_or_default();
        assert!(
            alt.chars().any(|c| c.is_ascii_digit()),
            "the figure in words: {read}"
        );
        assert_eq!(read["twitter"]["card"], "summary_large_image");
    }
}

/// Each chart's image on the webmaster's page says what that chart shows (WCAG 1.1.1), not the
/// gauge's sentence three times.
#[test]
fn each_chart_image_says_what_it_shows() {
    let work = campaign_scratch();
    let out = build(work.path(), &[]);
    let page = std::fs::read_to_string(out.join("embed.html")).unwrap();
    let alt_of = |src: &str| {
        page.split(&format!("<img src=\"{src}\""))
            .nth(1)
            .and_then(|rest| rest.split("alt=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no {src}: {page}"))
            .to_owned()
    };
    let badge = alt_of("badge.svg");
    let charts = [
        alt_of("chart-cumulative.svg"),
        alt_of("chart-daily.svg"),
        alt_of("chart-recurring.svg"),
    ];
    assert!(
        charts[0].contains("Money raised") && charts[0].contains(&badge),
        "{charts:?}"
    );
    assert!(charts[1].contains("Money per day"), "{charts:?}");
    assert!(
        charts[2].contains("Recurring and one-off giving"),
        "{charts:?}"
    );
    assert!(charts[1] != badge && charts[2] != badge && charts[1] != charts[2]);
}

#[test]
fn a_build_answers_oembed_for_its_page_and_frames_the_gauge() {
    let work = campaign_scratch();
    let out = build(work.path(), &["--base-url", BASE]);
    let answer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("oembed.json")).unwrap()).unwrap();
    assert_eq!(answer["version"], "1.0");
    assert_eq!(answer["type"], "rich");
    assert_eq!(answer["provider_url"], BASE);
    let thumbnail = answer["thumbnail_url"].as_str().unwrap();
    assert!(
        thumbnail.starts_with(&format!("{BASE}card-")) && thumbnail.ends_with(".png"),
        "{thumbnail}"
    );
    assert_eq!(
        (
            answer["thumbnail_width"].as_u64(),
            answer["thumbnail_height"].as_u64()
        ),
        (Some(1200), Some(630))
    );
    assert!(answer["cache_age"].as_u64().is_some());
    // WordPress keeps an untrusted provider's embed only as a blockquote followed at once by
    // an empty, sandboxed iframe.
    let html = answer["html"].as_str().unwrap();
    assert!(
        html.starts_with(
            "<blockquote class=\"jauge-embed\"><a href=\"https://dons.example.org/2023/\">"
        ),
        "{html}"
    );
    assert!(html.contains(" raised of "), "the figure in words: {html}");
    let iframe = &html[html.find("</blockquote>").unwrap() + "</blockquote>".len()..];
    assert!(iframe.starts_with("<iframe "), "{html}");
    assert!(iframe.ends_with("></iframe>"), "{html}");
    assert!(iframe.contains("sandbox=\"allow-scripts\""), "{html}");
    assert!(
        iframe.contains(&format!("src=\"{BASE}frame.html\"")),
        "{html}"
    );
    assert!(
        iframe.contains(&format!(
            "width=\"{}\" height=\"{}\"",
            answer["width"], answer["height"]
        )),
        "{html}"
    );
    // The public page announces it.
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        page.contains(&format!(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{BASE}oembed.json\""
        )),
        "{page}"
    );
    // The frame: the static snippet, links to the top window, the protocol.
    let frame = std::fs::read_to_string(out.join("frame.html")).unwrap();
    assert!(frame.contains("<base target=\"_top\">"));
    assert!(frame.contains("class=\"jauge-snippet\""));
    assert!(
        frame.contains(&format!("<script src=\"{BASE}frame.js\"></script>")),
        "{frame}"
    );
    assert!(std::fs::read_to_string(out.join("frame.js"))
        .unwrap()
        .contains("message: \"height\""));

    // Without an absolute address there is no answer to give, nor a link to one; the frame
    // is still there for pages that frame it themselves.
    let work = campaign_scratch();
    let out = build(work.path(), &[]);
    assert!(!out.join("oembed.json").exists());
    assert!(!std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("json+oembed"));
    assert!(out.join("frame.html").exists());
}

#[test]
fn serve_answers_oembed_for_its_own_page_sized_as_asked() {
    let work = campaign_scratch();
    let served = serve(work.path(), &[], &["--base-url", BASE], "127.0.0.1:0");
    let addr = served.addr;
    let ask = |query: &str| request(addr, "GET", &format!("/oembed?{query}"), &[], b"").unwrap();
    let answer =
        ask("url=https%3A%2F%2Fdons.example.org%2F2023%2F&maxwidth=320&maxheight=800&format=json");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let json: serde_json::Value = serde_json::from_str(&answer.text()).unwrap();
    assert_eq!(json["width"], 320);
    assert!(json["html"].as_str().unwrap().contains("width=\"320\""));
    // The page under its other names, and without the trailing slash.
    assert_eq!(ask("url=https://dons.example.org/2023").status, 200);
    assert_eq!(
        ask("url=https://dons.example.org/2023/embed.html").status,
        200
    );
    // Another site's page, no page at all, or another format.
    assert_eq!(ask("url=https://elsewhere.example/2023/").status, 404);
    assert_eq!(ask("maxwidth=100").status, 404);
    assert_eq!(ask(&format!("url={BASE}&format=xml")).status, 501);
    drop(served);

    // A site without an absolute address has no answer.
    let served = serve(work.path(), &[], &[], "127.0.0.1:0");
    assert_eq!(
        request(served.addr, "GET", &format!("/oembed?url={BASE}"), &[], b"")
            .unwrap()
            .status,
        404
    );
}

/// A post on Mastodon makes every instance fetch the page and its card within seconds: 1,000
/// requests from 20 clients, half of them revalidating with `If-None-Match`, are all answered
/// from memory (200 with the same bytes, or 304), and nothing is rebuilt for them (the page's
/// and the status document's ETags stay those of the one build).
#[test]
fn a_mastodon_fan_out_is_answered_from_memory() {
    let work = campaign_scratch();
    let served = serve(work.path(), &[], &["--base-url", BASE], "127.0.0.1:0");
    let addr = served.addr;
    let page = request(addr, "GET", "/", &[], b"").unwrap();
    let page_tag = page.header("etag").unwrap().to_owned();
    let card = page
        .text()
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|address| address.strip_prefix(BASE))
        .map(|name| format!("/{name}"))
        .unwrap_or_else(|| panic!("no card named: {}", page.text()));
    let card_answer = request(addr, "GET", &card, &[], b"").unwrap();
    assert_eq!(card_answer.status, 200);
    let card_tag = card_answer.header("etag").unwrap().to_owned();
    let status_tag = request(addr, "GET", "/status.json", &[], b"")
        .unwrap()
        .header("etag")
        .unwrap()
        .to_owned();
    let started = std::time::Instant::now();
    let clients: Vec<_> = (0..20)
        .map(|client| {
            let (card, page_tag, card_tag) = (card.clone(), page_tag.clone(), card_tag.clone());
            let (page_body, card_body) = (page.body.clone(), card_answer.body.clone());
            std::thread::spawn(move || {
                for i in 0..50 {
                    let (path, tag, body) = if (client + i) % 2 == 0 {
                        ("/", &page_tag, &page_body)
                    } else {
                        (card.as_str(), &card_tag, &card_body)
                    };
                    let conditional = i % 4 < 2;
                    let headers: &[(&str, &str)] = if conditional {
                        &[("If-None-Match", tag.as_str())]
                    } else {
                        &[]
                    };
                    let answer = request(addr, "GET", path, headers, b"").unwrap();
                    if conditional {
                        assert_eq!(answer.status, 304, "{path}");
                    } else {
                        assert_eq!(answer.status, 200, "{path}");
                        assert!(answer.body == *body, "{path}: other bytes");
                    }
                    assert_eq!(answer.header("etag"), Some(tag.as_str()), "{path}");
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    let took = started.elapsed();
    eprintln!(
        "1,000 requests for the page and the card in {} ms",
        took.as_millis()
    );
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    let after = request(addr, "GET", "/status.json", &[], b"").unwrap();
    assert_eq!(
        after.header("etag"),
        Some(status_tag.as_str()),
        "nothing rebuilt"
    );
    assert_eq!(
        request(addr, "GET", "/", &[], b"").unwrap().header("etag"),
        Some(page_tag.as_str())
    );
}

#[test]
fn the_frame_posts_its_height_to_wordpress_from_its_sandbox() {
    // Served by `jauge serve`, so under the pages' Content-Security-Policy (no inline script).
    let work = campaign_scratch();
    let served = serve(work.path(), &[], &[], "127.0.0.1:0");
    // The host page as WordPress makes it: the frame sandboxed, a secret after `#?secret=`,
    // and a listener that keeps what the frame posts.
    let host = work.path().join("host.html");
    std::fs::write(
        &host,
        format!(
            "<!doctype html><html><body><div id=\"log\"></div><script>\
             addEventListener('message', function (e) {{ var d = e.data; \
             document.getElementById('log').textContent += d.message + ':' + d.secret + ':' + d.value + ';'; }});\
             </script><iframe sandbox=\"allow-scripts\" security=\"restricted\" \
             src=\"http://{}/frame.html#?secret=Ab12Cd34Ef\" width=\"600\" height=\"500\"></iframe></body></html>",
            served.addr
        ),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", host.display()))
        .output()
        .expect("chromium (cargo xtask test installs it)");
    let dom = String::from_utf8_lossy(&output.stdout);
    let log = &dom[dom.find("<div id=\"log\">").expect("the host page")..];
    let first = log
        .split(';')
        .next()
        .and_then(|entry| entry.strip_prefix("<div id=\"log\">height:Ab12Cd34Ef:"))
        .unwrap_or_else(|| {
            panic!(
                "no height posted with the secret: {log} ({})",
                served.log.lock().unwrap()
            )
        });
    let height: u32 = first.parse().unwrap();
    assert!((200..1000).contains(&height), "a gauge's height: {height}");
}
