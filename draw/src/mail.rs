//! The gauge for newsletters: HTML that mail clients render as they render any mail, with no
//! SVG (Gmail and Outlook on Windows drop it), no stylesheet and no class a client must
//! understand. Layout is tables with `width` attributes, colours are inline `background-color`
//! and `color`, the bar is two table cells, and the illustration is a PNG that `jauge build`
//! writes beside it (`scene.png`, drawn at twice its size for sharp screens).
//!
//! What each construct relies on, from caniemail.com's support tables: `<table>` with
//! `width`/`cellpadding`/`cellspacing`/`role` attributes, `background-color`, `color`,
//! `font-family`, `font-size`, `font-weight`, `line-height`, `padding` and `text-decoration` are
//! supported by every client they list; `border-radius` is not by Outlook on Windows, where the
//! corners stay square and nothing else changes; nor is `max-width`, where the gauge takes the
//! mail's whole width (mail layouts cap it near 600 px anyway). Widths are percentages, so the
//! same HTML fits a 320 px phone.

use crate::style::Palette;
use crate::view::{GaugeView, Theme};
use jauge::{Locale, StatusDocument};

use super::gauge::{countdown, fill_colour, of_goal};
use super::text::escape;

/// The scene's size in the mail, in CSS pixels (the PNG is twice that).
pub const SCENE_SIZE: (u32, u32) = (320, 160);

/// The mail form of the gauge for `view`, the illustration loaded from `scene_url`.
pub fn mail_snippet(view: &GaugeView, locale: Locale, scene_url: &str) -> String {
    ascii_only(&mail_html(view, locale, scene_url))
}

/// Every character beyond ASCII as a numeric character reference (`€` as `&#x20ac;`): a
/// newsletter tool, a mail client or a static file server that takes the fragment for another
/// encoding than UTF-8 still shows `€197,607`, never `â‚¬197,607`.
fn ascii_only(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    for c in html.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("&#x{:x};", c as u32));
        }
    }
    out
}

fn mail_html(view: &GaugeView, locale: Locale, scene_url: &str) -> String {
    let palette = Palette::of(Theme::Light);
    let fill = fill_colour(view, &palette);
    let font = "font-family:Arial,Helvetica,sans-serif;";
    // Whole percents for the cell widths: every client rounds them the same way.
    let filled = (view.fill / 100).min(100);
    let mut html = format!(
        "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"max-width:600px;background-color:{bg};border:1px solid {track};border-radius:8px;{font}color:{fg}\" lang=\"{lang}\">\n<tr><td style=\"padding:16px 20px\">\n",
        bg = palette.bg,
        track = palette.track,
        fg = palette.fg,
        lang = locale.tag(),
    );
    html.push_str(&format!(
        "<img src=\"{}\" width=\"{w}\" height=\"{h}\" alt=\"{}\" style=\"display:block;width:100%;max-width:{w}px;height:auto;margin:0 auto 8px;border:0\">\n",
        escape(scene_url),
        escape(&view.scene_alt),
        w = SCENE_SIZE.0,
        h = SCENE_SIZE.1,
    ));
    html.push_str(&format!(
        "<p style=\"margin:0 0 4px;font-size:14px;color:{}\">{}</p>\n",
        palette.muted,
        escape(&view.name)
    ));
    html.push_str(&format!(
        "<p style=\"margin:0 0 10px;font-size:16px;line-height:1.4\"><strong style=\"font-size:24px;color:{fg}\">{}</strong> {}\u{a0}·\u{a0}<strong>{}</strong></p>\n",
        escape(&view.raised),
        escape(&of_goal(view, locale)),
        escape(&view.percent),
        fg = palette.fg,
    ));
    // The bar: two cells whose widths are the share raised. A cell of zero width would be
    // dropped by some clients, so an empty or a full bar is one cell.
    let cell = |percent: u32, colour: &str| {
        format!(
            "<td width=\"{percent}%\" height=\"12\" style=\"height:12px;background-color:{colour};font-size:0;line-height:0\">&nbsp;</td>"
        )
    };
    let cells = match filled {
        0 => cell(100, &palette.track),
        100 => cell(100, fill),
        share => cell(share, fill) + &cell(100 - share, &palette.track),
    };
    html.push_str(&format!(
        "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-radius:6px\"><tr>{cells}</tr></table>\n"
    ));
    html.push_str(&format!(
        "<p style=\"margin:2px 0 10px;font-size:12px;text-align:right;color:{}\">{}</p>\n",
        palette.muted,
        escape(&view.goal_mark)
    ));
    if let Some(stretch) = &view.stretch {
        html.push_str(&format!(
            "<p style=\"margin:0 0 10px;font-size:13px;color:{}\">{}</p>\n",
            palette.muted,
            escape(&stretch.label)
        ));
    }
    html.push_str(&format!(
        "<p style=\"margin:0 0 4px;font-size:15px\"><strong>{}</strong> {}</p>\n",
        escape(&view.remaining),
        escape(view.remaining_label)
    ));
    html.push_str(&format!(
        "<p style=\"margin:0 0 10px;font-size:15px\">{} · {}</p>\n",
        escape(&countdown(view)),
        escape(&view.donors)
    ));
    html.push_str(&format!(
        "<p style=\"margin:0 0 12px;font-size:16px;line-height:1.45\">{}</p>\n",
        escape(&view.appeal)
    ));
    if let Some(donate) = &view.donate {
        // A "bulletproof" button: the cell carries the colour, so clients that ignore padding
        // on links still show a button, and the whole text is the link.
        html.push_str(&format!(
            "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr><td style=\"background-color:{accent};border-radius:6px\"><a href=\"{}\" style=\"display:inline-block;padding:10px 18px;{font}font-size:16px;font-weight:bold;color:{bg};text-decoration:none\">{}</a></td></tr></table>\n",
            escape(&donate.url),
            escape(&donate.label),
            accent = palette.accent,
            bg = palette.bg,
        ));
    }
    html.push_str("</td></tr>\n</table>\n");
    html
}

/// The illustration for `status` at its own instant, as a PNG at twice [`SCENE_SIZE`].
///
/// # Errors
///
/// As [`super::card::rasterise`] and [`super::card::encode_png`].
pub fn scene_png(
    status: &StatusDocument,
    locale: Locale,
) -> Result<Vec<u8>, super::card::CardError> {
    let (w, h) = SCENE_SIZE;
    let view = crate::view::gauge_view(status, locale, status.as_of());
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">{}</svg>",
        super::card::scene(status, status.as_of(), crate::view::Theme::Light)
    );
    super::card::encode_png(
        &super::card::rasterise(&svg, 2)?,
        &view.name,
        &view.scene_alt,
    )
}
