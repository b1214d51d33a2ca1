//! Any text given to the locale-aware amount parser gives an exact amount or an error.
#![no_main]

use jauge_cli::amount::{parse_amount, DecimalSeparator};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for separator in [DecimalSeparator::Auto, DecimalSeparator::Point, DecimalSeparator::Comma] {
        if let Ok(value) = parse_amount(text, separator) {
            // What was read prints back as a plain decimal that reads the same.
            assert_eq!(parse_amount(&value.to_string(), DecimalSeparator::Point).ok(), Some(value));
        }
    }
});
