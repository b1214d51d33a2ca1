//! Integration tests of jauge-platforms, one test binary for the crate.

mod gocardless_official;
mod helloasso_official;
mod mollie_official;
mod paypal_official;
mod python;
mod stripe_official;
