//! Locales and the one number, money and percent formatter that every jauge surface shares (the
//! CLI, the server-rendered HTML and the browser widget print the same strings).
//!
//! The rules are a compact table derived from CLDR (see `core/cldr/generate.mjs`), checked in
//! tests against ICU: a full ICU library would cost the browser widget tens of kilobytes.

use std::fmt;
use std::str::FromStr;

use crate::cldr_symbols::SYMBOLS;
use crate::currency::Currency;
use crate::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};

/// A language jauge speaks. Regional variants (`fr-CA`, `en-GB`) fall back to their language.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Locale {
    /// English.
    En,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Dutch.
    Nl,
}

/// A language tag jauge does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
// Quoted by hand, not with `{:?}`: Debug's escaping and its Unicode tables would weigh
// on the browser bundle.
#[error("\"{0}\" is not a supported language: expected one of en, fr, de, es, it, nl")]
pub struct LocaleError(pub String);

/// Where the currency symbol goes.
#[derive(Clone, Copy)]
enum CurrencyPattern {
    /// `€71,398`, `-€5`; an alphabetic symbol gets a no-break space (`CHF 5.00`), as CLDR's
    /// currency-spacing rule says.
    Prefix,
    /// `€ 71.398`, `€ -5`.
    PrefixSpaced,
    /// `71 398 €`, `-5 €`.
    SuffixSpaced,
}

struct NumberRules {
    decimal: char,
    group: char,
    /// CLDR minimumGroupingDigits: with 2, `7398` stays ungrouped but `71.398` is grouped.
    min_grouping: usize,
    currency: CurrencyPattern,
    /// What stands between the number and `%`.
    percent_gap: &'static str,
}

const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

