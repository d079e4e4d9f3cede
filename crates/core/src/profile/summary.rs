//! The human-readable profile for `hearth.profile.get()`: what Hearth has learned, in a
//! form a visitor (or a developer) can read.
//!
//! Its one job is [`ProfileSummary`]: the top affinities, the counters per window, the
//! session count, recency, engagement and click-through per slot, with the segments the
//! caller computed. Slots are listed by name; nothing here is stored.

use super::engagement::Engagement;
use super::windows::{Counter, Window};
use super::Profile;
use crate::time::Millis;
use serde::Serialize;

/// Affinities listed in a summary.
pub const SUMMARY_TOP_TAGS: usize = 10;

/// One tag and its affinity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagAffinity {
    /// The tag.
    pub tag: String,
    /// Its decayed affinity.
    pub score: f64,
}

/// The counters over one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Sessions started.
    pub sessions: u64,
    /// Page views.
    pub page_views: u64,
    /// Clicks.
    pub clicks: u64,
    /// Impressions.
    pub impressions: u64,
    /// Milliseconds of item dwell.
    pub dwell_ms: u64,
}

/// The counters over each window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WindowCounts {
    /// The last 24 hours.
    #[serde(rename = "1d")]
    pub day: Counts,
    /// The last 7 days.
    #[serde(rename = "7d")]
    pub week: Counts,
    /// The last 30 days.
    #[serde(rename = "30d")]
    pub month: Counts,
    /// Ever.
    pub all: Counts,
}

/// Click-through in one slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotSummary {
    /// The slot.
    pub slot: String,
    /// Impressions counted.
    pub impressions: u32,
    /// Clicks counted.
    pub clicks: u32,
    /// Clicks over impressions, capped at 1; `null` before either.
    pub ctr: Option<f64>,
}

/// What `hearth.profile.get()` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    /// The segments, as the caller computed them.
    pub segments: Vec<String>,
    /// The strongest affinities, strongest first.
    pub top_affinities: Vec<TagAffinity>,
    /// Counters per window.
    pub counts: WindowCounts,
    /// Sessions so far.
    pub session_count: u32,
    /// When first seen.
    pub first_seen: Option<Millis>,
    /// Latest activity.
    pub last_seen: Option<Millis>,
    /// Latest click.
    pub last_click: Option<Millis>,
    /// Engagement score and level.
    pub engagement: Engagement,
    /// Click-through per slot, by slot name.
    pub slots: Vec<SlotSummary>,
}

impl Profile {
    fn counts(&self, window: Window, now: Millis) -> Counts {
        let count = |counter| self.count(counter, window, now);
        Counts {
            sessions: count(Counter::Sessions),
            page_views: count(Counter::PageViews),
            clicks: count(Counter::Clicks),
            impressions: count(Counter::Impressions),
            dwell_ms: count(Counter::DwellMs),
        }
    }

    /// The readable summary at `now`, with `segments`.
    pub fn summary(&self, segments: Vec<String>, now: Millis) -> ProfileSummary {
        let mut slots: Vec<SlotSummary> = Vec::with_capacity(self.slots.len());
        for (slot, stats) in self.slots.iter() {
            let at = slots.iter().position(|s| s.slot > *slot);
            let entry = SlotSummary {
                slot: slot.clone(),
                impressions: stats.impressions,
                clicks: stats.clicks,
                ctr: stats.ctr(),
            };
            slots.insert(at.unwrap_or(slots.len()), entry);
        }
        let top = self.top_affinities(SUMMARY_TOP_TAGS, now);
        ProfileSummary {
            segments,
            top_affinities: top
                .into_iter()
                .map(|(tag, score)| TagAffinity { tag, score })
                .collect(),
            counts: WindowCounts {
                day: self.counts(Window::Day, now),
                week: self.counts(Window::Week, now),
                month: self.counts(Window::Month, now),
                all: self.counts(Window::All, now),
            },
            session_count: self.session_count(),
            first_seen: self.first_seen(),
            last_seen: self.last_seen(),
            last_click: self.last_click(),
            engagement: self.engagement(now),
            slots,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Item};
    use crate::profile::ProfileConfig;

    #[test]
    fn the_summary_lists_slots_by_name_and_affinities_strongest_first() {
        let mut profile = Profile::new(ProfileConfig::default());
        let now = Millis(1_000_000);
        for (id, tags, slot) in [("a", "x", "zeta"), ("b", "y", "alpha"), ("c", "x", "mid")] {
            let item = Item::new(id, crate::event::split_tags(tags), Some(slot)).unwrap();
            profile.apply(&Event::item_click(now, item), now);
        }
        let summary = profile.summary(vec!["new".into()], now);
        let slots: Vec<&str> = summary.slots.iter().map(|s| s.slot.as_str()).collect();
        assert_eq!(slots, ["alpha", "mid", "zeta"]);
        assert_eq!(summary.top_affinities[0].tag, "x");
        assert_eq!(summary.counts.day.clicks, 3);
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["counts"]["7d"]["clicks"], 3);
        assert_eq!(json["topAffinities"][1]["tag"], "y");
        assert_eq!(json["engagement"]["level"], "low");
    }
}
