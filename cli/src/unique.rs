//! Duplicate donation ids across ledgers of any size, in fixed memory.
//!
//! A blocked Bloom filter (16 MiB; five probes within one 64-byte block, so one cache miss per
//! id) sees every id once. An id it may have seen before is a
//! candidate, and only candidates are checked exactly, in a second read of the ledgers that also
//! finds where each copy is. At a million ids the filter's false alarms are about one in ten
//! million ids, so the second read almost never happens unless there really is a duplicate.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::error::{CliError, InputError, Location};
use crate::ledger::LedgerReader;

const BITS: u64 = 1 << 27;
const PROBES: u64 = 5;
/// Bits in a block: one cache line.
const BLOCK: u64 = 512;

/// Remembers ids approximately, and the ones that may repeat exactly.
pub struct IdFilter {
    bits: Vec<u64>,
    candidates: HashSet<u128>,
}

impl Default for IdFilter {
    fn default() -> IdFilter {
        IdFilter {
            bits: vec![0; (BITS / 64) as usize],
            candidates: HashSet::new(),
        }
    }
}

impl IdFilter {
    /// The hash [`IdFilter::insert_hash`] takes, computed where the id is read.
    pub fn hash(id: &str) -> u128 {
        xxhash_rust::xxh3::xxh3_128(id.as_bytes())
    }

    /// Notes `id`; keeps it as a candidate if it may have been seen before.
    pub fn insert(&mut self, id: &str) {
        self.insert_hash(IdFilter::hash(id));
    }

    /// Notes an id by its hash.
    pub fn insert_hash(&mut self, hash: u128) {
        let (block, mut bits) = ((hash as u64) % (BITS / BLOCK), (hash >> 64) as u64);
        let mut seen = true;
        for _ in 0..PROBES {
            // Nine bits of the hash's upper half pick each probe inside the block.
            let bit = block * BLOCK + (bits % BLOCK);
            bits /= BLOCK;
            let (word, mask) = ((bit / 64) as usize, 1u64 << (bit % 64));
            seen &= self.bits[word] & mask != 0;
            self.bits[word] |= mask;
        }
        if seen {
            self.candidates.insert(hash);
        }
    }

    /// Confirms the candidates by reading the ledgers again.
    ///
    /// # Errors
    ///
    /// An id that really appears twice, naming every place it appears; or a ledger that can no
    /// longer be read.
    pub fn check(self, files: &[PathBuf]) -> Result<(), CliError> {
        if self.candidates.is_empty() {
            return Ok(());
        }
        let mut places: HashMap<String, Vec<Location>> = HashMap::new();
        for file in files {
            let mut reader = LedgerReader::open(file)?;
            while let Some(row) = reader.next_donation() {
                let (line, donation) = row?;
                if self.candidates.contains(&IdFilter::hash(donation.id())) {
                    places
                        .entry(donation.id().to_owned())
                        .or_default()
                        .push(Location::line(file, line));
                }
            }
        }
        let mut repeated: Vec<(String, Vec<Location>)> =
            places.into_iter().filter(|(_, p)| p.len() > 1).collect();
        repeated.sort_by(|a, b| (&a.1[0].file, a.1[0].line).cmp(&(&b.1[0].file, b.1[0].line)));
        match repeated.into_iter().next() {
            None => Ok(()),
            Some((id, places)) => {
                let others: Vec<String> = places[1..].iter().map(ToString::to_string).collect();
                Err(InputError::new(
                    places[0].clone(),
                    format!(
                        "donation id {id} appears again at {}: one gift must not count twice",
                        others.join(", ")
                    ),
                )
                .into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_ids_raise_no_candidate() {
        let mut filter = IdFilter::default();
        for i in 0..200_000 {
            filter.insert(&format!("stripe:ch_{i:08}"));
        }
        assert!(filter.candidates.is_empty());
        filter.insert("stripe:ch_00000042");
        assert_eq!(filter.candidates.len(), 1);
    }
}
