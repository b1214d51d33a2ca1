//! The status document's reader: a JSON parser and one small, non-generic reader per type.
//!
//! The document is written by serde (`Serialize` on [`crate::StatusDocument`] and the types in
//! it is the schema), and read here rather than by serde's derived `Deserialize`. The browser
//! widget has a size budget, and serde's derives cost it more than everything else it draws:
//! one visitor per struct per deserializer, with serde_json's error machinery (float
//! formatting included) behind them, about 45 KB of gzipped WASM for this one document. These
//! readers are plain functions over a parsed tree and weigh a tenth of that. The derived
//! `Deserialize` impls stay (campaign files read the same types through serde), and a test reads
//! every document both ways, and every mutation of them, to keep the two in agreement. One
//! difference is deliberate: serde also accepts a struct written as an array of its fields in
//! order, a form the document never uses; these readers refuse it.

use std::fmt;

/// Nested arrays and objects deeper than this are refused rather than recursed into, as
/// serde_json does: a hostile document must not exhaust the browser's stack.
const MAX_DEPTH: u32 = 128;

/// A parsed JSON value. Numbers keep their text, so that integers are read exactly and no float
/// is ever involved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// Where reading stopped in text that is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Syntax {
    pub line: usize,
    pub column: usize,
    pub expected: &'static str,
}

/// A value of the wrong kind, or a field missing or unknown: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub field: String,
    pub problem: String,
}

/// Where a value sits in the document, as `campaign.goal` or `milestones[2].label`.
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
    Root,
    Field(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root => f.write_str("the document"),
            At::Field(At::Root, name) => f.write_str(name),
            At::Field(parent, name) => write!(f, "{parent}.{name}"),
            At::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

impl At<'_> {
    /// An error at this place.
    pub fn invalid(&self, problem: impl fmt::Display) -> Invalid {
        Invalid {
            field: self.to_string(),
            problem: problem.to_string(),
        }
    }

    /// An error at this place: `what` was expected, and `found` is something else.
    pub fn expected(&self, what: &str, found: &Value) -> Invalid {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        self.invalid(format_args!("expected {what}, found {found}"))
    }
}

/// A type the status document holds.
pub(crate) trait FromJson: Sized {
    /// Reads `value`, found at `at`.
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, Invalid>;
}

impl Value {
    /// The text of a string value.
    pub fn str(&self, at: At<'_>, what: &str) -> Result<&str, Invalid> {
        match self {
            Value::String(text) => Ok(text),
            other => Err(at.expected(what, other)),
        }
    }

    /// The fields of an object value.
    pub fn object<'v>(&'v self, at: At<'v>, what: &str) -> Result<Object<'v>, Invalid> {
        match self {
            Value::Object(entries) => Ok(Object { entries, at }),
            other => Err(at.expected(what, other)),
        }
    }

    fn digits(&self, at: At<'_>, what: &str) -> Result<&str, Invalid> {
        match self {
            Value::Number(text) if !text.contains(['.', 'e', 'E']) => Ok(text),
            other => Err(at.expected(what, other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, at: At<'_>) -> Result<bool, Invalid> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(at.expected("true or false", other)),
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Value, at: At<'_>) -> Result<String, Invalid> {
        value.str(at, "a string").map(str::to_owned)
    }
}

macro_rules! integer_from_json {
    ($($type:ty: $what:literal),*) => {$(
        impl FromJson for $type {
            fn from_json(value: &Value, at: At<'_>) -> Result<$type, Invalid> {
                let digits = value.digits(at, $what)?;
                digits
                    .parse()
                    .map_err(|_| at.invalid(format_args!("{digits} is not {}", $what)))
            }
        }
    )*};
}

integer_from_json!(u64: "a whole number from 0", u32: "a whole number from 0 to 4294967295", i64: "a whole number");

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, at: At<'_>) -> Result<Vec<T>, Invalid> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| T::from_json(item, At::Index(&at, index)))
                .collect(),
            other => Err(at.expected("an array", other)),
        }
    }
}

impl<V: FromJson> FromJson for crate::SmallMap<crate::Locale, V> {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, Invalid> {
        value
            .object(at, "an object keyed by language")?
            .map(|tag, at| tag.parse().map_err(|e| at.invalid(e)))
    }
}

/// Reads a string value through the type's `FromStr`, the way `serde_via_str!` types are
/// written.
pub(crate) fn from_text<T>(value: &Value, at: At<'_>, what: &str) -> Result<T, Invalid>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    value.str(at, what)?.parse().map_err(|e| at.invalid(e))
}

