//! The campaign file: the core's campaign keys, plus where its ledgers and budget are.

use std::path::{Path, PathBuf};

use jauge::{Budget, Campaign};
use serde::Deserialize;

use crate::error::{CliError, InputError, Location};

/// The store a campaign file names when it names none: `donations.db` beside it.
pub const DEFAULT_STORE: &str = "donations.db";

/// Where a campaign's gifts are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ledger {
    /// A store (`ledger = "donations.db"`, the default), which imports write to.
    Store(PathBuf),
    /// CSV ledgers named by an older campaign file (`ledgers = ["donations.csv"]`, or a
    /// `ledger` ending in `.csv`): still read, never written.
    Csv(Vec<PathBuf>),
}

impl Ledger {
    /// The files whose changes change the campaign's figures (what `jauge serve` watches).
    pub fn files(&self) -> Vec<PathBuf> {
        match self {
            Ledger::Store(path) => {
                // A WAL store's commits land in its -wal file first.
                let mut wal = path.clone().into_os_string();
                wal.push("-wal");
                vec![path.clone(), PathBuf::from(wal)]
            }
            Ledger::Csv(files) => files.clone(),
        }
    }
}

/// A campaign file, read and checked.
#[derive(Debug)]
pub struct CampaignFile {
    /// The campaign.
    pub campaign: Campaign,
    /// Where its gifts are, resolved against the campaign file's folder.
    pub ledger: Ledger,
    /// Its budget, inline or from a file.
    pub budget: Option<Budget>,
    /// The budget file it names, if any (what `jauge serve` watches besides the ledgers).
    pub budget_path: Option<PathBuf>,
    /// Earlier campaigns' files, to compare with and to project from, resolved against this
    /// file's folder.
    pub earlier: Vec<PathBuf>,
    /// The ECB rates file it names, if any (what `jauge serve` watches besides the ledgers).
    pub rates_path: Option<PathBuf>,
}

/// Where the rates for gifts in other currencies come from: `[rates]` with `ecb = "FILE"` (the
/// ECB's daily or historical CSV, relative to the campaign file) or `fixed = { USD = "0.92 EUR" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatesSource {
    ecb: Option<PathBuf>,
    fixed: Option<std::collections::BTreeMap<String, jauge::Money>>,
}

#[derive(Deserialize)]
struct Raw {
    /// The store, relative to the campaign file.
    ledger: Option<PathBuf>,
    /// Ledger files in jauge's CSV format, relative to the campaign file (read-only).
    ledgers: Option<Vec<PathBuf>>,
    /// A budget file (TOML, .ods or .xlsx), relative to the campaign file.
    budget_file: Option<PathBuf>,
    /// An inline budget.
    budget: Option<Budget>,
    /// Earlier campaigns' files, relative to the campaign file.
    earlier: Option<Vec<PathBuf>>,
    /// Rates for gifts in other currencies.
    rates: Option<RatesSource>,
}

