//! The word catalogue's compiler: the Fluent files under `core/words/<locale>/<domain>.ftl` in,
//! Rust tables out (`jauge::words::<domain>::Words`, one `static` per locale).
//!
//! Why compiled rather than read at run time: the browser widget draws from the same catalogue
//! as the command, and a Fluent runtime plus six parsed catalogues would cost its bundle more
//! than its whole size budget allows; compiled, a label is a `&'static str` and a message with
//! arguments a plain function, and a language that lacks a message (or a message whose arguments
//! differ from the English one) fails the build rather than showing an empty string.
//!
//! The subset of Fluent understood, which every message so far needs and no more:
//! text; string literals (`{"\u00A0"}` for the no-break spaces French typography wants, visible
//! in the file); variables; references to another message of the same file; and select
//! expressions on a variable. A variable selected on with a plural category (`[one]`, `[few]`,
//! `[many]` …) or a number (`[1]`) is a count (`u64`, printed with the locale's digit grouping);
//! every other variable is text (`&str`, selected on by its exact value: `[weeks]`).
//!
//! This file is also compiled into the core's tests (`words::compile`), so that the checks
//! themselves are tested: a missing file or message, an extra one, a syntax error, a loop.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

// The code written from a checked catalogue.
#[path = "generate.rs"]
mod generate;

/// The catalogue's languages, in `Locale`'s order: the folder name and the enum variant.
pub const LOCALES: [(&str, &str); 6] = [
    ("en", "En"),
    ("fr", "Fr"),
    ("de", "De"),
    ("es", "Es"),
    ("it", "It"),
    ("nl", "Nl"),
];

/// CLDR's plural categories: a select expression keyed by one of these selects on a count.
const PLURAL_CATEGORIES: [&str; 5] = ["zero", "one", "two", "few", "many"];

/// One catalogue file.
pub struct Source {
    /// The language folder: `fr`.
    pub locale: String,
    /// The file name without `.ftl`: `gauge`.
    pub domain: String,
    /// The path to name in errors.
    pub path: String,
    /// The file's text.
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Text,
    Count,
}

struct Message<'s> {
    id: &'s str,
    pattern: ast::Pattern<&'s str>,
    comment: Vec<&'s str>,
    line: usize,
}

struct File<'s> {
    path: &'s str,
    messages: Vec<Message<'s>>,
    /// The `###` comment: what the domain's words are for.
    about: Vec<&'s str>,
}

/// What one message of one locale uses.
#[derive(Default)]
struct Uses<'s> {
    /// Variables in order of first appearance, with whether a plural or number key selects on
    /// them (`Some(true)`), a text key does (`Some(false)`), or neither.
    variables: Vec<(&'s str, Option<bool>)>,
    references: Vec<&'s str>,
}

/// The whole catalogue compiled to Rust source, or every problem found (each names its file
/// and line).
///
/// # Errors
///
/// A message missing from a language, a message English does not have, a syntax error, a
/// construct outside the subset above, or a reference loop.
pub fn compile(sources: &[Source]) -> Result<String, Vec<String>> {
    let mut errors = Vec::new();
    // domain → locale → file
    let mut domains: BTreeMap<&str, BTreeMap<&str, File>> = BTreeMap::new();
    for source in sources {
        if !LOCALES.iter().any(|(tag, _)| *tag == source.locale) {
            errors.push(format!(
                "{}: `{}` is not one of the catalogue's languages ({})",
                source.path,
                source.locale,
                LOCALES.map(|(tag, _)| tag).join(", ")
            ));
            continue;
        }
        match parse(source) {
            Ok(file) => {
                domains
                    .entry(&source.domain)
                    .or_default()
                    .insert(&source.locale, file);
            }
            Err(mut found) => errors.append(&mut found),
        }
    }
    let mut code = String::new();
    for (domain, files) in &domains {
        match domain_code(domain, files) {
            Ok(text) => code.push_str(&text),
            Err(mut found) => errors.append(&mut found),
        }
    }
    if errors.is_empty() {
        Ok(code)
    } else {
        Err(errors)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn parse(source: &Source) -> Result<File<'_>, Vec<String>> {
    let text = source.text.as_str();
    // The compiled form's marks are control characters: a text holding one would misread.
    if let Some(at) = text.find(|c: char| ('\u{1}'..='\u{6}').contains(&c)) {
        return Err(vec![format!(
            "{}:{}: a control character (U+0001 to U+0006) in the text",
            source.path,
            line_of(text, at)
        )]);
    }
    let resource = match fluent_syntax::parser::parse(text) {
        Ok(resource) => resource,
        Err((_, found)) => {
            return Err(found
                .iter()
                .map(|e| {
                    // The broken entry's first line: the position itself is often the end of
                    // the file, where the parser gave up.
                    let at = e.slice.as_ref().map_or(e.pos.start, |slice| slice.start);
                    format!("{}:{}: {e}", source.path, line_of(text, at))
                })
                .collect());
        }
    };
    let mut errors = Vec::new();
    let mut messages = Vec::new();
    let mut about = Vec::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(message) => {
                // The parser keeps slices of the text: their offset is their line.
                let line = line_of(
                    text,
                    message.id.name.as_ptr() as usize - text.as_ptr() as usize,
                );
                if !message.attributes.is_empty() {
                    errors.push(format!(
                        "{}:{line}: `{}` has attributes; the catalogue uses one message per text",
                        source.path, message.id.name
                    ));
                }
                match message.value {
                    Some(pattern) => messages.push(Message {
                        id: message.id.name,
                        pattern,
                        comment: message.comment.map(|c| c.content).unwrap_or_default(),
                        line,
                    }),
                    None => errors.push(format!(
                        "{}:{line}: `{}` has no value",
                        source.path, message.id.name
                    )),
                }
            }
            ast::Entry::Term(term) => errors.push(format!(
                "{}: term `-{}`: the catalogue has no terms (write the word in the message)",
                source.path, term.id.name
            )),
            ast::Entry::ResourceComment(comment) => about.extend(comment.content),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(File {
            path: &source.path,
            messages,
            about,
        })
    } else {
        Err(errors)
    }
}

