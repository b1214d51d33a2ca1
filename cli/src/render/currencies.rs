//! Gifts in other currencies, converted at declared rates, as a table in six languages.

use jauge::{CurrencyTotal, Decimal, Locale};

use super::{count, table};

/// The words of the currencies table: the catalogue's (`core/words/<language>/currencies.ftl`).
pub(crate) fn currency_words(locale: Locale) -> &'static jauge::words::currencies::Words {
    jauge::words::currencies::words(locale)
}

/// The rows: each currency, its gifts, what was given, what it counts for, the range of rates
/// and of their days.
pub(crate) fn currency_rows(currencies: &[CurrencyTotal], locale: Locale) -> Vec<Vec<String>> {
    let rate = |value: Decimal| locale.format_decimal(value.round_dp(4), 4);
    currencies
        .iter()
        .map(|row| {
            let campaign = row.converted.currency().code().to_owned();
            let rates = if row.lowest_rate == row.highest_rate {
                format!("{} {campaign}", rate(row.lowest_rate))
            } else {
                format!(
                    "{}–{} {campaign}",
                    rate(row.lowest_rate),
                    rate(row.highest_rate)
                )
            };
            let days = match (row.first_day, row.last_day) {
                (Some(first), Some(last)) if first == last => first.to_string(),
                (Some(first), Some(last)) => format!("{first} – {last}"),
                _ => "—".to_owned(),
            };
            vec![
                row.original.currency().code().to_owned(),
                count(locale, row.count),
                locale.format_money(row.original),
                locale.format_money(row.converted),
                rates,
                days,
            ]
        })
        .collect()
}

/// The table under its heading (nothing without gifts in other currencies).
pub(crate) fn currencies_text(
    currencies: &[CurrencyTotal],
    locale: Locale,
    style: super::Style,
    markdown: bool,
) -> String {
    let mut out = String::new();
    if currencies.is_empty() {
        return out;
    }
    let w = currency_words(locale);
    super::section(&mut out, style, markdown, w.heading);
    table(
        &mut out,
        markdown,
        &[w.currency, w.gifts, w.given, w.converted, w.rates, w.days],
        &currency_rows(currencies, locale),
    );
    out.push_str(w.note);
    out.push_str("\n\n");
    out
}
