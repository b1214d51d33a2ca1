//! A hostile corpus through every command that writes HTML, SVG or Markdown: whatever a campaign
//! file says (its name, milestone labels, appeal templates, notes), it reaches every output as
//! text. SVG is parsed as XML, and must hold no script, no event handler, no `javascript:` URL;
//! HTML must hold no element or attribute the text did not come with.

use std::path::Path;

use crate::support::{campaign_scratch, jauge, stderr, widget_bundle};

const AT: &str = "2023-12-26T08:00:00+01:00";

/// Texts that try to become markup, links, scripts or broken XML.
pub const CORPUS: [&str; 12] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "</svg><script>alert(1)</script>",
    "</text></svg><iframe srcdoc=\"<script>alert(1)</script>\">",
    "javascript:alert(1)",
    "[click](javascript:alert(1)) <javascript:alert(1)>",
    "]]><!-- <![CDATA[ x ]]> -->",
    "&amp; &lt;b&gt; & < > \" '",
    "{raised} {remaining} {{ }} {unknown",
    "\u{202e}gnp.exe \u{200d}👩‍👩‍👧 זה עברית",
    "line\nbreak <b>bold</b>\ttab",
];

/// The fixture campaign with `text` as its name, milestone label, appeal, baseline note and
/// matching sponsor.
fn hostile_campaign(dir: &Path, text: &str) {
    let quoted = serde_json::to_string(text).unwrap();
    let campaign = dir.join("campaign.toml");
    let fixture = std::fs::read_to_string(&campaign).unwrap();
    let edited = fixture
        .replace("name = \"Test campaign\"", &format!("name = {quoted}"))
        .replace("label = \"Halfway\"", &format!("label = {quoted}"));
    // In a template a brace is a field: the text's own braces are written doubled.
    let literal = text.replace('{', "{{").replace('}', "}}");
    let appeal = serde_json::to_string(&format!("Help us raise {{remaining}}: {literal}")).unwrap();
    // An earlier campaign named with the text too, with a gift from a donor of this one.
    let earlier = dir.join("earlier");
    std::fs::create_dir_all(&earlier).unwrap();
    std::fs::write(
        earlier.join("gifts.csv"),
        "id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by\n\
         e-1,2022-12-01T10:00:00Z,50.00,EUR,confirmed,one_off,,online,a,,,\n",
    )
    .unwrap();
    std::fs::write(
        earlier.join("campaign.toml"),
        format!(
            "name = {quoted}\ngoal = \"800 EUR\"\ntime_zone = \"Europe/Paris\"\nstart = \"2022-11-14\"\n\
             deadline = \"2022-12-31\"\nledgers = [\"gifts.csv\"]\n"
        ),
    )
    .unwrap();
    let edited = edited.replacen(
        "ledger = \"donations.db\"",
        "ledger = \"donations.db\"\nearlier = [\"earlier/campaign.toml\"]",
        1,
    );
    std::fs::write(
        &campaign,
        format!(
            "{edited}\n[[baselines]]\namount = \"10 EUR\"\nnote = {quoted}\n\n\
             [[matching]]\nsponsor = {quoted}\nratio = \"1\"\nup_to = \"100 EUR\"\n\n\
             [appeals.running]\nen = {appeal}\nfr = {appeal}\n"
        ),
    )
    .unwrap();
}

/// An SVG document: well-formed XML with nothing that runs.
fn check_svg(what: &str, svg: &str) {
    let document = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{what}: not well-formed XML: {e}\n{svg}"));
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        // A `<use>` may only point inside the document (the scene's parts).
        let internal_use = name == "use"
            && node
                .attribute("href")
                .is_some_and(|href| href.starts_with('#'));
        assert!(
            !["script", "foreignObject", "iframe", "image", "use"].contains(&name)
                || name == "image" && what.ends_with(".html")
                || internal_use,
            "{what}: a {name} element"
        );
        for attribute in node.attributes() {
            assert!(
                !attribute.name().to_lowercase().starts_with("on"),
                "{what}: an event handler {}",
                attribute.name()
            );
            assert!(
                !attribute
                    .value()
                    .trim()
                    .to_lowercase()
                    .starts_with("javascript:"),
                "{what}: a javascript: URL"
            );
        }
    }
}

/// The tags of an HTML page, each as its name and its attributes' names and values: a small
/// scanner for the pages jauge writes (every attribute value double-quoted).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let mut end = 0;
        let mut quoted = false;
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '>' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let inside = &rest[..end];
        rest = &rest[end..];
        if inside.starts_with('/') {
            // A closing tag: nothing in it.
            continue;
        }
        let name: String = inside
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
            .collect();
        let mut attributes = Vec::new();
        let mut text = &inside[name.len().min(inside.len())..];
        while let Some(eq) = text.find('=') {
            let key = text[..eq]
                .split_whitespace()
                .last()
                .unwrap_or_default()
                .to_lowercase();
            let after = &text[eq + 1..];
            let (value, next) = match after.strip_prefix('"') {
                Some(quoted) => {
                    let close = quoted.find('"').unwrap_or(quoted.len());
                    (&quoted[..close], &quoted[(close + 1).min(quoted.len())..])
                }
                None => {
                    let close = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            attributes.push((key, value.to_owned()));
            text = next;
        }
        found.push((name.to_lowercase(), attributes));
    }
    found
}

