//! What the badge and the card both draw of the gauge: the bar with its milestones, and the
//! phrases around the figures, from the widget's view model.

use jauge::{Decimal, Locale};
use jauge_widget::snippet::Palette;
use jauge_widget::view::BAR_STEPS;
use jauge_widget::GaugeView;

use super::text::n;

/// `part` (hundredths of a percent, as the view model gives positions) of `length`.
pub fn share(length: Decimal, part: u32) -> Decimal {
    (length * Decimal::from(part.min(BAR_STEPS)) / Decimal::from(BAR_STEPS)).round_dp(1)
}

/// The bar's fill colour: the accent, or the "reached" colour once the goal is reached.
pub fn fill_colour<'p>(view: &GaugeView, palette: &'p Palette) -> &'p str {
    if view.reached_note.is_some() {
        &palette.reached
    } else {
        &palette.accent
    }
}

/// Where a bar goes and how thick its milestone ticks are.
pub struct BarBox {
    /// Left edge.
    pub x: Decimal,
    /// Top edge.
    pub y: Decimal,
    /// Length.
    pub width: Decimal,
    /// Thickness (the ends are rounded by half of it).
    pub height: Decimal,
    /// Stroke width of the milestone ticks, which overhang the bar by the same amount.
    pub tick: Decimal,
}

/// The money bar as on the live gauge: track, fill (never shorter than its rounded ends) and a
/// tick per milestone.
pub fn bar(view: &GaugeView, palette: &Palette, at: &BarBox) -> String {
    let radius = at.height / Decimal::TWO;
    let rect = |width: Decimal, colour: &str| {
        format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{colour}\"/>",
            n(at.x),
            n(at.y),
            n(width),
            n(at.height),
            n(radius)
        )
    };
    let mut svg = rect(at.width, &palette.track);
    if view.fill > 0 {
        svg.push_str(&rect(
            share(at.width, view.fill).max(at.height),
            fill_colour(view, palette),
        ));
    }
    for marker in &view.markers {
        svg.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\" opacity=\"0.6\"/>",
            n(at.y - at.tick * Decimal::TWO),
            n(at.y + at.height + at.tick * Decimal::TWO),
            palette.fg,
            n(at.tick),
            x = n(at.x + share(at.width, marker.position))
        ));
    }
    svg
}

/// The countdown with its label in the language's order: "5 days left", "starts in 3 days",
/// "ended".
pub fn countdown(view: &GaugeView) -> String {
    let phrase = if view.label_first {
        format!("{} {}", view.time_label, view.time_left)
    } else {
        format!("{} {}", view.time_left, view.time_label)
    };
    phrase.trim().to_owned()
}

/// "raised of €200,000", after the raised amount.
pub fn of_goal(view: &GaugeView, locale: Locale) -> String {
    let words = jauge_widget::labels::labels(locale);
    format!("{} {} {}", words.raised, words.of, view.goal)
}
