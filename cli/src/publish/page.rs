//! The campaign's public page (the site's `index.html`, and one per language the campaign names
//! itself in): what a pasted link leads to, and what link previews and blogs read of it.
//!
//! The gauge is the static snippet (every figure without a script), which the widget's script
//! turns live where it loads; the appeal and the donate button are the snippet's own. The
//! webmaster's page, with the code to paste, is `embed.html`.

use jauge::{Locale, StatusDocument};
use jauge_widget::GaugeView;

use super::text::escape;

/// The file of the page in `locale`: `index.html` for the site's language, `fr.html` for the
/// others.
pub fn file_of(locale: Locale, main: Locale) -> String {
    if locale == main {
        "index.html".to_owned()
    } else {
        format!("{}.html", locale.tag())
    }
}

/// The languages a page is made in: the site's, then every other one the campaign's name is
/// given in (`name = { en = "…", fr = "…" }`).
pub fn languages(status: &StatusDocument, main: Locale) -> Vec<Locale> {
    let name = &status.campaign().name;
    let mut languages = vec![main];
    if name.is_per_locale() {
        languages.extend(
            Locale::ALL
                .into_iter()
                .filter(|locale| *locale != main && name.own(*locale).is_some()),
        );
    }
    languages
}

/// How a page names the site's other files and pages.
pub struct Links<'a> {
    /// A file's address (absolute with `--base-url`).
    pub url: &'a dyn Fn(&str) -> String,
    /// The site's languages, its own first ([`languages`]).
    pub languages: &'a [Locale],
    /// The social card's file under its versioned name (`card-<hash>.png`): a crawler that
    /// cached an earlier card never shows it under the address a page names now.
    pub card: &'a str,
}

impl Links<'_> {
    /// The site's own language.
    pub fn main(&self) -> Locale {
        self.languages.first().copied().unwrap_or(Locale::En)
    }
}

/// The end of the public pages' and the webmaster's page's head, and the start of their body:
/// the site's stylesheet and the widget's script.
pub const HEAD_END: &str =
    "<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"embed.css\">\n\
<script type=\"module\" src=\"jauge.js\"></script>\n</head>\n<body>\n<main>\n";

/// The start of every page of the site, to its `<title>` (`title` escaped here).
pub fn document_start(locale: Locale, title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n",
        locale.tag(),
        escape(title)
    )
}

fn is_absolute(address: &str) -> bool {
    address.starts_with("https://") || address.starts_with("http://")
}

/// Open Graph's locale for a language (`language_TERRITORY`).
fn og_locale(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "en_US",
        Locale::Fr => "fr_FR",
        Locale::De => "de_DE",
        Locale::Es => "es_ES",
        Locale::It => "it_IT",
        Locale::Nl => "nl_NL",
    }
}

/// What link previews read (Open Graph, Twitter's card), the page's own address when the base
/// URL is absolute (`og:url`, canonical), the other languages' pages (`hreflang`) and oEmbed's
/// discovery link. `page` is the public page these describe (the webmaster's page names the
/// public one as its canonical address).
pub fn preview_head(
    status: &StatusDocument,
    view: &GaugeView,
    links: &Links<'_>,
    locale: Locale,
    page: &str,
) -> String {
    let (url, languages, main) = (links.url, links.languages, links.main());
    let page_url = url(if page == "index.html" { "" } else { page });
    let mut head = format!(
        "<meta property=\"og:title\" content=\"{name}\">
<meta property=\"og:type\" content=\"website\">
<meta property=\"og:description\" content=\"{description}\">
<meta property=\"og:locale\" content=\"{og_locale}\">
<meta property=\"og:image\" content=\"{card}\">
<meta property=\"og:image:width\" content=\"{width}\">
<meta property=\"og:image:height\" content=\"{height}\">
<meta property=\"og:image:alt\" content=\"{alt}\">
<meta name=\"twitter:card\" content=\"summary_large_image\">
",
        name = escape(status.campaign().name.get(locale)),
        description = escape(&view.appeal),
        og_locale = og_locale(locale),
        card = escape(&url(links.card)),
        width = super::card::WIDTH,
        height = super::card::HEIGHT,
        alt = escape(&view.value_text),
    );
    if is_absolute(&page_url) {
        let page_url = escape(&page_url);
        head.push_str(&format!(
            "<meta property=\"og:url\" content=\"{page_url}\">\n<link rel=\"canonical\" href=\"{page_url}\">\n"
        ));
    }
    if languages.len() > 1 {
        for other in languages {
            let file = file_of(*other, main);
            let address = url(if file == "index.html" { "" } else { &file });
            head.push_str(&format!(
                "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">\n",
                other.tag(),
                escape(&address)
            ));
        }
        head.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">\n",
            escape(&url(""))
        ));
    }
    head.push_str(&super::oembed::discovery(status, url, locale));
    head
}

/// The public page in `locale`.
pub fn public_page(
    status: &StatusDocument,
    view: &GaugeView,
    snippet_html: &str,
    links: &Links<'_>,
    locale: Locale,
) -> String {
    let (languages, main) = (links.languages, links.main());
    let title = status.campaign().name.get(locale);
    let name = escape(title);
    let head = preview_head(status, view, links, locale, &file_of(locale, main));
    // The other languages, each named in itself.
    let others: Vec<String> = languages
        .iter()
        .filter(|other| **other != locale)
        .map(|other| {
            format!(
                "<a href=\"{}\" hreflang=\"{tag}\" lang=\"{tag}\">{}</a>",
                escape(&file_of(*other, main)),
                escape(status.campaign().name.get(*other)),
                tag = other.tag(),
            )
        })
        .collect();
    let others = if others.is_empty() {
        String::new()
    } else {
        format!("<p class=\"languages\">{}</p>\n", others.join(" · "))
    };
    format!(
        r#"{start}{head}{HEAD_END}<h1>{name}</h1>
{snippet}
{others}</main>
<footer><p><a href="embed.html">{embed}</a> · <a href="status.json">status.json</a></p></footer>
</body>
</html>
"#,
        start = document_start(locale, title),
        snippet = snippet_html.trim(),
        embed = escape(jauge::words::site::words(locale).embed),
    )
}
