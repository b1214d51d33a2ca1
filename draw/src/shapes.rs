//! The bar as geometry, for every surface that draws it: the live gauge's SVG (its `Bar`
//! component), the badges and the card. No yew and no SVG syntax here: each surface maps these
//! shapes to its own elements and colours, so the rules (the goal is the full width, the fill
//! never shorter than its rounded ends, a tick per milestone below the goal) live once.

use crate::view::{Marker, BAR_STEPS};

/// Where a bar goes, in the surface's own units (whole numbers: the CLI draws in tenths of a
/// pixel, the live gauge in its 10,000-wide view box).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BarBox {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Length.
    pub width: u32,
    /// Thickness; the ends are rounded by half of it.
    pub height: u32,
    /// How far milestone ticks reach beyond the bar, above and below.
    pub overhang: u32,
}

/// What a shape of the bar is, for the surface to colour.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BarPart {
    /// The empty bar, full length.
    Track,
    /// What is raised.
    Fill,
    /// A milestone, reached or not: a vertical line.
    Tick {
        /// Whether the raised figure has reached it.
        reached: bool,
    },
}

/// One shape of the bar: a rounded rectangle (track, fill) or a vertical line at `x` from `y`
/// down `height` (tick, `width` 0).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BarShape {
    /// What it is.
    pub part: BarPart,
    /// Left edge (or the line's position).
    pub x: u32,
    /// Top.
    pub y: u32,
    /// Length (0 for a tick).
    pub width: u32,
    /// Thickness (a tick's length).
    pub height: u32,
    /// Corner radius.
    pub radius: u32,
}

/// `part` (hundredths of a percent) of `length`, to the nearest unit.
pub fn share(length: u32, part: u32) -> u32 {
    let exact = u64::from(length) * u64::from(part.min(BAR_STEPS));
    // At most `length` once divided, so the narrowing keeps every value.
    ((exact + u64::from(BAR_STEPS / 2)) / u64::from(BAR_STEPS)) as u32
}

/// The bar filled to `fill` (hundredths of a percent of its length) with a tick per marker:
/// the track, then the fill (always present so that it can grow from zero; never shorter than
/// the bar is thick once something is raised, or its rounded ends would overlap), then the
/// ticks.
pub fn bar_shapes(fill: u32, markers: &[Marker], at: &BarBox) -> Vec<BarShape> {
    let radius = at.height / 2;
    let rect = |part, width| BarShape {
        part,
        x: at.x,
        y: at.y,
        width,
        height: at.height,
        radius,
    };
    let filled = match share(at.width, fill) {
        0 if fill == 0 => 0,
        length => length.max(at.height).min(at.width),
    };
    let mut shapes = vec![rect(BarPart::Track, at.width), rect(BarPart::Fill, filled)];
    shapes.extend(markers.iter().map(|marker| BarShape {
        part: BarPart::Tick {
            reached: marker.reached,
        },
        x: at.x + share(at.width, marker.position),
        y: at.y.saturating_sub(at.overhang),
        width: 0,
        height: at.height + 2 * at.overhang,
        radius: 0,
    }));
    shapes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(position: u32, reached: bool) -> Marker {
        Marker {
            position,
            label: String::new(),
            amount: String::new(),
            reached,
        }
    }

    #[test]
    fn the_same_bar_in_any_units() {
        let markers = [marker(3000, true), marker(5000, false)];
        let gauge = BarBox {
            x: 0,
            y: 0,
            width: BAR_STEPS,
            height: 100,
            overhang: 0,
        };
        let shapes = bar_shapes(6430, &markers, &gauge);
        assert_eq!(shapes[1].width, 6430);
        assert_eq!((shapes[2].x, shapes[3].x), (3000, 5000));
        // The card, in tenths of a pixel: 1,080 px wide at x 60.
        let card = BarBox {
            x: 600,
            y: 3700,
            width: 10_800,
            height: 300,
            overhang: 60,
        };
        let shapes = bar_shapes(6430, &markers, &card);
        assert_eq!(shapes[1].width, 6944);
        assert_eq!(shapes[2].x, 600 + 3240);
        assert_eq!((shapes[2].y, shapes[2].height), (3640, 420));
        assert_eq!(shapes[0].radius, 150);
    }

    #[test]
    fn a_little_raised_is_a_dot_nothing_raised_is_nothing() {
        let at = BarBox {
            x: 0,
            y: 0,
            width: 1000,
            height: 30,
            overhang: 0,
        };
        assert_eq!(bar_shapes(0, &[], &at)[1].width, 0);
        assert_eq!(bar_shapes(1, &[], &at)[1].width, 30);
        assert_eq!(bar_shapes(BAR_STEPS, &[], &at)[1].width, 1000);
        assert_eq!(bar_shapes(u32::MAX, &[], &at)[1].width, 1000);
    }
}
