//! Texts a campaign gives in one language for all, or in several: its name, its milestones'
//! labels, its donation address and the label of its donate button.

use serde::{Deserialize, Serialize};

use crate::{Locale, SmallMap};

/// A text in one or several languages.
///
/// Written as a plain string (the same text in every language) or as a table keyed by language
/// (`{ en = "Budget balanced", fr = "Budget à l’équilibre" }`). A language the table does not
/// hold gets English, else the first language given in [`Locale::ALL`]'s order. French texts
/// get French typography's no-break spaces before `:`, `;`, `!` and `?`, as appeals do.
///
/// # Example
///
/// ```
/// use jauge::{Locale, Localized};
///
/// let label: Localized = serde_json::from_str(r#"{"en": "Halfway", "fr": "À mi-chemin"}"#)?;
/// assert_eq!(label.get(Locale::Fr), "À mi-chemin");
/// assert_eq!(label.get(Locale::De), "Halfway");
/// assert_eq!(Localized::new("Framasoft 2023").get(Locale::Nl), "Framasoft 2023");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Localized {
    fallback: String,
    by_locale: SmallMap<Locale, String>,
}

/// Why a table of texts is not a [`Localized`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalizedError {
    /// The table names no language at all.
    #[error("expected a text, or a table of texts keyed by language (en, fr, de, es, it, nl)")]
    Empty,
}

impl Localized {
    /// The same text in every language.
    pub fn new(text: impl Into<String>) -> Localized {
        Localized {
            fallback: text.into(),
            by_locale: SmallMap::new(),
        }
    }

    /// A text per language.
    ///
    /// # Errors
    ///
    /// [`LocalizedError::Empty`] if `texts` names no language.
    pub fn try_from_locales(
        mut texts: SmallMap<Locale, String>,
    ) -> Result<Localized, LocalizedError> {
        if let Some(french) = texts.get_mut(&Locale::Fr) {
            let mut spaced = String::with_capacity(french.len());
            crate::appeal::french_spacing(french, &mut spaced);
            *french = spaced;
        }
        let fallback = texts
            .get(&Locale::En)
            .or_else(|| texts.values().next())
            .ok_or(LocalizedError::Empty)?
            .clone();
        Ok(Localized {
            fallback,
            by_locale: texts,
        })
    }

    /// The text for `locale`: its own, else the fallback.
    pub fn get(&self, locale: Locale) -> &str {
        self.by_locale.get(&locale).unwrap_or(&self.fallback)
    }

    /// The language of the text [`Localized::get`] gives for `locale` when it is not `locale`'s
    /// own: the fallback's (English, or the first given). `None` when `locale` has its own text,
    /// or for a plain string (written in one language jauge is not told). A page marks such a
    /// text with its `lang`, so a screen reader reads an English label in English inside a
    /// German gauge.
    pub fn borrowed_language(&self, locale: Locale) -> Option<Locale> {
        // The table is sorted by language and English sorts first: "English, or the first
        // given" is its first entry.
        match self.own(locale) {
            Some(_) => None,
            None => self.by_locale.keys().next().copied(),
        }
    }

    /// The text written for `locale`: the one text of a plain string, or the table's entry for
    /// `locale`, and none when the table leaves that language out (for texts where jauge has
    /// its own words in every language, such as the donate button's label).
    pub fn own(&self, locale: Locale) -> Option<&str> {
        if self.by_locale.is_empty() {
            Some(&self.fallback)
        } else {
            self.by_locale.get(&locale).map(String::as_str)
        }
    }

    /// The text for a language the campaign did not write for (English, or the first given).
    pub fn fallback(&self) -> &str {
        &self.fallback
    }

    /// Every text it holds, the fallback first (for checks that apply to each).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.fallback.as_str()).chain(self.by_locale.values().map(String::as_str))
    }

    /// Whether it gives texts per language.
    pub fn is_per_locale(&self) -> bool {
        !self.by_locale.is_empty()
    }
}

impl From<String> for Localized {
    fn from(text: String) -> Localized {
        Localized::new(text)
    }
}

impl From<&str> for Localized {
    fn from(text: &str) -> Localized {
        Localized::new(text)
    }
}

impl Serialize for Localized {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.by_locale.is_empty() {
            serializer.serialize_str(&self.fallback)
        } else {
            self.by_locale.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Localized, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            One(String),
            PerLocale(SmallMap<Locale, String>),
        }
        match Repr::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(
                "expected a text, or a table of texts keyed by language (en, fr, de, es, it, nl)",
            )
        })? {
            Repr::One(text) => Ok(Localized::new(text)),
            Repr::PerLocale(texts) => {
                Localized::try_from_locales(texts).map_err(serde::de::Error::custom)
            }
        }
    }
}

