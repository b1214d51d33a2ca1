//! `jauge report --format xlsx`: the report as a workbook a treasurer opens in a spreadsheet, with
//! real number and date cells in the currency's format, one sheet per table.
//!
//! An xlsx number cell is an IEEE double by the file format's definition: each exact decimal is
//! written as the nearest double (parsed from its decimal text, so correctly rounded), which
//! every spreadsheet shows as the same decimal at 15 significant digits: amounts to the cent stay
//! exact below 10^13. The tests read the workbook back and compare every amount to the cent.

use chrono::{Datelike, NaiveDate, Timelike};
use jauge::{Decimal, Locale, Money, Report};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::render::{report_words, source_name};

/// The workbook for `report` in `locale`'s words.
///
/// # Errors
///
/// What the xlsx writer reports (a bug in jauge: every value written here is one it takes).
pub fn report_xlsx(report: &Report, locale: Locale) -> Result<Vec<u8>, XlsxError> {
    let w = report_words(locale);
    let status = &report.status;
    let currency = status.raised().currency();
    let format_of = |currency: jauge::Currency| {
        let decimals = "0".repeat(currency.minor_units() as usize);
        let point = if decimals.is_empty() { "" } else { "." };
        Format::new().set_num_format(format!("#,##0{point}{decimals} \"{}\"", currency.code()))
    };
    let money_format = format_of(currency);
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let time_format = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let percent_format = Format::new().set_num_format("0.00");
    let bold = Format::new().set_bold();
    let number = |value: Decimal| value.to_string().parse::<f64>().unwrap_or(f64::NAN);
    let mut workbook = Workbook::new();

    // A sheet with a bold header row, its first column wide enough for labels.
    let sheet = |workbook: &mut Workbook, name: &str, header: &[&str]| -> Result<(), XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(name))?;
        // The header row stays in sight while the rows scroll.
        sheet.set_freeze_panes(1, 0)?;
        for (column, title) in header.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, *title, &bold)?;
        }
        sheet.set_column_width(0, 28)?;
        for column in 1..header.len() {
            sheet.set_column_width(column as u16, 16)?;
        }
        Ok(())
    };
    let put_money = |sheet: &mut Worksheet, row: u32, column: u16, money: Money| {
        let other;
        let format = if money.currency() == currency {
            &money_format
        } else {
            other = format_of(money.currency());
            &other
        };
        sheet
            .write_number_with_format(row, column, number(money.amount()), format)
            .map(drop)
    };
    let put_date = |sheet: &mut Worksheet, row: u32, column: u16, day: NaiveDate| {
        let date = ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
        sheet
            .write_datetime_with_format(row, column, &date, &date_format)
            .map(drop)
    };

    // The summary: the figures of the status and the gifts, label and value.
    sheet(&mut workbook, w.status, &["", w.amount])?;
    {
        let summary = last(&mut workbook)?;
        // The report's last day and the projection's method sit in a third column.
        summary.set_column_width(2, 16)?;
        let b = status.breakdown();
        let gifts = &report.gifts;
        let rows: Vec<(&str, Option<Money>)> = vec![
            (w.raised, Some(status.raised())),
            (w.baseline, Some(b.baseline)),
            // The Totals' gross, refunds and fees (the sources' sums: the same figures).
            (w.gross, Some(gifts.total.gross)),
            (w.refunds, Some(gifts.total.refunds)),
            (w.fees, Some(gifts.total.fees)),
            (w.net, Some(gifts.total.net)),
            (w.monthly_recurring, Some(b.monthly_recurring)),
            (w.average, gifts.average),
            (w.median, gifts.median),
        ];
        // Matching pledges apart from what donors gave.
        let status_words = jauge::words::status::words(locale);
        let pledges: Vec<(String, Money)> = status
            .matching()
            .iter()
            .map(|p| {
                (
                    format!("{}: {}", status_words.matching, p.sponsor),
                    p.amount,
                )
            })
            .collect();
        let mut rows: Vec<(&str, Option<Money>)> = rows;
        for (label, amount) in &pledges {
            rows.push((label.as_str(), Some(*amount)));
        }
        let mut row = 1;
        for (label, value) in rows {
            summary.write_string(row, 0, label)?;
            if let Some(value) = value {
                put_money(summary, row, 1, value)?;
            }
            row += 1;
        }
        // What counts toward the goal, where it is not the money raised: a goal in donors,
        // gifts or money a month, or pledges on top.
        if status.measure() != jauge::Measure::Money || !status.matching().is_empty() {
            summary.write_string(row, 0, status_words.toward)?;
            match status.progress() {
                jauge::Quantity::Money(m) | jauge::Quantity::Monthly(m) => {
                    put_money(summary, row, 1, m)?
                }
                jauge::Quantity::Donors(n) | jauge::Quantity::Gifts(n) => {
                    summary.write_number(row, 1, n as f64)?;
                }
            }
            row += 1;
        }
        // The gifts counted, as the status says (those refunded in full are in the sources).
        summary.write_string(row, 0, w.gifts)?;
        summary.write_number(
            row,
            1,
            (gifts.total.count - gifts.refunded_in_full.count) as f64,
        )?;
        summary.write_string(row + 1, 0, w.percent_of_goal)?;
        summary.write_number_with_format(row + 1, 1, number(status.percent()), &percent_format)?;
        summary.write_string(row + 2, 0, format!("{} — {}", report.from, report.to))?;
        put_date(summary, row + 2, 1, report.from)?;
        put_date(summary, row + 2, 2, report.to)?;
        // The projection, with how it was made beside it: a guess, never a bare figure.
        let pace = status.pace();
        summary.write_string(row + 3, 0, crate::render::compare_words(locale).projection)?;
        put_money(summary, row + 3, 1, pace.projection)?;
        summary.write_string(row + 3, 2, crate::render::projection_method(&pace, locale))?;
    }

    if let Some(comparison) = &report.comparison {
        let c = crate::render::compare_words(locale);
        sheet(
            &mut workbook,
            c.sheet_earlier,
            &[
                c.campaign,
                c.point,
                c.date,
                c.raised,
                c.percent_of_goal,
                c.gifts,
                c.donors,
            ],
        )?;
        let zone = crate::render::zone_of(status);
        let rows = crate::render::comparison_rows(
            comparison,
            status.campaign().name.get(locale),
            zone,
            locale,
            false,
        );
        let mut standings = vec![&comparison.now];
        for earlier in &comparison.earlier {
            standings.extend([&earlier.same_day, &earlier.same_date, &earlier.end]);
        }
        let compare = last(&mut workbook)?;
        compare.set_column_width(1, 26)?;
        for (i, (cells, standing)) in rows.iter().zip(standings).enumerate() {
            let row = i as u32 + 1;
            compare.write_string(row, 0, &cells[0])?;
            compare.write_string(row, 1, &cells[1])?;
            let local = standing.at.with_timezone(&zone).naive_local();
            let at = ExcelDateTime::from_ymd(
                local.year() as u16,
                local.month() as u8,
                local.day() as u8,
            )?
            .and_hms(local.hour() as u16, local.minute() as u8, 0)?;
            compare.write_datetime_with_format(row, 2, &at, &time_format)?;
            put_money(compare, row, 3, standing.raised)?;
            compare.write_number_with_format(
                row,
                4,
                number(standing.percent_of_goal),
                &percent_format,
            )?;
            compare.write_number(row, 5, standing.gifts as f64)?;
            compare.write_number(row, 6, standing.donors as f64)?;
        }
        let row = rows.len() as u32 + 2;
        compare.write_string(row, 0, c.donors_now)?;
        compare.write_string(
            row,
            1,
            c.returning_new(
                &comparison.returning_donors.to_string(),
                &comparison.new_donors.to_string(),
            ),
        )?;
        if let Some(backtest) = &comparison.backtest {
            sheet(
                &mut workbook,
                c.sheet_backtest,
                &[c.days_left, c.day_ends, c.pace, c.shape],
            )?;
            let sheet = last(&mut workbook)?;
            for (i, test) in backtest.rows.iter().enumerate() {
                let row = i as u32 + 1;
                let days = crate::render::backtest_rows(backtest, locale);
                sheet.write_string(row, 0, &days[i][0])?;
                sheet.write_number(row, 1, test.points as f64)?;
                sheet.write_number_with_format(row, 2, number(test.pace), &percent_format)?;
                if let Some(shape) = test.shape {
                    sheet.write_number_with_format(row, 3, number(shape), &percent_format)?;
                }
            }
            let row = backtest.rows.len() as u32 + 2;
            sheet.write_string(row, 0, c.backtest_note(&backtest.campaigns.join(", ")))?;
        }
    }

    // Day by day and week by week.
    for (name, first, periods) in [
        (w.days, w.day, &report.days),
        (w.weeks, w.week, &report.weeks),
    ] {
        sheet(
            &mut workbook,
            name,
            &[first, w.gifts, w.amount, w.cumulative, w.percent_of_goal],
        )?;
        let series = last(&mut workbook)?;
        for (i, period) in periods.iter().enumerate() {
            let row = i as u32 + 1;
            put_date(series, row, 0, period.start)?;
            series.write_number(row, 1, period.count as f64)?;
            put_money(series, row, 2, period.amount)?;
            put_money(series, row, 3, period.cumulative)?;
            series.write_number_with_format(
                row,
                4,
                number(period.percent_of_goal),
                &percent_format,
            )?;
        }
    }

    // By source, with the total.
    sheet(
        &mut workbook,
        w.by_source,
        &[w.source, w.gifts, w.gross, w.refunds, w.fees, w.net],
    )?;
    {
        let sources = last(&mut workbook)?;
        let rows = report
            .gifts
            .by_source
            .iter()
            .map(|row| (source_name(&row.source, w), row))
            .chain(std::iter::once((w.total.to_owned(), &report.gifts.total)));
        for (i, (name, total)) in rows.enumerate() {
            let row = i as u32 + 1;
            sources.write_string(row, 0, &name)?;
            sources.write_number(row, 1, total.count as f64)?;
            put_money(sources, row, 2, total.gross)?;
            put_money(sources, row, 3, total.refunds)?;
            put_money(sources, row, 4, total.fees)?;
            put_money(sources, row, 5, total.net)?;
        }
    }

    // Gifts in other currencies, with the rates used.
    if !report.currencies.is_empty() {
        let c = crate::render::currency_words(locale);
        sheet(
            &mut workbook,
            c.heading,
            &[c.currency, c.gifts, c.given, c.converted, c.rates, c.days],
        )?;
        let sheet = last(&mut workbook)?;
        let rows = crate::render::currency_rows(&report.currencies, locale);
        for (i, (total, cells)) in report.currencies.iter().zip(rows).enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, &cells[0])?;
            sheet.write_number(row, 1, total.count as f64)?;
            put_money(sheet, row, 2, total.original)?;
            put_money(sheet, row, 3, total.converted)?;
            sheet.write_string(row, 4, &cells[4])?;
            sheet.write_string(row, 5, &cells[5])?;
        }
        sheet.write_string(report.currencies.len() as u32 + 2, 0, c.note)?;
    }

    // Gift sizes.
    sheet(&mut workbook, w.sizes, &["", w.gifts, w.amount])?;
    {
        let sizes = last(&mut workbook)?;
        let whole = |m: Money| locale.format_money_whole(m);
        for (i, band) in report.gifts.bands.iter().enumerate() {
            let row = i as u32 + 1;
            let label = match (band.from.is_zero(), band.below) {
                (true, Some(below)) => w.under(&whole(below)),
                (_, Some(below)) => w.between(&whole(band.from), &whole(below)),
                (_, None) => w.over(&whole(band.from)),
            };
            sizes.write_string(row, 0, &label)?;
            sizes.write_number(row, 1, band.count as f64)?;
            put_money(sizes, row, 2, band.amount)?;
        }
        let left_out = report.gifts.refunded_in_full;
        if left_out.count > 0 {
            let note = w.refunded_in_full(
                &locale.format_decimal(left_out.count.into(), 0),
                &locale.format_money(left_out.gross),
            );
            sizes.write_string(report.gifts.bands.len() as u32 + 2, 0, &note)?;
        }
    }
    workbook.save_to_buffer()
}

