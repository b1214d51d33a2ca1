//! `jauge report --format xlsx`: the report as a workbook a treasurer opens in a spreadsheet, with
//! real number and date cells in the currency's format, one sheet per table.
//!
//! An xlsx number cell is an IEEE double by the file format's definition: each exact decimal is
//! written as the nearest double (parsed from its decimal text, so correctly rounded), which
//! every spreadsheet shows as the same decimal at 15 significant digits: amounts to the cent stay
//! exact below 10^13. The tests read the workbook back and compare every amount to the cent.

use chrono::{Datelike, NaiveDate};
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
    let currency = status.campaign().goal.currency();
    let decimals = "0".repeat(currency.minor_units() as usize);
    let point = if decimals.is_empty() { "" } else { "." };
    let money_format =
        Format::new().set_num_format(format!("#,##0{point}{decimals} \"{}\"", currency.code()));
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let percent_format = Format::new().set_num_format("0.00");
    let bold = Format::new().set_bold();
    let number = |value: Decimal| value.to_string().parse::<f64>().unwrap_or(f64::NAN);
    let mut workbook = Workbook::new();

    // A sheet with a bold header row, its first column wide enough for labels.
    let sheet = |workbook: &mut Workbook, name: &str, header: &[&str]| -> Result<(), XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(name))?;
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
        sheet
            .write_number_with_format(row, column, number(money.amount()), &money_format)
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
        let b = status.breakdown();
        let gifts = &report.gifts;
        let rows: Vec<(&str, Option<Money>)> = vec![
            (w.raised, Some(status.raised())),
            (w.baseline, Some(b.baseline)),
            (w.gross, Some(gifts.total.gross)),
            (w.fees, Some(gifts.total.fees)),
            (w.net, Some(gifts.total.net)),
            (w.refunds, Some(b.refunds)),
            (w.monthly_recurring, Some(b.monthly_recurring)),
            (w.average, gifts.average),
            (w.median, gifts.median),
        ];
        let mut row = 1;
        for (label, value) in rows {
            summary.write_string(row, 0, label)?;
            if let Some(value) = value {
                put_money(summary, row, 1, value)?;
            }
            row += 1;
        }
        summary.write_string(row, 0, w.gifts)?;
        summary.write_number(row, 1, gifts.total.count as f64)?;
        summary.write_string(row + 1, 0, w.percent_of_goal)?;
        summary.write_number_with_format(row + 1, 1, number(status.percent()), &percent_format)?;
        summary.write_string(row + 2, 0, format!("{} — {}", report.from, report.to))?;
        put_date(summary, row + 2, 1, report.from)?;
        put_date(summary, row + 2, 2, report.to)?;
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
        &[w.source, w.gifts, w.gross, w.fees, w.net],
    )?;
    {
        let sources = last(&mut workbook)?;
        let rows = report
            .gifts
            .by_source
            .iter()
            .map(|row| (source_name(&row.source, &w), row))
            .chain(std::iter::once((w.total.to_owned(), &report.gifts.total)));
        for (i, (name, total)) in rows.enumerate() {
            let row = i as u32 + 1;
            sources.write_string(row, 0, &name)?;
            sources.write_number(row, 1, total.count as f64)?;
            put_money(sources, row, 2, total.gross)?;
            put_money(sources, row, 3, total.fees)?;
            put_money(sources, row, 4, total.net)?;
        }
    }

    // Gift sizes.
    sheet(&mut workbook, w.sizes, &["", w.gifts, w.amount])?;
    {
        let sizes = last(&mut workbook)?;
        let whole = |m: Money| locale.format_money_whole(m);
        for (i, band) in report.gifts.bands.iter().enumerate() {
            let row = i as u32 + 1;
            let label = match (band.from.is_zero(), band.below) {
                (true, Some(below)) => (w.under)(&whole(below)),
                (_, Some(below)) => (w.between)(&whole(band.from), &whole(below)),
                (_, None) => (w.over)(&whole(band.from)),
            };
            sizes.write_string(row, 0, &label)?;
            sizes.write_number(row, 1, band.count as f64)?;
            put_money(sizes, row, 2, band.amount)?;
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
/// without the parenthesised note some headings carry ("Week by week (from Monday)").
fn sheet_name(heading: &str) -> String {
    heading
        .split(" (")
        .next()
        .unwrap_or(heading)
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_fit() {
        assert_eq!(sheet_name("Week by week (from Monday)"), "Week by week");
        assert_eq!(sheet_name("a/b:c"), "abc");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
