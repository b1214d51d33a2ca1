//! The import_gocardless check of `jauge_cli::fuzzing`, on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jauge_cli::fuzzing::run("import_gocardless", data);
});
