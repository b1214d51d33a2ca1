//! A map for a handful of keys (the six languages, the three appeal states): a sorted vector.
//!
//! The status document's texts per language are maps of at most six entries. `BTreeMap` gave
//! them the same order and serde form, but its node code is several kilobytes of the browser
//! bundle for maps that a linear scan reads as fast; this keeps the order and the form.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map kept sorted by key, written and read as a JSON object or TOML table like `BTreeMap`.
///
/// # Example
///
/// ```
/// use jauge::{Locale, SmallMap};
///
/// let mut alt = SmallMap::new();
/// alt.insert(Locale::Fr, "Deux mascottes");
/// alt.insert(Locale::En, "Two mascots");
/// assert_eq!(alt.get(&Locale::En), Some(&"Two mascots"));
/// assert_eq!(alt.keys().collect::<Vec<_>>(), [&Locale::En, &Locale::Fr]);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SmallMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> SmallMap<K, V> {
    /// An empty map.
    pub const fn new() -> SmallMap<K, V> {
        SmallMap {
            entries: Vec::new(),
        }
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(key, _)| key)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, value)| value)
    }
}

impl<K: Ord, V> SmallMap<K, V> {
    /// Where `key` is, or where it would go.
    fn find(&self, key: &K) -> Result<usize, usize> {
        // A scan: the maps hold a few entries, and it is less code than a binary search.
        match self.entries.iter().position(|(k, _)| k >= key) {
            Some(at) if self.entries[at].0 == *key => Ok(at),
            Some(at) => Err(at),
            None => Err(self.entries.len()),
        }
    }

    /// The value for `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|at| &self.entries[at].1)
    }

    /// The value for `key`, to change.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.find(key).ok().map(|at| &mut self.entries[at].1)
    }

    /// Sets the value for `key` and returns the one it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// The value for `key`, inserted as `V::default()` when absent.
    pub fn get_or_insert_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let at = match self.find(&key) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(at, (key, V::default()));
                at
            }
        };
        &mut self.entries[at].1
    }
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> SmallMap<K, V> {
        SmallMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SmallMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SmallMap<K, V> {
    /// Later entries replace earlier ones with the same key, as in `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> SmallMap<K, V> {
        let mut map = SmallMap::new();
        for (key, value) in entries {
            map.insert(key, value);
        }
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SmallMap<K, V> {
    fn from(entries: [(K, V); N]) -> SmallMap<K, V> {
        entries.into_iter().collect()
    }
}

impl<K: Serialize, V: Serialize> Serialize for SmallMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SmallMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SmallMap<K, V>, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
            type Value = SmallMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = SmallMap::new();
                while let Some((key, value)) = access.next_entry()? {
                    map.insert(key, value);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever the insertions, it holds what a `BTreeMap` would, in the same order, and
        /// serialises to the same JSON.
        #[test]
        fn agrees_with_a_btree_map(entries in proptest::collection::vec((0u8..12, any::<u16>()), 0..30)) {
            let mut small = SmallMap::new();
            let mut btree = BTreeMap::new();
            for (key, value) in &entries {
                prop_assert_eq!(small.insert(*key, *value), btree.insert(*key, *value));
            }
            prop_assert_eq!(small.iter().collect::<Vec<_>>(), btree.iter().collect::<Vec<_>>());
            for key in 0u8..12 {
                prop_assert_eq!(small.get(&key), btree.get(&key));
            }
            let json = serde_json::to_string(&small).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&btree).unwrap());
            prop_assert_eq!(serde_json::from_str::<SmallMap<u8, u16>>(&json).unwrap(), small);
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_as_serde_maps_do() {
        let map: SmallMap<String, u8> =
            serde_json::from_str(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        assert_eq!(
            map.iter().collect::<Vec<_>>(),
            [(&"a".to_string(), &2), (&"b".to_string(), &3)]
        );
    }

    #[test]
    fn get_or_insert_default_keeps_the_order() {
        let mut map: SmallMap<u8, Vec<u8>> = SmallMap::new();
        map.get_or_insert_default(3).push(1);
        map.get_or_insert_default(1).push(2);
        map.get_or_insert_default(3).push(3);
        assert_eq!(format!("{map:?}"), "{1: [2], 3: [1, 3]}");
    }
}
