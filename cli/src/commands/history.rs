//! `jauge history`: what the journal recorded of a gift, or of every gift since a moment: the
//! answer to "why did the total change by €50 yesterday?".

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use jauge_store::{Action, JournalEntry, Store};

use super::{print, StoreArgs};
use crate::error::CliError;
use crate::ledger;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The gift's id (`stripe:ch_3OMe…`); without it, every entry since --since.
    id: Option<String>,
    #[command(flatten)]
    store: StoreArgs,
    /// Only entries recorded since this instant (RFC 3339) or day (from its start, UTC).
    #[arg(long, value_parser = parse_since)]
    since: Option<DateTime<Utc>>,
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(day) = text.parse::<NaiveDate>() {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    super::parse_instant(text).map_err(|e| format!("{e}, or a day such as 2023-12-25"))
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let path = args.store.path()?;
    let store = Store::open(&path)?;
    let since = args.since.unwrap_or(DateTime::<Utc>::MIN_UTC);
    let entries: Vec<JournalEntry> = match &args.id {
        Some(id) => {
            let mut entries = store.history(id)?;
            if entries.is_empty() {
                // The id a person copies from a platform's dashboard has no prefix.
                match store.ids_ending_with(id)?.as_slice() {
                    [found] => {
                        eprintln!("jauge: {id} is the gift {found}");
                        entries = store.history(found)?;
                    }
                    [] => {
                        return Err(CliError::UnknownGift {
                            store: path,
                            id: id.clone(),
                        })
                    }
                    several => {
                        return Err(CliError::AmbiguousGift {
                            store: path,
                            id: id.clone(),
                            candidates: several.to_vec(),
                        })
                    }
                }
            }
            entries
                .into_iter()
                .filter(|e| e.recorded_at >= since)
                .collect()
        }
        None => store.journal_since(since)?,
    };
    print(&render(&entries, args.id.is_none()))
}

/// The entries as text: one heading line each (when, what, from where), then what changed.
fn render(entries: &[JournalEntry], name_gifts: bool) -> String {
    let mut text = String::new();
    for entry in entries {
        let gift = if name_gifts {
            format!("{}  ", entry.gift_id)
        } else {
            String::new()
        };
        let _ = writeln!(
            text,
            "{}  {gift}{:<8}  from {}",
            entry.recorded_at.format("%Y-%m-%d %H:%M:%S UTC"),
            entry.action,
            entry.source
        );
        match (entry.action, &entry.before, &entry.after) {
            (Action::Created, _, Some(after)) => {
                let fields = ledger::record(after);
                let described: Vec<String> = ledger::COLUMNS
                    .iter()
                    .zip(&fields)
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(column, value)| format!("{column} {value}"))
                    .collect();
                let _ = writeln!(text, "    {}", described.join(", "));
            }
            (Action::Updated, Some(before), Some(after)) => {
                let (old, new) = (ledger::record(before), ledger::record(after));
                for ((column, old), new) in ledger::COLUMNS.iter().zip(&old).zip(&new) {
                    if old != new {
                        let shown = |v: &str| {
                            if v.is_empty() {
                                "(none)".to_owned()
                            } else {
                                v.to_owned()
                            }
                        };
                        let _ = writeln!(text, "    {column}: {} → {}", shown(old), shown(new));
                    }
                }
            }
            _ => {}
        }
        if let Some(reason) = &entry.reason {
            let _ = writeln!(text, "    {reason}");
        }
    }
    if entries.is_empty() {
        text.push_str("no change recorded\n");
    }
    text
}
