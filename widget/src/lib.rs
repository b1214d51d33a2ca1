//! The embeddable jauge widget. Its components arrive with the widget issue; until then this crate
//! only re-exports the status document it will render, so downstream code can already depend on it.

pub use jauge::document::StatusDocument;
