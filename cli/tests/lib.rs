//! Integration tests of the `jauge` binary, one test binary for the crate.

mod budget;
mod import;
mod report;
mod status;
mod support;
