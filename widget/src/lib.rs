//! # jauge-widget — the embeddable live gauge
//!
//! yew function components over the core's [`StatusDocument`]: compiled to
//! WASM for the browser (feature `csr`: every `[data-jauge]` element on a page is mounted and
//! kept live) and rendered on the host (feature `ssr`: the same components as static HTML).
//!
//! [`view`] (from `jauge-draw`) computes everything shown (texts, bar positions, ARIA values)
//! with no yew in sight; [`components`] only maps it to HTML and SVG.

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod components;
#[cfg(feature = "ssr")]
pub mod snippet;

// The drawing layer, free of yew, in a crate of its own (`jauge-draw`): re-exported under the
// paths the components and the CLI use.
#[cfg(feature = "ssr")]
pub use jauge_draw::measure;
pub use jauge_draw::shapes as draw;
pub use jauge_draw::{art, view};

#[cfg(all(feature = "csr", target_arch = "wasm32"))]
mod browser;
#[cfg(all(feature = "csr", target_arch = "wasm32"))]
pub use browser::mount_all;

pub use components::{Fallback, FallbackProps, Gauge, GaugeProps};
pub use jauge::document::StatusDocument;
pub use view::{gauge_view, GaugeView, Size, State, Theme};