/// Reads the unit enums that serde writes as their variants' names (`rename_all =
/// "snake_case"`). The names are spelled out here as in serde's output; a test writes every
/// variant with serde and reads it back with these.
macro_rules! unit_variants_from_json {
    ($type:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl $type {
            /// Each variant's name in the status document.
            #[cfg_attr(not(test), allow(dead_code))]
            pub(crate) const JSON_NAMES: &[(&str, $type)] = &[$(($name, $type::$variant)),*];

            /// The variant called `name`, found at `at`.
            pub(crate) fn from_json_name(
                name: &str,
                at: $crate::json::At<'_>,
            ) -> Result<$type, $crate::json::Invalid> {
                // The lookup is one function for every enum, not one per enum.
                const VARIANTS: &[$type] = &[$($type::$variant),*];
                let index = $crate::json::variant_index(name, at, &[$($name),*])?;
                VARIANTS.get(index).copied().ok_or_else(|| at.invalid("unknown variant"))
            }
        }

        // A variant added to the enum and not named above stops the build here.
        const _: fn($type) = |variant| match variant {
            $($type::$variant)|* => {}
        };

        impl $crate::json::FromJson for $type {
            fn from_json(
                value: &$crate::json::Value,
                at: $crate::json::At<'_>,
            ) -> Result<$type, $crate::json::Invalid> {
                $type::from_json_name(value.str(at, "a string")?, at)
            }
        }
    };
}
pub(crate) use unit_variants_from_json;

/// Reads a struct that serde's derive writes as an object: each field by its Rust name, read
/// with the [`Object`] method named beside it (`field`: required; `optional`: `None` when absent
/// or null; `or_default`: the default when absent). `strict` refuses unknown fields, for the
/// types serde reads with `deny_unknown_fields`.
macro_rules! struct_from_json {
    ($type:ident, $what:literal, { $($name:ident: $how:ident),* $(,)? }) => {
        $crate::json::struct_from_json!(@impl $type, $what, false, { $($name: $how),* });
    };
    ($type:ident, $what:literal, strict { $($name:ident: $how:ident),* $(,)? }) => {
        $crate::json::struct_from_json!(@impl $type, $what, true, { $($name: $how),* });
    };
    (@impl $type:ident, $what:literal, $strict:literal, { $($name:ident: $how:ident),* }) => {
        impl $crate::json::FromJson for $type {
            fn from_json(
                value: &$crate::json::Value,
                at: $crate::json::At<'_>,
            ) -> Result<$type, $crate::json::Invalid> {
                let fields = value.object(at, $what)?;
                if $strict {
                    fields.only(&[$(stringify!($name)),*])?;
                }
                Ok($type {
                    $($name: fields.$how(stringify!($name))?),*
                })
            }
        }
    };
}
pub(crate) use struct_from_json;

/// The fields of an object, read by name.
pub(crate) struct Object<'v> {
    entries: &'v [(String, Value)],
    at: At<'v>,
}

impl<'v> Object<'v> {
    fn find(&self, name: &str) -> Result<Option<&'v Value>, Invalid> {
        let mut found = self.entries.iter().filter(|(key, _)| key == name);
        match (found.next(), found.next()) {
            (Some(_), Some(_)) => Err(self.at.invalid(format_args!("duplicate field `{name}`"))),
            (first, _) => Ok(first.map(|(_, value)| value)),
        }
    }

    /// The field `name`, which must be present.
    pub fn field<T: FromJson>(&self, name: &str) -> Result<T, Invalid> {
        match self.find(name)? {
            Some(value) => T::from_json(value, At::Field(&self.at, name)),
            None => Err(self.at.invalid(format_args!("missing field `{name}`"))),
        }
    }

    /// The field `name`, `None` when absent or `null`.
    pub fn optional<T: FromJson>(&self, name: &str) -> Result<Option<T>, Invalid> {
        match self.find(name)? {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::from_json(value, At::Field(&self.at, name)).map(Some),
        }
    }

    /// The field `name`, its type's default when absent.
    pub fn or_default<T: FromJson + Default>(&self, name: &str) -> Result<T, Invalid> {
        match self.find(name)? {
            None => Ok(T::default()),
            Some(value) => T::from_json(value, At::Field(&self.at, name)),
        }
    }

    /// Refuses a field not in `known`, for the types that serde reads with
    /// `deny_unknown_fields`.
    pub fn only(&self, known: &[&str]) -> Result<(), Invalid> {
        match self
            .entries
            .iter()
            .find(|(key, _)| !known.contains(&key.as_str()))
        {
            Some((key, _)) => Err(self.at.invalid(format_args!(
                "unknown field `{key}`, expected one of `{}`",
                known.join("`, `")
            ))),
            None => Ok(()),
        }
    }

    /// Every field, as a map whose keys `key` reads; a repeated key keeps its last value, as
    /// serde's maps do.
    pub fn map<K: Ord, V: FromJson>(
        &self,
        key: impl Fn(&str, At<'_>) -> Result<K, Invalid>,
    ) -> Result<crate::SmallMap<K, V>, Invalid> {
        let mut map = crate::SmallMap::new();
        for (name, value) in self.entries {
            let at = At::Field(&self.at, name);
            map.insert(key(name, at)?, V::from_json(value, at)?);
        }
        Ok(map)
    }
}

