//! The gauge as a self-contained HTML fragment for places where no script runs (a CMS that strips
//! `<script>`, an RSS reader, a newsletter): the same [`Gauge`] component rendered on the host,
//! with the stylesheet's rules written into `style` attributes.
//!
//! Why `style` attributes and not a `<style>` element: HTML allows `<style>` only in the
//! document's head, many CMSs and mail clients strip it, and none strip `style`. Why concrete
//! colours instead of the stylesheet's custom properties and `light-dark()`: mail clients and
//! feed readers understand neither. The motion and forced-colours rules (`@media`) cannot be
//! inlined and are left out: a static gauge has nothing to animate.
//!
//! When the widget's script is on the page too, the element upgrades in place (see the browser
//! entry point): the live gauge replaces the static one once it has figures, drawn by the same
//! component with the same rules, so nothing moves.

use std::rc::Rc;

use chrono::{DateTime, Utc};
use jauge::{Locale, StatusDocument};

use crate::components::{Gauge, GaugeProps};
use crate::view::{Size, Theme};
pub use jauge_draw::style::{static_stylesheet, Palette, STYLESHEET};

/// What a snippet shows and where its live version would fetch figures from.
#[derive(Clone, Debug, PartialEq)]
pub struct SnippetOptions {
    /// The language.
    pub locale: Locale,
    /// The size.
    pub size: Size,
    /// Light or dark ([`Theme::Auto`] is drawn light: a static page cannot follow the reader).
    pub theme: Theme,
    /// The status document's URL, for the upgrade to the live gauge; none for a snippet that
    /// stays static.
    pub src: Option<String>,
    /// The instant shown; by default the document's own as-of instant.
    pub now: Option<DateTime<Utc>>,
}

impl Default for SnippetOptions {
    fn default() -> SnippetOptions {
        SnippetOptions {
            locale: Locale::En,
            size: Size::Full,
            theme: Theme::Light,
            src: None,
            now: None,
        }
    }
}

/// Why a snippet could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SnippetError {
    /// The CSS inliner refused the rendered HTML or the stylesheet (a bug in jauge: both are
    /// its own).
    #[error("could not inline the gauge's styles: {0}")]
    Inline(String),
}

/// `text` with `&`, `<`, `>` and `"` escaped, for an attribute value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The gauge for `status` as a self-contained HTML fragment: no script, no `<style>`, every rule
/// in `style` attributes, every text from the document escaped.
///
/// # Errors
///
/// [`SnippetError::Inline`], which would be a bug in jauge.
///
/// # Example
///
/// ```
/// use jauge::StatusDocument;
/// use jauge_widget::snippet::{snippet, SnippetOptions};
///
/// let status = StatusDocument::from_json(include_str!("../../tests/fixtures/status-document.json"))?;
/// let html = snippet(&status, &SnippetOptions { src: Some("status.json".into()), ..Default::default() })?;
/// assert!(html.starts_with(r#"<div class="jauge-snippet" data-jauge data-src="status.json""#));
/// assert!(html.contains("€128,602"));
/// assert!(!html.contains("<script") && !html.contains("<style"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
/// `html` with `<` and `>` inside attribute values written `&lt;` and `&gt;`. The HTML
/// serializer leaves them raw there (valid HTML, and inert), but the snippet is pasted into
/// CMSs and mail tools whose sanitizers read markup with patterns, not parsers: a campaign named
/// `<script>` must not reach them as something that looks like a tag, even in an `aria-label`.
/// The serializer quotes every value with `"` and escapes `<` in text, so a `<` outside a value
/// always opens a tag.
fn angle_brackets_escaped_in_attributes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let (mut in_tag, mut in_value) = (false, false);
    for c in html.chars() {
        match c {
            '<' if in_value => out.push_str("&lt;"),
            '>' if in_value => out.push_str("&gt;"),
            '<' => {
                in_tag = true;
                out.push(c);
            }
            '>' if in_tag => {
                in_tag = false;
                out.push(c);
            }
            '"' if in_tag => {
                in_value = !in_value;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

pub fn snippet(status: &StatusDocument, options: &SnippetOptions) -> Result<String, SnippetError> {
    let theme = match options.theme {
        Theme::Dark => Theme::Dark,
        Theme::Light | Theme::Auto => Theme::Light,
    };
    let props = GaugeProps {
        status: Rc::new(status.clone()),
        locale: options.locale,
        now: options.now.unwrap_or_else(|| status.as_of()),
        size: options.size,
        theme,
        double_bar: false,
        stale_note: None,
        announcement: None,
        unfilled: false,
        images: crate::view::ImagePolicy {
            base: options.src.clone(),
            origins: Vec::new(),
        },
    };
    let html = futures::executor::block_on(
        yew::LocalServerRenderer::<Gauge>::with_props(props)
            .hydratable(false)
            .render(),
    );
    let inliner = css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_at_rules(false)
        .build();
    let inlined = inliner
        .inline_fragment(&html, &static_stylesheet(theme))
        .map_err(|e| SnippetError::Inline(e.to_string()))?;
    let inlined = angle_brackets_escaped_in_attributes(&inlined);
    let live = options
        .src
        .as_deref()
        .map(|src| format!(" data-src=\"{}\"", attribute(src)))
        .unwrap_or_default();
    Ok(format!(
        "<div class=\"jauge-snippet\" data-jauge{live} data-lang=\"{}\" data-size=\"{}\" data-theme=\"{}\">{}</div>\n",
        options.locale.tag(),
        options.size.name(),
        theme.name(),
        inlined.trim()
    ))
}
