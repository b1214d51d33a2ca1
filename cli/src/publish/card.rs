//! `jauge card`: a 1200 × 630 social card (Open Graph, Mastodon previews) with the illustration
//! at the campaign's stage, the gauge and the appeal, drawn as SVG and rasterised in Rust with
//! the bundled font, so the PNG is the same on every machine.

use jauge::{Decimal, Locale, StatusDocument};
use jauge_widget::snippet::{state_transform, ClassStyles, Palette};
use jauge_widget::Theme;

use super::gauge::{bar, countdown, fill_colour, of_goal, BarBox};
use super::text::{escape, text_run, width, wrap, BOLD, REGULAR};

/// Width of the card, in pixels.
pub const WIDTH: u32 = 1200;
/// Height of the card, in pixels.
pub const HEIGHT: u32 = 630;

/// The card as SVG and the text it shows, line by line (what the PNG carries as its text layer).
pub struct Card {
    /// The drawing.
    pub svg: String,
    /// Every text on the card, in reading order.
    pub lines: Vec<String>,
}

/// Why a card could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The SVG did not parse (a bug in jauge: the SVG is its own).
    #[error("the card's drawing is not valid SVG: {0}")]
    Svg(String),
    /// The PNG could not be written.
    #[error("could not encode the card as PNG: {0}")]
    Png(String),
}

/// A CSS transform of the stylesheet (`translateX(6px) rotate(-4deg)`) as an SVG transform
/// about `origin`, which is what `transform-origin` does in the browser.
fn svg_transform(css: &str, origin: (u32, u32)) -> String {
    let mut functions = Vec::new();
    for part in css.split(')') {
        let Some((name, args)) = part.trim().split_once('(') else {
            continue;
        };
        let value = args.trim().trim_end_matches("px").trim_end_matches("deg");
        functions.push(match name.trim() {
            "translateX" => format!("translate({value} 0)"),
            "translateY" => format!("translate(0 {value})"),
            other => format!("{other}({value})"),
        });
    }
    if functions.is_empty() {
        return String::new();
    }
    let (x, y) = origin;
    format!(
        "translate({x} {y}) {} translate(-{x} -{y})",
        functions.join(" ")
    )
}

fn shapes(shapes: &[jauge_widget::art::Shape], styles: &ClassStyles) -> String {
    shapes
        .iter()
        .map(|shape| {
            let jauge_widget::art::Shape::Path { d, class } = shape;
            format!(
                "<path d=\"{d}\" style=\"{}\"/>",
                escape(&styles.declarations(class))
            )
        })
        .collect()
}

/// The illustration for the stage at `now`, as static SVG: colours and poses from the widget's
/// own stylesheet.
pub fn scene(status: &StatusDocument, now: chrono::DateTime<chrono::Utc>) -> String {
    let scene = jauge_widget::art::scene(status.stage_at(now));
    let (mood, pose) = (scene.mood.class(), scene.pose.class());
    // The bottom centre of each character's drawing: the stylesheet's `transform-origin: 50%
    // 100%` over its `fill-box`.
    let giant = state_transform(mood, "art__giant")
        .map(|t| svg_transform(&t, (232, 150)))
        .unwrap_or_default();
    let defender = state_transform(pose, "art__defender")
        .map(|t| svg_transform(&t, (76, 146)))
        .unwrap_or_default();
    let styles = ClassStyles::of(Theme::Light);
    let mut svg = format!(
        "<g transform=\"{giant}\">{}</g><g transform=\"{defender}\">{}</g>",
        shapes(&scene.giant, &styles),
        shapes(&scene.defender, &styles)
    );
    if scene.celebration {
        svg.push_str(&shapes(&scene.confetti, &styles));
    }
    svg
}

