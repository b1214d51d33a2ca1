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
use std::fmt::Write as _;

use fluent_syntax::ast;

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

    // The code: a text is a `&'static str` field; a message with arguments is a string in a
    // compiled form (text, and marks for its arguments and selects: `Context::code`), read by
    // one small interpreter (`words::render`) behind a typed method. Strings rather than a
    // function per message and language (1.9 KB gzip more in the browser bundle) or a tree of
    // enums (2.8 KB: pointers compress badly).
    let module = ident(domain);
    let mut out = String::new();
    let about = if english.about.is_empty() {
        vec![format!("The words of `{domain}`.")]
    } else {
        english.about.iter().map(|line| line.to_string()).collect()
    };
    for line in &about {
        let _ = writeln!(out, "///{}{line}", if line.is_empty() { "" } else { " " });
    }
    let _ = writeln!(
        out,
        "///\n/// Generated from `core/words/<locale>/{domain}.ftl` by `core/words/compile.rs`."
    );
    let _ = writeln!(out, "pub mod {module} {{");
    let _ = writeln!(
        out,
        "    #[allow(unused_imports)]\n    use super::{{render, Arg}};"
    );
    let _ = writeln!(out, "    use crate::Locale;\n");
    let _ = writeln!(
        out,
        "    /// The words of `{domain}` in one language: each text a field, each message with \
         arguments a method."
    );
    let _ = writeln!(out, "    pub struct Words {{");
    let mut methods = String::new();
    for message in &english.messages {
        let signature = &signatures[message.id];
        let mut doc = String::new();
        for line in &message.comment {
            let _ = writeln!(
                doc,
                "    ///{}{line}",
                if line.is_empty() { "" } else { " " }
            );
        }
        if !message.comment.is_empty() {
            let _ = writeln!(doc, "    ///");
        }
        let english_text = shown(&message.pattern);
        let _ = writeln!(
            doc,
            "    #[doc = {:?}]",
            format!("English: `{english_text}`")
        );
        if signature.is_static() {
            for line in doc.lines() {
                let _ = writeln!(out, "    {line}");
            }
            let _ = writeln!(out, "        pub {}: &'static str,", ident(message.id));
        } else {
            let _ = writeln!(out, "        {}: &'static str,", ident(message.id));
            for line in doc.lines() {
                let _ = writeln!(methods, "    {line}");
            }
            let arguments = signature
                .arguments
                .iter()
                .map(|(name, kind)| match kind {
                    Kind::Text => format!("Arg::Text({})", ident(name)),
                    Kind::Count => format!("Arg::Count({})", ident(name)),
                })
                .collect::<Vec<_>>()
                .join(", ");
            // Inlined: each is called from one place, where building its arguments costs no
            // more than a call; as functions they were 86 B of the bundle's brotli.
            let _ = writeln!(
                methods,
                "        #[inline(always)]\n        pub fn {name}(&self, {}) -> String {{\n            render(self.{name}, &[{arguments}], self.locale)\n        }}\n",
                signature.parameters(),
                name = ident(message.id),
            );
        }
    }
    if !methods.is_empty() {
        let _ = writeln!(out, "        locale: Locale,");
    }
    let _ = writeln!(out, "    }}\n");
    if !methods.is_empty() {
        let _ = writeln!(out, "    impl Words {{");
        out.push_str(methods.trim_end());
        let _ = writeln!(out, "\n    }}\n");
    }
    let _ = writeln!(out, "    /// The words of `{domain}` in `locale`.");
    let _ = writeln!(out, "    pub fn words(locale: Locale) -> &'static Words {{");
    let _ = writeln!(out, "        match locale {{");
    for (tag, variant) in LOCALES {
        let _ = writeln!(
            out,
            "            Locale::{variant} => &{},",
            tag.to_uppercase()
        );
    }
    let _ = writeln!(out, "        }}\n    }}\n");
    for (tag, variant) in LOCALES {
        let file = &files[tag];
        let by_id: BTreeMap<&str, &Message> = file.messages.iter().map(|m| (m.id, m)).collect();
        let _ = writeln!(out, "    static {}: Words = Words {{", tag.to_uppercase());
        for message in &english.messages {
            let signature = &signatures[message.id];
            let ours = by_id[message.id];
            if signature.is_static() {
                let text = static_text(&ours.pattern, &by_id);
                let _ = writeln!(out, "        {}: {text:?},", ident(message.id));
            } else {
                let context = Context {
                    by_id: &by_id,
                    signature,
                };
                let mut code = String::new();
                context.code(&ours.pattern, &mut code);
                let _ = writeln!(out, "        {}: {code:?},", ident(message.id));
            }
        }
        if !methods.is_empty() {
            let _ = writeln!(out, "        locale: Locale::{variant},");
        }
        let _ = writeln!(out, "    }};\n");
    }
    let _ = writeln!(out, "}}\n");
    Ok(out)
}

/// A pattern as a translator reads it, for the generated documentation.
fn shown(pattern: &ast::Pattern<&str>) -> String {
    let mut text = String::new();
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => text.push_str(value),
            ast::PatternElement::Placeable { expression } => {
                let mut one = String::new();
                fluent_syntax::serializer::serialize(&ast::Resource {
                    body: vec![ast::Entry::Message(ast::Message {
                        id: ast::Identifier { name: "x" },
                        value: Some(ast::Pattern {
                            elements: vec![ast::PatternElement::Placeable {
                                expression: expression.clone(),
                            }],
                        }),
                        attributes: Vec::new(),
                        comment: None,
                    })],
                })
                .trim_start_matches("x =")
                .trim()
                .clone_into(&mut one);
                text.push_str(&one.replace('\n', " "));
            }
        }
    }
    // One line, as the documentation shows it.
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "'")
}

