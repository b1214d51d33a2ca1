//! Integration tests of the `jauge` binary, one test binary for the crate.

mod bucket;
mod budget;
mod catch_up;
mod currencies;
mod fuzz_regressions;
mod goals;
mod guide;
mod hook;
mod hostile;
mod import;
mod integrations;
mod live;
mod manual;
mod oembed;
mod publish;
mod reconcile;
mod render_engines;
mod report;
mod serve;
mod status;
mod store;
mod support;
