//! `jauge chart`: the report's series as SVG charts (the finance team's and the board's view):
//! money raised over the campaign against the goal, with the pace still needed and the
//! projection at the deadline; and money per day, recurring and one-off apart.
//!
//! Geometry is exact decimal arithmetic printed to a tenth of a unit, so a chart is the same
//! file for the same report.

use chrono::NaiveDate;
use jauge::{Decimal, Locale, Money, Report};
use jauge_widget::snippet::Palette;
use jauge_widget::Theme;

use super::text::{escape, n, text_run, width, FONT_FAMILY};

/// Chart width in SVG units.
pub const WIDTH: u32 = 800;
/// Chart height in SVG units.
pub const HEIGHT: u32 = 420;
const LEFT: u32 = 96;
const RIGHT: u32 = 24;
const TOP: u32 = 64;
const BOTTOM: u32 = 40;

/// Which chart.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
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

struct Words {
    cumulative: &'static str,
    daily: &'static str,
    apart: &'static str,
    raised: &'static str,
    goal: &'static str,
    needed: &'static str,
    projection: &'static str,
    one_off: &'static str,
    recurring: &'static str,
    /// The last day, still under way.
    so_far: &'static str,
}

fn words(locale: Locale) -> Words {
    let w =
        |cumulative, daily, apart, raised, goal, needed, projection, one_off, recurring| Words {
            cumulative,
            daily,
            apart,
            raised,
            goal,
            needed,
            projection,
            one_off,
            recurring,
            so_far: match locale {
                Locale::En => "today so far",
                Locale::Fr => "aujourd’hui, en cours",
                Locale::De => "heute bisher",
                Locale::Es => "hoy, hasta ahora",
                Locale::It => "oggi finora",
                Locale::Nl => "vandaag tot nu toe",
            },
        };
    match locale {
        Locale::En => w(
            "Money raised",
            "Money per day",
            "Recurring and one-off giving",
            "raised",
            "goal",
            "pace needed",
            "projection",
            "one-off",
            "recurring",
        ),
        Locale::Fr => w(
            "Dons collectés",
            "Dons par jour",
            "Dons récurrents et ponctuels",
            "collecté",
            "objectif",
            "rythme nécessaire",
            "projection",
            "ponctuels",
            "récurrents",
        ),
        Locale::De => w(
            "Gesammelte Spenden",
            "Spenden pro Tag",
            "Regelmäßige und einmalige Spenden",
            "gesammelt",
            "Ziel",
            "nötiges Tempo",
            "Prognose",
            "einmalig",
            "regelmäßig",
        ),
        Locale::Es => w(
            "Donaciones recaudadas",
            "Donaciones por día",
            "Donaciones recurrentes y puntuales",
            "recaudado",
            "objetivo",
            "ritmo necesario",
            "proyección",
            "puntuales",
            "recurrentes",
        ),
        Locale::It => w(
            "Donazioni raccolte",
            "Donazioni al giorno",
            "Donazioni ricorrenti e una tantum",
            "raccolto",
            "obiettivo",
            "ritmo necessario",
            "proiezione",
            "una tantum",
            "ricorrenti",
        ),
        Locale::Nl => w(
            "Opgehaald",
            "Giften per dag",
            "Terugkerende en eenmalige giften",
            "opgehaald",
            "doel",
            "nodig tempo",
            "prognose",
            "eenmalig",
            "terugkerend",
        ),
    }
}

/// A round step for about five ticks up to `max`: 1, 2 or 5 times a power of ten.
fn tick_step(max: Decimal) -> Decimal {
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
fn nice_top(value: Decimal) -> Decimal {
    let value = value.max(Decimal::ONE);
    let step = tick_step(value);
    (value / step).ceil() * step
}

/// The plot: maps days and amounts to SVG units.
struct Plot {
    days: Decimal,
    top: Decimal,
}

impl Plot {
    fn width() -> Decimal {
        Decimal::from(WIDTH - LEFT - RIGHT)
    }
    fn height() -> Decimal {
        Decimal::from(HEIGHT - TOP - BOTTOM)
    }
    fn x(&self, day: Decimal) -> Decimal {
        Decimal::from(LEFT) + Plot::width() * day / self.days.max(Decimal::ONE)
    }
    fn y(&self, amount: Decimal) -> Decimal {
        Decimal::from(HEIGHT - BOTTOM) - Plot::height() * amount.max(Decimal::ZERO) / self.top
    }
}

/// The SVG's opening, its title and description. Their ids name the chart, so that several
/// charts inline in one page (`report --format html`) keep unique ids.
fn open(kind: ChartKind, title: &str, description: &str) -> String {
    let id = kind.file_name().trim_end_matches(".svg");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_FAMILY}\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>",
        escape(title),
        escape(description)
    )
}

