//! This campaign against earlier ones, and the backtest of the projections, as text and
//! Markdown in six languages; and the phrase that names how a projection was made.

use std::fmt::Write as _;

use chrono_tz::Tz;
use jauge::{Backtest, Comparison, Locale, Standing};

use super::{count, markdown_escape, table, Style};

/// The words of the comparison: the catalogue's (`core/words/<language>/compare.ftl`).
pub(crate) fn compare_words(locale: Locale) -> &'static jauge::words::compare::Words {
    jauge::words::compare::words(locale)
}

pub use jauge_draw::chart::projection_method;

/// The comparison's rows: this campaign now, then each earlier one on the same day, on the same
/// date and at its end. The campaigns' names are escaped for Markdown when `markdown`.
pub(crate) fn comparison_rows(
    comparison: &Comparison,
    name: &str,
    zone: Tz,
    locale: Locale,
    markdown: bool,
) -> Vec<Vec<String>> {
    let w = compare_words(locale);
    let text = |name: &str| {
        if markdown {
            markdown_escape(name)
        } else {
            name.to_owned()
        }
    };
    let row = |campaign: String, point: String, standing: &Standing| {
        vec![
            campaign,
            point,
            standing
                .at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            locale.format_money(standing.raised),
            locale.format_decimal(standing.percent_of_goal, 2),
            count(locale, standing.gifts),
            count(locale, standing.donors),
        ]
    };
    let days = |s: &Standing| (count(locale, s.day.into()), count(locale, s.days.into()));
    let (n, m) = days(&comparison.now);
    let mut rows = vec![row(text(name), w.now(&n, &m), &comparison.now)];
    for earlier in &comparison.earlier {
        let (n, m) = days(&earlier.same_day);
        rows.push(row(
            text(&earlier.name),
            w.same_day(&n, &m),
            &earlier.same_day,
        ));
        rows.push(row(
            String::new(),
            w.same_date.to_owned(),
            &earlier.same_date,
        ));
        rows.push(row(String::new(), w.end.to_owned(), &earlier.end));
    }
    rows
}

/// The comparison and the backtest under their headings.
pub fn comparison_text(
    comparison: &Comparison,
    name: &str,
    zone: Tz,
    locale: Locale,
    style: Style,
    markdown: bool,
) -> String {
    let w = compare_words(locale);
    let mut out = String::new();
    super::section(&mut out, style, markdown, w.heading);
    table(
        &mut out,
        markdown,
        &[
            w.campaign,
            w.point,
            w.date,
            w.raised,
            w.percent_of_goal,
            w.gifts,
            w.donors,
        ],
        &comparison_rows(comparison, name, zone, locale, markdown),
    );
    let _ = writeln!(
        out,
        "{}{} {}\n",
        w.donors_now,
        jauge::words::gauge::words(locale).colon,
        w.returning_new(
            &count(locale, comparison.returning_donors),
            &count(locale, comparison.new_donors)
        )
    );
    if let Some(backtest) = &comparison.backtest {
        out.push_str(&backtest_text(backtest, locale, style, markdown));
    }
    out
}

/// The backtest's rows: days left, day ends tried, and each method's median error.
pub(crate) fn backtest_rows(backtest: &Backtest, locale: Locale) -> Vec<Vec<String>> {
    let percent = |value: jauge::Decimal| format!("{} %", locale.format_decimal(value, 1));
    backtest
        .rows
        .iter()
        .map(|row| {
            let days = match row.days_left_to {
                None => format!("{}+", row.days_left_from),
                Some(to) if to == row.days_left_from => to.to_string(),
                Some(to) => format!("{}–{to}", row.days_left_from),
            };
            vec![
                days,
                count(locale, row.points),
                percent(row.pace),
                row.shape.map_or_else(|| "—".to_owned(), percent),
            ]
        })
        .collect()
}

fn backtest_text(backtest: &Backtest, locale: Locale, style: Style, markdown: bool) -> String {
    let w = compare_words(locale);
    let mut out = String::new();
    let names: Vec<String> = backtest
        .campaigns
        .iter()
        .map(|name| {
            if markdown {
                markdown_escape(name)
            } else {
                name.clone()
            }
        })
        .collect();
    let _ = if markdown {
        writeln!(out, "### {}\n", w.backtest)
    } else {
        writeln!(out, "{}", style.heading(w.backtest))
    };
    let _ = writeln!(out, "{}\n", w.backtest_note(&names.join(", ")));
    table(
        &mut out,
        markdown,
        &[w.days_left, w.day_ends, w.pace, w.shape],
        &backtest_rows(backtest, locale),
    );
    out
}
