//! What the profile keeps about placements and items: click-through per slot, and the tags
//! of items seen lately so that dwell (which names only the item) can credit their tags.
//!
//! [`SlotStats`] is stored (compactly, as `[impressions, clicks]`); [`RecentItems`] is not:
//! dwell is reported when leaving the page whose impressions and clicks named the items'
//! tags, so a page's memory is enough, and storing item ids would keep more than needed.

use crate::value::{Field, InputError};
use serde::ser::{SerializeTuple, Serializer};
use serde::Serialize;
use std::collections::VecDeque;

/// Items whose tags are remembered for dwell, most recent first.
pub const MAX_RECENT_ITEMS: usize = 64;

/// Impressions and clicks in one slot (`data-hearth-rank` or the `rank` slot).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlotStats {
    /// Impressions counted, saturating.
    pub impressions: u32,
    /// Clicks counted, saturating.
    pub clicks: u32,
}

impl SlotStats {
    /// Click-through: clicks over impressions, capped at 1 (a click can come before the
    /// one-second impression rule is met, so clicks may outnumber impressions); `None`
    /// before anything was counted.
    pub fn ctr(&self) -> Option<f64> {
        let shown = self.impressions.max(self.clicks);
        (shown > 0).then(|| f64::from(self.clicks) / f64::from(shown))
    }

    /// How useful the entry is when slots must be evicted: its number of observations.
    pub fn weight(&self) -> f64 {
        f64::from(self.impressions) + f64::from(self.clicks)
    }

    /// Reads the stored `[impressions, clicks]`.
    pub fn parse(field: Field) -> Result<Self, InputError> {
        let whole = field.error("must be [impressions, clicks]");
        let mut entries = field.list(2)?.into_iter();
        let (Some(impressions), Some(clicks)) = (entries.next(), entries.next()) else {
            return Err(whole);
        };
        let count = |f: Field| f.integer(0, u64::from(u32::MAX)).map(|n| n as u32);
        Ok(SlotStats {
            impressions: count(impressions)?,
            clicks: count(clicks)?,
        })
    }
}

impl Serialize for SlotStats {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(&self.impressions)?;
        tuple.serialize_element(&self.clicks)?;
        tuple.end()
    }
}

/// The tags of the last [`MAX_RECENT_ITEMS`] items shown or clicked, in memory only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecentItems(VecDeque<(String, Vec<String>)>);

impl RecentItems {
    /// Remembers `tags` for `item_id` (the latest report wins), forgetting the oldest item
    /// past the bound.
    pub fn remember(&mut self, item_id: &str, tags: &[String]) {
        if let Some(i) = self.0.iter().position(|(id, _)| id == item_id) {
            self.0.remove(i);
        }
        if self.0.len() == MAX_RECENT_ITEMS {
            self.0.pop_back();
        }
        self.0.push_front((item_id.to_owned(), tags.to_vec()));
    }

    /// The tags of `item_id`, empty when it was not seen lately.
    pub fn tags(&self, item_id: &str) -> &[String] {
        self.0
            .iter()
            .find(|(id, _)| id == item_id)
            .map_or(&[], |(_, tags)| tags.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn click_through_is_clicks_over_impressions_capped_at_one() {
        let stats = |impressions, clicks| SlotStats {
            impressions,
            clicks,
        };
        assert_eq!(stats(0, 0).ctr(), None);
        assert_eq!(stats(4, 1).ctr(), Some(0.25));
        assert_eq!(stats(1, 3).ctr(), Some(1.0));
    }

    #[test]
    fn slot_stats_are_stored_as_a_pair_and_read_back() {
        let stats = SlotStats {
            impressions: 9,
            clicks: 2,
        };
        let json = serde_json::to_string(&stats).unwrap();
        assert_eq!(json, "[9,2]");
        let field = Field::root("s", crate::value::from_json(&json));
        assert_eq!(SlotStats::parse(field), Ok(stats));
        let field = Field::root("s", crate::value::from_json("[1]"));
        assert!(SlotStats::parse(field).is_err());
    }

    #[test]
    fn recent_items_keep_the_latest_tags_and_forget_the_oldest_item() {
        let mut recent = RecentItems::default();
        recent.remember("a", &["x".into()]);
        recent.remember("a", &["y".into()]);
        assert_eq!(recent.tags("a"), ["y".to_string()]);
        for i in 0..MAX_RECENT_ITEMS {
            recent.remember(&format!("i{i}"), &[]);
        }
        assert!(recent.tags("a").is_empty());
        assert_eq!(recent.0.len(), MAX_RECENT_ITEMS);
    }
}
