//! The integration tests of the `jauge` core, one binary.

mod support;

mod appeal;
mod checkpoints;
mod cldr;
mod countdown;
mod document;
mod goals;
mod money_laws;
mod reader;
mod status;
mod time_zones;
