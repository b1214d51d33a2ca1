//! The words of `jauge report` and `jauge budget`, in each language.

use jauge::Locale;

/// The words of `jauge report`'s text, Markdown and workbook, in one language: the catalogue's
/// (`core/words/<language>/report.ftl`).
pub(crate) type ReportWords = jauge::words::report::Words;

/// A source as a reader knows it: the platform's own spelling, or the ledger in words.
pub(crate) fn source_name(source: &str, words: &ReportWords) -> String {
    match source {
        "stripe" => "Stripe".to_owned(),
        "helloasso" => "HelloAsso".to_owned(),
        "paypal" => "PayPal".to_owned(),
        "ledger" => words.ledger.to_owned(),
        other => other.to_owned(),
    }
}

/// The heading over the report's charts, in `locale`.
pub fn charts_heading(locale: Locale) -> &'static str {
    report_words(locale).charts
}

pub(crate) fn report_words(locale: Locale) -> &'static ReportWords {
    jauge::words::report::words(locale)
}
