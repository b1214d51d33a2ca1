//! `jauge chart`: the report's series as SVG charts (the finance team's and the board's view):
//! money raised over the campaign against the goal, with the pace still needed and the
//! projection at the deadline; and money per day, recurring and one-off apart.
//!
//! Geometry is exact decimal arithmetic printed to a tenth of a unit, so a chart is the same
//! file for the same report.

use crate::style::Palette;
use crate::view::Theme;
use chrono::NaiveDate;
use jauge::{Decimal, Locale, Money, Report};

use super::text::{n, text_run, width};

mod compare;
mod plot;
mod words;

use compare::compare_chart;
use plot::{calendar, frame, legend, nice_top, open, Plot};
use words::words;

/// Chart width in SVG units.
pub const WIDTH: u32 = 800;
/// Chart height in SVG units.
pub const HEIGHT: u32 = 420;
pub(super) const LEFT: u32 = 96;
pub(super) const RIGHT: u32 = 24;
pub(super) const TOP: u32 = 64;
pub(super) const BOTTOM: u32 = 40;

/// Which chart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum ChartKind {
    /// Money raised, day by day, against the goal, with the needed pace and the projection.
    Cumulative,
    /// Money per day, recurring and one-off stacked.
    Daily,
    /// Recurring and one-off giving apart: what each has brought since the start.
    Recurring,
    /// This campaign against the earlier ones its file names, day by day of each campaign, in
    /// percent of each one's goal, today's position marked.
    CompareShare,
    /// The same in money.
    CompareMoney,
}

impl ChartKind {
    /// Every chart, in the order reports show them.
    pub const ALL: [ChartKind; 3] = [
        ChartKind::Cumulative,
        ChartKind::Daily,
        ChartKind::Recurring,
    ];

    /// The comparison charts, shown when the campaign names earlier campaigns.
    pub const COMPARISON: [ChartKind; 2] = [ChartKind::CompareShare, ChartKind::CompareMoney];

    /// The charts a report shows: the comparison's too when it has one.
    pub fn of(report: &Report) -> Vec<ChartKind> {
        let mut kinds = ChartKind::ALL.to_vec();
        if report.comparison.is_some() {
            kinds.extend(ChartKind::COMPARISON);
        }
        kinds
    }

    /// The file name `jauge build` gives it.
    pub fn file_name(self) -> &'static str {
        match self {
            ChartKind::Cumulative => "chart-cumulative.svg",
            ChartKind::Daily => "chart-daily.svg",
            ChartKind::Recurring => "chart-recurring.svg",
            ChartKind::CompareShare => "chart-compare-share.svg",
            ChartKind::CompareMoney => "chart-compare-money.svg",
        }
    }
}

fn money(locale: Locale, money: Money) -> String {
    locale.format_money_whole(money)
}

/// The chart's title: the campaign's name and what the chart shows.
pub fn title(report: &Report, kind: ChartKind, locale: Locale) -> String {
    let words = words(locale);
    let compare = jauge::words::compare::words(locale);
    let what = match kind {
        ChartKind::Cumulative => words.cumulative,
        ChartKind::Daily => words.daily,
        ChartKind::Recurring => words.apart,
        ChartKind::CompareShare | ChartKind::CompareMoney => compare.heading,
    };
    format!(
        "{}{} {what}",
        report.status.campaign().name.get(locale),
        jauge::words::gauge::words(locale).colon
    )
}

/// The chart as a PNG at twice its SVG size, titled.
///
/// # Errors
///
/// As [`super::card::rasterise`] and [`super::card::encode_png`].
pub fn chart_png(
    report: &Report,
    kind: ChartKind,
    locale: Locale,
) -> Result<Vec<u8>, super::card::CardError> {
    let pixmap = super::card::rasterise(&chart(report, kind, locale), 2)?;
    super::card::encode_png(&pixmap, &title(report, kind, locale), "")
}

