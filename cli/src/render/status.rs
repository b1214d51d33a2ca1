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
