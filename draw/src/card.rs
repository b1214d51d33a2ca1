//! `jauge card`: a 1200 × 630 social card (Open Graph, Mastodon previews) with the illustration
//! at the campaign's stage, the gauge and the appeal, drawn as SVG and rasterised in Rust with
//! the bundled font, so the PNG is the same on every machine.

use crate::style::Palette;
use crate::view::Theme;
use jauge::{Decimal, Locale, StatusDocument};

use super::gauge::{bar, countdown, fill_colour, of_goal, BarBox};
use super::text::{text_run, width, wrap, BOLD, REGULAR};

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

/// The scene for the stage at `now`: the view of the widget's drawing (`scene.svg`), written
/// out as a 320 × 160 SVG element, titled with what it shows; at night for a dark `theme`.
pub fn scene(status: &StatusDocument, now: chrono::DateTime<chrono::Utc>, theme: Theme) -> String {
    let scene = crate::art::scene(status.stage_at(now));
    let view = crate::view::gauge_view(status, Locale::En, now);
    crate::art::standalone_in(scene.view(), &view.scene_alt, theme == Theme::Dark)
        .unwrap_or_default()
        .replacen("<svg ", "<svg width=\"320\" height=\"160\" ", 1)
}

/// The card for `status` as of its own instant, with the figures and words of the widget's
/// view model, in the colours of `theme` (a dark card shows the drawing at night).
pub fn card(status: &StatusDocument, locale: Locale, theme: Theme) -> Card {
    let now = status.as_of();
    let view = &crate::view::gauge_view(status, locale, now);
    let as_of = as_of_text(status, locale);
    let palette = Palette::of(theme);
    let words = jauge::words::gauge::words(locale);
    let fill = fill_colour(view, &palette);
    let d = Decimal::from;
    let mut lines = Vec::new();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"DejaVu Sans\">\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{}\"/><rect width=\"{WIDTH}\" height=\"12\" fill=\"{fill}\"/>\
<g transform=\"translate(40 70) scale(1.55)\">{}</g>",
        palette.bg,
        scene(status, now, theme)
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
                jauge::words::gauge::words(locale).colon
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
pub fn card_png(
    status: &StatusDocument,
    locale: Locale,
    theme: Theme,
) -> Result<Vec<u8>, CardError> {
    let card = card(status, locale, theme);
    encode_png(
        &rasterise(&card.svg, 1)?,
        status.campaign().name.get(locale),
        &card.lines.join("\n"),
    )
}

/// The document's instant in the campaign's own zone, as the card's footer says it:
/// `Dec 26 08:00 (Europe/Paris)`.
fn as_of_text(status: &StatusDocument, locale: Locale) -> String {
    let zone = crate::zone_of(status);
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

    /// Every view of the drawing, as the card, the newsletter's image and `jauge build` draw it:
    /// well-formed, 320 × 160, and rasterised by resvg into a picture with its sky and its ground
    /// (no transparent or blank corner).
    #[test]
    fn every_view_of_the_scene_rasterises() {
        for (view, night) in crate::art::VIEWS
            .iter()
            .flat_map(|view| [(*view, false), (*view, true)])
        {
            let svg = crate::art::standalone_in(view, "t", night)
                .unwrap()
                .replacen("<svg ", "<svg width=\"320\" height=\"160\" ", 1);
            roxmltree::Document::parse(&svg).unwrap();
            let pixmap = rasterise(&svg, 1).unwrap();
            let (w, h) = (pixmap.width(), pixmap.height());
            assert_eq!((w, h), (320, 160));
            for (x, y) in [(1, 1), (w - 2, 1), (1, h - 2), (w - 2, h - 2)] {
                let pixel = pixmap.pixel(x, y).unwrap();
                assert_eq!(pixel.alpha(), 255, "{view}: ({x}, {y}) is painted");
            }
        }
    }
}
