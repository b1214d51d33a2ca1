//! The word catalogue: every text jauge writes, in each of its languages, one module per part of
//! jauge (`words::gauge::words(Locale::Fr).raised`,
//! `words::countdown::words(locale).time_left("days", 5, "")`).
//!
//! Compiled at build time from the Fluent files in `core/words/<language>/<part>.ftl` (see the
//! guide's page on locales). A text is a `&'static str` field; a message with arguments is a
//! method taking them (a count is a `u64`, chosen by its plural category; a text chooses by its
//! exact value). A language that lacks a message fails the build.
//!
//! # Example
//!
//! ```
//! use jauge::{words, Locale};
//!
//! assert_eq!(words::gauge::words(Locale::Fr).raised, "collectés");
//! assert_eq!(words::countdown::words(Locale::De).time_left("days", 2, "after-in"), "2 Tagen");
//! assert_eq!(words::gauge::words(Locale::Fr).left("weeks", 7), "restantes");
//! ```

use crate::Locale;

/// The compiled form's marks: one file, which the catalogue compiler includes too.
#[doc(hidden)]
pub mod marks;

/// A message's argument (generated code only).
#[doc(hidden)]
pub enum Arg<'a> {
    /// A text.
    Text(&'a str),
    /// A count.
    Count(u64),
}

/// A compiled message with its arguments, in `locale` (generated code only).
#[doc(hidden)]
pub fn render(code: &str, arguments: &[Arg<'_>], locale: Locale) -> String {
    let mut out = String::new();
    run(Some(&mut out), code, 0, arguments, locale);
    out
}

/// Runs `code` from byte `at` up to the end of its pattern (a variant's or the select's end,
/// or the end), writing into `out` unless skipping; returns where it stopped.
///
/// Byte by byte: the marks are ASCII control bytes, which no byte of a UTF-8 sequence for
/// another character can be; and this is the browser bundle's smallest form (chars and
/// `strip_prefix` cost it 150 bytes more).
fn run(
    mut out: Option<&mut String>,
    code: &str,
    mut at: usize,
    arguments: &[Arg<'_>],
    locale: Locale,
) -> usize {
    const ARG: u8 = marks::ARG as u8;
    const SELECT: u8 = marks::SELECT as u8;
    const VARIANT: u8 = marks::VARIANT as u8;
    const KEY_END: u8 = marks::KEY_END as u8;
    const DEFAULT: u8 = marks::DEFAULT as u8;
    const END: u8 = marks::END as u8;
    let bytes = code.as_bytes();
    while let Some(&first) = bytes.get(at) {
        match first {
            ARG | SELECT => {
                let chosen = bytes
                    .get(at + 1)
                    .and_then(|digit| arguments.get(usize::from(digit.wrapping_sub(b'0'))));
                at += 2;
                if first == ARG {
                    match (chosen, out.as_deref_mut()) {
                        (Some(Arg::Text(text)), Some(out)) => out.push_str(text),
                        (Some(Arg::Count(n)), Some(out)) => out.push_str(&locale.format_count(*n)),
                        _ => {}
                    }
                    continue;
                }
                // The first variant whose key matches (exact numbers come first), else the
                // default.
                let mut taken = false;
                while bytes.get(at) == Some(&VARIANT) {
                    let start = at + 1;
                    at = start;
                    while bytes.get(at).is_some_and(|b| *b != KEY_END) {
                        at += 1;
                    }
                    let key = bytes.get(start..at).unwrap_or_default();
                    let matches = !taken
                        && match (key.split_first(), chosen) {
                            (Some((b'#', digits)), Some(Arg::Count(count))) => {
                                let mut value = 0u64;
                                for digit in digits {
                                    value = value
                                        .wrapping_mul(10)
                                        .wrapping_add(u64::from(digit.wrapping_sub(b'0')));
                                }
                                value == *count
                            }
                            (Some((b':', name)), Some(Arg::Count(count))) => {
                                *name == *locale.plural_category(*count).as_bytes()
                            }
                            (Some((b'=', value)), Some(Arg::Text(text))) => {
                                *value == *text.as_bytes()
                            }
                            _ => false,
                        };
                    taken |= matches;
                    let into = if matches { out.as_deref_mut() } else { None };
                    at = run(into, code, at + 1, arguments, locale);
                }
                if bytes.get(at) == Some(&DEFAULT) {
                    at += 1;
                }
                let into = if taken { None } else { out.as_deref_mut() };
                at = run(into, code, at, arguments, locale);
                if bytes.get(at) == Some(&END) {
                    at += 1;
                }
            }
            VARIANT | DEFAULT | END => return at,
            _ => {
                let start = at;
                while bytes.get(at).is_some_and(|b| !(ARG..=END).contains(b)) {
                    at += 1;
                }
                if let (Some(out), Some(text)) = (out.as_deref_mut(), code.get(start..at)) {
                    out.push_str(text);
                }
            }
        }
    }
    at
}

include!(concat!(env!("OUT_DIR"), "/words.rs"));
