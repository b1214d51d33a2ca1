//! `jauge badge`: the gauge as a standalone SVG, like a README badge, for places that show
//! images but run no script (forums, READMEs, mail).

use crate::style::Palette;
use crate::view::{GaugeView, Theme};
use jauge::Decimal;

use super::gauge::{bar, countdown, fill_colour, of_goal, share, BarBox};
use super::text::{escape, n, text_run, width, FONT_FAMILY};

/// The badge's shape.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum BadgeShape {
    /// One line, 20 units high: the campaign's name, then raised of goal and the percentage over
    /// a bar that fills as money comes in.
    Bar,
    /// A small card: name, figures, bar with milestones, percentage, time left and donors.
    Compact,
}

/// The SVG's opening with its title and description; `id` keeps their ids unique when several
/// badges are inline in one page.
fn svg_open(id: &str, width: Decimal, height: u32, view: &GaugeView) -> String {
    let title = format!("{}: {}", view.name, view.value_text);
    let desc = format!("{} · {}", view.donors, view.appeal);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_FAMILY}\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&title),
        escape(&desc),
        w = n(width),
    )
}

/// The badge's drawing after its title, as a link to the donation page when the campaign has
/// one (followed where the SVG is opened or inlined; an `<img>` needs an `<a>` around it).
fn linked(view: &GaugeView, drawing: String) -> String {
    match &view.donate {
        Some(donate) => format!(
            "<a href=\"{}\" target=\"_top\">{drawing}</a>",
            escape(&donate.url)
        ),
        None => drawing,
    }
}

/// The badge for a gauge view (computed by the widget's own view model, so the figures and
/// words are the live gauge's).
pub fn badge(view: &GaugeView, locale: jauge::Locale, shape: BadgeShape) -> String {
    let palette = Palette::of(Theme::Light);
    let fill = fill_colour(view, &palette);
    match shape {
        BadgeShape::Bar => {
            let size = 11;
            let pad = Decimal::from(6);
            let label = &view.name;
            let value = format!("{} / {} · {}", view.raised, view.goal, view.percent);
            let left = width(label, size, false) + pad * Decimal::TWO;
            let right = width(&value, size, true) + pad * Decimal::TWO;
            // Whole pixels wide, so that every renderer gives the image the same size.
            let right = (left + right).ceil() - left;
            let total = left + right;
            let mut svg = svg_open("jauge-badge-bar", total, 20, view);
            let opened = svg.len();
            svg.push_str(&format!(
                "<rect width=\"{}\" height=\"20\" rx=\"3\" fill=\"{}\"/>\
<rect x=\"{}\" width=\"{}\" height=\"20\" fill=\"{}\"/>\
<rect x=\"{}\" width=\"{}\" height=\"20\" fill=\"{fill}\"/>",
                n(total),
                palette.fg,
                n(left),
                n(right),
                palette.muted,
                n(left),
                n(share(right, view.fill)),
            ));
            // The milestones, as on the live gauge's bar (the goal is not always its end): a
            // notch at the top and at the bottom edge, clear of the digits between them (the
            // text runs from about y 6 to y 17 at this size).
            for marker in &view.markers {
                let x = left + share(right, marker.position);
                if x < total {
                    svg.push_str(&format!(
                        "<path class=\"tick\" d=\"M{x} 0V3M{x} 17.5V20\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>",
                        x = n(x)
                    ));
                }
            }
            svg.push_str(&text_run(
                pad,
                Decimal::from(14),
                size,
                false,
                "#ffffff",
                label,
            ));
            svg.push_str(&text_run(
                left + pad,
                Decimal::from(14),
                size,
                true,
                "#ffffff",
                &value,
            ));
            let drawing = svg.split_off(opened);
            svg.push_str(&linked(view, drawing));
            svg.push_str("</svg>\n");
            svg
        }
        BadgeShape::Compact => {
            let w = Decimal::from(360);
            let inner = w - Decimal::from(32);
            let mut svg = svg_open("jauge-badge", w, 112, view);
            let opened = svg.len();
            svg.push_str(&format!(
                "<rect x=\"0.5\" y=\"0.5\" width=\"359\" height=\"111\" rx=\"10\" fill=\"{}\" stroke=\"{}\"/>",
                palette.bg, palette.track
            ));
            // The donors on the name's line, right-aligned: every locale's words then fit.
            let donors_width = width(&view.donors, 12, false);
            svg.push_str(&text_run(
                Decimal::from(16) + inner - donors_width,
                Decimal::from(24),
                12,
                false,
                &palette.muted,
                &view.donors,
            ));
            let name = super::text::fit(
                &view.name,
                13,
                false,
                inner - donors_width - Decimal::from(12),
            );
            svg.push_str(&text_run(
                Decimal::from(16),
                Decimal::from(24),
                13,
                false,
                &palette.muted,
                &name,
            ));
            let raised_width = width(&view.raised, 20, true);
            svg.push_str(&text_run(
                Decimal::from(16),
                Decimal::from(50),
                20,
                true,
                &palette.fg,
                &view.raised,
            ));
            let of = super::text::fit(
                &of_goal(view, locale),
                13,
                false,
                inner - raised_width - Decimal::from(6),
            );
            svg.push_str(&text_run(
                Decimal::from(22) + raised_width,
                Decimal::from(50),
                13,
                false,
                &palette.fg,
                &of,
            ));
            svg.push_str(&bar(
                view,
                &palette,
                &BarBox {
                    x: Decimal::from(16),
                    y: Decimal::from(62),
                    width: inner,
                    height: Decimal::from(10),
                    tick: Decimal::new(15, 1),
                },
            ));
            let time = countdown(view);
            let line = format!("{} {} · {}", view.remaining, view.remaining_label, time);
            // The percentage, right-aligned in bold, where every locale has room for it.
            let percent_width = width(&view.percent, 13, true);
            svg.push_str(&text_run(
                Decimal::from(16) + inner - percent_width,
                Decimal::from(94),
                13,
                true,
                &palette.fg,
                &view.percent,
            ));
            // A long locale's line is set a size smaller before anything is cut.
            let room = inner - percent_width - Decimal::from(12);
            let size = if width(&line, 12, false) <= room {
                12
            } else {
                11
            };
            let line = super::text::fit(&line, size, false, room);
            svg.push_str(&text_run(
                Decimal::from(16),
                Decimal::from(94),
                size,
                false,
                &palette.muted,
                &line,
            ));
            let drawing = svg.split_off(opened);
            svg.push_str(&linked(view, drawing));
            svg.push_str("</svg>\n");
            svg
        }
    }
}
