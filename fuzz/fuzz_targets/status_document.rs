//! Any text given to the status-document reader gives a document or an error; a document read
//! round-trips exactly.
#![no_main]

use jauge::StatusDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(document) = StatusDocument::from_json(text) {
        let again = StatusDocument::from_json(&document.to_json_pretty()).expect("a written document reads back");
        assert_eq!(again, document);
        for locale in jauge::Locale::ALL {
            let _ = document.appeal(locale);
        }
    }
});
