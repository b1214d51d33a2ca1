#![cfg(not(target_arch = "wasm32"))]
//! Host tests of the widget: every component rendered with yew's server renderer.

mod goals;
mod render;
