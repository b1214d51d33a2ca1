//! A pasted link that becomes the gauge: oEmbed (the JSON a blog asks the page's endpoint for)
//! and the lean page it frames.
//!
//! WordPress shows an untrusted provider's embed as `<blockquote>…</blockquote><iframe>` only:
//! the iframe in `sandbox="allow-scripts"`, hidden until the framed page posts its height with
//! the secret WordPress put after `#?secret=`; the blockquote (the figure and a link) is what
//! readers see until then, and what every consumer that drops iframes keeps. So the frame is
//! the static snippet (figures without a script) that the widget's script turns live, and a few
//! lines that speak WordPress's protocol: its height, and its links handed to the host page
//! (a sandboxed frame cannot open them itself).

use jauge::{Locale, StatusDocument};
use jauge_widget::GaugeView;

use super::text::escape;

/// The framed page's file.
pub const FRAME: &str = "frame.html";

/// The static oEmbed answer's file, for hosts that serve files only.
pub const JSON: &str = "oembed.json";

/// The frame's script for WordPress's protocol: a file of its own, so that the pages' policy
/// (`script-src 'self'`) needs no exception for inline scripts.
pub const SCRIPT: &str = "frame.js";

/// The frame's size when the consumer sets none: the full gauge's width, and its height with
/// the appeal on two lines (WordPress resizes it to what the frame posts).
const WIDTH: u64 = 600;
const HEIGHT: u64 = 500;

/// WordPress's embed protocol (`frame.js`): the height whenever it changes, and links handed to
/// the host page. Without a secret (the frame opened on its own) it does nothing.
pub const PROTOCOL: &str = r#"(function () {
  var found = /[#&?]secret=([A-Za-z0-9]+)/.exec(location.hash);
  if (!found) return;
  var secret = found[1];
  function height() {
    parent.postMessage({ secret: secret, message: "height", value: Math.ceil(document.documentElement.getBoundingClientRect().height) }, "*");
  }
  addEventListener("load", height);
  addEventListener("resize", height);
  if (window.ResizeObserver) new ResizeObserver(height).observe(document.documentElement);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) return;
    event.preventDefault();
    parent.postMessage({ secret: secret, message: "link", value: link.href }, "*");
  });
  height();
})();
"#;

/// The page the oEmbed iframe shows: the static snippet, turned live by the widget's script,
/// links opening in the top window.
pub fn frame_page(
    status: &StatusDocument,
    snippet_html: &str,
    url: &dyn Fn(&str) -> String,
    locale: Locale,
) -> String {
    format!(
        r#"{start}<meta name="robots" content="noindex">
<base target="_top">
<link rel="icon" href="data:,">
<script type="module" src="{script}"></script>
</head>
<body style="margin:0">
{snippet_html}
<script src="{protocol}"></script>
</body>
</html>
"#,
        start = super::page::document_start(locale, status.campaign().name.get(locale)),
        script = escape(&url("jauge.js")),
        protocol = escape(&url(SCRIPT)),
    )
}

/// The discovery link for the site's pages, or nothing without an absolute base URL (a
/// consumer needs whole addresses).
pub fn discovery(status: &StatusDocument, url: &dyn Fn(&str) -> String, locale: Locale) -> String {
    if !is_absolute(&url("")) {
        return String::new();
    }
    format!(
        "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"{}\">\n",
        escape(&url(JSON)),
        escape(status.campaign().name.get(locale))
    )
}

fn is_absolute(address: &str) -> bool {
    address.starts_with("https://") || address.starts_with("http://")
}

/// The oEmbed answer (`type: rich`), or `None` without an absolute base URL; `card` is the
/// social card's file, its thumbnail.
pub fn answer(
    status: &StatusDocument,
    view: &GaugeView,
    url: &dyn Fn(&str) -> String,
    locale: Locale,
    card: &str,
) -> Option<serde_json::Value> {
    let page = url("");
    if !is_absolute(&page) {
        return None;
    }
    let name = status.campaign().name.get(locale);
    // Attributes in the order and the set WordPress keeps for an untrusted provider; the
    // blockquote first, the iframe right after it and empty.
    let html = format!(
        "<blockquote class=\"jauge-embed\"><a href=\"{page}\">{name}: {figure}</a></blockquote>\
         <iframe class=\"jauge-embed\" sandbox=\"allow-scripts\" security=\"restricted\" \
         src=\"{frame}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" title=\"{name}\" frameborder=\"0\" \
         marginwidth=\"0\" marginheight=\"0\" scrolling=\"no\"></iframe>",
        page = escape(&page),
        name = escape(name),
        figure = escape(&view.value_text),
        frame = escape(&url(FRAME)),
    );
    Some(serde_json::json!({
        "version": "1.0",
        "type": "rich",
        "title": name,
        "provider_name": name,
        "provider_url": page,
        "html": html,
        "width": WIDTH,
        "height": HEIGHT,
        "thumbnail_url": url(card),
        "thumbnail_width": super::card::WIDTH,
        "thumbnail_height": super::card::HEIGHT,
        // The figures change: consumers ask again after five minutes.
        "cache_age": 300,
    }))
}

/// The answer sized for a consumer's `maxwidth` and `maxheight` (never wider or taller than
/// asked, never larger than the default).
pub fn sized(
    answer: &serde_json::Value,
    max_width: Option<u64>,
    max_height: Option<u64>,
) -> serde_json::Value {
    let mut answer = answer.clone();
    let width = max_width.map_or(WIDTH, |max| max.min(WIDTH));
    // A narrower frame wraps the appeal onto more lines.
    let natural = if width < 400 { HEIGHT + 120 } else { HEIGHT };
    let height = max_height.map_or(natural, |max| max.min(natural));
    let from = format!("width=\"{WIDTH}\" height=\"{HEIGHT}\"");
    let to = format!("width=\"{width}\" height=\"{height}\"");
    if let Some(html) = answer.get("html").and_then(|h| h.as_str()) {
        answer["html"] = serde_json::Value::String(html.replacen(&from, &to, 1));
    }
    answer["width"] = width.into();
    answer["height"] = height.into();
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizing_keeps_within_what_is_asked() {
        let answer = serde_json::json!({
            "html": format!("<iframe width=\"{WIDTH}\" height=\"{HEIGHT}\"></iframe>"),
            "width": WIDTH,
            "height": HEIGHT,
        });
        let small = sized(&answer, Some(320), Some(300));
        assert_eq!(small["width"], 320);
        assert_eq!(small["height"], 300);
        assert_eq!(
            small["html"],
            "<iframe width=\"320\" height=\"300\"></iframe>"
        );
        let narrow = sized(&answer, Some(320), None);
        assert_eq!(narrow["height"], HEIGHT + 120);
        let large = sized(&answer, Some(2000), Some(2000));
        assert_eq!(
            (large["width"].as_u64(), large["height"].as_u64()),
            (Some(WIDTH), Some(HEIGHT))
        );
    }
}
