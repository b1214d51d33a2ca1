//! Text, Markdown, CSV and JSON renderings of what the core computed. Every amount goes through
//! the core's shared formatter, so the CLI prints what the widget shows.

use std::fmt::Write as _;

use chrono_tz::Tz;
use jauge::{BudgetGap, Channel, Locale, Money, Report, StatusDocument};
use serde::Serialize;

mod compare;
mod currencies;

pub(crate) use compare::{backtest_rows, compare_words, comparison_rows};
pub use compare::{comparison_text, projection_method};
pub(crate) use currencies::{currency_rows, currency_words};

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

/// The status as a person reads it.
pub fn status_text(status: &StatusDocument, locale: Locale, style: Style) -> String {
    let w = status_words(locale);
    let money = |m: Money| locale.format_money(m);
    let campaign = status.campaign();
    let zone = zone_of(status);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} {} {}",
        style.heading(campaign.name.get(locale)),
        w.as_of,
        status.as_of().with_timezone(&zone).format("%Y-%m-%d %H:%M"),
        campaign.time_zone
    );
    let labels = [
        w.raised,
        w.beyond,
        w.to_raise,
        w.time_left,
        w.donors,
        w.next,
        w.pace,
        w.needed,
        w.projection,
        w.counted,
        w.not_counted,
    ];
    // The line of gifts that cannot be counted is there only when there are some.
    let uncountable =
        (!status.breakdown().excluded.not_counted.is_empty()).then_some(w.cannot_count);
    let width = labels
        .iter()
        .chain(&uncountable)
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(15);
    let mut line = |label: &str, value: String| {
        let pad = width.saturating_sub(label.chars().count());
        let _ = writeln!(out, "  {label}{} {value}", " ".repeat(pad));
    };
    line(
        w.raised,
        format!(
            "{} {} {} ({})",
            money(status.raised()),
            w.of,
            money(campaign.goal),
            locale.format_percent(status.percent_display() as i64)
        ),
    );
    if status.reached() {
        line(w.beyond, money(status.surplus()));
    } else {
        line(w.to_raise, money(status.remaining()));
    }
    line(
        w.time_left,
        format!(
            "{} ({} {})",
            status.time().left.phrase(locale),
            w.until,
            campaign
                .deadline
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M")
        ),
    );
    line(
        w.donors,
        format!(
            "{} ({} {})",
            count(locale, status.donors()),
            count(locale, status.donations()),
            w.gifts
        ),
    );
    if let Some(next) = status.next_milestone() {
        line(
            w.next,
            format!("{} {} {}", next.label.get(locale), w.at, money(next.amount)),
        );
    }
    let pace = status.pace();
    line(
        w.pace,
        (w.per_day_over)(
            &money(pace.trailing_per_day),
            &pace.trailing_days.to_string(),
        ),
    );
    if let Some(needed) = pace.needed_per_day {
        line(w.needed, (w.per_day_until)(&money(needed)));
    }
    line(
        w.projection,
        format!(
            "{} {} ({}), {}",
            money(pace.projection),
            w.at_deadline,
            if pace.on_track { w.on_track } else { w.short },
            projection_method(&pace, locale)
        ),
    );
    line(w.counted, status.rules().describe(locale));
    let b = status.breakdown();
    line(
        w.not_counted,
        format!(
            "{} {} ({}), {} {}, {} {}, {} {}, {} {}",
            count(locale, b.pending.count),
            w.pending,
            money(b.pending.amount),
            count(locale, b.excluded.failed.count),
            w.failed,
            count(locale, b.excluded.before_start.count),
            w.before_start,
            count(locale, b.excluded.after_deadline.count),
            w.after_deadline,
            count(locale, b.excluded.after_as_of.count),
            w.after_instant,
        ),
    );
    for group in &b.excluded.not_counted {
        line(
            w.cannot_count,
            format!(
                "{} ({}): {}; {} {}",
                money(group.amount),
                counted(locale, group.count, w.gift, w.gifts),
                cannot_count_reason(locale, group.reason),
                w.for_example,
                group.example
            ),
        );
    }
    out
}

