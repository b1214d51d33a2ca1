//! What every chart shares: its scale (round ticks, a plot that maps days and amounts to SVG
//! units), its opening, its frame and axes, its legend.

use crate::style::Palette;
use chrono::NaiveDate;
use jauge::{Decimal, Locale, Report};

use super::{ChartKind, BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH};
use crate::text::{escape, n, text_run, width, FONT_FAMILY};

/// A round step for about five ticks up to `max`: 1, 2 or 5 times a power of ten.
pub(super) fn tick_step(max: Decimal) -> Decimal {
    if max <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let rough = max / Decimal::from(5);
    let mut power = Decimal::ONE;
    while power * Decimal::TEN <= rough {
        power *= Decimal::TEN;
    }
    while power > rough && power > Decimal::new(1, 2) {
        power /= Decimal::TEN;
    }
    for factor in [1, 2, 5, 10] {
        let step = power * Decimal::from(factor);
        if step >= rough {
            return step;
        }
    }
    power * Decimal::TEN
}

/// A round top for an axis showing up to `value`.
pub(super) fn nice_top(value: Decimal) -> Decimal {
    let value = value.max(Decimal::ONE);
    let step = tick_step(value);
    (value / step).ceil() * step
}

/// The plot: maps days and amounts to SVG units.
pub(super) struct Plot {
    pub(super) days: Decimal,
    pub(super) top: Decimal,
}

impl Plot {
    pub(super) fn width() -> Decimal {
        Decimal::from(WIDTH - LEFT - RIGHT)
    }
    pub(super) fn height() -> Decimal {
        Decimal::from(HEIGHT - TOP - BOTTOM)
    }
    pub(super) fn x(&self, day: Decimal) -> Decimal {
        Decimal::from(LEFT) + Plot::width() * day / self.days.max(Decimal::ONE)
    }
    pub(super) fn y(&self, amount: Decimal) -> Decimal {
        Decimal::from(HEIGHT - BOTTOM) - Plot::height() * amount.max(Decimal::ZERO) / self.top
    }
}

/// The SVG's opening, its title and description. Their ids name the chart, so that several
/// charts inline in one page (`report --format html`) keep unique ids.
pub(super) fn open(kind: ChartKind, title: &str, description: &str) -> String {
    let id = kind.file_name().trim_end_matches(".svg");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_FAMILY}\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>",
        escape(title),
        escape(description)
    )
}

/// The title, and the axes: amount ticks on the left, a date every week along the bottom.
pub(super) fn frame(
    svg: &mut String,
    title: &str,
    plot: &Plot,
    locale: Locale,
    currency: jauge::Currency,
    first: NaiveDate,
    palette: &Palette,
) {
    frame_with(
        svg,
        title,
        plot,
        palette,
        |value| locale.format_money_digits(value, currency, 0),
        |day| locale.format_day_month(first + chrono::Duration::days(day)),
    );
}

/// The title and the axes, the ticks labelled by `y_label` (an amount) and `x_label` (days from
/// the first, one tick a week).
pub(super) fn frame_with(
    svg: &mut String,
    title: &str,
    plot: &Plot,
    palette: &Palette,
    y_label: impl Fn(Decimal) -> String,
    x_label: impl Fn(i64) -> String,
) {
    svg.push_str(&text_run(
        Decimal::from(LEFT),
        Decimal::from(24),
        16,
        true,
        &palette.fg,
        title,
    ));
    let step = tick_step(plot.top);
    let mut value = Decimal::ZERO;
    while value <= plot.top {
        let y = plot.y(value);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"1\"/>",
            WIDTH - RIGHT,
            palette.track,
            y = n(y)
        ));
        let label = y_label(value);
        svg.push_str(&text_run(
            Decimal::from(LEFT - 8) - width(&label, 12, false),
            y + Decimal::from(4),
            12,
            false,
            &palette.muted,
            &label,
        ));
        value += step;
    }
    let days = plot.days.trunc().to_string().parse::<i64>().unwrap_or(0);
    let mut day = 0;
    while day <= days {
        let label = x_label(day);
        let x = plot.x(Decimal::from(day));
        svg.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\"/>",
            HEIGHT - BOTTOM,
            HEIGHT - BOTTOM + 5,
            palette.muted,
            x = n(x)
        ));
        svg.push_str(&text_run(
            x - width(&label, 12, false) / Decimal::TWO,
            Decimal::from(HEIGHT - BOTTOM + 20),
            12,
            false,
            &palette.muted,
            &label,
        ));
        day += 7;
    }
}

pub(super) fn legend(svg: &mut String, entries: &[(&str, &str, bool)], palette: &Palette) {
    let mut x = Decimal::from(LEFT);
    for (label, colour, dashed) in entries {
        svg.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"44\" y2=\"44\" stroke=\"{colour}\" stroke-width=\"4\"{}/>",
            n(x),
            n(x + Decimal::from(22)),
            if *dashed { " stroke-dasharray=\"6 4\"" } else { "" }
        ));
        svg.push_str(&text_run(
            x + Decimal::from(28),
            Decimal::from(48),
            12,
            false,
            &palette.fg,
            label,
        ));
        x += Decimal::from(44) + width(label, 12, false);
    }
}

/// The campaign's first and last days in its zone, and the as-of instant in days from the first
/// day's start.
pub(super) fn calendar(report: &Report) -> (NaiveDate, NaiveDate, Decimal) {
    let campaign = report.status.campaign();
    let first = campaign.start.date_naive();
    let last = (campaign.deadline - chrono::Duration::seconds(1)).date_naive();
    let first_midnight = campaign.start
        - chrono::Duration::seconds(i64::from(chrono::Timelike::num_seconds_from_midnight(
            &campaign.start,
        )));
    let elapsed = (report.status.as_of() - first_midnight.to_utc()).num_seconds();
    (first, last, Decimal::from(elapsed) / Decimal::from(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        let d = |v: i64| Decimal::from(v);
        assert_eq!(tick_step(d(210_000)), d(50_000));
        assert_eq!(tick_step(d(100)), d(20));
        assert_eq!(tick_step(d(7)), d(2));
        assert_eq!(tick_step(d(0)), d(1));
    }
}
