//! Gifts in other currencies, converted at declared rates, as a table in six languages.

use jauge::{CurrencyTotal, Decimal, Locale};

use super::{count, table};

/// The words of the currencies table, in one language.
pub(crate) struct CurrencyWords {
    pub(crate) heading: &'static str,
    pub(crate) currency: &'static str,
    pub(crate) gifts: &'static str,
    pub(crate) given: &'static str,
    pub(crate) converted: &'static str,
    pub(crate) rates: &'static str,
    pub(crate) days: &'static str,
    /// Said under the table: how gifts were converted.
    pub(crate) note: &'static str,
}

pub(crate) fn currency_words(locale: Locale) -> CurrencyWords {
    let w = |heading, currency, gifts, given, converted, rates, days, note| CurrencyWords {
        heading,
        currency,
        gifts,
        given,
        converted,
        rates,
        days,
        note,
    };
    match locale {
        Locale::En => w("Other currencies", "currency", "gifts", "as given", "converted", "rate (one unit)", "rates of", "Each gift at the last rate published before it (the ECB publishes at 16:00 in Frankfurt), multiplied out exactly, rounded once to the cent."),
        Locale::Fr => w("Autres devises", "devise", "dons", "montant donné", "converti", "taux (une unité)", "taux du", "Chaque don au dernier taux publié avant lui (la BCE publie à 16 h à Francfort), calculé exactement, arrondi une fois au centime."),
        Locale::De => w("Andere Währungen", "Währung", "Spenden", "gespendet", "umgerechnet", "Kurs (eine Einheit)", "Kurse vom", "Jede Spende zum letzten vor ihr veröffentlichten Kurs (die EZB veröffentlicht um 16 Uhr in Frankfurt), exakt gerechnet, einmal auf den Cent gerundet."),
        Locale::Es => w("Otras monedas", "moneda", "donaciones", "donado", "convertido", "tipo (una unidad)", "tipos del", "Cada donación al último tipo publicado antes de ella (el BCE publica a las 16:00 en Fráncfort), calculado con exactitud, redondeado una vez al céntimo."),
        Locale::It => w("Altre valute", "valuta", "donazioni", "donato", "convertito", "cambio (un’unità)", "cambi del", "Ogni donazione all’ultimo cambio pubblicato prima di essa (la BCE pubblica alle 16 a Francoforte), calcolata esattamente, arrotondata una volta al centesimo."),
        Locale::Nl => w("Andere valuta", "valuta", "giften", "gegeven", "omgerekend", "koers (één eenheid)", "koersen van", "Elke gift tegen de laatste koers die vóór haar is gepubliceerd (de ECB publiceert om 16.00 uur in Frankfurt), exact berekend, één keer op de cent afgerond."),
    }
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
