//! `jauge report` as text, Markdown, CSV and JSON, and `jauge budget` as text.

use std::fmt::Write as _;

use jauge::{BudgetGap, Channel, Locale, Money, Report};
use serde::Serialize;

use super::table::code_block;
use super::{
    comparison_text, count, currencies, markdown_escape, report_words, section, source_name,
    spreadsheet_text, status_text, table, zone_of, Style,
};

/// A report as JSON: the report itself and, when the campaign has a budget, its gap.
#[derive(Serialize)]
pub struct ReportDocument<'a> {
    /// The report.
    #[serde(flatten)]
    pub report: &'a Report,
    /// The budget's gap, if any.
    pub budget: Option<BudgetSummary>,
}

/// The budget figures a report shows.
#[derive(Serialize)]
pub struct BudgetSummary {
    /// The gap before the campaign.
    pub gap: BudgetGap,
    /// What is still open once the campaign's raised figure is counted.
    pub still_open: Money,
}

/// The budget summary for a report, if the campaign has a budget in the same currency.
pub fn budget_summary(
    report: &Report,
    gap: Option<BudgetGap>,
) -> Result<Option<BudgetSummary>, jauge::MoneyError> {
    gap.map(|gap| {
        Ok(BudgetSummary {
            still_open: gap.open_after(&report.status)?,
            gap,
        })
    })
    .transpose()
}