/// A message without arguments, as one string: its text, literals and the messages it names.
fn static_text(pattern: &ast::Pattern<&str>, by_id: &BTreeMap<&str, &Message>) -> String {
    let mut text = String::new();
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => text.push_str(value),
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(inline),
            } => text.push_str(&static_inline(inline, by_id)),
            // A select needs a variable, and a message without arguments has none.
            ast::PatternElement::Placeable { .. } => {}
        }
    }
    text
}

fn static_inline(inline: &ast::InlineExpression<&str>, by_id: &BTreeMap<&str, &Message>) -> String {
    use ast::InlineExpression as I;
    match inline {
        I::StringLiteral { value } => {
            fluent_syntax::unicode::unescape_unicode_to_string(value).into_owned()
        }
        I::NumberLiteral { value } => (*value).to_owned(),
        I::MessageReference { id, .. } => static_text(&by_id[id.name].pattern, by_id),
        I::Placeable { expression: inner } => match inner.as_ref() {
            ast::Expression::Inline(inline) => static_inline(inline, by_id),
            ast::Expression::Select { .. } => String::new(),
        },
        _ => String::new(),
    }
}

struct Context<'a, 's> {
    by_id: &'a BTreeMap<&'s str, &'a Message<'s>>,
    signature: &'a Signature<'s>,
}

/// The compiled form's marks (`words::render` reads them): an argument, a select and its
/// variants. Control characters, which no catalogue text holds (the compiler refuses them).
pub const ARG: char = '\u{1}';
/// A select expression: the argument's index follows, then its variants.
pub const SELECT: char = '\u{2}';
/// A variant: its key (`#5` a number, `:one` a plural category, `=weeks` a text), then
/// `KEY_END`, then its pattern.
pub const VARIANT: char = '\u{3}';
/// The end of a variant's key.
pub const KEY_END: char = '\u{4}';
/// The default variant's pattern follows.
pub const DEFAULT: char = '\u{5}';
/// The end of a select expression.
pub const END: char = '\u{6}';

impl Context<'_, '_> {
    fn argument(&self, name: &str) -> Option<char> {
        let at = self
            .signature
            .arguments
            .iter()
            .position(|(n, _)| *n == name)?;
        char::from_digit(u32::try_from(at).ok()?, 10)
    }

    fn kind(&self, name: &str) -> Kind {
        self.signature
            .arguments
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Kind::Text, |(_, kind)| *kind)
    }

    /// A pattern in its compiled form: text as it stands, arguments and selects as marks. A
    /// message named inside is written out in place, with the same arguments (the referring
    /// message's signature holds the referred one's).
    fn code(&self, pattern: &ast::Pattern<&str>, out: &mut String) {
        for element in &pattern.elements {
            match element {
                ast::PatternElement::TextElement { value } => out.push_str(value),
                ast::PatternElement::Placeable { expression } => self.expression(expression, out),
            }
        }
    }

    fn expression(&self, expression: &ast::Expression<&str>, out: &mut String) {
        match expression {
            ast::Expression::Inline(inline) => self.inline(inline, out),
            ast::Expression::Select { selector, variants } => {
                let ast::InlineExpression::VariableReference { id } = selector else {
                    return;
                };
                let Some(at) = self.argument(id.name) else {
                    return;
                };
                let kind = self.kind(id.name);
                out.push(SELECT);
                out.push(at);
                // The first variant whose key matches is taken: exact numbers go first, so a
                // `[1]` wins over `[one]` as Fluent has it.
                let mut keyed: Vec<(u8, String, &ast::Pattern<&str>)> = Vec::new();
                for variant in variants.iter().filter(|v| !v.default) {
                    let (order, key) = match (&variant.key, kind) {
                        // Whole numbers only (`uses` refuses the others).
                        (ast::VariantKey::NumberLiteral { value }, Kind::Count) => {
                            (0, format!("#{value}"))
                        }
                        (ast::VariantKey::Identifier { name }, Kind::Count) => {
                            (1, format!(":{name}"))
                        }
                        (ast::VariantKey::NumberLiteral { value: name }, Kind::Text)
                        | (ast::VariantKey::Identifier { name }, Kind::Text) => {
                            (0, format!("={name}"))
                        }
                    };
                    keyed.push((order, key, &variant.value));
                }
                keyed.sort_by_key(|(order, _, _)| *order);
                for (_, key, pattern) in keyed {
                    out.push(VARIANT);
                    out.push_str(&key);
                    out.push(KEY_END);
                    self.code(pattern, out);
                }
                out.push(DEFAULT);
                if let Some(default) = variants.iter().find(|v| v.default) {
                    self.code(&default.value, out);
                }
                out.push(END);
            }
        }
    }

    fn inline(&self, inline: &ast::InlineExpression<&str>, out: &mut String) {
        use ast::InlineExpression as I;
        match inline {
            I::StringLiteral { .. } | I::NumberLiteral { .. } => {
                out.push_str(&static_inline(inline, self.by_id))
            }
            I::VariableReference { id } => {
                if let Some(at) = self.argument(id.name) {
                    out.push(ARG);
                    out.push(at);
                }
            }
            I::MessageReference { id, .. } => self.code(&self.by_id[id.name].pattern, out),
            I::Placeable { expression } => self.expression(expression, out),
            I::TermReference { .. } | I::FunctionReference { .. } => {}
        }
    }
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
    fn the_marks_are_the_interpreters() {
        use crate::words::marks;
        assert_eq!(
            [ARG, SELECT, VARIANT, KEY_END, DEFAULT, END],
            [
                marks::ARG,
                marks::SELECT,
                marks::VARIANT,
                marks::KEY_END,
                marks::DEFAULT,
                marks::END
            ]
        );
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
