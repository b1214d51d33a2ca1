//! This campaign against earlier ones, and the backtest of the projections, as text and
//! Markdown in six languages; and the phrase that names how a projection was made.

use std::fmt::Write as _;

use chrono_tz::Tz;
use jauge::document::Pace;
use jauge::{Backtest, Comparison, Locale, ProjectionMethod, Standing};

use super::{count, markdown_escape, table, Style};

/// The words of the comparison, in one language.
pub(crate) struct CompareWords {
    pub(crate) heading: &'static str,
    pub(crate) projection: &'static str,
    pub(crate) campaign: &'static str,
    pub(crate) point: &'static str,
    pub(crate) date: &'static str,
    pub(crate) raised: &'static str,
    pub(crate) percent_of_goal: &'static str,
    pub(crate) gifts: &'static str,
    pub(crate) donors: &'static str,
    /// "now (day 43 of 48)".
    pub(crate) now: fn(&str, &str) -> String,
    /// "same day (day 43 of 47)".
    pub(crate) same_day: fn(&str, &str) -> String,
    pub(crate) same_date: &'static str,
    pub(crate) end: &'static str,
    /// "Donors now: 1,234 returning from an earlier campaign, 567 new" (the label apart).
    pub(crate) donors_now: &'static str,
    pub(crate) returning_new: fn(&str, &str) -> String,
    pub(crate) backtest: &'static str,
    /// The two tables' names as workbook sheets, which hold 31 characters at most.
    pub(crate) sheets: [&'static str; 2],
    /// "Median error at the deadline … projecting Framasoft 2021, Framasoft 2022 …".
    pub(crate) backtest_note: fn(&str) -> String,
    pub(crate) days_left: &'static str,
    pub(crate) day_ends: &'static str,
    pub(crate) pace: &'static str,
    pub(crate) shape: &'static str,
    /// "at the last 7 days' pace".
    by_pace: fn(&str) -> String,
    /// "from the shape of earlier campaigns (€1 to €2)"; of the earlier campaign, for one.
    by_shape: fn(Option<(&str, &str)>) -> String,
}

pub(crate) fn compare_words(locale: Locale) -> CompareWords {
    match locale {
        Locale::En => CompareWords {
            projection: "projection",
            heading: "Against earlier campaigns",
            campaign: "campaign",
            point: "point",
            date: "date",
            raised: "raised",
            percent_of_goal: "% of goal",
            gifts: "gifts",
            donors: "donors",
            now: |n, m| format!("now (day {n} of {m})"),
            same_day: |n, m| format!("same day (day {n} of {m})"),
            same_date: "same date",
            end: "at its end",
            donors_now: "Donors now",
            returning_new: |r, n| format!("{r} returning from an earlier campaign, {n} new"),
            backtest: "Projections tested on complete campaigns",
            sheets: ["Earlier campaigns", "Projections tested"],
            backtest_note: |names| {
                format!("Median error of the projection at the deadline, in % of the final total, projecting {names} at the end of each of their days.")
            },
            days_left: "days left",
            day_ends: "day ends",
            pace: "pace",
            shape: "earlier campaigns' shape",
            by_pace: |days| format!("at the last {days} days' pace"),
            by_shape: |range| match range {
                None => "from the shape of the earlier campaign".to_owned(),
                Some((low, high)) => {
                    format!("from the shape of earlier campaigns ({low} to {high})")
                }
            },
        },
        Locale::Fr => CompareWords {
            projection: "projection",
            heading: "Face aux campagnes précédentes",
            campaign: "campagne",
            point: "moment",
            date: "date",
            raised: "collecté",
            percent_of_goal: "% de l’objectif",
            gifts: "dons",
            donors: "donateurs",
            now: |n, m| format!("maintenant (jour {n} sur {m})"),
            same_day: |n, m| format!("même jour (jour {n} sur {m})"),
            same_date: "même date",
            end: "à la fin",
            donors_now: "Donateurs à ce jour",
            returning_new: |r, n| {
                format!("{r} déjà donateurs d’une campagne précédente, {n} nouveaux")
            },
            backtest: "Projections éprouvées sur les campagnes terminées",
            sheets: ["Campagnes précédentes", "Projections éprouvées"],
            backtest_note: |names| {
                format!("Erreur médiane de la projection à l’échéance, en % du total final, en projetant {names} à la fin de chacun de leurs jours.")
            },
            days_left: "jours restants",
            day_ends: "fins de jour",
            pace: "rythme",
            shape: "profil des campagnes précédentes",
            by_pace: |days| format!("au rythme des {days} derniers jours"),
            by_shape: |range| match range {
                None => "d’après le profil de la campagne précédente".to_owned(),
                Some((low, high)) => {
                    format!("d’après le profil des campagnes précédentes ({low} à {high})")
                }
            },
        },
        Locale::De => CompareWords {
            projection: "Prognose",
            heading: "Im Vergleich zu früheren Kampagnen",
            campaign: "Kampagne",
            point: "Zeitpunkt",
            date: "Datum",
            raised: "gesammelt",
            percent_of_goal: "% des Ziels",
            gifts: "Spenden",
            donors: "Spender",
            now: |n, m| format!("jetzt (Tag {n} von {m})"),
            same_day: |n, m| format!("gleicher Tag (Tag {n} von {m})"),
            same_date: "gleiches Datum",
            end: "am Ende",
            donors_now: "Spender bisher",
            returning_new: |r, n| format!("{r} wiederkehrend aus einer früheren Kampagne, {n} neu"),
            backtest: "Prognosen an abgeschlossenen Kampagnen geprüft",
            sheets: ["Frühere Kampagnen", "Geprüfte Prognosen"],
            backtest_note: |names| {
                format!("Medianer Fehler der Prognose zum Stichtag, in % der Endsumme, für {names}, prognostiziert am Ende jedes ihrer Tage.")
            },
            days_left: "verbleibende Tage",
            day_ends: "Tagesenden",
            pace: "Tempo",
            shape: "Verlauf früherer Kampagnen",
            by_pace: |days| format!("beim Tempo der letzten {days} Tage"),
            by_shape: |range| match range {
                None => "nach dem Verlauf der früheren Kampagne".to_owned(),
                Some((low, high)) => {
                    format!("nach dem Verlauf früherer Kampagnen ({low} bis {high})")
                }
            },
        },
        Locale::Es => CompareWords {
            projection: "proyección",
            heading: "Frente a campañas anteriores",
            campaign: "campaña",
            point: "momento",
            date: "fecha",
            raised: "recaudado",
            percent_of_goal: "% del objetivo",
            gifts: "donaciones",
            donors: "donantes",
            now: |n, m| format!("ahora (día {n} de {m})"),
            same_day: |n, m| format!("mismo día (día {n} de {m})"),
            same_date: "misma fecha",
            end: "al final",
            donors_now: "Donantes hasta ahora",
            returning_new: |r, n| format!("{r} que ya donaron en una campaña anterior, {n} nuevos"),
            backtest: "Proyecciones probadas en campañas terminadas",
            sheets: ["Campañas anteriores", "Proyecciones probadas"],
            backtest_note: |names| {
                format!("Error mediano de la proyección al cierre, en % del total final, proyectando {names} al final de cada uno de sus días.")
            },
            days_left: "días restantes",
            day_ends: "finales de día",
            pace: "ritmo",
            shape: "forma de campañas anteriores",
            by_pace: |days| format!("al ritmo de los últimos {days} días"),
            by_shape: |range| match range {
                None => "según la forma de la campaña anterior".to_owned(),
                Some((low, high)) => {
                    format!("según la forma de campañas anteriores ({low} a {high})")
                }
            },
        },
        Locale::It => CompareWords {
            projection: "proiezione",
            heading: "Rispetto alle campagne precedenti",
            campaign: "campagna",
            point: "momento",
            date: "data",
            raised: "raccolto",
            percent_of_goal: "% dell’obiettivo",
            gifts: "donazioni",
            donors: "donatori",
            now: |n, m| format!("ora (giorno {n} di {m})"),
            same_day: |n, m| format!("stesso giorno (giorno {n} di {m})"),
            same_date: "stessa data",
            end: "alla fine",
            donors_now: "Donatori finora",
            returning_new: |r, n| format!("{r} tornati da una campagna precedente, {n} nuovi"),
            backtest: "Proiezioni verificate sulle campagne concluse",
            sheets: ["Campagne precedenti", "Proiezioni verificate"],
            backtest_note: |names| {
                format!("Errore mediano della proiezione alla scadenza, in % del totale finale, proiettando {names} alla fine di ciascun giorno.")
            },
            days_left: "giorni rimasti",
            day_ends: "fine giornata",
            pace: "ritmo",
            shape: "andamento delle campagne precedenti",
            by_pace: |days| format!("al ritmo degli ultimi {days} giorni"),
            by_shape: |range| match range {
                None => "secondo l’andamento della campagna precedente".to_owned(),
                Some((low, high)) => {
                    format!("secondo l’andamento delle campagne precedenti (da {low} a {high})")
                }
            },
        },
        Locale::Nl => CompareWords {
            projection: "prognose",
            heading: "Vergeleken met eerdere campagnes",
            campaign: "campagne",
            point: "moment",
            date: "datum",
            raised: "opgehaald",
            percent_of_goal: "% van het doel",
            gifts: "giften",
            donors: "donateurs",
            now: |n, m| format!("nu (dag {n} van {m})"),
            same_day: |n, m| format!("zelfde dag (dag {n} van {m})"),
            same_date: "zelfde datum",
            end: "aan het eind",
            donors_now: "Donateurs tot nu",
            returning_new: |r, n| format!("{r} terugkerend van een eerdere campagne, {n} nieuw"),
            backtest: "Prognoses getest op afgeronde campagnes",
            sheets: ["Eerdere campagnes", "Geteste prognoses"],
            backtest_note: |names| {
                format!("Mediane fout van de prognose op de einddatum, in % van het eindtotaal, bij prognoses voor {names} aan het eind van elk van hun dagen.")
            },
            days_left: "dagen over",
            day_ends: "dageinden",
            pace: "tempo",
            shape: "verloop van eerdere campagnes",
            by_pace: |days| format!("in het tempo van de laatste {days} dagen"),
            by_shape: |range| match range {
                None => "volgens het verloop van de eerdere campagne".to_owned(),
                Some((low, high)) => {
                    format!("volgens het verloop van eerdere campagnes ({low} tot {high})")
                }
            },
        },
    }
}

/// How a projection was made, in words: every surface that prints a projection says this next
/// to it, so a guess never reads as a fact.
pub fn projection_method(pace: &Pace, locale: Locale) -> String {
    let w = compare_words(locale);
    match (pace.method, pace.low, pace.high) {
        (ProjectionMethod::EarlierCampaigns, Some(low), Some(high)) if low != high => (w.by_shape)(
            Some((&locale.format_money(low), &locale.format_money(high))),
        ),
        (ProjectionMethod::EarlierCampaigns, ..) => (w.by_shape)(None),
        (ProjectionMethod::Pace, ..) => {
            (w.by_pace)(&locale.format_decimal(pace.trailing_days.normalize(), 0))
        }
    }
}

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
    let mut rows = vec![row(text(name), (w.now)(&n, &m), &comparison.now)];
    for earlier in &comparison.earlier {
        let (n, m) = days(&earlier.same_day);
        rows.push(row(
            text(&earlier.name),
            (w.same_day)(&n, &m),
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
        jauge_widget::view::colon(locale),
        (w.returning_new)(
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
    let _ = writeln!(out, "{}\n", (w.backtest_note)(&names.join(", ")));
    table(
        &mut out,
        markdown,
        &[w.days_left, w.day_ends, w.pace, w.shape],
        &backtest_rows(backtest, locale),
    );
    out
}