impl CampaignFile {
    /// Reads and checks a campaign file.
    ///
    /// # Errors
    ///
    /// The file cannot be read, is not valid TOML, or describes an invalid campaign or budget; the
    /// message names the file and, for syntax errors, the line and column.
    pub fn load(path: &Path) -> Result<CampaignFile, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
        CampaignFile::from_text(path, &text)
    }

    /// Reads a campaign file already in memory; `path` names it and anchors relative paths
    /// (a budget file it names is read from disk).
    ///
    /// # Errors
    ///
    /// As [`CampaignFile::load`].
    pub fn from_text(path: &Path, text: &str) -> Result<CampaignFile, CliError> {
        check_keys(path, text)?;
        // The command's keys and the campaign's, read apart: the campaign straight from toml's
        // deserializer (a `#[serde(flatten)]` buffers the values, and an error in one then
        // points at line 1 with no key).
        let located = |e: toml::de::Error| -> CliError { value_error(path, text, &e).into() };
        let raw: Raw = toml::from_str(text).map_err(located)?;
        let campaign =
            Campaign::deserialize(CampaignKeys(toml::Deserializer::new(text))).map_err(located)?;
        let folder = path.parent().unwrap_or(Path::new(""));
        // A path that names a folder (`"."`, `""`) would fail later with only the folder's name;
        // here the message names the campaign file and the key.
        let not_a_folder = |key: &str, file: &Path, expected: &str| -> Result<(), CliError> {
            let joined = folder.join(file);
            if file.as_os_str().is_empty() || joined.is_dir() {
                return Err(InputError::new(
                    Location::file(path),
                    format!(
                        "{key}: {:?} is a folder: expected {expected}",
                        file.display().to_string()
                    ),
                )
                .into());
            }
            Ok(())
        };
        if let Some(file) = &raw.budget_file {
            not_a_folder("budget_file", file, "a budget file (.toml, .ods or .xlsx)")?;
            if !folder.join(file).exists() {
                return Err(InputError::new(
                    Location::file(path),
                    format!(
                        "budget_file: {} does not exist",
                        folder.join(file).display()
                    ),
                )
                .into());
            }
        }
        if let Some(file) = &raw.ledger {
            not_a_folder("ledger", file, "the store's file, such as \"donations.db\"")?;
        }
        for file in raw.ledgers.iter().flatten() {
            not_a_folder(
                "ledgers",
                file,
                "CSV ledger files, such as [\"donations.csv\"]",
            )?;
        }
        let mut earlier = Vec::new();
        for file in raw.earlier.iter().flatten() {
            not_a_folder(
                "earlier",
                file,
                "earlier campaigns' files, such as [\"../2022/campaign.toml\"]",
            )?;
            let joined = folder.join(file);
            let same = std::fs::canonicalize(&joined).ok() == std::fs::canonicalize(path).ok();
            if !joined.is_file() || same {
                return Err(InputError::new(
                    Location::file(path),
                    format!(
                        "earlier: {} {}",
                        joined.display(),
                        if same {
                            "is this campaign's own file"
                        } else {
                            "does not exist"
                        }
                    ),
                )
                .into());
            }
            earlier.push(joined);
        }
        let currency = campaign.currency();
        let (rates, rates_path) = match raw.rates {
            None => (None, None),
            Some(RatesSource { ecb: Some(_), fixed: Some(_) }) | Some(RatesSource { ecb: None, fixed: None }) => {
                return Err(InputError::new(
                    Location::file(path),
                    "[rates]: give either ecb = \"eurofxref-hist.csv\" (the ECB's reference rates) or fixed = { USD = \"0.92 EUR\" }",
                )
                .into())
            }
            Some(RatesSource { ecb: Some(file), .. }) => {
                not_a_folder("rates.ecb", &file, "the ECB's rates file, such as \"eurofxref-hist.csv\"")?;
                let file = folder.join(file);
                let text = std::fs::read_to_string(&file).map_err(|e| CliError::io(&file, e))?;
                let rates = jauge::Rates::from_ecb_csv(&text).map_err(|e| match e {
                    jauge::RatesError::Layout { line, column, problem } => InputError::new(
                        Location {
                            line: Some(line),
                            column: Some(column.to_string()),
                            ..Location::file(&file)
                        },
                        problem,
                    ),
                    other => InputError::new(Location::file(&file), other.to_string()),
                })?;
                (Some(rates), Some(file))
            }
            Some(RatesSource { fixed: Some(table), .. }) => {
                let mut rated = Vec::new();
                for (code, value) in table {
                    let rated_currency = jauge::Currency::try_new(&code).map_err(|e| {
                        InputError::new(Location::file(path), format!("rates.fixed: {code:?}: {e}"))
                    })?;
                    rated.push((rated_currency, value));
                }
                let rates = jauge::Rates::fixed(currency, rated).map_err(|e| {
                    InputError::new(Location::file(path), format!("rates.fixed: {e}"))
                })?;
                (Some(rates), None)
            }
        };
        let budget_path = raw.budget_file.as_ref().map(|file| folder.join(file));
        let budget = match (raw.budget, raw.budget_file) {
            (Some(_), Some(_)) => {
                return Err(InputError::new(
                    Location::file(path),
                    "give either a [budget] table or budget_file, not both",
                )
                .into())
            }
            (Some(budget), None) => Some(budget),
            (None, Some(file)) => Some(crate::budget_file::load(
                &folder.join(file),
                Some(campaign.currency()),
            )?),
            (None, None) => None,
        };
        let is_csv = |p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let ledger = match (raw.ledger, raw.ledgers) {
            (Some(_), Some(_)) => {
                return Err(InputError::new(
                    Location::file(path),
                    "give either ledger (the store) or ledgers (CSV files, read-only), not both",
                )
                .into())
            }
            (Some(file), None) if is_csv(&file) => Ledger::Csv(vec![folder.join(file)]),
            (Some(file), None) => Ledger::Store(folder.join(file)),
            (None, Some(files)) => {
                if let Some(store) = files.iter().find(|f| !is_csv(f)) {
                    return Err(InputError::new(
                        Location::file(path),
                        format!(
                            "ledgers lists CSV ledgers, and {} is not one: name a store with ledger = {:?}",
                            store.display(),
                            store.display().to_string()
                        ),
                    )
                    .into());
                }
                Ledger::Csv(files.iter().map(|l| folder.join(l)).collect())
            }
            (None, None) => Ledger::Store(folder.join(DEFAULT_STORE)),
        };
        let campaign = match rates {
            Some(rates) => campaign.with_rates(rates),
            None => campaign,
        };
        Ok(CampaignFile {
            campaign,
            ledger,
            budget,
            budget_path,
            earlier,
            rates_path,
        })
    }
}