/// Why a recorded gift is not counted, in `locale`.
pub(crate) fn cannot_count_reason(locale: Locale, reason: jauge::NotCountedReason) -> &'static str {
    use jauge::NotCountedReason::{NoRateForDay, NoRates, TooLarge};
    match (locale, reason) {
        (Locale::En, NoRates) => "another currency, and the campaign declares no rates ([rates])",
        (Locale::En, NoRateForDay) => "another currency, and the rates have none for its day",
        (Locale::En, TooLarge) => "too large to convert exactly",
        (Locale::Fr, NoRates) => "autre devise, et la campagne ne déclare aucun taux ([rates])",
        (Locale::Fr, NoRateForDay) => "autre devise, et les taux n’en donnent aucun pour ce jour",
        (Locale::Fr, TooLarge) => "trop grand pour être converti exactement",
        (Locale::De, NoRates) => "andere Währung, und die Kampagne nennt keine Kurse ([rates])",
        (Locale::De, NoRateForDay) => "andere Währung, und die Kurse haben keinen für diesen Tag",
        (Locale::De, TooLarge) => "zu groß, um genau umgerechnet zu werden",
        (Locale::Es, NoRates) => "otra moneda, y la campaña no declara tipos ([rates])",
        (Locale::Es, NoRateForDay) => "otra moneda, y los tipos no tienen ninguno para ese día",
        (Locale::Es, TooLarge) => "demasiado grande para convertirlo exactamente",
        (Locale::It, NoRates) => "altra valuta, e la campagna non dichiara tassi ([rates])",
        (Locale::It, NoRateForDay) => "altra valuta, e i tassi non ne hanno per quel giorno",
        (Locale::It, TooLarge) => "troppo grande per convertirlo esattamente",
        (Locale::Nl, NoRates) => "andere valuta, en de campagne geeft geen koersen ([rates])",
        (Locale::Nl, NoRateForDay) => "andere valuta, en de koersen hebben er geen voor die dag",
        (Locale::Nl, TooLarge) => "te groot om exact om te rekenen",
        (_, _) => "cannot be counted",
    }
}

/// The words of `jauge status`'s text, in one language.
struct StatusWords {
    as_of: &'static str,
    raised: &'static str,
    of: &'static str,
    beyond: &'static str,
    to_raise: &'static str,
    time_left: &'static str,
    until: &'static str,
    donors: &'static str,
    gifts: &'static str,
    next: &'static str,
    at: &'static str,
    pace: &'static str,
    /// "€7,249.54 a day over the last 7 days".
    per_day_over: fn(&str, &str) -> String,
    needed: &'static str,
    /// "€13,884.47 a day until the deadline".
    per_day_until: fn(&str) -> String,
    projection: &'static str,
    at_deadline: &'static str,
    on_track: &'static str,
    short: &'static str,
    counted: &'static str,
    not_counted: &'static str,
    pending: &'static str,
    failed: &'static str,
    before_start: &'static str,
    after_deadline: &'static str,
    after_instant: &'static str,
    /// Gifts recorded that cannot be counted (another currency without a rate).
    cannot_count: &'static str,
    gift: &'static str,
    for_example: &'static str,
}