fn uses<'s>(pattern: &ast::Pattern<&'s str>, into: &mut Uses<'s>, problems: &mut Vec<String>) {
    fn variable<'s>(into: &mut Uses<'s>, name: &'s str, selected: Option<bool>) {
        match into.variables.iter_mut().find(|(n, _)| *n == name) {
            Some((_, seen)) => *seen = seen.or(selected),
            None => into.variables.push((name, selected)),
        }
    }
    fn inline<'s>(
        expression: &ast::InlineExpression<&'s str>,
        into: &mut Uses<'s>,
        problems: &mut Vec<String>,
    ) {
        use ast::InlineExpression as I;
        match expression {
            I::StringLiteral { .. } | I::NumberLiteral { .. } => {}
            I::VariableReference { id } => variable(into, id.name, None),
            I::MessageReference {
                id,
                attribute: None,
            } => into.references.push(id.name),
            I::Placeable { expression } => expr(expression, into, problems),
            I::MessageReference { id, .. } => {
                problems.push(format!("`{}`: attributes are not used", id.name))
            }
            I::TermReference { id, .. } => {
                problems.push(format!("`-{}`: the catalogue has no terms", id.name))
            }
            I::FunctionReference { id, .. } => problems.push(format!(
                "`{}()`: no functions (a count is known by its plural keys)",
                id.name
            )),
        }
    }
    fn expr<'s>(
        expression: &ast::Expression<&'s str>,
        into: &mut Uses<'s>,
        problems: &mut Vec<String>,
    ) {
        match expression {
            ast::Expression::Inline(inner) => inline(inner, into, problems),
            ast::Expression::Select { selector, variants } => {
                let ast::InlineExpression::VariableReference { id } = selector else {
                    problems.push("a select expression selects on a variable only".to_owned());
                    return;
                };
                for variant in variants {
                    if let ast::VariantKey::NumberLiteral { value } = &variant.key {
                        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                            problems.push(format!(
                                "`[{value}]`: a number key is a whole number (a count)"
                            ));
                        }
                    }
                }
                let counting = variants.iter().any(|v| match &v.key {
                    ast::VariantKey::NumberLiteral { .. } => true,
                    ast::VariantKey::Identifier { name } => PLURAL_CATEGORIES.contains(name),
                });
                let texting = variants.iter().any(|v| match &v.key {
                    ast::VariantKey::NumberLiteral { .. } => false,
                    ast::VariantKey::Identifier { name } => {
                        *name != "other" && !PLURAL_CATEGORIES.contains(name)
                    }
                });
                if counting && texting {
                    problems.push(format!(
                        "`${}` is selected on with both plural and text keys",
                        id.name
                    ));
                }
                variable(into, id.name, (counting || texting).then_some(counting));
                for variant in variants {
                    uses(&variant.value, into, problems);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expr(expression, into, problems);
        }
    }
}

/// A message's arguments: in order of first appearance, English first, then the others in
/// `LOCALES` order; a count if any language selects on it with a plural key.
struct Signature<'s> {
    arguments: Vec<(&'s str, Kind)>,
}

