//! Appeal sentences: campaign-defined templates with placeholders, rendered per locale.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::countdown::TimeLeft;
use crate::locale::Locale;
use crate::money::Money;
use crate::quantity::{Measure, Quantity};

/// A value an appeal template can name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    TimeLeft,
    Remaining,
    Raised,
    Goal,
    Surplus,
    Percent,
    Donors,
    Name,
}

impl Field {
    const ALL: [(&'static str, Field); 8] = [
        ("time_left", Field::TimeLeft),
        ("remaining", Field::Remaining),
        ("raised", Field::Raised),
        ("goal", Field::Goal),
        ("surplus", Field::Surplus),
        ("percent", Field::Percent),
        ("donors", Field::Donors),
        ("name", Field::Name),
    ];
}

#[derive(Clone, PartialEq, Eq, Debug)]
enum Part {
    Text(String),
    Field(Field),
}

/// A sentence with placeholders: `{time_left}`, `{remaining}`, `{raised}`, `{goal}`,
/// `{surplus}`, `{percent}`, `{donors}`, `{name}`; `{{` and `}}` write braces.
///
/// Amounts are whole currency units in the locale's format: what is still to raise is rounded
/// up and what was raised rounded down, so a headline never understates the need nor overstates
/// the result.
///
/// # Example
///
/// ```
/// use jauge::{AppealTemplate, AppealValues, Locale, Money, TimeLeft};
///
/// let template = AppealTemplate::parse(
///     "If we are to balance our budget for 2024, we have {time_left} left to raise \
///      {remaining}: we can't do it without your help!",
/// )?;
/// let values = AppealValues {
///     name: "Framasoft 2023",
///     time_left: TimeLeft::from_seconds(5 * 86_400 + 9 * 3_600),
///     remaining: Money::parse("71397.58 EUR")?.into(),
///     raised: Money::parse("128602.42 EUR")?,
///     goal: Money::parse("200000 EUR")?.into(),
///     surplus: Money::parse("0 EUR")?.into(),
///     percent: 64,
///     donors: 2_417,
/// };
/// assert_eq!(
///     template.render(&values, Locale::En),
///     "If we are to balance our budget for 2024, we have 5 days left to raise €71,398: \
///      we can't do it without your help!"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AppealTemplate {
    source: String,
    parts: Vec<Part>,
}

/// Why a template was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A `{name}` that is not a known placeholder.
    #[error("unknown placeholder {{{name}}} at byte {offset}: expected one of {{time_left}}, {{remaining}}, {{raised}}, {{goal}}, {{surplus}}, {{percent}}, {{donors}}, {{name}}")]
    UnknownPlaceholder {
        /// The name inside the braces.
        name: String,
        /// Where it starts.
        offset: usize,
    },
    /// A `{` with no closing `}`, or a lone `}` (write `{{` or `}}` for a brace).
    #[error("unmatched brace at byte {offset}: write {{{{ or }}}} for a literal brace")]
    UnmatchedBrace {
        /// Where it is.
        offset: usize,
    },
    /// The template is empty.
    #[error("an appeal template cannot be empty")]
    Empty,
}

/// The figures an appeal is rendered from.
#[derive(Clone, Copy, Debug)]
pub struct AppealValues<'a> {
    /// The campaign's name.
    pub name: &'a str,
    /// Time left to the deadline.
    pub time_left: TimeLeft,
    /// Still to go toward the goal, in what it counts (rounded up to whole units when
    /// rendered).
    pub remaining: Quantity,
    /// Raised so far (rounded down to whole units when rendered).
    pub raised: Money,
    /// The goal.
    pub goal: Quantity,
    /// Beyond the goal (rounded down).
    pub surplus: Quantity,
    /// The floored display percentage.
    pub percent: u64,
    /// Unique donors.
    pub donors: u64,
}