/// Which way a headline figure goes to whole units (see [`Locale::format_headline`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Headline {
    /// What is there: raised, surplus.
    Down,
    /// What is needed: still to raise, the goal.
    Up,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 6] = [
        Locale::En,
        Locale::Fr,
        Locale::De,
        Locale::Es,
        Locale::It,
        Locale::Nl,
    ];

    /// The locale for a BCP 47 tag: `"fr"`, `"fr-CA"`, `"en_GB"` (case-insensitive).
    ///
    /// # Errors
    ///
    /// [`LocaleError`] if the language is not one jauge speaks.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::Locale;
    ///
    /// assert_eq!(Locale::from_tag("fr-CA")?, Locale::Fr);
    /// assert!(Locale::from_tag("pt-BR").is_err());
    /// # Ok::<(), jauge::LocaleError>(())
    /// ```
    pub fn from_tag(tag: &str) -> Result<Locale, LocaleError> {
        let language = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Locale::ALL
            .into_iter()
            .find(|locale| locale.tag() == language)
            .ok_or_else(|| LocaleError(tag.to_owned()))
    }

    /// The language tag: `"en"`, `"fr"`, …
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Es => "es",
            Locale::It => "it",
            Locale::Nl => "nl",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }

    /// The decimal mark CLDR gives the language's numbers: `.` in English, `,` in the others.
    pub const fn decimal_mark(self) -> char {
        self.rules().decimal
    }

    const fn rules(self) -> NumberRules {
        match self {
            Locale::En => NumberRules {
                decimal: '.',
                group: ',',
                min_grouping: 1,
                currency: CurrencyPattern::Prefix,
                percent_gap: "",
            },
            Locale::Fr => NumberRules {
                decimal: ',',
                group: NNBSP,
                min_grouping: 1,
                currency: CurrencyPattern::SuffixSpaced,
                percent_gap: "\u{a0}",
            },
            Locale::De => NumberRules {
                decimal: ',',
                group: '.',
                min_grouping: 1,
                currency: CurrencyPattern::SuffixSpaced,
                percent_gap: "\u{a0}",
            },
            Locale::Es => NumberRules {
                decimal: ',',
                group: '.',
                min_grouping: 2,
                currency: CurrencyPattern::SuffixSpaced,
                percent_gap: "\u{a0}",
            },
            Locale::It => NumberRules {
                decimal: ',',
                group: '.',
                min_grouping: 2,
                currency: CurrencyPattern::SuffixSpaced,
                percent_gap: "",
            },
            Locale::Nl => NumberRules {
                decimal: ',',
                group: '.',
                min_grouping: 1,
                currency: CurrencyPattern::PrefixSpaced,
                percent_gap: "",
            },
        }
    }

    /// The currency's symbol in this locale (`€`, `$US` in French, `CHF`).
    pub fn currency_symbol(self, currency: Currency) -> &'static str {
        let table = SYMBOLS[self.index()];
        match table.binary_search_by(|(code, _)| (*code).cmp(currency.code())) {
            Ok(found) => table[found].1,
            // The table lists only symbols that differ from the code.
            Err(_) => crate::cldr_symbols::CURRENCIES
                .iter()
                .find(|(code, _)| *code == currency.code())
                .map_or("XXX", |(code, _)| code),
        }
    }

    /// `value` with exactly `digits` decimal places (rounded half away from zero, as ICU does),
    /// grouped as the locale groups.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::Locale;
    /// use rust_decimal::Decimal;
    ///
    /// let n = Decimal::new(7139850, 2);
    /// assert_eq!(Locale::En.format_decimal(n, 2), "71,398.50");
    /// assert_eq!(Locale::Fr.format_decimal(n, 0), "71\u{202f}399");
    /// assert_eq!(Locale::Es.format_decimal(Decimal::from(7398), 0), "7398");
    /// ```
    pub fn format_decimal(self, value: Decimal, digits: u32) -> String {
        let mut out = String::new();
        self.write_decimal(&mut out, value, digits);
        out
    }

    fn write_decimal(self, out: &mut String, value: Decimal, digits: u32) -> bool {
        let rules = self.rules();
        let mut rounded =
            value.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
        rounded.rescale(digits);
        let negative = rounded.is_sign_negative() && !rounded.is_zero();
        let text = rounded.abs().to_string();
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if negative {
            out.push('-');
        }
        let grouped = whole.len() >= 3 + rules.min_grouping;
        for (i, digit) in whole.chars().enumerate() {
            let left = whole.len() - i;
            if grouped && i > 0 && left % 3 == 0 {
                out.push(rules.group);
            }
            out.push(digit);
        }
        if !fraction.is_empty() {
            out.push(rules.decimal);
            out.push_str(fraction);
        }
        negative
    }

    /// An amount of money with the currency's minor units (`€71,398.50`, `71 398,50 €`).
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{Locale, Money};
    ///
    /// let gift = Money::parse("1234.5 EUR")?;
    /// assert_eq!(Locale::En.format_money(gift), "€1,234.50");
    /// assert_eq!(Locale::Nl.format_money(gift), "€\u{a0}1.234,50");
    /// # Ok::<(), jauge::MoneyError>(())
    /// ```
    pub fn format_money(self, money: Money) -> String {
        self.format_money_digits(
            money.amount(),
            money.currency(),
            money.currency().minor_units(),
        )
    }

    /// An amount of money in whole units, rounded half away from zero (`€71,398`). Round with
    /// [`Money::ceil_to_units`] first where the figure must never understate.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{Locale, Money};
    ///
    /// let still_needed = Money::parse("71397.58 EUR")?.ceil_to_units();
    /// assert_eq!(Locale::Fr.format_money_whole(still_needed), "71\u{202f}398\u{a0}€");
    /// assert_eq!(Locale::De.format_money_whole(still_needed), "71.398\u{a0}€");
    /// # Ok::<(), jauge::MoneyError>(())
    /// ```
    pub fn format_money_whole(self, money: Money) -> String {
        self.format_money_digits(money.amount(), money.currency(), 0)
    }

    /// A headline figure in whole units, rounded the one way every surface rounds it: what is
    /// there ([`Headline::Down`]: raised, surplus) never more than it is, what is needed
    /// ([`Headline::Up`]: still to raise, the goal) never less, so that no gauge, appeal or card
    /// reads as reached before it is.
    pub fn format_headline(self, money: Money, rounding: Headline) -> String {
        let whole = match rounding {
            // `floor`, without the subtraction `floor` would bring into the browser bundle.
            Headline::Down => money
                .amount()
                .round_dp_with_strategy(0, RoundingStrategy::ToNegativeInfinity),
            Headline::Up => money.ceil_to_units().amount(),
        };
        self.format_money_digits(whole, money.currency(), 0)
    }

    /// `amount` in `currency` with exactly `digits` decimal places.
    pub fn format_money_digits(self, amount: Decimal, currency: Currency, digits: u32) -> String {
        let symbol = self.currency_symbol(currency);
        let mut number = String::new();
        let negative = self.write_decimal(&mut number, amount, digits);
        let unsigned = number.strip_prefix('-').unwrap_or(&number);
        let sign = if negative { "-" } else { "" };
        match self.rules().currency {
            CurrencyPattern::Prefix => {
                let spacing = if symbol.chars().last().is_some_and(|c| !is_currency_sign(c)) {
                    "\u{a0}"
                } else {
                    ""
                };
                format!("{sign}{symbol}{spacing}{unsigned}")
            }
            CurrencyPattern::PrefixSpaced => format!("{symbol}{NBSP}{sign}{unsigned}"),
            CurrencyPattern::SuffixSpaced => format!("{sign}{unsigned}{NBSP}{symbol}"),
        }
    }

    /// A whole percentage (`64%`, `64 %`). Pass the already floored display value.
    ///
    /// ```
    /// use jauge::Locale;
    ///
    /// assert_eq!(Locale::En.format_percent(64), "64%");
    /// assert_eq!(Locale::Fr.format_percent(64), "64\u{a0}%");
    /// ```
    pub fn format_percent(self, percent: i64) -> String {
        let mut out = String::new();
        self.write_decimal(&mut out, Decimal::from(percent), 0);
        out.push_str(self.rules().percent_gap);
        out.push('%');
        out
    }

    /// A day of the year, short, as CLDR's abbreviated month-day pattern writes it (for chart
    /// axes and report headings).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use jauge::Locale;
    ///
    /// let day = NaiveDate::from_ymd_opt(2023, 12, 5).ok_or("no such day")?;
    /// assert_eq!(Locale::En.format_day_month(day), "Dec 5");
    /// assert_eq!(Locale::Fr.format_day_month(day), "5 déc.");
    /// assert_eq!(Locale::De.format_day_month(day), "5. Dez.");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn format_day_month(self, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        // CLDR 48's abbreviated month names (format context) for each locale.
        const MONTHS: [[&str; 12]; 6] = [
            [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ],
            [
                "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                "nov.", "déc.",
            ],
            [
                "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.",
                "Nov.", "Dez.",
            ],
            [
                "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
            ],
            [
                "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
            ],
            [
                "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
            ],
        ];
        let index = match self {
            Locale::En => 0,
            Locale::Fr => 1,
            Locale::De => 2,
            Locale::Es => 3,
            Locale::It => 4,
            Locale::Nl => 5,
        };
        let month = MONTHS[index][day.month0() as usize];
        match self {
            Locale::En => format!("{month} {}", day.day()),
            Locale::De => format!("{}. {month}", day.day()),
            _ => format!("{} {month}", day.day()),
        }
    }

    /// Whether `count` takes the singular form (CLDR plural category `one` for integers: French
    /// says "1 jour" and "0 jour", English "1 day" and "0 days").
    pub const fn is_singular(self, count: u64) -> bool {
        match self {
            Locale::Fr => count <= 1,
            _ => count == 1,
        }
    }

    /// CLDR 48's plural category of a whole `count`: `"one"`, `"many"` or `"other"` (the word
    /// catalogue's `[one]` and `[many]` keys select on it).
    ///
    /// French, Spanish and Italian say "1 million de dons", "1 millón de donaciones": a whole
    /// multiple of a million is `many` there, and a catalogue message that has no `[many]`
    /// variant falls back to its default, as Fluent does.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::Locale;
    ///
    /// assert_eq!(Locale::Fr.plural_category(0), "one");
    /// assert_eq!(Locale::En.plural_category(0), "other");
    /// assert_eq!(Locale::Es.plural_category(2_000_000), "many");
    /// ```
    pub const fn plural_category(self, count: u64) -> &'static str {
        if self.is_singular(count) {
            "one"
        } else if matches!(self, Locale::Fr | Locale::Es | Locale::It)
            && count != 0
            && count % 1_000_000 == 0
        {
            "many"
        } else {
            "other"
        }
    }

    /// A whole count as the locale groups its digits: `12,480`, `12\u{202f}480`, `12.480`.
    pub fn format_count(self, count: u64) -> String {
        self.format_decimal(Decimal::from(count), 0)
    }
}