/// An HTML page: no tag or attribute the hostile text could have brought in. The pages' own
/// scripts are their only scripts.
fn check_html(what: &str, html: &str) {
    for (name, attributes) in tags(html) {
        // The pages' own scripts: the widget's module, the frame's protocol.
        if name == "script" {
            assert!(
                attributes.iter().any(
                    |(k, v)| k == "src" && (v.ends_with("jauge.js") || v.ends_with("frame.js"))
                ),
                "{what}: a script {attributes:?}"
            );
        }
        // oEmbed's own frame.
        let frame = name == "iframe"
            && attributes.contains(&("sandbox".to_owned(), "allow-scripts".to_owned()))
            && attributes
                .iter()
                .any(|(k, v)| k == "src" && v == "https://example.org/campaign/frame.html");
        assert!(
            frame
                || !["iframe", "img", "object", "embed", "b"].contains(&name.as_str())
                || name == "img"
                    && attributes
                        .iter()
                        .any(|(k, v)| k == "src" && !v.contains('x')
                            || v.ends_with(".svg")
                            || v.ends_with(".png")),
            "{what}: a {name} element {attributes:?}"
        );
        for (key, value) in attributes {
            assert!(
                !key.starts_with("on"),
                "{what}: an event handler {key} on {name}"
            );
            let url = ["href", "src", "action", "formaction", "poster", "data-src"]
                .contains(&key.as_str());
            assert!(
                !url || !value.trim().to_lowercase().starts_with("javascript:"),
                "{what}: a javascript: URL in {key} on {name}"
            );
        }
    }
}

/// Markdown as a renderer that passes raw HTML through would show it: the worst case.
fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES),
    );
    html
}

#[test]
fn hostile_text_stays_text_in_every_artefact() {
    for text in CORPUS {
        let work = campaign_scratch();
        hostile_campaign(work.path(), text);
        let out = work.path().join("site");
        let output = jauge()
            .args(["build", "--at", AT, "--campaign"])
            .arg(work.path().join("campaign.toml"))
            .arg("--out")
            .arg(&out)
            .arg("--widget")
            .arg(widget_bundle(work.path()))
            // An absolute address, so that the oEmbed answer is written too.
            .args(["--base-url", "https://example.org/campaign/"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{text:?}: {}", stderr(&output));
        let oembed: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("oembed.json")).unwrap()).unwrap();
        check_html(
            &format!("{text:?} in oembed.json's html"),
            oembed["html"].as_str().unwrap(),
        );
        for entry in std::fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let what = format!("{text:?} in {name}");
            if name.ends_with(".svg") {
                check_svg(&what, &std::fs::read_to_string(&path).unwrap());
            } else if name.ends_with(".html") {
                check_html(&what, &std::fs::read_to_string(&path).unwrap());
            }
        }
        // The name shows as itself, escaped, where the page names the campaign.
        let embed = std::fs::read_to_string(out.join("embed.html")).unwrap();
        let escaped = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            embed.contains(escaped.lines().next().unwrap()),
            "{text:?}: the name is missing"
        );
        // Each command on its own, in both sizes and both shapes, in French too.
        for args in [
            &["snippet", "--size", "compact"][..],
            &["snippet", "--size", "bar", "--lang", "fr"],
            &["snippet", "--form", "mail", "--lang", "fr"],
            &["badge", "--shape", "compact"],
            &["badge", "--shape", "bar", "--lang", "fr"],
            &["chart", "--kind", "cumulative"],
            &["chart", "--kind", "daily"],
            &["chart", "--kind", "recurring"],
            &["chart", "--kind", "compare-share"],
            &["chart", "--kind", "compare-money", "--lang", "fr"],
            &["report", "--format", "html"],
            &["report", "--format", "md", "--lang", "fr"],
        ] {
            let output = jauge()
                .args(args)
                .args(["--at", AT, "--campaign"])
                .arg(work.path().join("campaign.toml"))
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{text:?} {args:?}: {}",
                stderr(&output)
            );
            let body = String::from_utf8(output.stdout).unwrap();
            let what = format!("{text:?} in {args:?}");
            if args[0] == "snippet" || args[2] == "html" {
                check_html(&what, &body);
            } else if args[2] == "md" {
                // Markdown: its charts are SVG images, each checked as an SVG; the rest may
                // hold no tag the text brought, as the HTML a renderer would make of it.
                const CHART: &str = "](data:image/svg+xml;base64,";
                let mut text = String::new();
                for line in body.lines() {
                    match line.split_once(CHART) {
                        Some((_, data)) => {
                            let svg = base64::Engine::decode(
                                &base64::engine::general_purpose::STANDARD,
                                data.trim_end_matches(')'),
                            )
                            .unwrap();
                            check_svg(&what, &String::from_utf8(svg).unwrap());
                        }
                        None => text.push_str(&format!("{line}\n")),
                    }
                }
                let html = markdown_to_html(&text);
                check_html(&what, &html);
                assert!(!html.contains("<script"), "{what}: a script\n{html}");
            } else {
                check_svg(&what, &body);
            }
        }
        let output = jauge()
            .args(["card", "--at", AT, "--out"])
            .arg(work.path().join("card.png"))
            .arg("--campaign")
            .arg(work.path().join("campaign.toml"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{text:?} card: {}",
            stderr(&output)
        );
    }
}
