//! A bounded ring of the most recent raw events.
//!
//! Its one job is to keep the last [`MAX_RAW_EVENTS`] values in a fixed amount of memory:
//! pushing is O(1), the oldest entry is dropped once full, and reading goes oldest first.
//! It never grows past its capacity, whatever the traffic, and never interprets what it
//! holds; aggregation into a profile happens elsewhere.

use super::Event;
use serde::ser::{Serialize, Serializer};

/// Raw events kept by default; older ones are dropped.
pub const MAX_RAW_EVENTS: usize = 500;

/// The last `capacity` values pushed, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring<T> {
    items: Vec<T>,
    /// Where the oldest item is once the ring is full (0 before).
    head: usize,
    capacity: usize,
    dropped: u64,
}

/// The ring of raw events.
pub type EventRing = Ring<Event>;

impl<T> Ring<T> {
    /// An empty ring of `capacity` entries (at least one). Memory is taken as it fills.
    pub fn with_capacity(capacity: usize) -> Self {
        Ring {
            items: Vec::new(),
            head: 0,
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    /// Appends `item`, returning the oldest entry when it had to make room.
    pub fn push(&mut self, item: T) -> Option<T> {
        if self.items.len() < self.capacity {
            self.items.push(item);
            return None;
        }
        let slot = self.items.get_mut(self.head)?;
        let oldest = std::mem::replace(slot, item);
        self.head = (self.head + 1) % self.capacity;
        self.dropped = self.dropped.saturating_add(1);
        Some(oldest)
    }

    /// The entries, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        let (newer, older) = self.items.split_at(self.head.min(self.items.len()));
        older.iter().chain(newer.iter())
    }

    /// The most recent entry.
    pub fn newest(&self) -> Option<&T> {
        self.iter().next_back()
    }

    /// How many entries are held.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The most entries held at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many entries were dropped to make room, since creation or the last [`Ring::clear`].
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Forgets every entry (on erase or consent withdrawal) and releases their memory.
    pub fn clear(&mut self) {
        self.items = Vec::new();
        self.head = 0;
        self.dropped = 0;
    }
}

impl EventRing {
    /// An empty ring of [`MAX_RAW_EVENTS`] events.
    pub fn events() -> Self {
        Ring::with_capacity(MAX_RAW_EVENTS)
    }
}

impl<T: Serialize> Serialize for Ring<T> {
    /// As an array, oldest first.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    fn contents(ring: &Ring<u32>) -> Vec<u32> {
        ring.iter().copied().collect()
    }

    #[test]
    fn entries_come_back_oldest_first_before_the_ring_is_full() {
        let mut ring = Ring::with_capacity(4);
        assert!(ring.is_empty());
        for i in 0..3 {
            assert_eq!(ring.push(i), None);
        }
        assert_eq!(contents(&ring), [0, 1, 2]);
        assert_eq!(ring.newest(), Some(&2));
    }

    #[test]
    fn the_oldest_entry_is_dropped_once_full() {
        let mut ring = Ring::with_capacity(3);
        for i in 0..3 {
            ring.push(i);
        }
        assert_eq!(ring.push(3), Some(0));
        assert_eq!(ring.push(4), Some(1));
        assert_eq!(contents(&ring), [2, 3, 4]);
        assert_eq!(ring.newest(), Some(&4));
        assert_eq!(ring.dropped(), 2);
    }

    #[test]
    fn memory_stays_flat_whatever_the_traffic() {
        let mut ring = Ring::with_capacity(MAX_RAW_EVENTS);
        for i in 0..100_000u32 {
            ring.push(i);
        }
        assert_eq!(ring.len(), MAX_RAW_EVENTS);
        assert!(ring.items.capacity() < 2 * MAX_RAW_EVENTS);
        assert_eq!(ring.iter().next(), Some(&(100_000 - 500)));
        assert_eq!(ring.newest(), Some(&99_999));
    }

    #[test]
    fn a_zero_capacity_still_keeps_the_newest_entry() {
        let mut ring = Ring::with_capacity(0);
        ring.push(1);
        ring.push(2);
        assert_eq!(contents(&ring), [2]);
    }

    #[test]
    fn clearing_forgets_everything_and_the_ring_still_works() {
        let mut ring = Ring::with_capacity(2);
        for i in 0..5 {
            ring.push(i);
        }
        ring.clear();
        assert!(ring.is_empty());
        assert_eq!(ring.dropped(), 0);
        ring.push(9);
        assert_eq!(contents(&ring), [9]);
    }

    #[test]
    fn the_event_ring_serializes_as_an_array_oldest_first() {
        let mut ring = EventRing::events();
        assert_eq!(ring.capacity(), MAX_RAW_EVENTS);
        for at in [1, 2] {
            ring.push(Event::page_view(
                Millis(at),
                "/",
                super::super::ReferrerClass::Direct,
            ));
        }
        let json = serde_json::to_string(&ring).unwrap();
        assert!(json.starts_with(r#"[{"type":"pageView","at":1"#), "{json}");
    }
}
