//! Stable, collision-free slots for hashed keys, learned as keys are first rewarded.
//!
//! Hashing keys straight into `block_dim` slots collides (64 keys in 64 slots keep only ~40
//! apart), and on digits that alone costs 0.05–0.1 of progressive reward. So the map gives
//! each *group* (a candidate-side key: a tag or feature name) its own interaction block, and
//! each key inside a block its own slot, in the order they are first seen by `update`. Only
//! when the blocks or a block's slots run out does it fall back to hashing (`hash % n`), so a
//! site with few tags and context keys gets an exact model and one with many degrades
//! gracefully. Scoring never assigns: a key not yet rewarded has weight 0 and the prior
//! variance, which is exactly what a fresh slot would have. Bounded by the layout: at most
//! `blocks − 1` groups and `block_dim` keys per block. Nothing here learns weights.

use super::features::{fmix32, KeyedFeatures, Layout, SHARED_GROUP};
use super::linalg::SparseVector;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiply-shift hasher for the map's integer keys (already well mixed by `fmix32`).
#[derive(Default)]
pub struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

/// A map from integer keys to `V` (default `u32`) with [`IntHasher`].
pub(crate) type IntMap<K, V = u32> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// Which block each group and which slot each key occupies.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMap {
    layout: Layout,
    groups: Vec<u32>,
    slots: Vec<Vec<u32>>,
    group_index: IntMap<u32>,
    slot_index: IntMap<u64>,
}

fn slot_key(block: u32, key: u32) -> u64 {
    (u64::from(block) << 32) | u64::from(key)
}

/// A key made specific to its group, so that groups sharing a block once the blocks run out
/// do not share slots (a bijection for each group: keys distinct within a group stay so).
fn group_key(group: u32, key: u32) -> u32 {
    if group == SHARED_GROUP {
        key
    } else {
        fmix32(key ^ group.rotate_left(16).wrapping_mul(0x9E37_79B1))
    }
}

impl FeatureMap {
    /// An empty map: nothing assigned.
    pub fn new(layout: Layout) -> Self {
        FeatureMap {
            layout,
            groups: Vec::new(),
            slots: vec![Vec::new(); layout.blocks() as usize],
            group_index: IntMap::default(),
            slot_index: IntMap::default(),
        }
    }

    /// Rebuilds a map from its assignment lists; `None` when a list is too long or repeats a
    /// key, or a group is the shared one.
    pub fn from_parts(layout: Layout, groups: Vec<u32>, slots: Vec<Vec<u32>>) -> Option<Self> {
        let fits = groups.len() < layout.blocks() as usize
            && slots.len() == layout.blocks() as usize
            && slots.iter().all(|s| s.len() <= layout.block_dim() as usize);
        let mut map = FeatureMap::new(layout);
        if !fits || groups.contains(&SHARED_GROUP) {
            return None;
        }
        for (b, group) in (1u32..).zip(&groups) {
            map.group_index.insert(*group, b).is_none().then_some(())?;
        }
        for (b, keys) in (0u32..).zip(&slots) {
            for (slot, key) in (0u32..).zip(keys) {
                map.slot_index
                    .insert(slot_key(b, *key), slot)
                    .is_none()
                    .then_some(())?;
            }
        }
        map.groups = groups;
        map.slots = slots;
        Some(map)
    }

    /// Group hashes of interaction blocks 1, 2, …, in assignment order.
    pub fn groups(&self) -> &[u32] {
        &self.groups
    }

    /// Per block, the keys of slots 0, 1, …, in assignment order.
    pub fn slots(&self) -> &[Vec<u32>] {
        &self.slots
    }

    fn interaction_blocks(&self) -> u32 {
        self.layout.blocks() - 1
    }

    fn block_of(&self, group: u32) -> Option<u32> {
        if group == SHARED_GROUP {
            return Some(0);
        }
        if let Some(&b) = self.group_index.get(&group) {
            return Some(b);
        }
        let full = self.groups.len() as u32 >= self.interaction_blocks();
        full.then(|| 1 + group % self.interaction_blocks().max(1))
    }

    fn slot_of(&self, block: u32, key: u32) -> Option<u32> {
        if let Some(&slot) = self.slot_index.get(&slot_key(block, key)) {
            return Some(slot);
        }
        let used = self.slots.get(block as usize).map_or(0, Vec::len);
        (used >= self.layout.block_dim() as usize).then(|| key % self.layout.block_dim())
    }

