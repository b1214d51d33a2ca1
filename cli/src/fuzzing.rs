//! What each fuzz target checks, shared by the cargo-fuzz binaries (`fuzz/`) and the test that
//! replays their seeds and every crasher found (`fuzz/regressions/<target>/`), so a bug a fuzzer
//! once found stays found.

use std::path::Path;

use jauge::{Currency, Interval, Locale, StatusDocument};

use crate::amount::{parse_amount, DecimalSeparator};
use crate::campaign_file::CampaignFile;
use crate::import::{parse_bytes, Context, Source};

/// Runs the check of fuzz target `target` (its name in `fuzz/Cargo.toml`) on `data`. Panics,
/// as a fuzz target must, when a property fails; returns false for an unknown target.
pub fn run(target: &str, data: &[u8]) -> bool {
    let source = match target {
        "import_jauge" => Some(Source::Jauge),
        "import_framasoft" => Some(Source::Framasoft),
        "import_helloasso" => Some(Source::Helloasso),
        "import_stripe" => Some(Source::Stripe),
        "import_stripe_balance" => Some(Source::StripeBalance),
        "import_paypal" => Some(Source::Paypal),
        "import_gocardless" => Some(Source::Gocardless),
        "import_mollie" => Some(Source::Mollie),
        "import_opencollective" => Some(Source::Opencollective),
        "import_liberapay" => Some(Source::Liberapay),
        _ => None,
    };
    if let Some(source) = source {
        import(source, data);
        return true;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return matches!(target, "amount" | "status_document" | "campaign_file");
    };
    match target {
        "amount" => amount(text),
        "status_document" => status_document(text),
        "campaign_file" => campaign_file(text),
        _ => return false,
    }
    true
}

/// Any bytes give rows or row errors that name where they are; never a panic.
fn import(source: Source, data: &[u8]) {
    let context = Context {
        currency: Some(Currency::EUR),
        zone: Some(chrono_tz::Europe::Paris),
        decimal: DecimalSeparator::Auto,
        date_order: None,
        interval: Interval::Monthly,
        form: None,
    };
    if let Ok(batch) = parse_bytes(source, Path::new("fuzz.csv"), data, &context) {
        for item in batch.items {
            if let Err(error) = item.entry {
                assert!(error.to_string().starts_with("fuzz.csv"), "{error}");
            }
        }
    }
}

/// What is read prints back as a plain decimal that reads the same.
fn amount(text: &str) {
    for separator in [
        DecimalSeparator::Auto,
        DecimalSeparator::Point,
        DecimalSeparator::Comma,
    ] {
        if let Ok(value) = parse_amount(text, separator) {
            assert_eq!(
                parse_amount(&value.to_string(), DecimalSeparator::Point).ok(),
                Some(value),
                "{text:?}"
            );
        }
    }
}

/// A document read round-trips exactly and renders in every locale; and `from_json` (serde-free,
/// for the browser) agrees with serde's derive: what it reads, serde reads the same, and what
/// serde reads, it reads once written canonically (serde also takes structs as arrays, a form
/// `from_json` refuses on purpose).
fn status_document(text: &str) {
    let ours = StatusDocument::from_json(text);
    let theirs = serde_json::from_str::<StatusDocument>(text);
    if let Ok(document) = &ours {
        assert_eq!(theirs.as_ref().ok(), Some(document), "{text:?}");
    }
    if let Ok(document) = &theirs {
        let canonical = StatusDocument::from_json(&document.to_json_pretty());
        assert_eq!(canonical.as_ref().ok(), Some(document), "{text:?}");
    }
    if let Ok(document) = ours {
        let again = StatusDocument::from_json(&document.to_json_pretty())
            .expect("a written document reads back");
        assert_eq!(again, document);
        for locale in Locale::ALL {
            let _ = document.appeal(locale);
        }
    }
}

/// A campaign read computes a status.
fn campaign_file(text: &str) {
    if let Ok(file) = CampaignFile::from_text(Path::new("/nonexistent/campaign.toml"), text) {
        let _ = file.campaign.status([], file.campaign.start());
        let _ = file.budget.map(|b| b.gap());
    }
}