impl crate::json::FromJson for Localized {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Localized, crate::json::Invalid> {
        match value {
            crate::json::Value::String(text) => Ok(Localized::new(text.clone())),
            other => Localized::try_from_locales(SmallMap::from_json(other, at)?)
                .map_err(|e| at.invalid(e)),
        }
    }
}

/// Where and how a visitor gives: the donation page's address and the donate button's label,
/// each optionally per language.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Donate {
    /// The donation page (an absolute http or https address).
    pub url: Localized,
    /// The button's label; jauge's own ("Donate", "Faire un don"…) when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Localized>,
}

crate::json::struct_from_json!(Donate, "where visitors give", {
    url: field,
    label: optional,
});

/// Why an address is not one a donate link may point to.
pub(crate) fn web_address_problem(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some("expected an absolute http:// or https:// address");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Byte-wise: `str::contains` with a char pattern carries the substring searcher (1.8 KB of
    // the browser bundle) for characters of more than one byte.
    if host.is_empty() || host.bytes().any(|b| b == b'@') {
        return Some("expected a host name after the scheme, with no user name");
    }
    if url.contains(|c: char| {
        c.is_whitespace()
            || c.is_control()
            || b"\"'<>`\\".iter().any(|&b| u32::from(b) == u32::from(c))
    }) {
        return Some("an address has no space, quote, angle bracket, backtick or backslash");
    }
    None
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_borrowed_text_names_its_language() {
        let table = |pairs: &[(Locale, &str)]| {
            let mut texts = crate::SmallMap::new();
            for (locale, text) in pairs {
                texts.insert(*locale, (*text).to_owned());
            }
            Localized::try_from_locales(texts).unwrap()
        };
        let both = table(&[(Locale::Fr, "Équilibre"), (Locale::En, "Balanced")]);
        assert_eq!(both.borrowed_language(Locale::Fr), None);
        assert_eq!(both.borrowed_language(Locale::En), None);
        assert_eq!(both.borrowed_language(Locale::De), Some(Locale::En));
        assert_eq!(both.get(Locale::De), "Balanced");
        // No English: the first given, which is the text given.
        let no_english = table(&[(Locale::Nl, "Evenwicht"), (Locale::Fr, "Équilibre")]);
        assert_eq!(no_english.borrowed_language(Locale::De), Some(Locale::Fr));
        assert_eq!(no_english.get(Locale::De), "Équilibre");
        // A plain string: its language is not known.
        assert_eq!(
            Localized::new("Balanced").borrowed_language(Locale::De),
            None
        );
    }

    use super::*;
    use crate::json::FromJson;

    #[test]
    fn a_string_or_a_table() {
        let one: Localized = serde_json::from_str(r#""Framasoft""#).unwrap();
        assert!(!one.is_per_locale());
        assert_eq!(serde_json::to_string(&one).unwrap(), r#""Framasoft""#);
        let many: Localized = serde_json::from_str(r#"{"fr": "Étape", "de": "Etappe"}"#).unwrap();
        let spaced: Localized = serde_json::from_str(r#"{"fr": "Bonus : un service !"}"#).unwrap();
        assert_eq!(spaced.get(Locale::Fr), "Bonus\u{a0}: un service\u{202f}!");
        // No English: the first in Locale::ALL's order.
        assert_eq!(many.get(Locale::Nl), "Étape");
        assert_eq!(many.get(Locale::De), "Etappe");
        assert_eq!(
            serde_json::to_string(&many).unwrap(),
            r#"{"fr":"Étape","de":"Etappe"}"#
        );
        let error = serde_json::from_str::<Localized>("{}").unwrap_err();
        assert!(error.to_string().contains("keyed by language"), "{error}");
        let error = serde_json::from_str::<Localized>(r#"{"xx": "?"}"#).unwrap_err();
        assert!(error.to_string().contains("keyed by language"), "{error}");
    }

    #[test]
    fn the_browser_reader_agrees_with_serde() {
        for json in [
            r#""Framasoft""#,
            r#"{"en": "Halfway", "fr": "À mi-chemin"}"#,
        ] {
            let value = crate::json::parse(json).unwrap();
            let read = Localized::from_json(&value, crate::json::At::Root).unwrap();
            assert_eq!(read, serde_json::from_str::<Localized>(json).unwrap());
        }
    }

    #[test]
    fn web_addresses() {
        assert_eq!(
            web_address_problem("https://soutenir.framasoft.org/fr/"),
            None
        );
        assert_eq!(web_address_problem("http://example.org"), None);
        for bad in [
            "javascript:alert(1)",
            "//example.org",
            "/give",
            "https://",
            "https://user@evil.example",
            "https://example.org/a b",
            "https://example.org/\"onmouseover=",
            "data:text/html,<script>",
            "ftp://example.org",
        ] {
            assert!(web_address_problem(bad).is_some(), "{bad}");
        }
    }
}