fn status_words(locale: Locale) -> StatusWords {
    match locale {
        Locale::En => StatusWords {
            as_of: "as of",
            raised: "raised",
            of: "of",
            beyond: "beyond the goal",
            to_raise: "still to raise",
            time_left: "time left",
            until: "until",
            donors: "donors",
            gifts: "gifts",
            next: "next milestone",
            at: "at",
            pace: "pace",
            per_day_over: |money, days| format!("{money} a day over the last {days} days"),
            needed: "needed",
            per_day_until: |money| format!("{money} a day until the deadline"),
            projection: "projection",
            at_deadline: "at the deadline",
            on_track: "on track",
            short: "short of the goal",
            counted: "counted",
            not_counted: "not counted",
            pending: "pending",
            failed: "failed",
            before_start: "before the start",
            after_deadline: "after the deadline",
            after_instant: "after this instant",
            cannot_count: "cannot count",
            gift: "gift",
            for_example: "e.g.",
        },
        Locale::Fr => StatusWords {
            as_of: "au",
            raised: "collecté",
            of: "sur",
            beyond: "au-delà de l’objectif",
            to_raise: "reste à collecter",
            time_left: "temps restant",
            until: "jusqu’au",
            donors: "donateurs",
            gifts: "dons",
            next: "prochaine étape",
            at: "à",
            pace: "rythme",
            per_day_over: |money, days| format!("{money} par jour sur les {days} derniers jours"),
            needed: "nécessaire",
            per_day_until: |money| format!("{money} par jour jusqu’à l’échéance"),
            projection: "projection",
            at_deadline: "à l’échéance",
            on_track: "objectif en vue",
            short: "en deçà de l’objectif",
            counted: "compté",
            not_counted: "non compté",
            pending: "en attente",
            failed: "échoués",
            before_start: "avant le début",
            after_deadline: "après l’échéance",
            after_instant: "après cet instant",
            cannot_count: "incomptables",
            gift: "don",
            for_example: "p. ex.",
        },
        Locale::De => StatusWords {
            as_of: "Stand",
            raised: "gesammelt",
            of: "von",
            beyond: "über dem Ziel",
            to_raise: "noch zu sammeln",
            time_left: "verbleibend",
            until: "bis",
            donors: "Spender",
            gifts: "Spenden",
            next: "nächstes Etappenziel",
            at: "bei",
            pace: "Tempo",
            per_day_over: |money, days| format!("{money} pro Tag in den letzten {days} Tagen"),
            needed: "nötig",
            per_day_until: |money| format!("{money} pro Tag bis zum Ende"),
            projection: "Prognose",
            at_deadline: "zum Ende",
            on_track: "auf Kurs",
            short: "unter dem Ziel",
            counted: "gezählt",
            not_counted: "nicht gezählt",
            pending: "ausstehend",
            failed: "fehlgeschlagen",
            before_start: "vor dem Beginn",
            after_deadline: "nach dem Ende",
            after_instant: "nach diesem Zeitpunkt",
            cannot_count: "nicht zählbar",
            gift: "Spende",
            for_example: "z. B.",
        },
        Locale::Es => StatusWords {
            as_of: "a",
            raised: "recaudado",
            of: "de",
            beyond: "por encima del objetivo",
            to_raise: "falta recaudar",
            time_left: "tiempo restante",
            until: "hasta",
            donors: "donantes",
            gifts: "donaciones",
            next: "próxima etapa",
            at: "en",
            pace: "ritmo",
            per_day_over: |money, days| format!("{money} al día en los últimos {days} días"),
            needed: "necesario",
            per_day_until: |money| format!("{money} al día hasta el cierre"),
            projection: "proyección",
            at_deadline: "al cierre",
            on_track: "en camino",
            short: "por debajo del objetivo",
            counted: "contado",
            not_counted: "no contado",
            pending: "pendientes",
            failed: "fallidas",
            before_start: "antes del inicio",
            after_deadline: "después del cierre",
            after_instant: "después de este momento",
            cannot_count: "no computables",
            gift: "donación",
            for_example: "p. ej.",
        },
        Locale::It => StatusWords {
            as_of: "al",
            raised: "raccolto",
            of: "su",
            beyond: "oltre l’obiettivo",
            to_raise: "ancora da raccogliere",
            time_left: "tempo rimasto",
            until: "fino al",
            donors: "donatori",
            gifts: "donazioni",
            next: "prossima tappa",
            at: "a",
            pace: "ritmo",
            per_day_over: |money, days| format!("{money} al giorno negli ultimi {days} giorni"),
            needed: "necessario",
            per_day_until: |money| format!("{money} al giorno fino alla scadenza"),
            projection: "proiezione",
            at_deadline: "alla scadenza",
            on_track: "in linea",
            short: "sotto l’obiettivo",
            counted: "contato",
            not_counted: "non contato",
            pending: "in sospeso",
            failed: "non riuscite",
            before_start: "prima dell’inizio",
            after_deadline: "dopo la scadenza",
            after_instant: "dopo questo istante",
            cannot_count: "non contabili",
            gift: "donazione",
            for_example: "ad es.",
        },
        Locale::Nl => StatusWords {
            as_of: "per",
            raised: "opgehaald",
            of: "van",
            beyond: "boven het doel",
            to_raise: "nog op te halen",
            time_left: "resterende tijd",
            until: "tot",
            donors: "donateurs",
            gifts: "giften",
            next: "volgende mijlpaal",
            at: "bij",
            pace: "tempo",
            per_day_over: |money, days| format!("{money} per dag over de laatste {days} dagen"),
            needed: "nodig",
            per_day_until: |money| format!("{money} per dag tot de deadline"),
            projection: "prognose",
            at_deadline: "op de deadline",
            on_track: "op koers",
            short: "onder het doel",
            counted: "geteld",
            not_counted: "niet geteld",
            pending: "in behandeling",
            failed: "mislukt",
            before_start: "voor de start",
            after_deadline: "na de deadline",
            after_instant: "na dit moment",
            cannot_count: "niet telbaar",
            gift: "gift",
            for_example: "bijv.",
        },
    }
}

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

