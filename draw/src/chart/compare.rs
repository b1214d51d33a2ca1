//! The comparison with earlier campaigns, day by day of each one's own campaign.

use crate::style::Palette;
use jauge::{Decimal, Locale, Money, Report};

use super::plot::{calendar, frame_with, legend, nice_top, open, Plot};
use super::{title, ChartKind, LEFT, RIGHT, WIDTH};
use crate::text::{n, text_run, width};

/// A campaign's money at the start (day 0) and at the end of each of its days.
pub(super) type Days = Vec<(u32, Money)>;

/// The comparison chart: each campaign's money day by day of its own campaign, in percent of
/// its goal or in money; this campaign solid with today's position marked, the earlier ones
/// dashed, each named with where it ended.
pub(super) fn compare_chart(
    report: &Report,
    kind: ChartKind,
    locale: Locale,
    palette: &Palette,
) -> String {
    let share = kind == ChartKind::CompareShare;
    let words = jauge::words::compare::words(locale);
    let status = &report.status;
    // Shares are of a goal in money; a campaign whose goal counts donors, gifts or money a
    // month has no share of money to draw, and is drawn in amounts by the plain comparison.
    let money_goal = |goal: jauge::Quantity| match goal {
        jauge::Quantity::Money(money) => Some(money),
        _ => None,
    };
    let currency = status.raised().currency();
    let goal = money_goal(status.campaign().goal);
    let earlier = report
        .comparison
        .as_ref()
        .map_or(&[][..], |c| &c.earlier[..]);
    let value = |money: Money, goal: Option<Money>| match (share, goal) {
        (true, Some(goal)) => {
            Some(money.amount() * Decimal::ONE_HUNDRED / goal.amount().max(Decimal::ONE))
        }
        (true, None) => None,
        (false, _) => Some(money.amount()),
    };
    let (first, last, as_of_days) = calendar(report);
    // This campaign first, then the earlier ones; each a name, its goal and its money at the
    // end of each of its days (day N ends at N), the day under way left to the marker. The
    // comparison carries this campaign's days whatever range the report covers.
    let days_ended = |days: &[(u32, Money)]| -> Days {
        days.iter()
            .filter(|(day, _)| Decimal::from(*day) <= as_of_days)
            .copied()
            .collect()
    };
    let mine = match &report.comparison {
        Some(comparison) => days_ended(&comparison.days),
        None => {
            let opening = report.days.first().map_or(Money::zero(currency), |d| {
                Money::rounded(d.cumulative.amount() - d.amount.amount(), currency)
            });
            let reported: Days = report
                .days
                .iter()
                .map(|d| (((d.start - first).num_days() + 1) as u32, d.cumulative))
                .collect();
            std::iter::once((0, opening))
                .chain(days_ended(&reported))
                .collect()
        }
    };
    let mut series: Vec<(String, Option<Money>, Days)> =
        vec![(status.campaign().name.get(locale).to_owned(), goal, mine)];
    for campaign in earlier {
        series.push((
            campaign.name.clone(),
            money_goal(campaign.goal),
            campaign.days.clone(),
        ));
    }
    let days = ((last - first).num_days() + 1) as usize;
    let span = series
        .iter()
        .map(|(_, _, days)| days.len().saturating_sub(1))
        .chain([days])
        .max()
        .unwrap_or(1);
    let top_value = series
        .iter()
        .flat_map(|(_, goal, days)| days.iter().filter_map(move |(_, m)| value(*m, *goal)))
        .chain(goal.and_then(|goal| value(goal, Some(goal))))
        .fold(Decimal::ZERO, Decimal::max);
    let plot = Plot {
        days: Decimal::from(span as u64),
        top: nice_top(top_value * Decimal::new(105, 2)),
    };
    let title = title(report, kind, locale);
    let label = |money: Money, goal: Option<Money>| match value(money, goal) {
        Some(share_of_goal) if share => {
            format!("{} %", locale.format_decimal(share_of_goal.round_dp(1), 1))
        }
        _ => locale.format_money_whole(money),
    };
    let ends: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(index, (name, goal, days))| {
            let last = match index {
                0 => status.raised(),
                _ => days.last().map_or(Money::zero(currency), |d| d.1),
            };
            format!("{name} {}", label(last, *goal))
        })
        .collect();
    let description = ends.join(", ");
    let mut svg = open(kind, &title, &description);
    let day_word = jauge::words::report::words(locale).day;
    frame_with(
        &mut svg,
        &title,
        &plot,
        palette,
        |tick| {
            if share {
                format!("{} %", locale.format_decimal(tick, 0))
            } else {
                locale.format_money_digits(tick, currency, 0)
            }
        },
        |day| format!("{day_word} {}", day + 1),
    );
    if share {
        let y = plot.y(Decimal::ONE_HUNDRED);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"2 4\"/>",
            WIDTH - RIGHT,
            palette.fg,
            y = n(y)
        ));
    }
    let colours = [&palette.accent, &palette.time, &palette.muted, &palette.fg];
    let mut entries: Vec<(String, String, bool)> = Vec::new();
    // The earlier ones under this one.
    for (index, (_, goal, days)) in series.iter().enumerate().rev() {
        let colour = colours[index.min(colours.len() - 1)];
        let points: Vec<String> = days
            .iter()
            .filter_map(|(day, money)| {
                Some(format!(
                    "{},{}",
                    n(plot.x(Decimal::from(*day))),
                    n(plot.y(value(*money, *goal)?))
                ))
            })
            .collect();
        svg.push_str(&format!(
            "<polyline class=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{}/>",
            if index == 0 { "now" } else { "earlier" },
            points.join(" "),
            if index == 0 { 3 } else { 2 },
            if index == 0 { "" } else { " stroke-dasharray=\"6 4\"" }
        ));
        entries.push((ends[index].clone(), colour.clone(), index > 0));
    }
    entries.reverse();
    // Today: where this campaign stands, at this instant of its days.
    let at = as_of_days.clamp(Decimal::ZERO, Decimal::from(days as u64));
    let day = (at.trunc() + Decimal::ONE).min(Decimal::from(days as u64));
    let (x, y) = (
        plot.x(at),
        plot.y(value(status.raised(), goal).unwrap_or_default()),
    );
    svg.push_str(&format!(
        "<circle class=\"today\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" data-day=\"{day}\" data-amount=\"{}\"/>",
        n(x),
        n(y),
        palette.accent,
        status.raised().amount()
    ));
    let today = words.now(
        &locale.format_decimal(day, 0),
        &locale.format_decimal(Decimal::from(days as u64), 0),
    );
    // Beside the dot, on whichever side has room.
    let today = format!(
        "{today}{} {}",
        jauge::words::gauge::words(locale).colon,
        label(status.raised(), goal)
    );
    let today_width = width(&today, 12, true);
    let left_of_dot = x + Decimal::from(8) + today_width > Decimal::from(WIDTH - RIGHT);
    svg.push_str(&text_run(
        if left_of_dot {
            x - Decimal::from(10) - today_width
        } else {
            x + Decimal::from(8)
        },
        y - Decimal::from(8),
        12,
        true,
        &palette.fg,
        &today,
    ));
    let entries: Vec<(&str, &str, bool)> = entries
        .iter()
        .map(|(label, colour, dashed)| (label.as_str(), colour.as_str(), *dashed))
        .collect();
    legend(&mut svg, &entries, palette);
    svg.push_str("</svg>\n");
    svg
}