impl AppealTemplate {
    /// Parses a template.
    ///
    /// # Errors
    ///
    /// [`TemplateError`] naming the byte offset of an unknown placeholder or unmatched brace.
    pub fn parse(source: &str) -> Result<AppealTemplate, TemplateError> {
        if source.trim().is_empty() {
            return Err(TemplateError::Empty);
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = source.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, next)| next) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|&(_, next)| next) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '}' => return Err(TemplateError::UnmatchedBrace { offset }),
                '{' => {
                    let rest = &source[offset + 1..];
                    let end = rest
                        .find(['}', '{'])
                        .filter(|&end| rest.as_bytes()[end] == b'}')
                        .ok_or(TemplateError::UnmatchedBrace { offset })?;
                    let name = rest[..end].trim();
                    let field = Field::ALL
                        .iter()
                        .find(|(known, _)| *known == name)
                        .map(|&(_, field)| field)
                        .ok_or_else(|| TemplateError::UnknownPlaceholder {
                            name: name.to_owned(),
                            offset,
                        })?;
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Field(field));
                    // Skip the name and the closing brace.
                    for _ in 0..rest[..=end].chars().count() {
                        chars.next();
                    }
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(AppealTemplate {
            source: source.to_owned(),
            parts,
        })
    }

    /// The template as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The sentence for these figures in `locale`.
    pub fn render(&self, values: &AppealValues<'_>, locale: Locale) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) if locale == Locale::Fr => french_spacing(text, &mut out),
                Part::Text(text) => out.push_str(text),
                Part::Field(field) => out.push_str(&render_field(*field, values, locale)),
            }
        }
        out
    }
}

/// French typography: the space before `:` is a no-break space, the one before `;`, `!` and `?`
/// a narrow no-break space (as CLDR's French data and the Imprimerie nationale write them), so
/// that a line never starts with `: nous ne pouvons…` however the sentence wraps. Templates are
/// typed with ordinary spaces.
pub(crate) fn french_spacing(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            (' ', Some(':')) => out.push('\u{a0}'),
            (' ', Some(';' | '!' | '?')) => out.push('\u{202f}'),
            _ => out.push(c),
        }
    }
}

fn render_field(field: Field, values: &AppealValues<'_>, locale: Locale) -> String {
    use crate::Headline::{Down, Up};
    match field {
        Field::TimeLeft => values.time_left.phrase(locale),
        Field::Remaining => values.remaining.format(locale, Up),
        Field::Raised => locale.format_headline(values.raised, Down),
        Field::Goal => values.goal.format(locale, Up),
        Field::Surplus => values.surplus.format(locale, Down),
        Field::Percent => locale.format_percent(values.percent.min(i64::MAX as u64) as i64),
        Field::Donors => locale.format_decimal(values.donors.into(), 0),
        Field::Name => values.name.to_owned(),
    }
}

impl fmt::Display for AppealTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for AppealTemplate {
    type Err = TemplateError;

    fn from_str(source: &str) -> Result<AppealTemplate, TemplateError> {
        AppealTemplate::parse(source)
    }
}

crate::serde_via_str!(AppealTemplate);

/// Which sentence a campaign shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealState {
    /// Before the deadline, goal not reached.
    Running,
    /// Before the deadline, goal reached.
    Reached,
    /// After the deadline.
    Ended,
}

/// A campaign's appeal templates: per state, per locale. A locale or state the campaign does
/// not define falls back to jauge's built-in sentence for it, so every surface always has one.
///
/// # Example
///
/// ```
/// use jauge::{AppealState, Appeals, Locale};
///
/// let appeals = Appeals::default().with(
///     AppealState::Running,
///     Locale::Fr,
///     "Pour boucler notre budget 2024, il nous reste {time_left} pour collecter {remaining}\u{a0}: \
///      nous ne pouvons pas y arriver sans votre aide\u{202f}!",
/// )?;
/// assert!(appeals.template(AppealState::Running, Locale::Fr).source().starts_with("Pour boucler"));
/// assert!(appeals.template(AppealState::Running, Locale::De).source().starts_with("Uns bleiben"));
/// # Ok::<(), jauge::TemplateError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Appeals {
    templates: crate::SmallMap<AppealState, crate::SmallMap<Locale, AppealTemplate>>,
}

impl Appeals {
    /// With the template for `state` in `locale` set.
    ///
    /// # Errors
    ///
    /// [`TemplateError`] if the template does not parse.
    pub fn with(
        mut self,
        state: AppealState,
        locale: Locale,
        template: &str,
    ) -> Result<Appeals, TemplateError> {
        let template = AppealTemplate::parse(template)?;
        self.templates
            .get_or_insert_default(state)
            .insert(locale, template);
        Ok(self)
    }

    /// The campaign's own template for `state` in `locale`, if it defines one.
    pub fn custom(&self, state: AppealState, locale: Locale) -> Option<&AppealTemplate> {
        self.templates.get(&state)?.get(&locale)
    }

    /// The template to use: the campaign's own, or jauge's built-in one.
    pub fn template(&self, state: AppealState, locale: Locale) -> AppealTemplate {
        self.template_toward(state, locale, Measure::Money)
    }

