//! The charts' words: the catalogue's (`core/words/<language>/chart.ftl`).

use jauge::Locale;

pub(super) type Words = jauge::words::chart::Words;

pub(super) fn words(locale: Locale) -> &'static Words {
    jauge::words::chart::words(locale)
}
