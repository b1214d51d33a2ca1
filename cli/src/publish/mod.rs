//! The publishing commands: every surface shows the same status document, through the widget's
//! own components and view model (snippet, badge, card) or the report's series (charts).

pub mod bucket;
mod embed;
pub mod oembed;
pub mod page;
pub mod serve;
pub mod site;

use base64::Engine;
use jauge::{Locale, Report};

use chart::{chart, ChartKind};

/// The finance report as Markdown ([`crate::render::report_text`]) with the charts added: as
/// images carried in the file itself (`data:` URLs), or, with `html`, as one standalone page
/// with the charts inline.
pub fn report_with_charts(
    report: &Report,
    budget: Option<&crate::render::BudgetSummary>,
    locale: Locale,
    html: bool,
) -> String {
    let markdown = crate::render::report_text(
        report,
        budget,
        locale,
        crate::render::Style { colour: false },
        true,
    );
    let kinds = ChartKind::of(report);
    let charts: Vec<String> = kinds
        .iter()
        .map(|kind| chart(report, *kind, locale))
        .collect();
    if !html {
        let mut out = markdown;
        out.push_str(&format!(
            "\n## {}\n\n",
            crate::render::charts_heading(locale)
        ));
        for (kind, svg) in kinds.iter().zip(&charts) {
            let data = base64::engine::general_purpose::STANDARD.encode(svg);
            out.push_str(&format!(
                "![{}](data:image/svg+xml;base64,{data})\n\n",
                crate::render::markdown_escape(&chart::title(report, *kind, locale))
            ));
        }
        return out;
    }
    let mut body = String::new();
    // Raw HTML disabled: whatever the Markdown holds, any HTML in it is shown as text, never
    // passed through (the campaign's texts are escaped too; this is the second lock).
    let parser = pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES)
        .map(|event| match event {
            pulldown_cmark::Event::Html(html) | pulldown_cmark::Event::InlineHtml(html) => {
                pulldown_cmark::Event::Text(html)
            }
            other => other,
        });
    pulldown_cmark::html::push_html(&mut body, parser);
    body.push_str(&format!(
        "<h2>{}</h2>\n",
        crate::render::charts_heading(locale)
    ));
    for svg in &charts {
        body.push_str(&format!("<figure>{}</figure>\n", svg.trim()));
    }
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c1917}}table{{border-collapse:collapse;margin:1rem 0}}th,td{{border:1px solid #d6d3d1;padding:.25rem .6rem;text-align:right}}th:first-child,td:first-child{{text-align:left}}figure{{margin:1rem 0}}svg{{max-width:100%;height:auto}}pre{{white-space:pre-wrap;overflow-wrap:anywhere}}table{{display:block;max-width:100%;overflow-x:auto}}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        locale.tag(),
        text::escape(report.status.campaign().name.get(locale))
    )
}

// The drawings (badges, card, charts, the mail form, the bar): `jauge-draw`, under the paths the
// site and the commands use.
pub use jauge_draw::{badge, card, chart, gauge, mail, text};