/// The command's own keys in a campaign file (where the gifts, the budget, the rates and the
/// earlier campaigns are); the others are the core's campaign.
const FILE_KEYS: [&str; 6] = [
    "ledger",
    "ledgers",
    "budget_file",
    "budget",
    "earlier",
    "rates",
];

/// The core's campaign from a campaign file's other keys: toml's own deserializer, with a map
/// access that passes the command's keys by, so that each value is read where it stands and an
/// error keeps its place.
struct CampaignKeys<'a>(toml::Deserializer<'a>);

impl<'de> serde::Deserializer<'de> for CampaignKeys<'_> {
    type Error = toml::de::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(Skipping(visitor))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_struct(name, fields, Skipping(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct Skipping<V>(V);

impl<'de, V: serde::de::Visitor<'de>> serde::de::Visitor<'de> for Skipping<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(SkippingMap(map))
    }
}

struct SkippingMap<A>(A);

impl<'de, A: serde::de::MapAccess<'de>> serde::de::MapAccess<'de> for SkippingMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        use serde::de::IntoDeserializer;
        while let Some(key) = self.0.next_key::<String>()? {
            if FILE_KEYS.contains(&key.as_str()) {
                self.0.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(seed)
    }
}

/// A value error in a campaign file, where it is: the line, the key's path (`rules.pending`,
/// `milestones[1].amount`) and the column. An error about the campaign as a whole (its deadline
/// before its start) has no place of its own in toml's answer: it is put on the line of the key
/// it names.
fn value_error(path: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let message = e.message().trim_end().to_owned();
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() as u64 + 1;
    // In characters, as an editor counts them (a French label before the value is not two
    // columns per accented letter).
    let column_of = |at: usize| {
        let before = text.get(..at.min(text.len())).unwrap_or_default();
        let line = before.rfind('\n').map_or(before, |nl| &before[nl + 1..]);
        line.chars().count() + 1
    };
    let document = toml_edit::ImDocument::parse(text).ok();
    let span = e
        .span()
        .filter(|span| span.start > 0 || span.end < text.len());
    let (at, key) = match span {
        Some(span) => (
            Some(span.start),
            document
                .as_ref()
                .and_then(|d| key_path(d.as_item(), span.start, String::new())),
        ),
        None => {
            // "time_zone: …", "the deadline … is not after the start …", "milestone …".
            let named = KEYS.iter().copied().find(|key| {
                let bare = message.strip_prefix("the ").unwrap_or(&message);
                bare.starts_with(&format!("{key}:"))
                    || bare.starts_with(&format!("{key} "))
                    || (*key == "milestones" && bare.starts_with("milestone "))
            });
            let at = named.and_then(|key| {
                document
                    .as_ref()
                    .and_then(|d| d.as_table().get_key_value(key))
                    .and_then(|(k, _)| k.span())
                    .map(|span| span.start)
            });
            (at, None)
        }
    };
    let message = match (at, key) {
        (Some(at), Some(key)) => format!("{key} (column {}): {message}", column_of(at)),
        _ => message,
    };
    InputError::new(
        Location {
            line: at.map(line_of),
            ..Location::file(path)
        },
        message,
    )
}

