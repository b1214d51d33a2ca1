//! Integration tests of the `jauge` binary, one test binary for the crate.

mod bucket;
mod budget;
mod catch_up;
mod currencies;
mod fake_api;
mod fuzz_regressions;
mod goals;
mod gocardless;
mod guide;
mod hook;
mod hostile;
mod import;
mod integrations;
mod live;
mod manual;
mod mollie;
mod oembed;
mod paypal;
mod publish;
mod reconcile;
mod render_engines;
mod report;
mod serve;
mod status;
mod store;
mod support;
