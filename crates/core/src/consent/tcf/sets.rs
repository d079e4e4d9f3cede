//! Compact set types for decoded TC-string signals: small fixed bitsets for
//! purposes and special features, and a sorted list of inclusive ranges for
//! vendor ids. They only hold and answer membership; they never decode.

use serde::ser::{Serialize, Serializer};

/// A set of purpose ids (1-based), as in the 24-bit purpose fields and the
/// up-to-63-bit custom purpose fields. Serializes as a sorted array of ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PurposeSet {
    /// Bit `id - 1` is set when purpose `id` is in the set.
    bits: u64,
}

impl PurposeSet {
    /// Builds a set from a bitmask where bit `id - 1` stands for purpose `id`.
    pub const fn from_bits(bits: u64) -> Self {
        PurposeSet { bits }
    }

    /// Builds a set from a `width`-bit field read left to right, so the
    /// leftmost bit is purpose 1 (the TC-string layout).
    pub(super) fn from_field(field: u64, width: u32) -> Self {
        let mut bits = 0u64;
        for i in 0..width.min(64) {
            if field >> (width - 1 - i) & 1 == 1 {
                bits |= 1 << i;
            }
        }
        PurposeSet { bits }
    }

    /// The bitmask where bit `id - 1` stands for purpose `id`.
    pub const fn bits(&self) -> u64 {
        self.bits
    }

    /// Whether the signal is set for `purpose` (numbered from 1). Purpose 0
    /// and ids beyond the field are never allowed.
    pub fn allows(&self, purpose: u8) -> bool {
        (1..=64).contains(&purpose) && self.bits >> (purpose - 1) & 1 == 1
    }

    /// Whether no purpose is set.
    pub const fn is_empty(&self) -> bool {
        self.bits == 0
    }

    /// The set purpose ids in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (1..=64u8).filter(move |&id| self.allows(id))
    }
}

impl Serialize for PurposeSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The 12 special-feature opt-ins (1-based ids). Serializes as a sorted array
/// of the opted-in ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SpecialFeatureSet {
    /// Bit `id - 1` is set when special feature `id` is opted in.
    bits: u16,
}

impl SpecialFeatureSet {
    /// Builds a set from a bitmask where bit `id - 1` stands for feature `id`.
    pub const fn from_bits(bits: u16) -> Self {
        SpecialFeatureSet { bits }
    }

    /// The bitmask where bit `id - 1` stands for special feature `id`.
    pub const fn bits(&self) -> u16 {
        self.bits
    }

    /// Whether the user opted in to special feature `feature` (from 1).
    pub fn is_opted_in(&self, feature: u8) -> bool {
        (1..=16).contains(&feature) && self.bits >> (feature - 1) & 1 == 1
    }

    /// The opted-in feature ids in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (1..=16u8).filter(move |&id| self.is_opted_in(id))
    }
}

impl Serialize for SpecialFeatureSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A set of vendor ids (1..=65535) stored as sorted, disjoint, non-adjacent
/// inclusive ranges, plus the section's declared `MaxVendorId`. Equal sets
/// compare equal whichever encoding (bitfield or ranges) they came from.
/// Serializes as a sorted array of vendor ids (at most 65535 of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct VendorSet {
    max_vendor_id: u16,
    ranges: Vec<(u16, u16)>,
}

impl VendorSet {
    /// Builds a set from vendor ids in any order; id 0 is ignored.
    pub fn from_ids(max_vendor_id: u16, ids: impl IntoIterator<Item = u16>) -> Self {
        let ranges = ids.into_iter().filter(|&id| id != 0).map(|id| (id, id));
        Self::from_ranges(max_vendor_id, ranges.collect())
    }

    /// Builds a set from inclusive ranges in any order, possibly overlapping;
    /// ranges with start 0 or start > end are ignored.
    pub(super) fn from_ranges(max_vendor_id: u16, mut ranges: Vec<(u16, u16)>) -> Self {
        ranges.retain(|&(start, end)| start != 0 && start <= end);
        crate::sort::sort_by_key(&mut ranges, |r| *r);
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if u32::from(start) <= u32::from(last.1) + 1 => {
                    last.1 = last.1.max(end);
                }
                _ => merged.push((start, end)),
            }
        }
        merged.shrink_to_fit();
        VendorSet {
            max_vendor_id,
            ranges: merged,
        }
    }

    /// Builds a set from ranges already sorted, disjoint and non-adjacent
    /// (as produced by reading a bitfield left to right).
    pub(super) fn from_sorted_ranges(max_vendor_id: u16, ranges: Vec<(u16, u16)>) -> Self {
        debug_assert!(ranges.windows(2).all(|w| match w {
            [a, b] => u32::from(a.1) + 1 < u32::from(b.0),
            _ => true,
        }));
        VendorSet {
            max_vendor_id,
            ranges,
        }
    }

    /// Whether `vendor_id` is in the set.
    pub fn contains(&self, vendor_id: u16) -> bool {
        let after = self
            .ranges
            .partition_point(|&(start, _)| start <= vendor_id);
        match after.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some(&(_, end)) => vendor_id <= end,
            None => false,
        }
    }

    /// The section's declared `MaxVendorId`: the highest id the section
    /// covers, which may exceed the highest id actually in the set.
    pub fn max_vendor_id(&self) -> u16 {
        self.max_vendor_id
    }

    /// Whether no vendor is in the set.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Number of vendor ids in the set.
    pub fn len(&self) -> usize {
        self.ranges
            .iter()
            .map(|&(start, end)| usize::from(end - start) + 1)
            .sum()
    }

    /// The set as sorted, disjoint, non-adjacent inclusive ranges.
    pub fn ranges(&self) -> &[(u16, u16)] {
        &self.ranges
    }

    /// The vendor ids in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.ranges.iter().flat_map(|&(start, end)| start..=end)
    }
}

impl Serialize for VendorSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purpose_set_numbers_the_leftmost_field_bit_as_purpose_one() {
        let set = PurposeSet::from_field(0b1010_0000_0000_0000_0000_0001, 24);
        assert!(set.allows(1));
        assert!(!set.allows(2));
        assert!(set.allows(3));
        assert!(set.allows(24));
        assert!(!set.allows(0));
        assert!(!set.allows(25));
        assert!(!set.allows(255));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![1, 3, 24]);
    }

    #[test]
    fn vendor_set_merges_overlapping_and_adjacent_ranges() {
        let set = VendorSet::from_ranges(100, vec![(10, 12), (1, 1), (13, 20), (15, 16), (2, 2)]);
        assert_eq!(set.ranges(), &[(1, 2), (10, 20)]);
        assert_eq!(set.len(), 13);
        assert!(set.contains(1) && set.contains(20) && set.contains(15));
        assert!(!set.contains(0) && !set.contains(3) && !set.contains(21));
        assert_eq!(set.max_vendor_id(), 100);
    }

    #[test]
    fn vendor_set_handles_the_top_vendor_id() {
        let set = VendorSet::from_ranges(u16::MAX, vec![(65534, 65535), (1, 65533)]);
        assert_eq!(set.ranges(), &[(1, 65535)]);
        assert!(set.contains(65535));
        assert_eq!(set.len(), 65535);
        assert_eq!(set.iter().last(), Some(65535));
    }
}
