//! `embed.html`: the webmaster's page, which shows every artefact of a site and the code to paste
//! each elsewhere, in the site's language.

use jauge::StatusDocument;

use super::text::escape;

pub(super) const EMBED_CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;color:#1c1917;background:#fafaf9}\
pre{background:#1c1917;color:#fafaf9;padding:1rem;border-radius:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}\
img{max-width:100%;height:auto}h2{margin-top:2.5rem}figure{margin:1rem 0}figcaption{color:#57534e;font-size:.9rem}\n";

/// The page that shows every artefact and how to paste it elsewhere.
pub(super) fn embed_page(
    status: &StatusDocument,
    view: &jauge_widget::GaugeView,
    snippet_html: &str,
    mail_html: &str,
    links: &super::page::Links<'_>,
    frozen: bool,
    chart_alts: &[String; 3],
) -> String {
    let (url, locale) = (links.url, links.main());
    // The previews on this page (not the code to copy) are frozen at a chosen instant: every
    // artefact on the page then shows the same one.
    let clock = if frozen { " data-clock=\"frozen\"" } else { "" };
    let snippet_preview = snippet_html.replacen(" data-jauge ", &format!(" data-jauge{clock} "), 1);
    let code = |text: &str| format!("<pre><code>{}</code></pre>", escape(text));
    let live = format!(
        "<script type=\"module\" src=\"{}\"></script>\n<div data-jauge data-src=\"{}\" data-lang=\"{}\" data-size=\"compact\"></div>",
        url("jauge.js"),
        url("status.json"),
        locale.tag()
    );
    // An SVG shown by <img> follows no link of its own: the link goes around it, to the
    // donation page when there is one.
    let donate = status.campaign().donate.as_ref().map(|d| d.url.get(locale));
    let badge = format!(
        "<img src=\"{}\" width=\"360\" height=\"112\" alt=\"{}\">",
        url("badge.svg"),
        escape(&view.value_text)
    );
    let badge = match donate {
        Some(address) => format!("<a href=\"{}\">{badge}</a>", escape(address)),
        None => badge,
    };
    let markdown = format!(
        "[![{}]({})]({})",
        view.value_text.replace(']', ""),
        url("badge-bar.svg"),
        // Parentheses would end a Markdown link's address early.
        donate.map_or_else(
            || url("embed.html"),
            |address| address.replace('(', "%28").replace(')', "%29")
        )
    );
    let meta = format!("<meta property=\"og:image\" content=\"{}\">\n<meta name=\"twitter:card\" content=\"summary_large_image\">", url("card.png"));
    // The page's words from the catalogue, escaped; their links and code put in afterwards
    // where the message names them (each argument is a mark no text holds).
    let w = jauge::words::site::words(locale);
    let with_html = |text: String, pieces: &[&str]| {
        let mut html = escape(&text);
        for (at, piece) in pieces.iter().enumerate() {
            html = html.replace(&format!("\u{e000}{at}"), piece);
        }
        html
    };
    let mark = |at: u8| format!("\u{e000}{at}");
    let title = w.embed_title(status.campaign().name.get(locale));
    format!(
        r#"{start}{head}{head_end}<h1>{h1}</h1>
<p>{intro}</p>
<h2>{live_heading}</h2>
<div data-jauge data-src="status.json" data-size="compact" data-lang="{lang}"{clock} id="live"></div>
{live_code}
<h2>{snippet_heading}</h2>
<p>{snippet_intro}</p>
<div id="snippet">{snippet_preview}</div>
<details><summary>{snippet_summary}</summary>
{snippet_code}
</details>
<h2>{mail_heading}</h2>
<p>{mail_intro}</p>
<div id="mail">{mail_html}</div>
<details><summary>{mail_summary}</summary>
{mail_code}
</details>
<h2>{badge_heading}</h2>
<figure><img src="badge.svg" width="360" height="112" alt="{alt}"><figcaption>badge.svg</figcaption></figure>
<figure><img src="badge-bar.svg" alt="{alt}"><figcaption>badge-bar.svg</figcaption></figure>
{badge_code}
{markdown_code}
<h2>{card_heading}</h2>
<figure><img src="card.png" width="1200" height="630" alt="{alt}"><figcaption>card.png, 1200 × 630</figcaption></figure>
{meta_code}
<h2>{charts_heading}</h2>
<figure><img src="chart-cumulative.svg" width="800" height="420" alt="{cumulative_alt}"><figcaption>chart-cumulative.svg {and_png}</figcaption></figure>
<figure><img src="chart-daily.svg" width="800" height="420" alt="{daily_alt}"><figcaption>chart-daily.svg {and_png}</figcaption></figure>
<figure><img src="chart-recurring.svg" width="800" height="420" alt="{recurring_alt}"><figcaption>chart-recurring.svg {and_png}</figcaption></figure>
</main>
</body>
</html>
"#,
        lang = locale.tag(),
        alt = escape(&view.value_text),
        cumulative_alt = escape(&chart_alts[0]),
        daily_alt = escape(&chart_alts[1]),
        recurring_alt = escape(&chart_alts[2]),
        head = super::page::preview_head(status, view, links, locale, "index.html"),
        head_end = super::page::HEAD_END,
        start = super::page::document_start(locale, &title),
        h1 = escape(&title),
        intro = with_html(
            w.embed_intro(&mark(0)),
            &["<a href=\"status.json\">status.json</a>"]
        ),
        live_heading = escape(w.live_heading),
        snippet_heading = escape(w.snippet_heading),
        snippet_intro = escape(w.snippet_intro),
        snippet_summary = escape(&w.snippet_code(&snippet_html.len().div_ceil(1024).to_string())),
        mail_heading = escape(w.mail_heading),
        mail_intro = with_html(
            w.mail_intro(&mark(0), &mark(1)),
            &[
                "<a href=\"scene.png\">scene.png</a>",
                "<code>--base-url</code>"
            ]
        ),
        mail_summary = escape(w.mail_code),
        badge_heading = escape(w.badge_heading),
        card_heading = escape(w.card_heading),
        charts_heading = escape(w.charts_heading),
        and_png = escape(w.and_png),
        live_code = code(&live),
        snippet_code = code(snippet_html.trim()),
        mail_code = code(mail_html.trim()),
        badge_code = code(&badge),
        markdown_code = code(&markdown),
        meta_code = code(&meta),
    )
}