/// The path of the deepest key whose value holds byte `at`: `rules.pending`, `milestones[1]`.
fn key_path(item: &toml_edit::Item, at: usize, path: String) -> Option<String> {
    let holds = |span: Option<std::ops::Range<usize>>| span.is_some_and(|s| s.contains(&at));
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    let deeper = match item {
        toml_edit::Item::Table(table) => table.iter().find_map(|(key, child)| {
            let key_span = table.key(key).and_then(|k| k.span());
            (holds(child.span()) || holds(key_span) || child.is_table())
                .then(|| key_path(child, at, join(key)))
                .flatten()
                .filter(|found| !found.is_empty())
        }),
        toml_edit::Item::ArrayOfTables(tables) => tables.iter().enumerate().find_map(|(i, t)| {
            holds(t.span()).then(|| {
                key_path(
                    &toml_edit::Item::Table(t.clone()),
                    at,
                    format!("{path}[{i}]"),
                )
                .unwrap_or(format!("{path}[{i}]"))
            })
        }),
        toml_edit::Item::Value(value) => value_path(value, at, &path),
        toml_edit::Item::None => None,
    };
    deeper.or_else(|| (holds(item.span()) && !path.is_empty()).then_some(path))
}

/// The same within a value: an inline table's keys, an array's items.
fn value_path(value: &toml_edit::Value, at: usize, path: &str) -> Option<String> {
    let holds = |span: Option<std::ops::Range<usize>>| span.is_some_and(|s| s.contains(&at));
    match value {
        toml_edit::Value::InlineTable(table) => table.iter().find_map(|(key, child)| {
            let inner = format!("{path}.{key}");
            holds(child.span()).then(|| value_path(child, at, &inner).unwrap_or(inner))
        }),
        toml_edit::Value::Array(array) => array.iter().enumerate().find_map(|(i, child)| {
            let inner = format!("{path}[{i}]");
            holds(child.span()).then(|| value_path(child, at, &inner).unwrap_or(inner))
        }),
        _ => None,
    }
}

/// The top-level keys a campaign file may have, checked here (the command's keys and the
/// campaign's are read apart, neither refusing the other's): a typo must not silently drop a
/// setting.
const KEYS: [&str; 21] = [
    "name",
    "goal",
    "currency",
    "matching",
    "time_zone",
    "start",
    "deadline",
    "rules",
    "milestones",
    "baselines",
    "appeals",
    "ledger",
    "ledgers",
    "budget",
    "budget_file",
    "stages",
    "illustrations",
    "donate_url",
    "donate_label",
    "earlier",
    "rates",
];

fn check_keys(path: &Path, text: &str) -> Result<(), CliError> {
    let Ok(table) = text.parse::<toml::Table>() else {
        // Syntax errors are reported with their position by the typed parse.
        return Ok(());
    };
    if let Some(unknown) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(unknown.as_str()))
            .map(|i| i as u64 + 1);
        return Err(InputError::new(
            Location {
                line,
                ..Location::file(path)
            },
            format!(
                "unknown key {unknown:?}: expected one of {}",
                KEYS.join(", ")
            ),
        )
        .into());
    }
    check_text(path, &toml::Value::Table(table), String::new())
}

