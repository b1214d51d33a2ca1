//! Text, Markdown, CSV and JSON renderings of what the core computed. Every amount goes through
//! the core's shared formatter, so the CLI prints what the widget shows.

use std::fmt::Write as _;

use chrono_tz::Tz;
use jauge::{Locale, StatusDocument};

mod compare;
mod currencies;
mod report;
mod status;
mod table;
mod words;

pub(crate) use compare::{backtest_rows, compare_words, comparison_rows};
pub use compare::{comparison_text, projection_method};
pub(crate) use currencies::{currency_rows, currency_words};
pub use report::{
    budget_summary, budget_text, report_csv, report_text, BudgetSummary, ReportDocument,
};
pub use status::status_text;
pub use table::markdown_escape;
pub(crate) use table::{spreadsheet_text, table};
pub use words::charts_heading;
pub(crate) use words::{report_words, source_name};

/// How headings are set off: bold on a terminal, plain elsewhere.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Whether to emit ANSI bold.
    pub colour: bool,
}

impl Style {
    fn heading(self, text: &str) -> String {
        if self.colour {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// A section's heading: `## …` in Markdown, bold on a terminal, plain otherwise.
pub(crate) fn section(out: &mut String, style: Style, markdown: bool, text: &str) {
    let _ = if markdown {
        writeln!(out, "## {text}\n")
    } else {
        writeln!(out, "{}", style.heading(text))
    };
}

/// The campaign's zone, by the name the document carries (UTC if unknown).
pub fn zone_of(status: &StatusDocument) -> Tz {
    status
        .campaign()
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::UTC)
}

pub(crate) fn count(locale: Locale, n: u64) -> String {
    locale.format_decimal(n.into(), 0)
}

/// `n` and the English noun, singular or plural.
pub fn counted(locale: Locale, n: u64, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        count(locale, n),
        if n == 1 { singular } else { plural }
    )
}
