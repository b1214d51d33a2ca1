//! Amounts as payment providers and spreadsheets write them: `1 234,50 €`, `1.234,50`,
//! `1,234.50`, `-12,00`, `€5`.

use jauge::Decimal;

/// Which character separates the decimals, when the file does not make it clear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DecimalSeparator {
    /// Decide per value, and refuse a value that could be read both ways (`1,234`).
    #[default]
    Auto,
    /// `1,234.50`.
    Point,
    /// `1.234,50` or `1 234,50`.
    Comma,
}

/// Reads a locale-formatted amount exactly.
///
/// Spaces of any kind and apostrophes are group separators; a currency symbol or code at either
/// end is ignored; `-`, `−` or parentheses make it negative. With [`DecimalSeparator::Auto`] the
/// last of `.` and `,` is the decimal separator when both appear, a separator that appears more
/// than once is a group separator, and a single one followed by exactly three digits is refused
/// as ambiguous rather than guessed.
///
/// # Errors
///
/// A message saying what is wrong with the text.
pub fn parse_amount(text: &str, separator: DecimalSeparator) -> Result<Decimal, String> {
    parse_amount_with_minor_digits(text, separator, None)
}

/// [`parse_amount`] for an amount in a currency with `minor_digits` decimals: with
/// [`DecimalSeparator::Auto`], a single separator followed by exactly three digits is no
/// longer ambiguous where the currency settles it (`1,234` is 1.234 KWD and 1234 JPY; in a
/// two-decimal currency it still could be either, and is refused).
///
/// # Errors
///
/// As [`parse_amount`].
pub fn parse_amount_in(
    text: &str,
    separator: DecimalSeparator,
    minor_digits: u32,
) -> Result<Decimal, String> {
    parse_amount_with_minor_digits(text, separator, Some(minor_digits))
}

fn parse_amount_with_minor_digits(
    text: &str,
    separator: DecimalSeparator,
    minor_digits: Option<u32>,
) -> Result<Decimal, String> {
    let not_amount = |why: &str| format!("{text:?} is not an amount: {why}");
    let mut body = text.trim();
    let mut negative = false;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = inner.trim();
    }
    // Currency symbols and codes at either end.
    body = body
        .trim_matches(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '−' | '+' | '.' | ',')));
    for sign in ['-', '−'] {
        if let Some(rest) = body.strip_prefix(sign).or_else(|| body.strip_suffix(sign)) {
            negative = !negative;
            body = rest;
            break;
        }
    }
    if let Some(rest) = body.strip_prefix('+') {
        body = rest;
    }
    body = body
        .trim_matches(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '−' | '+')));
    // Spaces and apostrophes can only group digits: mark them so the grouping check sees them.
    let compact: String = body
        .chars()
        .map(|c| {
            if c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’') {
                'G'
            } else {
                c
            }
        })
        .collect();
    if compact.is_empty()
        || !compact
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'G'))
    {
        return Err(not_amount(
            "expected digits with an optional decimal separator",
        ));
    }
    let points = compact.matches('.').count();
    let commas = compact.matches(',').count();
    let decimal = match separator {
        DecimalSeparator::Point => Some('.'),
        DecimalSeparator::Comma => Some(','),
        DecimalSeparator::Auto => match (points, commas) {
            (0, 0) => None,
            (_, 0) if points > 1 => None,
            (0, _) if commas > 1 => None,
            (1, 0) | (0, 1) => {
                let (_, after) = compact.split_once(['.', ',']).unwrap_or_default();
                let digits = after.len();
                if digits == 3 && minor_digits == Some(0) {
                    // A currency without decimals: only thousands.
                    None
                } else if digits == 3 && minor_digits != Some(3) {
                    return Err(not_amount(
                        "it could be read with the separator as decimals or as thousands; \
                         say which with --decimal-separator",
                    ));
                } else {
                    compact.chars().find(|c| matches!(c, '.' | ','))
                }
            }
            _ => compact.chars().rev().find(|c| matches!(c, '.' | ',')),
        },
    };
    let (whole, fraction) = match decimal {
        Some(d) => match compact.rsplit_once(d) {
            Some((whole, fraction)) if compact.matches(d).count() == 1 => (whole, Some(fraction)),
            Some(_) => return Err(not_amount("more than one decimal separator")),
            None => (compact.as_str(), None),
        },
        None => (compact.as_str(), None),
    };
    let group = match decimal {
        Some('.') => ',',
        Some(_) => '.',
        None if points > 0 => '.',
        None => ',',
    };
    let groups: Vec<&str> = whole.split([group, 'G']).collect();
    let well_grouped = groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
        || (groups.len() > 1 && !well_grouped)
    {
        return Err(not_amount("digit groups must be of three"));
    }
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return Err(not_amount("expected digits after the decimal separator"));
    }
    let mut plain = groups.concat();
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    let value = Decimal::from_str_exact(&plain).map_err(|_| not_amount("too many digits"))?;
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(text: &str) -> Result<String, String> {
        parse_amount(text, DecimalSeparator::Auto).map(|d| d.to_string())
    }

    #[test]
    fn reads_what_providers_write() {
        assert_eq!(auto("1 234,50").unwrap(), "1234.50");
        assert_eq!(auto("1\u{202f}234,50\u{a0}€").unwrap(), "1234.50");
        assert_eq!(auto("1.234,50").unwrap(), "1234.50");
        assert_eq!(auto("1,234.50").unwrap(), "1234.50");
        assert_eq!(auto("1'234.50").unwrap(), "1234.50");
        assert_eq!(auto("-12,00").unwrap(), "-12.00");
        assert_eq!(auto("12,00-").unwrap(), "-12.00");
        assert_eq!(auto("(5.00)").unwrap(), "-5.00");
        assert_eq!(auto("€5").unwrap(), "5");
        assert_eq!(auto("30,5 EUR").unwrap(), "30.5");
        assert_eq!(auto("1.234.567").unwrap(), "1234567");
        assert_eq!(auto("1,234,567.5").unwrap(), "1234567.5");
        assert_eq!(auto("−3,20").unwrap(), "-3.20");
    }

    #[test]
    fn the_currency_settles_three_digits_after_one_separator() {
        let read = |text: &str, digits: u32| {
            parse_amount_in(text, DecimalSeparator::Auto, digits).map(|d| d.to_string())
        };
        assert_eq!(read("45,00", 2).unwrap(), "45.00");
        assert_eq!(read("1,234", 3).unwrap(), "1.234");
        assert_eq!(read("1,234", 0).unwrap(), "1234");
        assert_eq!(read("1.234", 0).unwrap(), "1234");
        assert!(read("1,234", 2)
            .unwrap_err()
            .contains("--decimal-separator"));
        assert_eq!(read("1 234,56", 2).unwrap(), "1234.56");
    }

    #[test]
    fn refuses_to_guess() {
        assert!(auto("1,234").unwrap_err().contains("--decimal-separator"));
        assert!(auto("1.000").is_err());
        assert_eq!(
            parse_amount("1.000", DecimalSeparator::Comma)
                .unwrap()
                .to_string(),
            "1000"
        );
        assert_eq!(
            parse_amount("1,000", DecimalSeparator::Comma)
                .unwrap()
                .to_string(),
            "1.000"
        );
        for bad in [
            "12,3,4", "", "abc", "1.23.4,5", "12,,3", "1 2,5", "--5", "1,2.3.4", "1  234",
            "12 34,5",
        ] {
            assert!(auto(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            auto("12,3,4").unwrap_err(),
            "\"12,3,4\" is not an amount: digit groups must be of three"
        );
    }
}