/// The chart of `kind` for `report`, in `locale`.
pub fn chart(report: &Report, kind: ChartKind, locale: Locale) -> String {
    let palette = Palette::of(Theme::Light);
    let words = words(locale);
    let status = &report.status;
    // The chart is of money: the goal's line is drawn for a goal in money.
    let goal = match status.campaign().goal {
        jauge::Quantity::Money(money) => Some(money),
        _ => None,
    };
    let currency = status.raised().currency();
    let (first, last, as_of_days) = calendar(report);
    let span = Decimal::from((last - first).num_days() + 1);
    let day_index = |date: NaiveDate| Decimal::from((date - first).num_days());
    match kind {
        ChartKind::Cumulative => {
            let pace = status.pace();
            let ended = as_of_days >= span;
            let top_value = report
                .days
                .iter()
                .map(|d| d.cumulative.amount())
                .chain([
                    goal.map_or(Decimal::ZERO, |goal| goal.amount()),
                    pace.projection.amount(),
                    pace.high.map_or(Decimal::ZERO, |high| high.amount()),
                    status.raised().amount(),
                ])
                .fold(Decimal::ZERO, Decimal::max);
            let plot = Plot {
                days: span,
                top: nice_top(top_value * Decimal::new(105, 2)),
            };
            let title = title(report, kind, locale);
            let description = format!(
                "{} {} / {} {} ({}); {} {}, {}",
                money(locale, status.raised()),
                words.raised,
                status.campaign().goal.format(locale, jauge::Headline::Up),
                words.goal,
                locale.format_percent(status.percent_display().min(i64::MAX as u64) as i64),
                words.projection,
                money(locale, pace.projection),
                crate::chart::projection_method(&pace, locale),
            );
            let mut svg = open(kind, &title, &description);
            frame(&mut svg, &title, &plot, locale, currency, first, &palette);
            // The goal, when it is in money.
            if let Some(goal) = goal {
                let goal_y = plot.y(goal.amount());
                svg.push_str(&format!(
                    "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"2 4\"/>",
                    WIDTH - RIGHT,
                    palette.fg,
                    y = n(goal_y)
                ));
                let goal_label = format!("{} {}", words.goal, money(locale, goal));
                svg.push_str(&text_run(
                    Decimal::from(WIDTH - RIGHT) - width(&goal_label, 12, true),
                    goal_y - Decimal::from(6),
                    12,
                    true,
                    &palette.fg,
                    &goal_label,
                ));
            }
            // Raised: the baseline before the first day, then each day's end, then the as-of
            // instant (the last day reported is under way).
            let mut points = Vec::new();
            if let Some(day) = report.days.first() {
                let before = day.cumulative.amount() - day.amount.amount();
                points.push((day_index(day.start), before));
            }
            for day in &report.days {
                let end = (day_index(day.start) + Decimal::ONE).min(as_of_days.max(Decimal::ZERO));
                points.push((end, day.cumulative.amount()));
            }
            let path: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{},{}", n(plot.x(*x)), n(plot.y(*y))))
                .collect();
            svg.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\" stroke-linejoin=\"round\"/>",
                path.join(" "),
                palette.accent
            ));
            let (last_x, last_y) = points
                .last()
                .copied()
                .unwrap_or((Decimal::ZERO, Decimal::ZERO));
            let end_x = plot.x(span);
            if !ended {
                if let Some(goal) = goal.filter(|_| !status.reached()) {
                    svg.push_str(&format!(
                        "<line class=\"needed\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/>",
                        n(plot.x(last_x)), n(plot.y(last_y)), n(end_x), n(plot.y(goal.amount())), palette.time
                    ));
                }
                svg.push_str(&format!(
                    "<line class=\"projection\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"2 5\" data-amount=\"{}\"/>",
                    n(plot.x(last_x)), n(plot.y(last_y)), n(end_x), n(plot.y(pace.projection.amount())), palette.accent,
                    pace.projection.amount()
                ));
                // The range the earlier campaigns give, at the deadline.
                if let (Some(low), Some(high)) = (pace.low, pace.high) {
                    svg.push_str(&format!(
                        "<line class=\"range\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"6\" stroke-linecap=\"round\" opacity=\"0.5\" data-low=\"{}\" data-high=\"{}\"/>",
                        n(plot.y(low.amount())), n(plot.y(high.amount())), palette.accent,
                        low.amount(), high.amount(),
                        x = n(end_x - Decimal::from(3))
                    ));
                }
            }
            svg.push_str(&format!(
                "<circle class=\"last\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" data-amount=\"{}\" data-date=\"{}\"/>",
                n(plot.x(last_x)),
                n(plot.y(last_y)),
                palette.accent,
                last_y,
                report.days.last().map(|d| d.start.to_string()).unwrap_or_default()
            ));
            let mut entries = vec![(words.raised, palette.accent.as_str(), false)];
            if !ended && !status.reached() {
                entries.push((words.needed, palette.time.as_str(), true));
            }
            let projection_label = format!(
                "{} ({})",
                words.projection,
                match pace.method {
                    jauge::ProjectionMethod::Pace => jauge::words::compare::words(locale).pace,
                    jauge::ProjectionMethod::EarlierCampaigns => {
                        jauge::words::compare::words(locale).shape
                    }
                }
            );
            if !ended {
                entries.push((&projection_label, palette.accent.as_str(), true));
            }
            legend(&mut svg, &entries, &palette);
            svg.push_str("</svg>\n");
            svg
        }
        ChartKind::Daily => {
            let top_value = report
                .days
                .iter()
                .map(|d| d.amount.amount())
                .fold(Decimal::ZERO, Decimal::max);
            let plot = Plot {
                days: span,
                top: nice_top(top_value),
            };
            let total_recurring: Decimal = report.days.iter().map(|d| d.recurring.amount()).sum();
            let title = title(report, kind, locale);
            let description = format!(
                "{} {}, {} {}",
                money(locale, report.range_amount),
                words.raised,
                money(locale, Money::rounded(total_recurring, currency)),
                words.recurring
            );
            let mut svg = open(kind, &title, &description);
            frame(&mut svg, &title, &plot, locale, currency, first, &palette);
            let slot = Plot::width() / span.max(Decimal::ONE);
            let bar = (slot * Decimal::new(8, 1)).max(Decimal::ONE);
            let mut partial_shown = false;
            for day in &report.days {
                let x = plot.x(day_index(day.start)) + (slot - bar) / Decimal::TWO;
                // A day still under way is not a collapse in giving: drawn pale with a dashed
                // outline, and said in the legend.
                let partial = day_index(day.start) + Decimal::ONE > as_of_days;
                partial_shown |= partial;
                let look = if partial {
                    format!(
                        " class=\"partial\" opacity=\"0.45\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"3 2\"",
                        palette.fg
                    )
                } else {
                    String::new()
                };
                let recurring = day.recurring.amount();
                let one_off = day.amount.amount() - recurring;
                let base = plot.y(Decimal::ZERO);
                let one_off_top = plot.y(one_off);
                let all_top = plot.y(one_off + recurring);
                svg.push_str(&format!(
                    "<g data-date=\"{}\" data-amount=\"{}\" data-recurring=\"{}\"{look}><rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/><rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/></g>",
                    day.start,
                    day.amount.amount(),
                    recurring,
                    n(one_off_top),
                    n(base - one_off_top),
                    palette.accent,
                    n(all_top),
                    n(one_off_top - all_top),
                    palette.time,
                    x = n(x),
                    w = n(bar),
                ));
            }
            let mut entries = vec![
                (words.one_off, palette.accent.as_str(), false),
                (words.recurring, palette.time.as_str(), false),
            ];
            if partial_shown {
                entries.push((words.so_far, palette.fg.as_str(), true));
            }
            legend(&mut svg, &entries, &palette);
            svg.push_str("</svg>\n");
            svg
        }
        ChartKind::Recurring => {
            // What each kind of giving has brought since the first day reported, day by day.
            let (mut one_off, mut recurring) = (Decimal::ZERO, Decimal::ZERO);
            let start = report
                .days
                .first()
                .map_or(Decimal::ZERO, |d| day_index(d.start));
            let mut lines = (vec![(start, one_off)], vec![(start, recurring)]);
            for day in &report.days {
                one_off += day.amount.amount() - day.recurring.amount();
                recurring += day.recurring.amount();
                let end = (day_index(day.start) + Decimal::ONE).min(as_of_days.max(Decimal::ZERO));
                lines.0.push((end, one_off));
                lines.1.push((end, recurring));
            }
            let plot = Plot {
                days: span,
                top: nice_top(one_off.max(recurring) * Decimal::new(105, 2)),
            };
            let total = |label: &str, amount: Decimal| {
                format!(
                    "{label} {}",
                    money(locale, Money::rounded(amount, currency))
                )
            };
            let (one_off_label, recurring_label) = (
                total(words.one_off, one_off),
                total(words.recurring, recurring),
            );
            let title = title(report, kind, locale);
            let description = format!("{one_off_label}, {recurring_label}");
            let mut svg = open(kind, &title, &description);
            frame(&mut svg, &title, &plot, locale, currency, first, &palette);
            for (points, colour, class, amount) in [
                (&lines.0, &palette.accent, "one-off", one_off),
                (&lines.1, &palette.time, "recurring", recurring),
            ] {
                let path: Vec<String> = points
                    .iter()
                    .map(|(x, y)| format!("{},{}", n(plot.x(*x)), n(plot.y(*y))))
                    .collect();
                svg.push_str(&format!(
                    "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\" stroke-linejoin=\"round\" data-amount=\"{amount}\"/>",
                    path.join(" ")
                ));
            }
            legend(
                &mut svg,
                &[
                    (&one_off_label, palette.accent.as_str(), false),
                    (&recurring_label, palette.time.as_str(), false),
                ],
                &palette,
            );
            svg.push_str("</svg>\n");
            svg
        }
        ChartKind::CompareShare | ChartKind::CompareMoney => {
            compare_chart(report, kind, locale, &palette)
        }
    }
}

/// How a projection was made, in words: every surface that prints a projection says this next
/// to it, so a guess never reads as a fact.
pub fn projection_method(pace: &jauge::document::Pace, locale: Locale) -> String {
    use jauge::document::ProjectionMethod;
    let w = jauge::words::compare::words(locale);
    match (pace.method, pace.low, pace.high) {
        (ProjectionMethod::EarlierCampaigns, Some(low), Some(high)) if low != high => {
            w.by_shape(&locale.format_money(low), &locale.format_money(high))
        }
        (ProjectionMethod::EarlierCampaigns, ..) => w.by_earlier_campaign.to_owned(),
        (ProjectionMethod::Pace, ..) => {
            w.by_pace(&locale.format_decimal(pace.trailing_days.normalize(), 0))
        }
    }
}
