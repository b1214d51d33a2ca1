//! Text for the SVG outputs: escaping, exact coordinates and text runs; the bundled font and the
//! widths measured with it come from the widget's drawing layer (`crate::measure`).
//!
//! Badges and charts name DejaVu Sans first and carry each run's measured width in
//! `textLength`, so a renderer that substitutes another font still fits the text into the same
//! box: Chromium and librsvg then draw the same picture. The social card is rasterised with
//! exactly these fonts, whatever the machine has.

use jauge::Decimal;

pub use crate::measure::{fit, width, wrap, BOLD, FONT_FAMILY, REGULAR};

/// `text` escaped for XML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// A coordinate as SVG writes it: a tenth of a unit at most, no trailing zeros. Decimal, so the
/// same input always prints the same file.
pub fn n(value: Decimal) -> String {
    value
        .round_dp_with_strategy(1, jauge::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// A `<text>` element whose run is `width` wide in every renderer.
pub fn text_run(x: Decimal, y: Decimal, size: u32, bold: bool, fill: &str, text: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{size}\"{} fill=\"{fill}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
        n(x),
        n(y),
        if bold { " font-weight=\"700\"" } else { "" },
        n(width(text, size, bold)),
        escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_bundled_font() {
        // DejaVu Sans: 'M' advances 1767 of 2048 units per em.
        assert_eq!(width("M", 2048, false), Decimal::from(1767));
        assert!(width("MMMM", 12, false) > width("iiii", 12, false));
        assert!(width("Framasoft", 12, true) > width("Framasoft", 12, false));
    }

    #[test]
    fn long_text_wraps_and_is_cut_with_an_ellipsis() {
        let text = "If we are to balance our budget for 2024, we have 5 days left to raise €78,679: we can't do it without your help!";
        let lines = wrap(text, 20, false, Decimal::from(300), 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        for line in &lines {
            assert!(width(line, 20, false) <= Decimal::from(300), "{line}");
        }
        assert_eq!(wrap("short", 20, false, Decimal::from(300), 3), ["short"]);
    }

    #[test]
    fn coordinates_are_exact_and_short() {
        assert_eq!(n(Decimal::new(12345, 2)), "123.5");
        assert_eq!(n(Decimal::from(40)), "40");
        assert_eq!(
            escape("<b>\"R&D\"</b>"),
            "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;"
        );
    }
}
