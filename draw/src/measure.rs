//! Text measured in the font the host-drawn surfaces use (the badges, the card, the charts):
//! widths, fitting and wrapping, with the bundled DejaVu Sans. Part of the yew-free drawing
//! layer with [`crate::shapes`] and the view model's labels; host-only (the `host` feature), since
//! in the browser the live gauge lets the page lay out its text.

use jauge::Decimal;

/// DejaVu Sans (Bitstream Vera licence, see `draw/fonts/LICENSE-DejaVu.txt`).
pub const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

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
