//! # jauge-draw — what a gauge shows, and how it is drawn
//!
//! The layer between the core's [`jauge::StatusDocument`] and every surface that draws a gauge:
//! the live widget's yew components, the static snippet, the badges, the card and the charts.
//! No yew and no I/O here.
//!
//! - [`view`]: everything a gauge shows at an instant (texts, bar positions, ARIA values), in the
//!   reader's language;
//! - [`shapes`]: the bar's fill and ticks, computed once for every surface;
//! - [`art`]: the scene (the drawing's views, their alternative texts);
//! - with the feature `host` (everything but the browser's build): `measure` (text widths,
//!   fitting and wrapping in the bundled DejaVu Sans), `style` (the stylesheet and each theme's
//!   palette), `gauge` (the bar and the countdown for the drawings below), `badge`, `card` (the
//!   social card, SVG and PNG), `chart` (the report's charts), `mail` (the gauge for e-mail),
//!   `text` (SVG text runs).

pub mod art;
pub mod shapes;
pub mod view;

#[cfg(feature = "host")]
pub mod badge;
#[cfg(feature = "host")]
pub mod card;
#[cfg(feature = "host")]
pub mod chart;
#[cfg(feature = "host")]
pub mod gauge;
#[cfg(feature = "host")]
pub mod mail;
#[cfg(feature = "host")]
pub mod measure;
#[cfg(feature = "host")]
pub mod style;
#[cfg(feature = "host")]
pub mod text;

/// The campaign's zone, as its status document names it (UTC for a name this build does not
/// know, which a document jauge wrote never holds).
#[cfg(feature = "host")]
pub fn zone_of(status: &jauge::StatusDocument) -> chrono_tz::Tz {
    status
        .campaign()
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::UTC)
}

pub use view::{gauge_view, GaugeView, Size, State, Theme};
