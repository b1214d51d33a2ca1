//! ISO 4217 currencies.

use std::fmt;
use std::str::FromStr;

use crate::cldr_symbols::CURRENCIES;

/// An active ISO 4217 currency: its three-letter code and how many minor units it has
/// (EUR 2, JPY 0, BHD 3).
///
/// Only codes in the ISO 4217 list of active currencies are accepted, so a typo such as `"EUT"`
/// is an error rather than a new currency.
///
/// # Example
///
/// ```
/// use jauge::Currency;
///
/// let eur: Currency = "EUR".parse()?;
/// assert_eq!(eur.code(), "EUR");
/// assert_eq!(eur.minor_units(), 2);
/// assert_eq!(Currency::JPY.minor_units(), 0);
/// # Ok::<(), jauge::CurrencyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

/// Why a currency code was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    /// The text is not three ASCII letters.
    // Quoted by hand, not with `{:?}`: Debug's escaping and its Unicode tables would weigh
    // on the browser bundle.
    #[error("\"{0}\" is not a currency code: expected three letters such as \"EUR\"")]
    Malformed(String),
    /// Three letters, but not an active ISO 4217 currency.
    #[error("\"{0}\" is not an active ISO 4217 currency code")]
    Unknown(String),
}

impl Currency {
    /// The euro.
    pub const EUR: Currency = Currency::new("EUR");
    /// The United States dollar.
    pub const USD: Currency = Currency::new("USD");
    /// The pound sterling.
    pub const GBP: Currency = Currency::new("GBP");
    /// The Swiss franc.
    pub const CHF: Currency = Currency::new("CHF");
    /// The Japanese yen (no minor unit).
    pub const JPY: Currency = Currency::new("JPY");
    /// The Canadian dollar.
    pub const CAD: Currency = Currency::new("CAD");

    /// The currency with this ISO 4217 code, for literals.
    ///
    /// # Panics
    ///
    /// If `code` is not an active ISO 4217 code in upper case. Use [`Currency::try_new`] for
    /// codes that come from input.
    pub const fn new(code: &str) -> Currency {
        match Currency::lookup(code.as_bytes()) {
            Some(currency) => currency,
            None => panic!("not an active ISO 4217 currency code"),
        }
    }

    /// The currency with this ISO 4217 code (case-insensitive, surrounding spaces ignored).
    ///
    /// # Errors
    ///
    /// [`CurrencyError::Malformed`] if the text is not three letters,
    /// [`CurrencyError::Unknown`] if it is not an active ISO 4217 code.
    ///
    /// # Example
    ///
    /// ```
    /// use jauge::{Currency, CurrencyError};
    ///
    /// assert_eq!(Currency::try_new(" eur ")?, Currency::EUR);
    /// assert!(matches!(Currency::try_new("EUT"), Err(CurrencyError::Unknown(_))));
    /// # Ok::<(), CurrencyError>(())
    /// ```
    pub fn try_new(code: &str) -> Result<Currency, CurrencyError> {
        let trimmed = code.trim();
        if trimmed.len() != 3 || !trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(CurrencyError::Malformed(code.to_owned()));
        }
        let upper = trimmed.to_ascii_uppercase();
        Currency::lookup(upper.as_bytes()).ok_or(CurrencyError::Unknown(upper))
    }

    const fn lookup(code: &[u8]) -> Option<Currency> {
        if code.len() != 3 {
            return None;
        }
        let mut i = 0;
        while i < CURRENCIES.len() {
            let (known, minor_units) = CURRENCIES[i];
            let known = known.as_bytes();
            if known[0] == code[0] && known[1] == code[1] && known[2] == code[2] {
                return Some(Currency {
                    code: [code[0], code[1], code[2]],
                    minor_units,
                });
            }
            i += 1;
        }
        None
    }

    /// The three-letter code, e.g. `"EUR"`.
    pub fn code(&self) -> &str {
        // The code was checked to be ASCII letters on construction.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// The number of minor units: 2 for EUR (cents), 0 for JPY, 3 for BHD.
    pub const fn minor_units(&self) -> u32 {
        self.minor_units as u32
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;

    fn from_str(s: &str) -> Result<Currency, CurrencyError> {
        Currency::try_new(s)
    }
}

crate::serde_via_str!(Currency);

impl crate::json::FromJson for Currency {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Currency, crate::json::Invalid> {
        crate::json::from_text(value, at, "a currency code")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_follow_iso_4217() {
        assert_eq!(Currency::EUR.minor_units(), 2);
        assert_eq!(Currency::JPY.minor_units(), 0);
        assert_eq!(Currency::new("KRW").minor_units(), 0);
        assert_eq!(Currency::new("BHD").minor_units(), 3);
        assert_eq!(Currency::new("CLF").minor_units(), 4);
    }

    #[test]
    fn rejects_malformed_and_unknown_codes() {
        assert_eq!(
            Currency::try_new("EU"),
            Err(CurrencyError::Malformed("EU".into()))
        );
        assert_eq!(
            Currency::try_new("€"),
            Err(CurrencyError::Malformed("€".into()))
        );
        assert_eq!(
            Currency::try_new("eut"),
            Err(CurrencyError::Unknown("EUT".into()))
        );
        assert_eq!(
            Currency::try_new("xyz").unwrap_err().to_string(),
            "\"XYZ\" is not an active ISO 4217 currency code"
        );
    }

    #[test]
    fn serde_is_the_code() {
        let json = serde_json::to_string(&Currency::CHF).unwrap();
        assert_eq!(json, "\"CHF\"");
        assert_eq!(
            serde_json::from_str::<Currency>("\"chf\"").unwrap(),
            Currency::CHF
        );
        assert!(serde_json::from_str::<Currency>("\"FRF\"").is_err());
        assert!(serde_json::from_str::<Currency>("978").is_err());
    }
}