/// The card for `status` as of its own instant, with the figures and words of the widget's
/// view model.
pub fn card(status: &StatusDocument, locale: Locale) -> Card {
    let now = status.as_of();
    let view = &jauge_widget::gauge_view(status, locale, now);
    let as_of = as_of_text(status, locale);
    let palette = Palette::of(Theme::Light);
    let words = jauge_widget::labels::labels(locale);
    let fill = fill_colour(view, &palette);
    let d = Decimal::from;
    let mut lines = Vec::new();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"DejaVu Sans\">\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{}\"/><rect width=\"{WIDTH}\" height=\"12\" fill=\"{fill}\"/>\
<g transform=\"translate(40 70) scale(1.55)\">{}</g>",
        palette.bg,
        scene(status, now)
    );
    let column = d(580);
    let column_width = d(WIDTH) - column - d(50);
    let mut put = |svg: &mut String, y: u32, size: u32, bold: bool, colour: &str, text: &str| {
        svg.push_str(&text_run(column, d(y), size, bold, colour, text));
        lines.push(text.to_owned());
    };
    let name = super::text::fit(&view.name, 40, true, column_width);
    put(&mut svg, 120, 40, true, &palette.fg, &name);
    put(&mut svg, 215, 72, true, fill, &view.raised);
    let of = format!("{} · {}", of_goal(view, locale), view.percent);
    put(&mut svg, 265, 30, false, &palette.fg, &of);
    let remaining = format!("{} {}", view.remaining, view.remaining_label);
    put(&mut svg, 320, 28, false, &palette.muted, &remaining);
    // The bar, across the card, with the milestones.
    svg.push_str(&bar(
        view,
        &palette,
        &BarBox {
            x: d(60),
            y: d(370),
            width: d(WIDTH - 120),
            height: d(30),
            tick: d(3),
        },
    ));
    // The bar's end is the goal: labelled there, as on the live gauge.
    svg.push_str(&text_run(
        d(WIDTH - 60) - width(&view.goal_mark, 20, false),
        d(428),
        20,
        false,
        &palette.muted,
        &view.goal_mark,
    ));
    lines.push(view.goal_mark.clone());
    let time = countdown(view);
    let stats = format!("{time} · {}", view.donors);
    svg.push_str(&text_run(d(60), d(455), 30, true, &palette.fg, &stats));
    lines.push(stats);
    for (i, line) in wrap(&view.appeal, 28, false, d(WIDTH - 120), 2)
        .iter()
        .enumerate()
    {
        let y = 510 + 40 * i as u32;
        svg.push_str(&text_run(d(60), d(y), 28, false, &palette.fg, line));
        lines.push(line.clone());
    }
    let footer = format!("{} {as_of}", words.as_of);
    let footer_width = width(&footer, 18, false);
    svg.push_str(&text_run(
        d(WIDTH - 50) - footer_width,
        d(612),
        18,
        false,
        &palette.muted,
        &footer,
    ));
    lines.push(footer);
    // Where to give, printed whole enough to type: the scheme is the only part left out.
    if let Some(donate) = &view.donate {
        let address = donate
            .url
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let room = d(WIDTH - 110) - footer_width - d(30);
        let give = super::text::fit(
            &format!(
                "{}{} {address}",
                donate.label,
                jauge_widget::view::colon(locale)
            ),
            22,
            true,
            room,
        );
        svg.push_str(&text_run(d(60), d(612), 22, true, fill, &give));
        lines.push(give);
    }
    svg.push_str("</svg>\n");
    Card { svg, lines }
}

/// Rasterises an SVG drawn by jauge with the bundled fonts only.
///
/// # Errors
///
/// [`CardError::Svg`] if the SVG does not parse; [`CardError::Png`] if encoding fails.
pub fn rasterise(svg: &str, scale: u32) -> Result<resvg::tiny_skia::Pixmap, CardError> {
    let mut options = resvg::usvg::Options {
        font_family: "DejaVu Sans".into(),
        ..Default::default()
    };
    let fonts = options.fontdb_mut();
    fonts.load_font_data(REGULAR.to_vec());
    fonts.load_font_data(BOLD.to_vec());
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|e| CardError::Svg(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width() * scale, size.height() * scale)
        .ok_or_else(|| CardError::Svg("empty drawing".into()))?;
    let zoom = scale as f32;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(zoom, zoom),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// A PNG of `pixmap`, with `title` and `description` as international text chunks (what a
/// screen reader or an indexer can read of the image).
///
/// # Errors
///
/// [`CardError::Png`].
pub fn encode_png(
    pixmap: &resvg::tiny_skia::Pixmap,
    title: &str,
    description: &str,
) -> Result<Vec<u8>, CardError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .add_itxt_chunk("Title".into(), title.into())
            .map_err(|e| CardError::Png(e.to_string()))?;
        encoder
            .add_itxt_chunk("Description".into(), description.into())
            .map_err(|e| CardError::Png(e.to_string()))?;
        let mut writer = encoder
            .write_header()
            .map_err(|e| CardError::Png(e.to_string()))?;
        // tiny-skia keeps premultiplied alpha; PNG wants it straight.
        let pixels: Vec<u8> = pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        writer
            .write_image_data(&pixels)
            .map_err(|e| CardError::Png(e.to_string()))?;
    }
    Ok(out)
}

/// The card for `status` as a PNG, as of its own instant, with its words as text chunks.
///
/// # Errors
///
/// As [`rasterise`] and [`encode_png`].
pub fn card_png(status: &StatusDocument, locale: Locale) -> Result<Vec<u8>, CardError> {
    let card = card(status, locale);
    encode_png(
        &rasterise(&card.svg, 1)?,
        status.campaign().name.get(locale),
        &card.lines.join("\n"),
    )
}

/// The document's instant in the campaign's own zone, as the card's footer says it:
/// `Dec 26 08:00 (Europe/Paris)`.
fn as_of_text(status: &StatusDocument, locale: Locale) -> String {
    let zone = crate::render::zone_of(status);
    let local = status.as_of().with_timezone(&zone);
    format!(
        "{} {} ({})",
        locale.format_day_month(local.date_naive()),
        local.format("%H:%M"),
        status.campaign().time_zone
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_transforms_turn_into_svg_transforms_about_the_origin() {
        assert_eq!(
            svg_transform("translateX(6px) rotate(-4deg)", (232, 150)),
            "translate(232 150) translate(6 0) rotate(-4) translate(-232 -150)"
        );
        assert_eq!(
            svg_transform("translateY(-10px) scale(1.08)", (76, 146)),
            "translate(76 146) translate(0 -10) scale(1.08) translate(-76 -146)"
        );
        assert_eq!(svg_transform("", (0, 0)), "");
    }
}