/// The title, and the axes: amount ticks on the left, a date every week along the bottom.
fn frame(
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
fn frame_with(
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

fn legend(svg: &mut String, entries: &[(&str, &str, bool)], palette: &Palette) {
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
fn calendar(report: &Report) -> (NaiveDate, NaiveDate, Decimal) {
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

fn money(locale: Locale, money: Money) -> String {
    locale.format_money_whole(money)
}

/// The chart's title: the campaign's name and what the chart shows.
pub fn title(report: &Report, kind: ChartKind, locale: Locale) -> String {
    let words = words(locale);
    let compare = crate::render::compare_words(locale);
    let what = match kind {
        ChartKind::Cumulative => words.cumulative,
        ChartKind::Daily => words.daily,
        ChartKind::Recurring => words.apart,
        ChartKind::CompareShare | ChartKind::CompareMoney => compare.heading,
    };
    format!(
        "{}{} {what}",
        report.status.campaign().name.get(locale),
        jauge_widget::view::colon(locale)
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
    let goal = status.campaign().goal;
    let currency = goal.currency();
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
                    goal.amount(),
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
                money(locale, goal),
                words.goal,
                locale.format_percent(status.percent_display().min(i64::MAX as u64) as i64),
                words.projection,
                money(locale, pace.projection),
                crate::render::projection_method(&pace, locale),
            );
            let mut svg = open(kind, &title, &description);
            frame(&mut svg, &title, &plot, locale, currency, first, &palette);
            // The goal.
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
                if !status.reached() {
                    svg.push_str(&format!(
                        "<line class=\"needed\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/>",
                        n(plot.x(last_x)), n(plot.y(last_y)), n(end_x), n(goal_y), palette.time
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
                    jauge::ProjectionMethod::Pace => crate::render::compare_words(locale).pace,
                    jauge::ProjectionMethod::EarlierCampaigns => {
                        crate::render::compare_words(locale).shape
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

/// A campaign's money at the start (day 0) and at the end of each of its days.
type Days = Vec<(u32, Money)>;

/// The comparison chart: each campaign's money day by day of its own campaign, in percent of
/// its goal or in money; this campaign solid with today's position marked, the earlier ones
/// dashed, each named with where it ended.
fn compare_chart(report: &Report, kind: ChartKind, locale: Locale, palette: &Palette) -> String {
    let share = kind == ChartKind::CompareShare;
    let words = crate::render::compare_words(locale);
    let status = &report.status;
    let goal = status.campaign().goal;
    let earlier = report
        .comparison
        .as_ref()
        .map_or(&[][..], |c| &c.earlier[..]);
    let value = |money: Money, goal: Money| {
        if share {
            money.amount() * Decimal::ONE_HUNDRED / goal.amount().max(Decimal::ONE)
        } else {
            money.amount()
        }
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
            let opening = report
                .days
                .first()
                .map_or(Money::zero(goal.currency()), |d| {
                    Money::rounded(d.cumulative.amount() - d.amount.amount(), goal.currency())
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
    let mut series: Vec<(String, Money, Days)> =
        vec![(status.campaign().name.get(locale).to_owned(), goal, mine)];
    for campaign in earlier {
        series.push((campaign.name.clone(), campaign.goal, campaign.days.clone()));
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
        .flat_map(|(_, goal, days)| days.iter().map(move |(_, m)| value(*m, *goal)))
        .chain([value(goal, goal)])
        .fold(Decimal::ZERO, Decimal::max);
    let plot = Plot {
        days: Decimal::from(span as u64),
        top: nice_top(top_value * Decimal::new(105, 2)),
    };
    let title = title(report, kind, locale);
    let currency = goal.currency();
    let label = |money: Money, goal: Money| {
        if share {
            format!(
                "{} %",
                locale.format_decimal(value(money, goal).round_dp(1), 1)
            )
        } else {
            locale.format_money_whole(money)
        }
    };
    let ends: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(index, (name, goal, days))| {
            let last = match index {
                0 => status.raised(),
                _ => days.last().map_or(Money::zero(goal.currency()), |d| d.1),
            };
            format!("{name} {}", label(last, *goal))
        })
        .collect();
    let description = ends.join(", ");
    let mut svg = open(kind, &title, &description);
    let day_word = crate::render::report_words(locale).day;
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
            .map(|(day, money)| {
                format!(
                    "{},{}",
                    n(plot.x(Decimal::from(*day))),
                    n(plot.y(value(*money, *goal)))
                )
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
    let (x, y) = (plot.x(at), plot.y(value(status.raised(), goal)));
    svg.push_str(&format!(
        "<circle class=\"today\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" data-day=\"{day}\" data-amount=\"{}\"/>",
        n(x),
        n(y),
        palette.accent,
        status.raised().amount()
    ));
    let today = (words.now)(
        &locale.format_decimal(day, 0),
        &locale.format_decimal(Decimal::from(days as u64), 0),
    );
    // Beside the dot, on whichever side has room.
    let today = format!(
        "{today}{} {}",
        jauge_widget::view::colon(locale),
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
