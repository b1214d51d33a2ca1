//! The catalogue compiler's second half: Rust source from a checked catalogue (the first half,
//! `compile.rs`, reads and checks it).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use fluent_syntax::ast;

use super::{ident, File, Kind, Message, Signature, LOCALES};

// The marks, from the one file the interpreter reads them from (in the core's own tests, that
// module itself).
#[cfg(not(test))]
#[path = "../src/words/marks.rs"]
#[allow(dead_code)]
mod marks;
#[cfg(test)]
use crate::words::marks;
use marks::{ARG, DEFAULT, END, KEY_END, SELECT, VARIANT};

/// The module for one part of jauge (`domain`), from its files (checked: every language has
/// English's messages) and its messages' signatures.
pub(super) fn domain(
    domain: &str,
    english: &File<'_>,
    files: &BTreeMap<&str, File<'_>>,
    signatures: &BTreeMap<&str, Signature<'_>>,
) -> String {
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
    out
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
