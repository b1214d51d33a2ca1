//! What every import fuzz target does with its bytes.

use std::path::Path;

use jauge_cli::amount::DecimalSeparator;
use jauge_cli::import::{parse_bytes, Context, Source};

pub fn import(source: Source, data: &[u8]) {
    let context = Context {
        currency: Some(jauge::Currency::EUR),
        zone: Some(chrono_tz::Europe::Paris),
        decimal: DecimalSeparator::Auto,
        date_order: None,
        interval: jauge::Interval::Monthly,
    };
    if let Ok(batch) = parse_bytes(source, Path::new("fuzz.csv"), data, &context) {
        for item in batch.items {
            // Every rejected row names where it is.
            if let Err(error) = item.entry {
                assert!(!error.to_string().is_empty());
            }
        }
    }
}
