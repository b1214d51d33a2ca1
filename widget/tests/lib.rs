//! Host tests of the widget: every component rendered with yew's server renderer.

mod render;