/// Whether `c` is a currency sign (Unicode category Sc). CLDR's currency-spacing rule puts a
/// no-break space between a prefix symbol and the digits unless the symbol ends with one, so
/// `$5` and `CHF 5` and `Cg. 5`.
fn is_currency_sign(c: char) -> bool {
    matches!(
        c,
        '$' | '¢'..='¥' | '֏' | '؋' | '߾' | '߿' | '৲' | '৳' | '৻' | '૱' | '௹' | '฿' | '៛'
            | '₠'..='⃀' | '꠸' | '﷼' | '﹩' | '＄' | '￠' | '￡' | '￥' | '￦'
    )
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Locale {
    type Err = LocaleError;

    fn from_str(s: &str) -> Result<Locale, LocaleError> {
        Locale::from_tag(s)
    }
}

crate::serde_via_str!(Locale);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_never_overstate() {
        let money = |text: &str| Money::parse(text).unwrap();
        let en = Locale::En;
        assert_eq!(
            en.format_headline(money("71397.58 EUR"), Headline::Up),
            "€71,398"
        );
        assert_eq!(
            en.format_headline(money("71397.58 EUR"), Headline::Down),
            "€71,397"
        );
        assert_eq!(
            en.format_headline(money("200000.00 EUR"), Headline::Up),
            "€200,000"
        );
        assert_eq!(
            en.format_headline(money("199999.99 EUR"), Headline::Down),
            "€199,999"
        );
        assert_eq!(
            en.format_headline(money("1500 JPY"), Headline::Up),
            "¥1,500"
        );
    }

    #[test]
    fn day_month_matches_icu_for_every_month() {
        // Printed by Node's ICU (CLDR 48): Intl.DateTimeFormat(locale, {day, month: "short"}).
        let expected = [
            (Locale::En, "Jan 5|Feb 5|Mar 5|Apr 5|May 5|Jun 5|Jul 5|Aug 5|Sep 5|Oct 5|Nov 5|Dec 5"),
            (Locale::Fr, "5 janv.|5 févr.|5 mars|5 avr.|5 mai|5 juin|5 juil.|5 août|5 sept.|5 oct.|5 nov.|5 déc."),
            (Locale::De, "5. Jan.|5. Feb.|5. März|5. Apr.|5. Mai|5. Juni|5. Juli|5. Aug.|5. Sept.|5. Okt.|5. Nov.|5. Dez."),
            (Locale::Es, "5 ene|5 feb|5 mar|5 abr|5 may|5 jun|5 jul|5 ago|5 sept|5 oct|5 nov|5 dic"),
            (Locale::It, "5 gen|5 feb|5 mar|5 apr|5 mag|5 giu|5 lug|5 ago|5 set|5 ott|5 nov|5 dic"),
            (Locale::Nl, "5 jan|5 feb|5 mrt|5 apr|5 mei|5 jun|5 jul|5 aug|5 sep|5 okt|5 nov|5 dec"),
        ];
        for (locale, months) in expected {
            let printed: Vec<String> = (1..=12)
                .map(|m| {
                    let day = chrono::NaiveDate::from_ymd_opt(2023, m, 5).unwrap_or_default();
                    locale.format_day_month(day)
                })
                .collect();
            assert_eq!(printed.join("|"), months, "{locale}");
        }
    }

    #[test]
    fn the_issue_examples() {
        let still_needed = Money::parse("71398 EUR").unwrap();
        let expected = [
            (Locale::En, "€71,398"),
            (Locale::Fr, "71\u{202f}398\u{a0}€"),
            (Locale::De, "71.398\u{a0}€"),
            (Locale::Es, "71.398\u{a0}€"),
            (Locale::It, "71.398\u{a0}€"),
            (Locale::Nl, "€\u{a0}71.398"),
        ];
        for (locale, text) in expected {
            assert_eq!(locale.format_money_whole(still_needed), text, "{locale}");
        }
        let four_digits = Money::parse("7398 EUR").unwrap();
        assert_eq!(Locale::Es.format_money_whole(four_digits), "7398\u{a0}€");
        assert_eq!(Locale::It.format_money_whole(four_digits), "7398\u{a0}€");
        assert_eq!(Locale::De.format_money_whole(four_digits), "7.398\u{a0}€");
    }

    #[test]
    fn alphabetic_symbols_are_spaced_in_english() {
        let fee = Money::parse("-5 CHF").unwrap();
        assert_eq!(Locale::En.format_money(fee), "-CHF\u{a0}5.00");
        assert_eq!(Locale::Nl.format_money(fee), "CHF\u{a0}-5,00");
    }

    #[test]
    fn symbols_fall_back_to_the_code() {
        assert_eq!(Locale::En.currency_symbol(Currency::EUR), "€");
        assert_eq!(Locale::Fr.currency_symbol(Currency::USD), "$US");
        assert_eq!(Locale::It.currency_symbol(Currency::USD), "USD");
        assert_eq!(
            Locale::En.currency_symbol(Currency::new("XOF")),
            "F\u{202f}CFA"
        );
    }

    #[test]
    fn plural_categories() {
        assert!(Locale::Fr.is_singular(0));
        assert!(!Locale::En.is_singular(0));
        assert!(Locale::De.is_singular(1));
        assert!(!Locale::Nl.is_singular(2));
    }
}