/// A report as text (`markdown` false) or Markdown.
pub fn report_text(
    report: &Report,
    budget: Option<&BudgetSummary>,
    locale: Locale,
    style: Style,
    markdown: bool,
) -> String {
    let money = |m: Money| locale.format_money(m);
    let w = report_words(locale);
    let status = &report.status;
    let b = status.breakdown();
    let mut out = String::new();
    let heading = |out: &mut String, text: &str| section(out, style, markdown, text);
    if markdown {
        // Only the name is the campaign's text; the dates and words are jauge's own.
        let title = w.title(
            &markdown_escape(status.campaign().name.get(locale)),
            &report.from.to_string(),
            &report.to.to_string(),
        );
        let _ = writeln!(out, "# {title}\n");
    } else {
        let _ = writeln!(
            out,
            "{}",
            style.heading(&w.title(
                status.campaign().name.get(locale),
                &report.from.to_string(),
                &report.to.to_string(),
            ))
        );
    }
    heading(&mut out, w.status);
    let summary = status_text(status, locale, Style { colour: false });
    if markdown {
        let _ = writeln!(out, "{}", code_block(&summary));
    } else {
        let _ = writeln!(out, "{summary}");
    }
    if let Some(comparison) = &report.comparison {
        out.push_str(&comparison_text(
            comparison,
            status.campaign().name.get(locale),
            zone_of(status),
            locale,
            style,
            markdown,
        ));
    }
    heading(&mut out, w.totals);
    // An amount and how many gifts make it: "€40.00 (1 gifts)".
    let with_gifts =
        |amount: Money, n: u64| format!("{} ({} {})", money(amount), count(locale, n), w.gifts);
    let mut totals = vec![
        vec![
            w.gifts_in_range.into(),
            with_gifts(report.range_amount, report.range_count),
        ],
        vec![w.baseline.into(), money(b.baseline)],
        vec![w.gross.into(), money(b.gross)],
        vec![w.fees.into(), money(b.fees)],
        vec![w.refunds.into(), money(b.refunds)],
    ];
    if let Some(unmatched) = &b.unmatched_refunds {
        totals.push(vec![
            w.unmatched_refunds.into(),
            with_gifts(unmatched.amount, unmatched.count),
        ]);
    }
    totals.extend([
        vec![
            w.pending.into(),
            with_gifts(b.pending.amount, b.pending.count),
        ],
        vec![w.one_off.into(), money(b.one_off)],
        vec![w.recurring_received.into(), money(b.recurring_received)],
        vec![w.recurring_counted.into(), money(b.recurring_counted)],
        vec![
            w.active_monthly.into(),
            count(locale, b.active_subscriptions),
        ],
        vec![w.monthly_recurring.into(), money(b.monthly_recurring)],
        vec![w.matched.into(), money(b.matched)],
        vec![w.raised.into(), money(status.raised())],
    ]);
    // Matching pledges, apart from what donors gave, and what counts toward the goal where it
    // is not the money raised (a goal in donors, gifts or money a month, or pledges on top).
    let status_words = jauge::words::status::words(locale);
    for pledge in status.matching() {
        totals.push(vec![
            // The sponsor's name is the campaign file's text: literal in Markdown.
            format!(
                "{}: {}",
                status_words.matching,
                if markdown {
                    markdown_escape(&pledge.sponsor)
                } else {
                    pledge.sponsor.clone()
                }
            ),
            money(pledge.amount),
        ]);
    }
    if status.measure() != jauge::Measure::Money || !status.matching().is_empty() {
        let progress = match status.progress() {
            jauge::Quantity::Money(m) => money(m),
            jauge::Quantity::Monthly(m) => format!(
                "{} {}",
                money(m),
                jauge::words::gauge::words(locale).per_month
            ),
            other => other.format(locale, jauge::Headline::Down),
        };
        totals.push(vec![status_words.toward.into(), progress]);
    }
    table(&mut out, markdown, &["", w.amount], &totals);
    let _ = writeln!(out, "{}\n", status.rules().describe(locale));
    heading(&mut out, w.by_channel);
    let channels: Vec<Vec<String>> = b
        .by_channel
        .iter()
        .map(|c| {
            vec![
                channel_name(w, c.channel).to_owned(),
                count(locale, c.count),
                money(c.amount),
            ]
        })
        .collect();
    table(
        &mut out,
        markdown,
        &[w.channel, w.gifts, w.amount],
        &channels,
    );
    let gifts = &report.gifts;
    heading(&mut out, w.by_source);
    let source_row = |row: &jauge::SourceTotal, name: String| {
        vec![
            name,
            count(locale, row.count),
            money(row.gross),
            money(row.refunds),
            money(row.fees),
            money(row.net),
        ]
    };
    let mut sources: Vec<Vec<String>> = gifts
        .by_source
        .iter()
        .map(|row| source_row(row, source_name(&row.source, w)))
        .collect();
    sources.push(source_row(&gifts.total, w.total.to_owned()));
    table(
        &mut out,
        markdown,
        &[w.source, w.gifts, w.gross, w.refunds, w.fees, w.net],
        &sources,
    );
    out.push_str(&currencies::currencies_text(
        &report.currencies,
        locale,
        style,
        markdown,
    ));
    heading(&mut out, w.sizes);
    let whole = |m: Money| locale.format_money_whole(m);
    let bands: Vec<Vec<String>> = gifts
        .bands
        .iter()
        .map(|band| {
            let label = match (band.from.is_zero(), band.below) {
                (true, Some(below)) => w.under(&whole(below)),
                (_, Some(below)) => w.between(&whole(band.from), &whole(below)),
                (_, None) => w.over(&whole(band.from)),
            };
            vec![label, count(locale, band.count), money(band.amount)]
        })
        .collect();
    table(&mut out, markdown, &["", w.gifts, w.amount], &bands);
    // What the sizes leave out of the gross, so that the tables reconcile with the Totals.
    let left_out = gifts.refunded_in_full;
    if left_out.count > 0 {
        let _ = writeln!(
            out,
            "{}",
            w.refunded_in_full(&count(locale, left_out.count), &money(left_out.gross))
        );
        if markdown {
            out.push('\n');
        }
    }
    let averages = [(w.average, gifts.average), (w.median, gifts.median)];
    for (label, value) in averages {
        if let Some(value) = value {
            let _ = writeln!(
                out,
                "{label}{} {}",
                jauge::words::gauge::words(locale).colon,
                money(value)
            );
            if markdown {
                out.push('\n');
            }
        }
    }
    out.push('\n');
    if let Some(budget) = budget {
        heading(&mut out, w.budget);
        let rows = vec![
            vec![w.expenses.into(), money(budget.gap.expenses())],
            vec![w.secured.into(), money(budget.gap.secured())],
            vec![w.expected.into(), money(budget.gap.expected_weighted())],
            vec![w.gap_before.into(), money(budget.gap.gap())],
            vec![w.still_open.into(), money(budget.still_open)],
        ];
        table(&mut out, markdown, &["", w.amount], &rows);
    }
    let series = |periods: &[jauge::Period]| -> Vec<Vec<String>> {
        periods
            .iter()
            .map(|p| {
                vec![
                    p.start.to_string(),
                    count(locale, p.count),
                    money(p.amount),
                    money(p.cumulative),
                    format!("{}", p.percent_of_goal),
                ]
            })
            .collect()
    };
    heading(&mut out, w.weeks);
    table(
        &mut out,
        markdown,
        &[w.week, w.gifts, w.amount, w.cumulative, w.percent_of_goal],
        &series(&report.weeks),
    );
    heading(&mut out, w.days);
    table(
        &mut out,
        markdown,
        &[w.day, w.gifts, w.amount, w.cumulative, w.percent_of_goal],
        &series(&report.days),
    );
    out
}