pub(crate) fn table(out: &mut String, markdown: bool, headers: &[&str], rows: &[Vec<String>]) {
    if markdown {
        let _ = writeln!(out, "| {} |", headers.join(" | "));
        let _ = writeln!(
            out,
            "|{}",
            headers.iter().map(|_| "---|").collect::<String>()
        );
        for row in rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        let _ = writeln!(out);
        return;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let pad = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                let fill = " ".repeat(w - cell.chars().count());
                if i == 0 {
                    format!("{cell}{fill}")
                } else {
                    format!("{fill}{cell}")
                }
            })
            .collect();
        format!("  {}", padded.join("  "))
    };
    let _ = writeln!(
        out,
        "{}",
        pad(headers.iter().map(|h| (*h).to_owned()).collect())
    );
    for row in rows {
        let _ = writeln!(out, "{}", pad(row.clone()));
    }
    let _ = writeln!(out);
}

/// Text from a campaign file or a ledger, as Markdown that shows it literally: every ASCII
/// punctuation character CommonMark gives a meaning to is backslash-escaped (no emphasis, link,
/// image, heading, list, table cell, HTML tag or entity can come out of it), and line breaks
/// become spaces (a name stays on its heading's line).
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block holding `text` literally: its fence is longer than any run of backticks
/// in the text, so nothing in it can close the block early.
fn code_block(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{text}{fence}\n")
}

