//! Integration tests of jauge-hooks, one test binary for the crate.

mod stripe_official;
