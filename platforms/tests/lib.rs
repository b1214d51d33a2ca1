//! Integration tests of jauge-platforms, one test binary for the crate.

mod stripe_official;
