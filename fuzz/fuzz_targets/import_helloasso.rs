//! Any bytes given to the helloasso import parser give rows or errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jauge_fuzz_support::import(jauge_cli::import::Source::Helloasso, data);
});