/// Where `name` is in `names`, found at `at`.
pub(crate) fn variant_index(name: &str, at: At<'_>, names: &[&str]) -> Result<usize, Invalid> {
    names
        .iter()
        .position(|known| *known == name)
        .ok_or_else(|| {
            at.invalid(format_args!(
                "unknown variant `{name}`, expected one of `{}`",
                names.join("`, `")
            ))
        })
}

/// Parses JSON text (RFC 8259) into a tree.
pub(crate) fn parse(text: &str) -> Result<Value, Syntax> {
    let mut parser = Parser {
        text,
        position: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.position < text.len() {
        return Err(parser.error("the end of the document"));
    }
    Ok(value)
}

struct Parser<'t> {
    text: &'t str,
    position: usize,
    depth: u32,
}

impl Parser<'_> {
    fn error(&self, expected: &'static str) -> Syntax {
        let before = &self.text[..self.position.min(self.text.len())];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Syntax {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            expected,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.peek() == Some(byte);
        self.position += usize::from(found);
        found
    }

    fn value(&mut self) -> Result<Value, Syntax> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.literal(),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Syntax>) -> Result<Value, Syntax> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("at most 128 nested arrays and objects"));
        }
        self.depth += 1;
        self.position += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self) -> Result<Value, Syntax> {
        let rest = &self.text[self.position..];
        let (length, value) = if rest.starts_with("true") {
            (4, Value::Bool(true))
        } else if rest.starts_with("false") {
            (5, Value::Bool(false))
        } else if rest.starts_with("null") {
            (4, Value::Null)
        } else {
            return Err(self.error("a value"));
        };
        self.position += length;
        Ok(value)
    }

    fn object(&mut self) -> Result<Value, Syntax> {
        let mut entries = Vec::new();
        if self.eat(b'}') {
            return Ok(Value::Object(entries));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("a field name in double quotes"));
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return Err(self.error("`:`"));
            }
            entries.push((key, self.value()?));
            if self.eat(b'}') {
                return Ok(Value::Object(entries));
            }
            if !self.eat(b',') {
                return Err(self.error("`,` or `}`"));
            }
        }
    }

    fn array(&mut self) -> Result<Value, Syntax> {
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.error("`,` or `]`"));
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.position;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.position += 1;
        }
        self.position - start
    }

    fn number(&mut self) -> Result<Value, Syntax> {
        let start = self.position;
        self.position += usize::from(self.peek() == Some(b'-'));
        let leading_zero = self.peek() == Some(b'0');
        match self.digits() {
            0 => return Err(self.error("a digit")),
            1 => {}
            _ if leading_zero => return Err(self.error("no leading zero")),
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.position += 1;
            if self.digits() == 0 {
                return Err(self.error("a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("a digit in the exponent"));
            }
        }
        Ok(Value::Number(self.text[start..self.position].to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, Syntax> {
        let digits = self
            .text
            .get(self.position..self.position + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("four hexadecimal digits"))?;
        self.position += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("four hexadecimal digits"))
    }

    fn string(&mut self) -> Result<String, Syntax> {
        self.position += 1;
        let mut out = String::new();
        loop {
            let start = self.position;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.position += 1;
            }
            // Stops only at ASCII bytes, so the slice is on character boundaries.
            out.push_str(&self.text[start..self.position]);
            match self.peek() {
                Some(b'"') => {
                    self.position += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.position += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.position += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => {
                            return Err(self
                                .error("an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u"))
                        }
                    };
                    self.position += 1;
                    out.push(escaped);
                }
                Some(_) => return Err(self.error("no control character inside a string")),
                None => return Err(self.error("`\"` closing the string")),
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, Syntax> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text[self.position..].starts_with("\\u") {
                    return Err(self.error("a low surrogate after a high one"));
                }
                self.position += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("a low surrogate after a high one"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("no lone low surrogate")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("a Unicode scalar value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_serde_json_parses() {
        let text = r#" {"a": [1, -2.5e+3, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}, "d": []} "#;
        let ours = parse(text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        fn same(ours: &Value, theirs: &serde_json::Value) -> bool {
            match (ours, theirs) {
                (Value::Null, serde_json::Value::Null) => true,
                (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
                (Value::Number(a), serde_json::Value::Number(b)) => {
                    a.parse::<f64>().ok() == b.as_f64()
                }
                (Value::String(a), serde_json::Value::String(b)) => a == b,
                (Value::Array(a), serde_json::Value::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
                }
                (Value::Object(a), serde_json::Value::Object(b)) => {
                    a.len() == b.len()
                        && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
                }
                _ => false,
            }
        }
        assert!(same(&ours, &theirs), "{ours:?}");
    }

    #[test]
    fn refuses_what_is_not_json_and_says_where() {
        for (text, line, column) in [
            ("", 1, 1),
            ("{", 1, 2),
            ("{\"a\" 1}", 1, 6),
            ("{\"a\": 1,}", 1, 9),
            ("[1 2]", 1, 4),
            ("[01]", 1, 4),
            ("[1.]", 1, 4),
            ("[-]", 1, 3),
            ("[1e]", 1, 4),
            ("\"\\x\"", 1, 3),
            ("\"\\ud800\"", 1, 8),
            ("\"\\udc00\"", 1, 8),
            ("\"a\nb\"", 1, 3),
            ("{\n  \"a\": tru\n}", 2, 8),
            ("[] []", 1, 4),
            ("nul", 1, 1),
            ("\"open", 1, 6),
        ] {
            let error = parse(text).expect_err(text);
            assert_eq!(
                (error.line, error.column),
                (line, column),
                "{text:?}: {error:?}"
            );
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "{text:?}"
            );
        }
    }

    /// The names the readers know are serde's, for every variant (the macro's exhaustive match
    /// sees that none is missing).
    #[test]
    fn variant_names_are_serdes() {
        fn check<T: serde::Serialize + Copy>(names: &[(&str, T)]) {
            for (name, variant) in names {
                assert_eq!(serde_json::to_value(variant).unwrap(), *name);
            }
        }
        check(crate::Phase::JSON_NAMES);
        check(crate::StagePhase::JSON_NAMES);
        check(crate::TimeUnit::JSON_NAMES);
        check(crate::Channel::JSON_NAMES);
        check(crate::ProjectionMethod::JSON_NAMES);
        check(crate::AppealState::JSON_NAMES);
        check(crate::PendingRule::JSON_NAMES);
        check(crate::FeeRule::JSON_NAMES);
        check(crate::RefundRule::JSON_NAMES);
        check(crate::RecurringRule::JSON_NAMES);
        check(crate::NotCountedReason::JSON_NAMES);
    }

    #[test]
    fn refuses_deep_nesting_without_recursing_into_it() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            parse(&deep).unwrap_err().expected,
            "at most 128 nested arrays and objects"
        );
        let fine = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn names_the_field_and_what_was_expected() {
        let value = parse(r#"{"a": {"b": [1, "x"]}, "n": 1.5, "m": -1}"#).unwrap();
        let root = value.object(At::Root, "an object").unwrap();
        let error = root
            .field::<crate::SmallMap<crate::Locale, Vec<u64>>>("a")
            .unwrap_err();
        assert_eq!(error.field, "a.b");
        let inner = parse(r#"{"b": [1, "x"]}"#).unwrap();
        let error = inner
            .object(At::Root, "an object")
            .unwrap()
            .field::<Vec<u64>>("b")
            .unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.problem.as_str()),
            ("b[1]", "expected a whole number from 0, found a string")
        );
        assert_eq!(
            root.field::<u64>("n").unwrap_err().problem,
            "expected a whole number from 0, found a number"
        );
        assert_eq!(
            root.field::<u64>("m").unwrap_err().problem,
            "-1 is not a whole number from 0"
        );
        assert_eq!(root.field::<i64>("m").unwrap(), -1);
        assert_eq!(
            root.field::<u64>("z").unwrap_err().problem,
            "missing field `z`"
        );
        assert_eq!(root.optional::<u64>("z").unwrap(), None);
        assert!(root.only(&["a", "n"]).is_err());
        assert!(root.only(&["a", "n", "m"]).is_ok());
        let twice = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(
            twice
                .object(At::Root, "")
                .unwrap()
                .field::<u64>("a")
                .unwrap_err()
                .problem,
            "duplicate field `a`"
        );
    }
}