impl Signature<'_> {
    fn is_static(&self) -> bool {
        self.arguments.is_empty()
    }

    fn parameters(&self) -> String {
        self.arguments
            .iter()
            .map(|(name, kind)| format!("{}: {}", ident(name), rust_type(*kind)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn rust_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "&str",
        Kind::Count => "u64",
    }
}

const KEYWORDS: [&str; 38] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "gen",
];

fn ident(name: &str) -> String {
    let name = name.replace('-', "_");
    if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

fn domain_code(domain: &str, files: &BTreeMap<&str, File>) -> Result<String, Vec<String>> {
    let mut errors = Vec::new();
    let Some(english) = files.get("en") else {
        return Err(vec![format!(
            "words/en/{domain}.ftl: missing (English is the catalogue's reference)"
        )]);
    };
    for (tag, _) in LOCALES {
        if !files.contains_key(tag) {
            errors.push(format!(
                "words/{tag}/{domain}.ftl: missing (words/en/{domain}.ftl has {} messages)",
                english.messages.len()
            ));
        }
    }
    // Every language has English's messages, and no others.
    for (tag, file) in files {
        let mut seen = BTreeSet::new();
        for message in &file.messages {
            if !seen.insert(message.id) {
                errors.push(format!(
                    "{}:{}: `{}` is defined twice",
                    file.path, message.line, message.id
                ));
            }
            if *tag != "en" && !english.messages.iter().any(|m| m.id == message.id) {
                errors.push(format!(
                    "{}:{}: `{}` is not in {} (English is the reference: add it there first)",
                    file.path, message.line, message.id, english.path
                ));
            }
        }
        if *tag != "en" {
            for message in &english.messages {
                if !file.messages.iter().any(|m| m.id == message.id) {
                    errors.push(format!(
                        "{}: lacks `{}` ({}:{} has it)",
                        file.path, message.id, english.path, message.line
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // What each message uses, in each language.
    let mut used: BTreeMap<(&str, &str), Uses> = BTreeMap::new();
    for (tag, file) in files {
        for message in &file.messages {
            let mut into = Uses::default();
            let mut problems = Vec::new();
            uses(&message.pattern, &mut into, &mut problems);
            for problem in problems {
                errors.push(format!(
                    "{}:{}: `{}`: {problem}",
                    file.path, message.line, message.id
                ));
            }
            for reference in &into.references {
                if !file.messages.iter().any(|m| m.id == *reference) {
                    errors.push(format!(
                        "{}:{}: `{}` refers to `{reference}`, which this file does not define",
                        file.path, message.line, message.id
                    ));
                }
            }
            used.insert((tag, message.id), into);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Signatures: the variables of every language's message, in order of first appearance,
    // English's first. A translation may use an argument English leaves out (French agrees
    // "restantes" with the unit, English says "left" whatever it is); a typo in one makes a new
    // argument, which every caller then fails to compile without.
    let mut signatures: BTreeMap<&str, Signature> = BTreeMap::new();
    for message in &english.messages {
        let mut arguments: Vec<(&str, Kind)> = Vec::new();
        for (tag, _) in LOCALES {
            let Some(uses) = used.get(&(tag, message.id)) else {
                continue;
            };
            for (name, selected) in &uses.variables {
                let kind = if *selected == Some(true) {
                    Kind::Count
                } else {
                    Kind::Text
                };
                match arguments.iter_mut().find(|(n, _)| n == name) {
                    Some((_, known)) => {
                        if kind == Kind::Count {
                            *known = Kind::Count;
                        }
                    }
                    None => arguments.push((name, kind)),
                }
            }
        }
        signatures.insert(message.id, Signature { arguments });
    }
    // No reference loops.
    for (tag, file) in files {
        for message in &file.messages {
            let mut stack = vec![(message.id, 0usize)];
            while let Some((id, depth)) = stack.pop() {
                if depth > file.messages.len() {
                    errors.push(format!(
                        "{}:{}: `{}` refers back to itself",
                        file.path, message.line, message.id
                    ));
                    break;
                }
                for next in &used[&(*tag, id)].references {
                    stack.push((next, depth + 1));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // A reference shares the referring message's arguments (as in Fluent): a message takes the
    // arguments of those it refers to, in any language.
    loop {
        let mut grown = false;
        for (tag, _) in LOCALES {
            for message in &english.messages {
                for reference in &used[&(tag, message.id)].references {
                    let needed = signatures[reference].arguments.clone();
                    let Some(outer) = signatures.get_mut(message.id) else {
                        continue;
                    };
                    for (name, kind) in needed {
                        match outer.arguments.iter_mut().find(|(n, _)| *n == name) {
                            Some((_, known)) if kind == Kind::Count && *known != kind => {
                                *known = Kind::Count;
                                grown = true;
                            }
                            Some(_) => {}
                            None => {
                                outer.arguments.push((name, kind));
                                grown = true;
                            }
                        }
                    }
                }
            }
        }
        if !grown {
            break;
        }
    }

    Ok(generate::domain(domain, english, files, &signatures))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(files: &[(&str, &str)]) -> Vec<Source> {
        let mut sources = Vec::new();
        for (tag, _) in LOCALES {
            let text = files
                .iter()
                .find(|(t, _)| *t == tag)
                .map_or(files[0].1, |(_, text)| *text);
            sources.push(Source {
                locale: tag.to_owned(),
                domain: "test".to_owned(),
                path: format!("words/{tag}/test.ftl"),
                text: text.to_owned(),
            });
        }
        sources
    }

    #[test]
    fn a_language_that_lacks_a_message_fails() {
        let errors = compile(&catalogue(&[
            ("en", "raised = raised\nleft = left\n"),
            ("fr", "raised = collectés\n"),
        ]))
        .err()
        .unwrap_or_default();
        assert_eq!(
            errors,
            ["words/fr/test.ftl: lacks `left` (words/en/test.ftl:2 has it)"]
        );
    }

    #[test]
    fn a_message_english_lacks_fails() {
        let errors = compile(&catalogue(&[
            ("en", "raised = raised\n"),
            ("de", "raised = gesammelt\nleft = verbleibend\n"),
        ]))
        .err()
        .unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("words/de/test.ftl:2: `left` is not in words/en/test.ftl"));
    }

    #[test]
    fn a_missing_file_fails() {
        let mut sources = catalogue(&[("en", "days = days\n")]);
        sources.retain(|s| s.locale != "nl");
        let errors = compile(&sources).err().unwrap_or_default();
        assert_eq!(
            errors,
            ["words/nl/test.ftl: missing (words/en/test.ftl has 1 messages)"]
        );
    }

    #[test]
    fn a_translation_may_take_an_argument_english_leaves_out() {
        let code = compile(&catalogue(&[
            ("en", "left = left\n"),
            (
                "fr",
                "left = { $n ->\n    [one] restant\n   *[other] restants\n}\n",
            ),
        ]))
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            code.contains("pub fn left(&self, n: u64) -> String {"),
            "{code}"
        );
        assert!(code.contains(r#"left: "left","#), "{code}");
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let errors = compile(&catalogue(&[(
            "en",
            "ok = fine\nbroken = { $n\nlater = fine\n",
        )]))
        .err()
        .unwrap_or_default();
        assert!(!errors.is_empty());
        assert!(
            errors
                .iter()
                .all(|e| e.starts_with("words/") && e.contains(".ftl:2: ")),
            "{errors:?}"
        );
    }

    #[test]
    fn counts_texts_and_references_compile() {
        let code = compile(&catalogue(&[(
            "en",
            "### About.\nunit = { $n ->\n    [one] day\n   *[other] days\n}\n\
             # Said after the count.\nleft = { $n } { unit } { $unit ->\n    [weeks] left\n   *[other] to go\n}\n\
             nbsp = a{\"\\u00A0\"}b\n",
        )]))
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("pub nbsp: &'static str,"), "{code}");
        assert!(code.contains("nbsp: \"a\\u{a0}b\","), "{code}");
        assert!(
            code.contains("pub fn left(&self, n: u64, unit: &str) -> String {"),
            "{code}"
        );
        assert!(
            code.contains("render(self.left, &[Arg::Count(n), Arg::Text(unit)], self.locale)"),
            "{code}"
        );
        // `{ unit }` written out in place, with the same argument.
        assert!(
            code.contains(r#"left: "\u{1}0 \u{2}0\u{3}:one\u{4}day\u{5}days\u{6} \u{2}1\u{3}=weeks\u{4}left\u{5}to go\u{6}","#),
            "{code}"
        );
    }

    #[test]
    fn a_control_character_in_the_text_is_refused() {
        let errors = compile(&catalogue(&[("en", "a = b\u{2}c\n")]))
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 6, "{errors:?}");
        assert!(errors[0].ends_with(":1: a control character (U+0001 to U+0006) in the text"));
    }

    #[test]
    fn loops_are_refused() {
        let errors = compile(&catalogue(&[("en", "a = { b }\nb = { a }\n")]))
            .err()
            .unwrap_or_default();
        assert!(
            errors.iter().any(|e| e.contains("refers back to itself")),
            "{errors:?}"
        );
    }
}
