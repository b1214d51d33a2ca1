//! The compact CLDR table against independent implementations: ICU (through the fixtures that
//! `core/cldr/generate.mjs` writes from Node's ICU) and ICU4X's `icu_decimal`.

use jauge::{Currency, Decimal, Locale};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixtures {
    cldr: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    locale: String,
    kind: String,
    currency: Option<String>,
    value: String,
    digits: u32,
    expected: String,
}

fn ours(case: &Case) -> String {
    let locale = Locale::from_tag(&case.locale).unwrap();
    let value: Decimal = case.value.parse().unwrap();
    match case.kind.as_str() {
        "decimal" => locale.format_decimal(value, case.digits),
        "percent" => locale.format_percent(case.value.parse().unwrap()),
        "currency" => {
            let currency = Currency::try_new(case.currency.as_deref().unwrap()).unwrap();
            locale.format_money_digits(value, currency, case.digits)
        }
        other => panic!("unknown fixture kind {other}"),
    }
}

#[test]
fn every_icu_fixture_matches() {
    let fixtures: Fixtures =
        serde_json::from_str(include_str!("../../tests/fixtures/cldr-format.json")).unwrap();
    assert!(fixtures.cases.len() > 5000, "fixtures are missing");
    let mismatches: Vec<String> = fixtures
        .cases
        .iter()
        .filter(|case| ours(case) != case.expected)
        .map(|case| {
            format!(
                "{} {} {:?} {} ({} digits): ICU {:?}, jauge {:?}",
                case.locale,
                case.kind,
                case.currency,
                case.value,
                case.digits,
                case.expected,
                ours(case)
            )
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ from CLDR {}:\n{}",
        mismatches.len(),
        fixtures.cases.len(),
        fixtures.cldr,
        mismatches.join("\n")
    );
}

fn icu4x(locale: Locale, value: &str) -> String {
    let tag: icu_locale_core::Locale = locale.tag().parse().unwrap();
    let formatter = icu_decimal::DecimalFormatter::try_new(tag.into(), Default::default()).unwrap();
    let decimal: icu_decimal::input::Decimal = value.parse().unwrap();
    formatter.format(&decimal).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decimals_match_icu4x(
        mantissa in -999_999_999_999i64..999_999_999_999,
        scale in 0u32..4,
        locale in prop::sample::select(Locale::ALL.to_vec()),
    ) {
        let value = Decimal::new(mantissa, scale);
        // Exactly `scale` digits, so no rounding is involved: this checks grouping and symbols.
        let ours = locale.format_decimal(value, scale);
        prop_assert_eq!(ours, icu4x(locale, &value.to_string()));
    }
}

#[test]
fn four_digit_grouping_per_locale_agrees_with_icu4x() {
    for locale in Locale::ALL {
        for value in ["7398", "71398", "1234567", "-7398", "999"] {
            assert_eq!(
                locale.format_decimal(value.parse().unwrap(), 0),
                icu4x(locale, value),
                "{locale} {value}"
            );
        }
    }
}