/// The series as CSV: one row per day and per week, amounts as plain decimals. With a language
/// whose decimal mark is a comma, the columns are separated by `;` and decimals written with
/// commas, as the spreadsheets set to that language read numbers (LibreOffice and Excel in
/// French take `1234,50` as a number, `1234.50` as text).
pub fn report_csv(report: &Report, locale: Locale) -> Result<String, csv::Error> {
    let comma = locale.decimal_mark() == ',';
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if comma { b';' } else { b',' })
        .from_writer(Vec::new());
    let decimal = |value: jauge::Decimal| {
        let text = value.to_string();
        if comma {
            text.replace('.', ",")
        } else {
            text
        }
    };
    // With earlier campaigns, a last column names the campaign of each row, and rows for where
    // each stood (`now`, `same_day`, `same_date`, `end`) follow the series.
    let comparison = report.comparison.as_ref();
    let name = spreadsheet_text(report.status.campaign().name.get(locale));
    let mut header = vec![
        "period",
        "start",
        "gifts",
        "amount",
        "cumulative",
        "percent_of_goal",
        "currency",
    ];
    if comparison.is_some() {
        header.push("campaign");
    }
    writer.write_record(&header)?;
    for (period, rows) in [("day", &report.days), ("week", &report.weeks)] {
        for p in rows.iter() {
            let mut record = vec![
                period.to_owned(),
                p.start.to_string(),
                p.count.to_string(),
                decimal(p.amount.amount()),
                decimal(p.cumulative.amount()),
                decimal(p.percent_of_goal),
                p.amount.currency().code().to_owned(),
            ];
            if comparison.is_some() {
                record.push(name.clone());
            }
            writer.write_record(&record)?;
        }
    }
    if let Some(comparison) = comparison {
        let zone = zone_of(&report.status);
        let mut standings = vec![("now", &comparison.now, name.clone())];
        for earlier in &comparison.earlier {
            let name = spreadsheet_text(&earlier.name);
            standings.push(("same_day", &earlier.same_day, name.clone()));
            standings.push(("same_date", &earlier.same_date, name.clone()));
            standings.push(("end", &earlier.end, name));
        }
        for (point, standing, name) in standings {
            writer.write_record([
                point.to_owned(),
                // A campaign ends at the first instant of the day after its last.
                (standing.at - chrono::Duration::seconds(i64::from(point == "end")))
                    .with_timezone(&zone)
                    .date_naive()
                    .to_string(),
                standing.gifts.to_string(),
                decimal(standing.raised.amount()),
                decimal(standing.raised.amount()),
                decimal(standing.percent_of_goal),
                standing.raised.currency().code().to_owned(),
                name,
            ])?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// A budget's gap as text.
pub fn budget_text(name: &str, gap: &BudgetGap, locale: Locale, style: Style) -> String {
    let money = |m: Money| locale.format_money(m);
    let w = report_words(locale);
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.heading(&format!("{} {name}", w.budget)));
    let rows = vec![
        vec![w.expenses.into(), money(gap.expenses())],
        vec![w.secured.into(), money(gap.secured())],
        vec![w.expected_unweighted.into(), money(gap.expected())],
        vec![w.expected.into(), money(gap.expected_weighted())],
        vec![w.gap.into(), money(gap.gap())],
    ];
    table(&mut out, false, &["", w.amount], &rows);
    let _ = writeln!(
        out,
        "{}",
        w.to_balance(&locale.format_money_whole(gap.goal()))
    );
    out
}

/// A channel as the report names it.
fn channel_name(w: &jauge::words::report::Words, channel: Channel) -> &'static str {
    match channel {
        Channel::Online => w.channel_online,
        Channel::Offline => w.channel_offline,
        Channel::BankTransfer => w.channel_transfer,
        Channel::Other => w.channel_other,
    }
}
