//! The status as a person reads it, in each language.

use std::fmt::Write as _;

use jauge::{Locale, Money, StatusDocument};

use super::{count, counted, projection_method, zone_of, Style};

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
fn cannot_count_reason(locale: Locale, reason: jauge::NotCountedReason) -> &'static str {
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
