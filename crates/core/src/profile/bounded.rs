//! A map from names to values that stays within a number of entries and a number of bytes.
//!
//! Its one job is [`Bounded`]: the profile's per-tag, per-slot and per-event-name maps,
//! whose keys come from the site's markup and could otherwise grow without end. The byte
//! bound counts each name as its worst-case JSON form (quotes, escapes, UTF-8), so the stored
//! profile has a size limit whatever the names are. When either bound is passed, the least
//! useful entry (the lowest score the caller gives; ties go to the larger name, so the choice
//! never depends on hash order) is evicted, which may be the entry just added. Finding it is
//! a linear scan; nothing is sorted.

use crate::value::{Field, InputError};
use serde::Serialize;
use std::collections::HashMap;

/// Bytes a name takes in JSON at most: quotes, two bytes per escaped quote or backslash, six
/// per control character (`\u0001`), its UTF-8 bytes otherwise.
pub fn json_bytes(name: &str) -> usize {
    2 + name
        .chars()
        .map(|c| match c {
            '"' | '\\' => 2,
            c if u32::from(c) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// Names and values within `max_entries` entries and `max_name_bytes` bytes of names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Bounded<V> {
    map: HashMap<String, V>,
    #[serde(skip)]
    name_bytes: usize,
    #[serde(skip)]
    max_entries: usize,
    #[serde(skip)]
    max_name_bytes: usize,
}

impl<V> Bounded<V> {
    /// An empty map with these bounds.
    pub fn new(max_entries: usize, max_name_bytes: usize) -> Self {
        Bounded {
            map: HashMap::new(),
            name_bytes: 0,
            max_entries,
            max_name_bytes,
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&V> {
        self.map.get(name)
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Bytes of names, as [`json_bytes`] counts them.
    pub fn name_bytes(&self) -> usize {
        self.name_bytes
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.map.iter()
    }

    /// Removes `name`; returns whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        let removed = self.map.remove(name).is_some();
        if removed {
            self.name_bytes = self.name_bytes.saturating_sub(json_bytes(name));
        }
        removed
    }

    /// Keeps only the entries for which `keep` holds; returns whether any was removed.
    pub fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) -> bool {
        let before = self.map.len();
        self.map.retain(|_, value| keep(value));
        let removed = self.map.len() != before;
        if removed {
            self.name_bytes = self.map.keys().map(|name| json_bytes(name)).sum();
        }
        removed
    }

    /// Updates the value of `name` (starting from `fresh()` when absent), then evicts the
    /// least useful entries by `score` until the bounds hold again.
    pub fn update(
        &mut self,
        name: &str,
        fresh: impl FnOnce() -> V,
        change: impl FnOnce(&mut V),
        score: impl Fn(&V) -> f64,
    ) {
        if let Some(value) = self.map.get_mut(name) {
            change(value);
            return;
        }
        let mut value = fresh();
        change(&mut value);
        self.name_bytes += json_bytes(name);
        self.map.insert(name.to_owned(), value);
        while self.map.len() > self.max_entries || self.name_bytes > self.max_name_bytes {
            let Some(evicted) = self.least_useful(&score) else {
                break;
            };
            self.remove(&evicted);
        }
    }

    fn least_useful(&self, score: &impl Fn(&V) -> f64) -> Option<String> {
        let mut worst: Option<(&String, f64)> = None;
        for (name, value) in &self.map {
            let s = score(value);
            let worse = match worst {
                None => true,
                Some((w, ws)) => s < ws || (s == ws && name > w),
            };
            if worse {
                worst = Some((name, s));
            }
        }
        worst.map(|(name, _)| name.clone())
    }

    /// Reads a stored map (`{name: value}`), refusing one past its bounds.
    pub fn parse(
        field: Field,
        max_entries: usize,
        max_name_bytes: usize,
        read: impl Fn(Field) -> Result<V, InputError>,
    ) -> Result<Self, InputError> {
        let too_long = field.error(format!("names take more than {max_name_bytes} bytes"));
        let object = field.object()?;
        let mut bounded = Bounded::new(max_entries, max_name_bytes);
        for (name, entry) in object.into_entries(max_entries)? {
            let value = read(entry)?;
            bounded.name_bytes += json_bytes(&name);
            bounded.map.insert(name, value);
        }
        if bounded.name_bytes > max_name_bytes {
            return Err(too_long);
        }
        Ok(bounded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bump(map: &mut Bounded<f64>, name: &str, by: f64) {
        map.update(name, || 0.0, |v| *v += by, |v| *v);
    }

    #[test]
    fn names_are_counted_as_their_worst_case_json() {
        assert_eq!(json_bytes("ab"), 4);
        assert_eq!(json_bytes("\"\\"), 6);
        assert_eq!(json_bytes("\u{1}é"), 10);
    }

    #[test]
    fn past_its_entry_bound_the_lowest_scored_entry_is_evicted_even_if_new() {
        let mut map = Bounded::new(2, 1_000);
        bump(&mut map, "a", 3.0);
        bump(&mut map, "b", 1.0);
        bump(&mut map, "c", 2.0);
        assert_eq!(
            (map.get("a"), map.get("b"), map.get("c")),
            (Some(&3.0), None, Some(&2.0))
        );
        bump(&mut map, "d", 0.5);
        assert_eq!(map.get("d"), None);
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn past_its_byte_bound_entries_are_evicted_until_the_names_fit() {
        let mut map = Bounded::new(100, 12);
        bump(&mut map, "aaaa", 2.0);
        bump(&mut map, "bbbb", 1.0);
        bump(&mut map, "cccc", 3.0);
        assert_eq!(map.len(), 2);
        assert_eq!(map.get("bbbb"), None);
        assert_eq!(map.name_bytes(), 12);
    }

    #[test]
    fn ties_are_broken_by_name_not_by_hash_order() {
        let mut map = Bounded::new(1, 1_000);
        bump(&mut map, "m", 1.0);
        bump(&mut map, "z", 1.0);
        bump(&mut map, "a", 1.0);
        assert_eq!(map.get("a"), Some(&1.0));
        assert_eq!(map.len(), 1);
    }
}
