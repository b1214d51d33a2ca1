//! The compiled form's marks: an argument, a select and its variants. Control characters, which
//! no catalogue text holds (the compiler refuses them). Written by `core/words/generate.rs`
//! (which includes this file), read by `jauge::words::render`.

/// An argument: its index follows, one digit.
pub const ARG: char = '\u{1}';
/// A select expression: the argument's index follows, then its variants.
pub const SELECT: char = '\u{2}';
/// A variant: its key (`#5` a number, `:one` a plural category, `=weeks` a text), then
/// [`KEY_END`], then its pattern.
pub const VARIANT: char = '\u{3}';
/// The end of a variant's key.
pub const KEY_END: char = '\u{4}';
/// The default variant's pattern follows.
pub const DEFAULT: char = '\u{5}';
/// The end of a select expression.
pub const END: char = '\u{6}';