    /// [`Appeals::template`] for a goal that counts `measure`: while it runs toward donors or
    /// gifts, the built-in sentence says what is still to go rather than to raise.
    pub fn template_toward(
        &self,
        state: AppealState,
        locale: Locale,
        measure: Measure,
    ) -> AppealTemplate {
        match self.custom(state, locale) {
            Some(custom) => custom.clone(),
            None => builtin(state, locale, measure),
        }
    }
}

fn builtin(state: AppealState, locale: Locale, measure: Measure) -> AppealTemplate {
    // The catalogue's sentence, with the template's own fields as its arguments.
    let state = match state {
        AppealState::Running if measure.is_count() => "counting",
        AppealState::Running => "running",
        AppealState::Reached => "reached",
        AppealState::Ended => "ended",
    };
    let source = crate::words::appeal::words(locale).sentence(
        state,
        "{raised}",
        "{time_left}",
        "{percent}",
        "{donors}",
        "{remaining}",
    );
    // Built-in sentences are tested to parse; an empty template is the harmless fallback.
    AppealTemplate::parse(&source).unwrap_or(AppealTemplate {
        source: String::new(),
        parts: Vec::new(),
    })
}

crate::json::unit_variants_from_json!(AppealState {
    "running" => Running,
    "reached" => Reached,
    "ended" => Ended,
});

impl crate::json::FromJson for AppealTemplate {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<AppealTemplate, crate::json::Invalid> {
        crate::json::from_text(value, at, "an appeal template")
    }
}

impl crate::json::FromJson for Appeals {
    fn from_json(
        value: &crate::json::Value,
        at: crate::json::At<'_>,
    ) -> Result<Appeals, crate::json::Invalid> {
        let templates = value
            .object(at, "appeal templates by state")?
            .map(AppealState::from_json_name)?;
        Ok(Appeals { templates })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_templates_get_french_spacing() {
        let mut out = String::new();
        french_spacing(
            "Il reste 5 jours : aidez-nous ! Pourquoi ? Parce que ; voilà",
            &mut out,
        );
        assert_eq!(
            out,
            "Il reste 5 jours\u{a0}: aidez-nous\u{202f}! Pourquoi\u{202f}? Parce que\u{202f}; voilà"
        );
        let mut kept = String::new();
        french_spacing("déjà\u{a0}: bien", &mut kept);
        assert_eq!(kept, "déjà\u{a0}: bien");
    }

    #[test]
    fn every_builtin_parses() {
        for state in [
            AppealState::Running,
            AppealState::Reached,
            AppealState::Ended,
        ] {
            for locale in Locale::ALL {
                for measure in [Measure::Money, Measure::Donors] {
                    assert!(
                        !builtin(state, locale, measure).parts.is_empty(),
                        "{state:?} {locale}"
                    );
                }
            }
        }
    }

    #[test]
    fn template_errors_name_the_place() {
        assert_eq!(
            AppealTemplate::parse("Only {time_lef} left").unwrap_err(),
            TemplateError::UnknownPlaceholder {
                name: "time_lef".into(),
                offset: 5
            }
        );
        assert_eq!(
            AppealTemplate::parse("oops {remaining").unwrap_err(),
            TemplateError::UnmatchedBrace { offset: 5 }
        );
        assert_eq!(
            AppealTemplate::parse("a } b").unwrap_err(),
            TemplateError::UnmatchedBrace { offset: 2 }
        );
        assert_eq!(
            AppealTemplate::parse("{ {remaining}").unwrap_err(),
            TemplateError::UnmatchedBrace { offset: 0 }
        );
        assert_eq!(AppealTemplate::parse("  "), Err(TemplateError::Empty));
    }

    #[test]
    fn braces_and_unicode_survive() {
        let template = AppealTemplate::parse("{{{name}}} — «{ percent }»").unwrap();
        let values = AppealValues {
            name: "Dégooglisons",
            time_left: TimeLeft::from_seconds(1),
            remaining: Money::parse("1 EUR").unwrap().into(),
            raised: Money::parse("0.99 EUR").unwrap(),
            goal: Money::parse("2 EUR").unwrap().into(),
            surplus: Money::parse("0 EUR").unwrap().into(),
            percent: 49,
            donors: 1,
        };
        assert_eq!(
            template.render(&values, Locale::Fr),
            "{Dégooglisons} — «49\u{a0}%»"
        );
    }
}
