//! Text for the SVG outputs: the bundled font, widths measured with it, escaping, and exact
//! coordinates.
//!
//! Badges and charts name DejaVu Sans first and carry each run's measured width in
//! `textLength`, so a renderer that substitutes another font still fits the text into the same
//! box: Chromium and librsvg then draw the same picture. The social card is rasterised with
//! exactly these fonts, whatever the machine has.

use jauge::Decimal;

/// DejaVu Sans (Bitstream Vera licence, see `cli/fonts/LICENSE-DejaVu.txt`).
pub const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// The font stack every SVG output names: the bundled font first, then look-alikes.
pub const FONT_FAMILY: &str = "'DejaVu Sans', Verdana, Geneva, 'Segoe UI', sans-serif";

/// The width of `text` set in the bundled font at `size` user units, rounded up to a tenth.
pub fn width(text: &str, size: u32, bold: bool) -> Decimal {
    let Ok(face) = ttf_parser::Face::parse(if bold { BOLD } else { REGULAR }, 0) else {
        return Decimal::ZERO;
    };
    let units: u32 = text
        .chars()
        .map(|c| {
            let glyph = face
                .glyph_index(c)
                .or_else(|| face.glyph_index('?'))
                .unwrap_or_default();
            u32::from(face.glyph_hor_advance(glyph).unwrap_or(0))
        })
        .sum();
    let per_em = Decimal::from(face.units_per_em().max(1));
    (Decimal::from(units) * Decimal::from(size) / per_em)
        .round_dp_with_strategy(1, jauge::RoundingStrategy::AwayFromZero)
}

/// The longest prefix of `text`, cut at a word, that fits in `max` (with an ellipsis when cut).
pub fn fit(text: &str, size: u32, bold: bool, max: Decimal) -> String {
    if width(text, size, bold) <= max {
        return text.to_owned();
    }
    let mut kept = String::new();
    for word in text.split(' ') {
        let candidate = if kept.is_empty() {
            word.to_owned()
        } else {
            format!("{kept} {word}")
        };
        if width(&format!("{candidate}…"), size, bold) > max {
            break;
        }
        kept = candidate;
    }
    format!("{kept}…")
}

/// `text` broken into lines no wider than `max`, at most `lines` of them (the last one cut with
/// an ellipsis when the text is longer).
pub fn wrap(text: &str, size: u32, bold: bool, max: Decimal, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    // Rust's whitespace includes the no-break spaces, which are there precisely so that a line
    // does not break at them (`78 679 €`, `aide !`).
    let breakable = |c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}');
    let words: Vec<&str> = text.split(breakable).filter(|w| !w.is_empty()).collect();
    for (i, word) in words.iter().enumerate() {
        let candidate = if current.is_empty() {
            (*word).to_owned()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, size, bold) <= max || current.is_empty() {
            current = candidate;
            continue;
        }
        if out.len() + 1 == lines {
            let rest = words[i..].join(" ");
            out.push(fit(&format!("{current} {rest}"), size, bold, max));
            return out;
        }
        out.push(std::mem::replace(&mut current, (*word).to_owned()));
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

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