/// The sheet added last.
fn last(workbook: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
    let index = workbook.worksheets().len().saturating_sub(1);
    workbook.worksheet_from_index(index)
}

/// A sheet's name as spreadsheets take it: at most 31 characters, none of `[]:*?/\`, and
/// without the parenthesised note some headings carry ("Week by week (from Monday)"). A longer
/// heading is cut at the last whole word that fits, never inside one.
fn sheet_name(heading: &str) -> String {
    const MOST: usize = 31;
    let name: String = heading
        .split(" (")
        .next()
        .unwrap_or(heading)
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .collect();
    if name.chars().count() <= MOST {
        return name;
    }
    let fits: String = name.chars().take(MOST + 1).collect();
    let cut = match fits.rfind(' ') {
        Some(space) if space > 0 => &fits[..space],
        _ => &fits[..fits.char_indices().nth(MOST).map_or(fits.len(), |(i, _)| i)],
    };
    cut.trim_end_matches([' ', ',', ';', '-', '–']).to_owned()
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_fit() {
        assert_eq!(sheet_name("Week by week (from Monday)"), "Week by week");
        assert_eq!(sheet_name("a/b:c"), "abc");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        // Cut between words, never inside one (the French and Dutch headings of the gift
        // sizes were cut mid-word).
        assert_eq!(
            sheet_name("Répartition des dons par montant et par canal"),
            "Répartition des dons par"
        );
        assert_eq!(
            sheet_name("Giften naar bedrag, gemiddelde en mediaan"),
            "Giften naar bedrag, gemiddelde"
        );
        for heading in [
            "Répartition des dons par montant et par canal",
            "a very long heading with some words in it",
        ] {
            let name = sheet_name(heading);
            assert!(name.chars().count() <= 31, "{name}");
            assert!(heading.starts_with(&name), "{name}");
            let next = heading[name.len()..].chars().next();
            assert!(matches!(next, None | Some(' ') | Some(',')), "{name}");
        }
    }
}