/// Whether a character can reach every output: XML 1.0 (the badges' and charts' SVG, the
/// snippet's HTML) has no way to write NUL, the other C0 controls but tab, line feed and
/// carriage return, nor U+FFFE and U+FFFF; the C1 controls (U+0080 to U+009F) show as nothing
/// anywhere. TOML's `\u` escapes can write them all.
fn shows_everywhere(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
}

/// Refuses a campaign text (a name, a label, a template, an alt text, a note) holding a
/// character no output can show, naming the file and the key.
fn check_text(path: &Path, value: &toml::Value, key: String) -> Result<(), CliError> {
    match value {
        toml::Value::String(text) => match text.chars().find(|&c| !shows_everywhere(c)) {
            Some(c) => Err(InputError::new(
                Location::file(path),
                format!(
                    "key {key:?}: U+{:04X} is a control character no page, badge or chart can show: remove it",
                    c as u32
                ),
            )
            .into()),
            None => Ok(()),
        },
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_text(path, item, format!("{key}[{}]", i + 1))),
        toml::Value::Table(table) => table.iter().try_for_each(|(name, item)| {
            let key = if key.is_empty() {
                name.clone()
            } else {
                format!("{key}.{name}")
            };
            check_text(path, item, key)
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<CampaignFile, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("campaign.toml");
        std::fs::write(&path, text).unwrap();
        CampaignFile::load(&path).map_err(|e| {
            e.to_string()
                .replace(&path.display().to_string(), "campaign.toml")
        })
    }

    const BASE: &str = r#"
name = "Test"
goal = "1000 EUR"
time_zone = "Europe/Paris"
start = "2023-11-14"
deadline = "2023-12-31"
ledger = "donations.db"
"#;

    #[test]
    fn a_bad_value_is_named_by_its_line_key_and_column() {
        let error = |from: &str, to: &str| load(&BASE.replace(from, to)).unwrap_err();
        // BASE starts with an empty line: `name` is on line 2.
        assert_eq!(
            error("goal = \"1000 EUR\"", "goal = \"1000 ABC\""),
            "campaign.toml:3: goal (column 8): \"ABC\" is not an active ISO 4217 currency code"
        );
        assert!(error("start = \"2023-11-14\"", "start = \"2023-13-01\"")
            .starts_with("campaign.toml:5: start (column 9): \"2023-13-01\" is not a date"));
        assert_eq!(
            load(&format!(
                "{BASE}[rules]\nrefunds = \"subtracted\"\npending = \"include\"\n"
            ))
            .unwrap_err(),
            "campaign.toml:10: rules.pending (column 11): unknown variant `include`, expected \
             `excluded` or `counted`"
        );
        assert!(load(&format!(
            "{BASE}[[milestones]]\namount = \"50 EUR\"\nlabel = \"a\"\n\
             [[milestones]]\namount = \"5x EUR\"\nlabel = \"b\"\n"
        ))
        .unwrap_err()
        .starts_with(
            "campaign.toml:12: milestones[1].amount (column 10): \"5x\" is not an amount"
        ));
        assert!(load(&format!(
            "{BASE}milestones = [{{ amount = \"50 EUR\", label = \"a\" }}, {{ amount = \"zz\", label = \"b\" }}]\n"
        ))
        .unwrap_err()
        .starts_with("campaign.toml:8: milestones[1].amount (column 62): \"zz\" is not an amount"));
        // Columns in characters, not bytes.
        assert!(load(&format!(
            "{BASE}milestones = [{{ amount = \"50 EUR\", label = \"déjà é\" }}, {{ amount = \"zz\", label = \"b\" }}]\n"
        ))
        .unwrap_err()
        .starts_with("campaign.toml:8: milestones[1].amount (column 67): \"zz\""));
        // The command's own keys too: a budget, rates.
        assert!(
            load(&format!("{BASE}[rates]\nfixed = {{ USD = \"0.9 XXX\" }}\n"))
                .unwrap_err()
                .starts_with("campaign.toml:9: rates.fixed.USD (column 17): \"XXX\"")
        );
        assert!(load(&format!("{BASE}[budget]\nexpenses = \"abc\"\n"))
            .unwrap_err()
            .starts_with("campaign.toml:9: budget.expenses (column 12): invalid type"));
        // A check of the whole campaign is put on the line of the key it names.
        assert!(error("Europe/Paris", "Europe/Pariss")
            .starts_with("campaign.toml:4: time_zone: \"Europe/Pariss\" is not an IANA"));
        assert!(
            error("deadline = \"2023-12-31\"", "deadline = \"2023-11-01\"")
                .starts_with("campaign.toml:6: the deadline")
        );
    }

    #[test]
    fn reads_keys_and_resolves_paths() {
        let file = load(&format!("{BASE}[budget]\nname = \"2024\"\nexpenses = [{{ label = \"x\", amount = \"10 EUR\" }}]\n")).unwrap();
        assert_eq!(file.campaign.name(), "Test");
        assert!(matches!(&file.ledger, Ledger::Store(p) if p.ends_with("donations.db")));
        assert_eq!(file.budget.unwrap().name(), "2024");
    }

    #[test]
    fn older_files_keep_their_csv_ledgers_and_a_missing_key_means_the_default_store() {
        let csv = load(&BASE.replace(
            "ledger = \"donations.db\"",
            "ledgers = [\"a.csv\", \"b.CSV\"]",
        ))
        .unwrap();
        assert!(matches!(&csv.ledger, Ledger::Csv(files) if files.len() == 2));
        let single = load(&BASE.replace("donations.db", "donations.csv")).unwrap();
        assert!(matches!(&single.ledger, Ledger::Csv(files) if files.len() == 1));
        let default = load(&BASE.replace("ledger = \"donations.db\"", "")).unwrap();
        assert!(matches!(&default.ledger, Ledger::Store(p) if p.ends_with(DEFAULT_STORE)));
    }

    #[test]
    fn control_characters_are_refused_by_key() {
        for (escape, code) in [
            ("\\u0000", "0000"),
            ("\\u0007", "0007"),
            ("\\u001b", "001B"),
            ("\\uFFFE", "FFFE"),
            ("\\uFFFF", "FFFF"),
            ("\\u0085", "0085"),
        ] {
            let error = load(&format!(
                "{BASE}[[milestones]]\namount = \"500 EUR\"\nlabel = \"Half{escape}way\"\n"
            ))
            .unwrap_err();
            assert_eq!(
                error,
                format!("campaign.toml: key \"milestones[1].label\": U+{code} is a control character no page, badge or chart can show: remove it")
            );
        }
        let error = load(&BASE.replace("name = \"Test\"", "name = \"Te\\u0000st\"")).unwrap_err();
        assert!(error.contains("key \"name\": U+0000"), "{error}");
        // Tabs and line breaks are text.
        load(&BASE.replace("name = \"Test\"", "name = \"Te\\tst\\nline\"")).unwrap();
    }

    #[test]
    fn errors_name_the_place() {
        let typo = load(&BASE.replace("goal =", "gaol =")).unwrap_err();
        assert!(
            typo.starts_with("campaign.toml:3: unknown key \"gaol\""),
            "{typo}"
        );
        let zone = load(&BASE.replace("Europe/Paris", "Paris")).unwrap_err();
        assert!(
            zone.contains("\"Paris\" is not an IANA time zone"),
            "{zone}"
        );
        let both = load(&format!("{BASE}ledgers = [\"a.csv\"]\n")).unwrap_err();
        assert!(both.contains("not both"), "{both}");
        let store_in_list = load(&BASE.replace(
            "ledger = \"donations.db\"",
            "ledgers = [\"a.csv\", \"b.db\"]",
        ))
        .unwrap_err();
        assert!(store_in_list.contains("b.db is not one"), "{store_in_list}");
        let syntax = load(&BASE.replace("goal = \"1000 EUR\"", "goal = 1000 EUR")).unwrap_err();
        assert!(syntax.starts_with("campaign.toml:3: "), "{syntax}");
    }
}
