//! The library behind the `jauge` command: reading campaign files, ledgers and provider
//! exports, and rendering what the core computes for finance staff. The core does every
//! computation; this crate only reads files and writes text.

pub use jauge_platforms::amount;
pub mod budget_file;
pub mod campaign_file;
pub mod catch_up;
pub mod commands;
pub mod compare;
pub mod count;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod ledger;
pub mod publish;
pub mod receive;
pub mod render;
pub mod unique;
pub mod webhook;
pub mod xlsx;
