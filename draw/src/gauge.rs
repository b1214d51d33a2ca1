//! What the badge and the card both draw of the gauge: the bar with its milestones, and the
//! phrases around the figures, from the widget's view model.

use crate::shapes::{self as draw, bar_shapes, BarPart};
use crate::style::Palette;
use crate::view::GaugeView;
use jauge::{Decimal, Locale};

use super::text::n;

/// `part` (hundredths of a percent, as the view model gives positions) of `length`, to a tenth.
pub fn share(length: Decimal, part: u32) -> Decimal {
    Decimal::new(i64::from(crate::shapes::share(tenths(length), part)), 1)
}

/// A length in whole tenths, the unit the shared bar geometry is computed in here.
fn tenths(value: Decimal) -> u32 {
    (value * Decimal::TEN)
        .round()
        .try_into()
        .unwrap_or_default()
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
    /// Stroke width of the milestone ticks, which overhang the bar by twice as much.
    pub tick: Decimal,
}

/// The money bar as on the live gauge, from the same geometry ([`crate::shapes`]): track,
/// fill and a tick per milestone below the goal, coloured by the palette.
pub fn bar(view: &GaugeView, palette: &Palette, at: &BarBox) -> String {
    let geometry = draw::BarBox {
        x: tenths(at.x),
        y: tenths(at.y),
        width: tenths(at.width),
        height: tenths(at.height),
        overhang: tenths(at.tick * Decimal::TWO),
    };
    let unit = |value: u32| n(Decimal::new(i64::from(value), 1));
    let mut svg = String::new();
    for shape in bar_shapes(view.fill, &view.markers, &geometry) {
        let colour = match shape.part {
            BarPart::Track => &palette.track,
            BarPart::Fill if shape.width == 0 => continue,
            BarPart::Fill => fill_colour(view, palette),
            BarPart::Tick { .. } => {
                svg.push_str(&format!(
                    "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\" opacity=\"0.6\"/>",
                    unit(shape.y),
                    unit(shape.y + shape.height),
                    palette.fg,
                    n(at.tick),
                    x = unit(shape.x)
                ));
                continue;
            }
        };
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{colour}\"/>",
            unit(shape.x),
            unit(shape.y),
            unit(shape.width),
            unit(shape.height),
            unit(shape.radius)
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

/// "raised of €200,000" after the raised amount ("of 2,000 donors" after a count).
pub fn of_goal(view: &GaugeView, _locale: Locale) -> String {
    format!("{} {}", view.of, view.goal)
}