/// The words of `jauge report`'s text, Markdown and workbook, in one language.
pub(crate) struct ReportWords {
    /// "Framasoft 2023 — report from 2023-11-14 to 2023-12-31".
    pub(crate) title: fn(&str, &str, &str) -> String,
    pub(crate) status: &'static str,
    pub(crate) totals: &'static str,
    pub(crate) gifts_in_range: &'static str,
    pub(crate) gifts: &'static str,
    pub(crate) baseline: &'static str,
    pub(crate) gross: &'static str,
    pub(crate) fees: &'static str,
    pub(crate) refunds: &'static str,
    pub(crate) pending: &'static str,
    pub(crate) one_off: &'static str,
    pub(crate) recurring_received: &'static str,
    pub(crate) recurring_counted: &'static str,
    pub(crate) active_monthly: &'static str,
    pub(crate) monthly_recurring: &'static str,
    pub(crate) matched: &'static str,
    pub(crate) raised: &'static str,
    pub(crate) amount: &'static str,
    pub(crate) by_channel: &'static str,
    pub(crate) channel: &'static str,
    /// Online, offline, bank transfer, other: [`Channel::ALL`]'s order.
    pub(crate) channels: [&'static str; 4],
    pub(crate) budget: &'static str,
    pub(crate) expenses: &'static str,
    pub(crate) secured: &'static str,
    pub(crate) expected: &'static str,
    pub(crate) gap_before: &'static str,
    /// `jauge budget`: expected income before its probabilities, the gap, and the goal.
    pub(crate) expected_unweighted: &'static str,
    pub(crate) gap: &'static str,
    pub(crate) to_balance: fn(&str) -> String,
    pub(crate) still_open: &'static str,
    pub(crate) weeks: &'static str,
    pub(crate) week: &'static str,
    pub(crate) days: &'static str,
    pub(crate) day: &'static str,
    pub(crate) cumulative: &'static str,
    pub(crate) percent_of_goal: &'static str,
    pub(crate) charts: &'static str,
    pub(crate) by_source: &'static str,
    pub(crate) source: &'static str,
    /// The ledger's own gifts (typed in or from jauge's CSV), as a source.
    pub(crate) ledger: &'static str,
    pub(crate) net: &'static str,
    pub(crate) total: &'static str,
    pub(crate) sizes: &'static str,
    /// "under €20", "€20 to €50", "€500 and over".
    pub(crate) under: fn(&str) -> String,
    pub(crate) between: fn(&str, &str) -> String,
    pub(crate) over: fn(&str) -> String,
    pub(crate) average: &'static str,
    pub(crate) median: &'static str,
}

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

pub(crate) fn report_words(locale: Locale) -> ReportWords {
    match locale {
        Locale::En => ReportWords {
            title: |name, from, to| format!("{name} — report from {from} to {to}"),
            status: "Status",
            totals: "Totals",
            gifts_in_range: "gifts in the range",
            gifts: "gifts",
            baseline: "baseline",
            gross: "gross",
            fees: "fees",
            refunds: "refunds",
            pending: "pending",
            one_off: "one-off",
            recurring_received: "recurring received",
            recurring_counted: "recurring counted",
            active_monthly: "active monthly donors",
            monthly_recurring: "monthly recurring amount",
            matched: "matched by sponsors",
            raised: "raised",
            amount: "amount",
            by_channel: "By channel",
            channel: "channel",
            channels: ["online", "offline", "bank transfer", "other"],
            budget: "Budget",
            expenses: "expenses",
            secured: "secured income",
            expected: "expected income (weighted)",
            gap_before: "gap before the campaign",
            expected_unweighted: "expected income",
            gap: "gap",
            to_balance: |goal| format!("To balance the budget, the campaign must raise {goal}."),
            still_open: "still open after the campaign's figure",
            weeks: "Week by week (from Monday)",
            week: "week",
            days: "Day by day",
            day: "day",
            cumulative: "cumulative",
            percent_of_goal: "% of goal",
            charts: "Charts",
            by_source: "By source",
            source: "source",
            ledger: "ledger",
            net: "net",
            total: "total",
            sizes: "Gift sizes",
            under: |a| format!("under {a}"),
            between: |a, b| format!("{a} to {b}"),
            over: |a| format!("{a} and over"),
            average: "average gift",
            median: "median gift",
        },
        Locale::Fr => ReportWords {
            title: |name, from, to| format!("{name} — bilan du {from} au {to}"),
            status: "État",
            totals: "Totaux",
            gifts_in_range: "dons de la période",
            gifts: "dons",
            baseline: "montant initial",
            gross: "brut",
            fees: "frais",
            refunds: "remboursements",
            pending: "en attente",
            one_off: "dons ponctuels",
            recurring_received: "dons réguliers reçus",
            recurring_counted: "dons réguliers comptés",
            active_monthly: "donateurs mensuels actifs",
            monthly_recurring: "montant mensuel récurrent",
            matched: "abondement des mécènes",
            raised: "collecté",
            amount: "montant",
            by_channel: "Par canal",
            channel: "canal",
            channels: ["en ligne", "hors ligne", "virement", "autre"],
            budget: "Budget",
            expenses: "charges",
            secured: "produits acquis",
            expected: "produits attendus (pondérés)",
            gap_before: "écart avant la campagne",
            expected_unweighted: "produits attendus",
            gap: "écart",
            to_balance: |goal| {
                format!("Pour équilibrer le budget, la campagne doit collecter {goal}.")
            },
            still_open: "reste à couvrir après la campagne",
            weeks: "Semaine par semaine (à partir du lundi)",
            week: "semaine",
            days: "Jour par jour",
            day: "jour",
            cumulative: "cumul",
            percent_of_goal: "% de l’objectif",
            charts: "Graphiques",
            by_source: "Par source",
            source: "source",
            ledger: "registre",
            net: "net",
            total: "total",
            sizes: "Montants des dons",
            under: |a| format!("moins de {a}"),
            between: |a, b| format!("de {a} à {b}"),
            over: |a| format!("{a} et plus"),
            average: "don moyen",
            median: "don médian",
        },
        Locale::De => ReportWords {
            title: |name, from, to| format!("{name} — Bericht vom {from} bis {to}"),
            status: "Stand",
            totals: "Summen",
            gifts_in_range: "Spenden im Zeitraum",
            gifts: "Spenden",
            baseline: "Anfangsbetrag",
            gross: "brutto",
            fees: "Gebühren",
            refunds: "Erstattungen",
            pending: "ausstehend",
            one_off: "Einzelspenden",
            recurring_received: "Dauerspenden erhalten",
            recurring_counted: "Dauerspenden gezählt",
            active_monthly: "aktive monatliche Spender",
            monthly_recurring: "monatlicher Dauerbetrag",
            matched: "von Förderern verdoppelt",
            raised: "gesammelt",
            amount: "Betrag",
            by_channel: "Nach Kanal",
            channel: "Kanal",
            channels: ["online", "offline", "Überweisung", "sonstige"],
            budget: "Haushalt",
            expenses: "Ausgaben",
            secured: "gesicherte Einnahmen",
            expected: "erwartete Einnahmen (gewichtet)",
            gap_before: "Lücke vor der Kampagne",
            expected_unweighted: "erwartete Einnahmen",
            gap: "Lücke",
            to_balance: |goal| {
                format!("Um das Budget auszugleichen, muss die Kampagne {goal} sammeln.")
            },
            still_open: "nach der Kampagne noch offen",
            weeks: "Woche für Woche (ab Montag)",
            week: "Woche",
            days: "Tag für Tag",
            day: "Tag",
            cumulative: "kumuliert",
            percent_of_goal: "% des Ziels",
            charts: "Diagramme",
            by_source: "Nach Quelle",
            source: "Quelle",
            ledger: "Kassenbuch",
            net: "netto",
            total: "gesamt",
            sizes: "Spendenhöhen",
            under: |a| format!("unter {a}"),
            between: |a, b| format!("{a} bis {b}"),
            over: |a| format!("ab {a}"),
            average: "durchschnittliche Spende",
            median: "mittlere Spende (Median)",
        },
        Locale::Es => ReportWords {
            title: |name, from, to| format!("{name} — informe del {from} al {to}"),
            status: "Estado",
            totals: "Totales",
            gifts_in_range: "donaciones del periodo",
            gifts: "donaciones",
            baseline: "importe inicial",
            gross: "bruto",
            fees: "comisiones",
            refunds: "reembolsos",
            pending: "pendientes",
            one_off: "puntuales",
            recurring_received: "periódicas recibidas",
            recurring_counted: "periódicas contadas",
            active_monthly: "donantes mensuales activos",
            monthly_recurring: "importe mensual periódico",
            matched: "aportado por patrocinadores",
            raised: "recaudado",
            amount: "importe",
            by_channel: "Por canal",
            channel: "canal",
            channels: ["en línea", "presencial", "transferencia", "otro"],
            budget: "Presupuesto",
            expenses: "gastos",
            secured: "ingresos asegurados",
            expected: "ingresos esperados (ponderados)",
            gap_before: "déficit antes de la campaña",
            expected_unweighted: "ingresos previstos",
            gap: "déficit",
            to_balance: |goal| {
                format!("Para equilibrar el presupuesto, la campaña debe recaudar {goal}.")
            },
            still_open: "pendiente tras la campaña",
            weeks: "Semana a semana (desde el lunes)",
            week: "semana",
            days: "Día a día",
            day: "día",
            cumulative: "acumulado",
            percent_of_goal: "% del objetivo",
            charts: "Gráficos",
            by_source: "Por origen",
            source: "origen",
            ledger: "registro",
            net: "neto",
            total: "total",
            sizes: "Importes de las donaciones",
            under: |a| format!("menos de {a}"),
            between: |a, b| format!("de {a} a {b}"),
            over: |a| format!("{a} o más"),
            average: "donación media",
            median: "donación mediana",
        },
        Locale::It => ReportWords {
            title: |name, from, to| format!("{name} — resoconto dal {from} al {to}"),
            status: "Stato",
            totals: "Totali",
            gifts_in_range: "donazioni del periodo",
            gifts: "donazioni",
            baseline: "importo iniziale",
            gross: "lordo",
            fees: "commissioni",
            refunds: "rimborsi",
            pending: "in attesa",
            one_off: "una tantum",
            recurring_received: "ricorrenti ricevute",
            recurring_counted: "ricorrenti contate",
            active_monthly: "donatori mensili attivi",
            monthly_recurring: "importo mensile ricorrente",
            matched: "raddoppiato dagli sponsor",
            raised: "raccolto",
            amount: "importo",
            by_channel: "Per canale",
            channel: "canale",
            channels: ["online", "offline", "bonifico", "altro"],
            budget: "Bilancio",
            expenses: "spese",
            secured: "entrate certe",
            expected: "entrate attese (ponderate)",
            gap_before: "disavanzo prima della campagna",
            expected_unweighted: "entrate previste",
            gap: "disavanzo",
            to_balance: |goal| {
                format!("Per pareggiare il bilancio, la campagna deve raccogliere {goal}.")
            },
            still_open: "ancora scoperto dopo la campagna",
            weeks: "Settimana per settimana (dal lunedì)",
            week: "settimana",
            days: "Giorno per giorno",
            day: "giorno",
            cumulative: "cumulato",
            percent_of_goal: "% dell’obiettivo",
            charts: "Grafici",
            by_source: "Per origine",
            source: "origine",
            ledger: "registro",
            net: "netto",
            total: "totale",
            sizes: "Importi delle donazioni",
            under: |a| format!("meno di {a}"),
            between: |a, b| format!("da {a} a {b}"),
            over: |a| format!("{a} e oltre"),
            average: "donazione media",
            median: "donazione mediana",
        },
        Locale::Nl => ReportWords {
            title: |name, from, to| format!("{name} — verslag van {from} tot {to}"),
            status: "Stand",
            totals: "Totalen",
            gifts_in_range: "giften in de periode",
            gifts: "giften",
            baseline: "beginbedrag",
            gross: "bruto",
            fees: "kosten",
            refunds: "terugbetalingen",
            pending: "in behandeling",
            one_off: "eenmalig",
            recurring_received: "periodiek ontvangen",
            recurring_counted: "periodiek geteld",
            active_monthly: "actieve maandelijkse donateurs",
            monthly_recurring: "maandelijks periodiek bedrag",
            matched: "verdubbeld door sponsors",
            raised: "opgehaald",
            amount: "bedrag",
            by_channel: "Per kanaal",
            channel: "kanaal",
            channels: ["online", "offline", "overschrijving", "overig"],
            budget: "Begroting",
            expenses: "uitgaven",
            secured: "zekere inkomsten",
            expected: "verwachte inkomsten (gewogen)",
            gap_before: "tekort vóór de campagne",
            expected_unweighted: "verwachte inkomsten",
            gap: "tekort",
            to_balance: |goal| {
                format!("Om de begroting sluitend te maken, moet de campagne {goal} ophalen.")
            },
            still_open: "nog open na de campagne",
            weeks: "Week per week (vanaf maandag)",
            week: "week",
            days: "Dag per dag",
            day: "dag",
            cumulative: "cumulatief",
            percent_of_goal: "% van het doel",
            charts: "Grafieken",
            by_source: "Per bron",
            source: "bron",
            ledger: "register",
            net: "netto",
            total: "totaal",
            sizes: "Bedragen van de giften",
            under: |a| format!("minder dan {a}"),
            between: |a, b| format!("{a} tot {b}"),
            over: |a| format!("{a} en meer"),
            average: "gemiddelde gift",
            median: "mediaan van de giften",
        },
    }
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
        let title = (w.title)(
            &markdown_escape(status.campaign().name.get(locale)),
            &report.from.to_string(),
            &report.to.to_string(),
        );
        let _ = writeln!(out, "# {title}\n");
    } else {
        let _ = writeln!(
            out,
            "{}",
            style.heading(&(w.title)(
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
    let totals = vec![
        vec![
            w.gifts_in_range.into(),
            format!(
                "{} ({} {})",
                money(report.range_amount),
                count(locale, report.range_count),
                w.gifts
            ),
        ],
        vec![w.baseline.into(), money(b.baseline)],
        vec![w.gross.into(), money(b.gross)],
        vec![w.fees.into(), money(b.fees)],
        vec![w.refunds.into(), money(b.refunds)],
        vec![
            w.pending.into(),
            format!(
                "{} ({} {})",
                money(b.pending.amount),
                count(locale, b.pending.count),
                w.gifts
            ),
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
    ];
    table(&mut out, markdown, &["", w.amount], &totals);
    let _ = writeln!(out, "{}\n", status.rules().describe(locale));
    heading(&mut out, w.by_channel);
    let channels: Vec<Vec<String>> = b
        .by_channel
        .iter()
        .map(|c| {
            vec![
                Channel::ALL
                    .iter()
                    .zip(w.channels)
                    .find(|(channel, _)| **channel == c.channel)
                    .map_or_else(String::new, |(_, name)| name.to_owned()),
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
            money(row.fees),
            money(row.net),
        ]
    };
    let mut sources: Vec<Vec<String>> = gifts
        .by_source
        .iter()
        .map(|row| source_row(row, source_name(&row.source, &w)))
        .collect();
    sources.push(source_row(&gifts.total, w.total.to_owned()));
    table(
        &mut out,
        markdown,
        &[w.source, w.gifts, w.gross, w.fees, w.net],
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
                (true, Some(below)) => (w.under)(&whole(below)),
                (_, Some(below)) => (w.between)(&whole(band.from), &whole(below)),
                (_, None) => (w.over)(&whole(band.from)),
            };
            vec![label, count(locale, band.count), money(band.amount)]
        })
        .collect();
    table(&mut out, markdown, &["", w.gifts, w.amount], &bands);
    let averages = [(w.average, gifts.average), (w.median, gifts.median)];
    for (label, value) in averages {
        if let Some(value) = value {
            let _ = writeln!(
                out,
                "{label}{} {}",
                jauge_widget::view::colon(locale),
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

/// A campaign's text for a spreadsheet cell: one that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is kept as text by a leading
/// apostrophe, as OWASP advises against CSV injection.
pub(crate) fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
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
        (w.to_balance)(&locale.format_money_whole(gap.goal()))
    );
    out
}
