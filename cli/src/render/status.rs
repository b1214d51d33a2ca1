//! The status as a person reads it, in each language.

use std::fmt::Write as _;

use jauge::{Locale, Measure, Money, Quantity, StatusDocument};

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
    // Exact, as the rest of the status: cents kept, counts with their noun.
    let gauge_words = jauge::words::gauge::words(locale);
    let quantity = |q: Quantity| match q {
        Quantity::Money(m) => money(m),
        Quantity::Monthly(m) => format!("{} {}", money(m), gauge_words.per_month),
        other => other.format(locale, jauge::Headline::Down),
    };
    // What counts toward the goal gets its own line where it is not the money raised: a goal
    // in donors, gifts or money a month, or pledges that add to it.
    let toward =
        (status.measure() != Measure::Money || !status.matching().is_empty()).then_some(w.toward);
    let matching = (!status.matching().is_empty()).then_some(w.matching);
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
    // The line of gifts that cannot be counted is there only when there are some, and so is
    // the line of refunds taken off without their gift.
    let uncountable =
        (!status.breakdown().excluded.not_counted.is_empty()).then_some(w.cannot_count);
    let taken_off = status
        .breakdown()
        .unmatched_refunds
        .is_some()
        .then_some(w.taken_off);
    let width = labels
        .iter()
        .chain(&uncountable)
        .chain(&taken_off)
        .chain(&toward)
        .chain(&matching)
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(15);
    let mut line = |label: &str, value: String| {
        let pad = width.saturating_sub(label.chars().count());
        let _ = writeln!(out, "  {label}{} {value}", " ".repeat(pad));
    };
    let share = format!(
        "{} {} {} ({})",
        quantity(status.progress()),
        w.of,
        quantity(campaign.goal),
        locale.format_percent(status.percent_display() as i64)
    );
    match toward {
        None => line(w.raised, share),
        Some(toward) => {
            line(w.raised, money(status.raised()));
            for pledge in status.matching() {
                line(
                    w.matching,
                    format!(
                        "{}: {} ({})",
                        pledge.sponsor,
                        money(pledge.amount),
                        w.match_terms(
                            &locale.format_money_digits(
                                pledge.ratio,
                                pledge.up_to.currency(),
                                pledge
                                    .ratio
                                    .scale()
                                    .max(pledge.up_to.currency().minor_units()),
                            ),
                            &locale.format_money_digits(
                                jauge::Decimal::ONE,
                                pledge.up_to.currency(),
                                0
                            ),
                            &money(pledge.up_to)
                        )
                    ),
                );
            }
            line(toward, share);
        }
    }
    if status.reached() {
        line(w.beyond, quantity(status.surplus()));
    } else if status.measure().is_count() {
        line(gauge_words.to_go, quantity(status.remaining()));
    } else {
        line(w.to_raise, quantity(status.remaining()));
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
            format!(
                "{} {} {}",
                next.label.get(locale),
                w.at,
                quantity(next.amount)
            ),
        );
    }
    let pace = status.pace();
    line(
        w.pace,
        w.per_day_over(
            &money(pace.trailing_per_day),
            &pace.trailing_days.to_string(),
        ),
    );
    if let Some(needed) = pace.needed_per_day {
        line(w.needed, w.per_day_until(&money(needed)));
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
    if let Some(unmatched) = &b.unmatched_refunds {
        line(
            w.taken_off,
            format!(
                "{} ({}){} {}",
                money(unmatched.amount),
                counted(locale, unmatched.count, w.gift, w.gifts),
                jauge::words::gauge::words(locale).colon,
                w.unmatched_refunds
            ),
        );
    }
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
    let w = status_words(locale);
    match reason {
        NoRates => w.reason_no_rates,
        NoRateForDay => w.reason_no_rate_for_day,
        TooLarge => w.reason_too_large,
        _ => w.reason_other,
    }
}

/// The words of `jauge status`'s text: the catalogue's (`core/words/<language>/status.ftl`).
fn status_words(locale: Locale) -> &'static jauge::words::status::Words {
    jauge::words::status::words(locale)
}