    fn assign_block(&mut self, group: u32) -> u32 {
        if let Some(b) = self.block_of(group) {
            return b;
        }
        self.groups.push(group);
        let b = self.groups.len() as u32;
        self.group_index.insert(group, b);
        b
    }

    fn assign_slot(&mut self, block: u32, key: u32) -> u32 {
        if let Some(slot) = self.slot_of(block, key) {
            return slot;
        }
        let Some(keys) = self.slots.get_mut(block as usize) else {
            return key % self.layout.block_dim();
        };
        keys.push(key);
        let slot = keys.len() as u32 - 1;
        self.slot_index.insert(slot_key(block, key), slot);
        slot
    }

    /// Indices for scoring: keys never rewarded are left out and their squared values summed
    /// as the vector's `unseen` mass (prior variance, zero weight). A key repeated in
    /// `features` counts once with its values summed, as it would once it had a slot.
    pub fn resolve(&self, features: &KeyedFeatures) -> SparseVector {
        let mut entries = Vec::with_capacity(features.entries().len());
        let mut unseen: Vec<(u64, f64)> = Vec::new();
        for f in features.entries() {
            let key = group_key(f.group, f.key);
            let index = self
                .block_of(f.group)
                .and_then(|b| Some(b * self.layout.block_dim() + self.slot_of(b, key)?));
            match index {
                Some(i) => entries.push((i, f.value)),
                None => unseen.push(((u64::from(f.group) << 32) | u64::from(key), f.value)),
            }
        }
        crate::sort::sort_by_key(&mut unseen, |(key, _)| *key);
        let unseen_mass = unseen
            .chunk_by(|a, b| a.0 == b.0)
            .map(|same| same.iter().map(|(_, v)| v).sum::<f64>().powi(2))
            .sum();
        SparseVector::from_entries(entries).with_unseen(unseen_mass)
    }

    /// Indices for learning: assigns blocks and slots to keys seen for the first time.
    pub fn assign(&mut self, features: &KeyedFeatures) -> SparseVector {
        let dim = self.layout.block_dim();
        let entries = features
            .entries()
            .iter()
            .map(|f| {
                let b = self.assign_block(f.group);
                (
                    b * dim + self.assign_slot(b, group_key(f.group, f.key)),
                    f.value,
                )
            })
            .collect();
        SparseVector::from_entries(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bandit::features::Keyed;

    fn keyed(entries: &[(u32, u32)]) -> KeyedFeatures {
        KeyedFeatures::new(
            entries
                .iter()
                .map(|&(group, key)| Keyed {
                    group,
                    key,
                    value: 1.0,
                })
                .collect(),
        )
    }

    #[test]
    fn first_seen_keys_get_distinct_slots_in_their_groups_block() {
        let mut map = FeatureMap::new(Layout::new(3, 4).unwrap());
        let x = map.assign(&keyed(&[(7, 100), (7, 101), (SHARED_GROUP, 100)]));
        assert_eq!(x.entries(), &[(0, 1.0), (4, 1.0), (5, 1.0)]);
        assert_eq!(map.resolve(&keyed(&[(7, 101)])).entries(), &[(5, 1.0)]);
    }

    #[test]
    fn unseen_keys_are_prior_mass_when_scoring() {
        let map = FeatureMap::new(Layout::new(3, 4).unwrap());
        let x = map.resolve(&keyed(&[(7, 1), (SHARED_GROUP, 2)]));
        assert!(x.is_empty());
        assert_eq!(x.unseen(), 2.0);
    }

    #[test]
    fn full_blocks_fall_back_to_hashing_inside_the_layout() {
        let layout = Layout::new(2, 2).unwrap();
        let mut map = FeatureMap::new(layout);
        let x = map.assign(&keyed(&[(5, 1), (5, 2), (5, 3), (9, 4)]));
        assert!(x.entries().iter().all(|(i, _)| *i < layout.dimension()));
        assert_eq!(map.groups(), &[5]);
        assert_eq!(map.slots()[1].len(), 2);
    }

    #[test]
    fn a_map_rebuilt_from_its_parts_is_equal() {
        let mut map = FeatureMap::new(Layout::new(3, 4).unwrap());
        map.assign(&keyed(&[(7, 100), (8, 3), (SHARED_GROUP, 9)]));
        let copy = FeatureMap::from_parts(map.layout, map.groups.clone(), map.slots.clone());
        assert_eq!(copy, Some(map.clone()));
        let repeated = vec![vec![9, 9], vec![], vec![]];
        assert!(FeatureMap::from_parts(map.layout, vec![], repeated).is_none());
    }
}
