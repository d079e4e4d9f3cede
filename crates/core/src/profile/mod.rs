//! The visitor profile: bounded aggregates built from events, with time decay.
//!
//! A [`Profile`] keeps tag affinities (exponentially decayed, [`decay`]), counters over the
//! last day, 7 and 30 days ([`windows`]), click-through per slot, recency (first and last
//! seen, last click), a documented engagement score ([`engagement`]) and counts of custom
//! events by name. Every part is bounded in entries and in bytes, so the stored form stays
//! under 64 KB whatever the events ([`MAX_STORED_BYTES`]). Categories are tags: a site that
//! wants category affinities marks them as tags (`data-hearth-tags="cat:sports,nba"`).
//!
//! On top of it: [`segments`] (built-in groups, the site's [`rules`] and the nearest of the
//! server's [`centroids`]) and [`household`] (several named profiles on a shared device).
//! [`stored`] reads the stored form back; [`metrics`] names what rules and centroids read;
//! [`summary`] is the human-readable view. Time always arrives as [`Millis`].

pub mod bounded;
pub mod centroids;
pub mod config;
pub mod decay;
pub mod engagement;
pub mod household;
pub mod items;
pub mod metrics;
pub mod names;
pub mod rules;
pub mod segments;
pub mod stored;
pub mod summary;
pub mod windows;

#[cfg(test)]
mod household_tests;
#[cfg(test)]
mod rules_tests;
#[cfg(test)]
mod segments_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod windows_tests;

pub use centroids::{Centroids, CentroidsError};
pub use config::ProfileConfig;
pub use decay::Decayed;
pub use engagement::{Engagement, EngagementLevel};
pub use household::{HouseholdError, Profiles};
pub use metrics::Metric;
pub use rules::{Rules, RulesError};
pub use segments::{SegmentDefs, SegmentTracker};
pub use windows::{Counter, Window};

use crate::event::{ClickTarget, Event, SessionState};
use crate::time::Millis;
use bounded::Bounded;
use items::{RecentItems, SlotStats};
use serde::Serialize;
use windows::Windows;

/// The stored format's version.
pub const PROFILE_FORMAT_VERSION: u64 = 1;
/// The size the stored profile (as JSON) never exceeds, in bytes.
pub const MAX_STORED_BYTES: usize = 64 * 1024;
/// Most tags with an affinity; the lowest-scored is evicted past it.
pub const MAX_TAGS: usize = 256;
/// Most bytes of tag names (as JSON, see [`bounded::json_bytes`]): 20 KB, room for
/// [`MAX_TAGS`] tags of 64 ASCII characters.
pub const MAX_TAG_NAME_BYTES: usize = 20 * 1024;
/// Most slots with click-through; the least observed is evicted past it.
pub const MAX_SLOTS: usize = 32;
/// Most bytes of slot names, as JSON.
pub const MAX_SLOT_NAME_BYTES: usize = 4 * 1024;
/// Most custom event names counted; the least counted is evicted past it.
pub const MAX_CUSTOM_NAMES: usize = 32;
/// Most bytes of custom event names, as JSON.
pub const MAX_CUSTOM_NAME_BYTES: usize = 4 * 1024;

/// One visitor's aggregates; serialized as its stored form (camelCase, version first).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    version: u64,
    first_seen: Option<Millis>,
    last_seen: Option<Millis>,
    last_click: Option<Millis>,
    session_count: u32,
    last_session_start: Option<Millis>,
    affinities: Bounded<Decayed>,
    slots: Bounded<SlotStats>,
    custom: Bounded<u32>,
    windows: Windows,
    #[serde(skip)]
    config: ProfileConfig,
    #[serde(skip)]
    recent: RecentItems,
}

fn earliest(a: Option<Millis>, b: Millis) -> Option<Millis> {
    Some(a.map_or(b, |a| a.min(b)))
}

fn latest(a: Option<Millis>, b: Millis) -> Option<Millis> {
    Some(a.map_or(b, |a| a.max(b)))
}

impl Profile {
    /// An empty profile weighing events by `config`.
    pub fn new(config: ProfileConfig) -> Self {
        Profile {
            version: PROFILE_FORMAT_VERSION,
            first_seen: None,
            last_seen: None,
            last_click: None,
            session_count: 0,
            last_session_start: None,
            affinities: Bounded::new(MAX_TAGS, MAX_TAG_NAME_BYTES),
            slots: Bounded::new(MAX_SLOTS, MAX_SLOT_NAME_BYTES),
            custom: Bounded::new(MAX_CUSTOM_NAMES, MAX_CUSTOM_NAME_BYTES),
            windows: Windows::default(),
            config,
            recent: RecentItems::default(),
        }
    }

    /// The settings events are weighed by.
    pub fn config(&self) -> &ProfileConfig {
        &self.config
    }

    /// Folds one event in. Its time is its own `at`, but never later than `now` (a clock
    /// ahead of the caller's is not trusted to date the future).
    pub fn apply(&mut self, event: &Event, now: Millis) {
        let at = event.at().min(now);
        self.first_seen = earliest(self.first_seen, at);
        self.last_seen = latest(self.last_seen, at);
        let config = self.config;
        match event {
            Event::Click { target, .. } => {
                self.windows.add(at, Counter::Clicks, 1);
                self.last_click = latest(self.last_click, at);
                if let ClickTarget::Item(item) = target {
                    self.add_affinity(item.tags(), config.click_weight, at);
                    self.recent.remember(item.id(), item.tags());
                    if let Some(slot) = item.slot() {
                        self.count_slot(slot, |s| s.clicks = s.clicks.saturating_add(1));
                    }
                }
            }
            Event::Impression {
                item_id,
                slot,
                tags,
                ..
            } => {
                self.windows.add(at, Counter::Impressions, 1);
                self.add_affinity(tags, config.impression_weight, at);
                self.recent.remember(item_id, tags);
                if let Some(slot) = slot {
                    self.count_slot(slot, |s| s.impressions = s.impressions.saturating_add(1));
                }
            }
            Event::Dwell {
                item_id,
                visible_ms,
                ..
            } => {
                self.windows.add(at, Counter::DwellMs, *visible_ms);
                let seconds = (*visible_ms).min(config::MAX_DWELL_MS_PER_EVENT) as f64 / 1_000.0;
                let tags = self.recent.tags(item_id).to_vec();
                self.add_affinity(&tags, seconds * config.dwell_weight_per_second, at);
            }
            Event::PageView { .. } => self.windows.add(at, Counter::PageViews, 1),
            Event::Custom { name, .. } => {
                self.custom
                    .update(name, || 0, |n| *n = n.saturating_add(1), |n| f64::from(*n))
            }
            Event::Scroll { .. } | Event::PageLeave { .. } => {}
        }
    }

    /// Takes in the session state: the visitor's session count and first visit, the latest
    /// activity, and one session counted in the windows each time a session starts (a
    /// session is known by its start time, so tabs sharing it count it once).
    pub fn apply_session(&mut self, session: &SessionState) {
        self.session_count = self.session_count.max(session.session_count);
        self.first_seen = earliest(self.first_seen, session.first_seen_at);
        self.last_seen = latest(self.last_seen, session.last_activity_at);
        if self.last_session_start != Some(session.started_at) {
            self.windows.add(session.started_at, Counter::Sessions, 1);
            self.last_session_start = Some(session.started_at);
        }
    }

    fn add_affinity(&mut self, tags: &[String], amount: f64, at: Millis) {
        if amount <= 0.0 || !amount.is_finite() {
            return;
        }
        let half_life = self.config.half_life_ms;
        for tag in tags {
            self.affinities.update(
                tag,
                || Decayed::new(0.0, at),
                |d| d.add(amount, at, half_life),
                |d| d.value_at(at, half_life),
            );
        }
    }

    fn count_slot(&mut self, slot: &str, change: impl FnOnce(&mut SlotStats)) {
        self.slots
            .update(slot, SlotStats::default, change, SlotStats::weight);
    }

    /// Retention: forgets what is older than `cutoff`. A profile not seen since then is
    /// emptied altogether; otherwise affinities last raised before it go. Returns whether
    /// anything was forgotten.
    /// Counters need nothing: their windows end after 30 days, and lifetime totals carry no
    /// time.
    pub fn forget_before(&mut self, cutoff: Millis) -> bool {
        if self.last_seen.is_some_and(|seen| seen < cutoff) {
            *self = Profile::new(self.config);
            return true;
        }
        self.affinities.retain(|decayed| decayed.at >= cutoff)
    }

    /// The affinity for `tag` at `now`; 0 for a tag never seen (or evicted).
    pub fn affinity(&self, tag: &str, now: Millis) -> f64 {
        self.affinities
            .get(tag)
            .map_or(0.0, |d| d.value_at(now, self.config.half_life_ms))
    }

    /// The `n` strongest affinities at `now`, strongest first (ties by tag name), chosen in
    /// one pass that keeps only the best `n`; the whole map is never sorted.
    pub fn top_affinities(&self, n: usize, now: Millis) -> Vec<(String, f64)> {
        let n = n.min(self.affinities.len());
        let mut best: Vec<(String, f64)> = Vec::with_capacity(n + 1);
        for (tag, decayed) in self.affinities.iter() {
            let value = decayed.value_at(now, self.config.half_life_ms);
            let ahead = |(t, v): &(String, f64)| value > *v || (value == *v && tag < t);
            let position = best.iter().position(ahead).unwrap_or(best.len());
            if position < n {
                best.insert(position, (tag.clone(), value));
                best.truncate(n);
            }
        }
        best
    }

    /// How many tags have an affinity.
    pub fn tag_count(&self) -> usize {
        self.affinities.len()
    }

    /// `counter` summed over `window` at `now`.
    pub fn count(&self, counter: Counter, window: Window, now: Millis) -> u64 {
        self.windows.count(counter, window, now)
    }

    /// Impressions and clicks in `slot`, if it is tracked.
    pub fn slot(&self, slot: &str) -> Option<SlotStats> {
        self.slots.get(slot).copied()
    }

    /// How many times the custom event `name` was tracked (0 if never, or evicted).
    pub fn custom_count(&self, name: &str) -> u32 {
        self.custom.get(name).copied().unwrap_or(0)
    }

    /// Sessions so far, as the session state reports them (0 before any).
    pub fn session_count(&self) -> u32 {
        self.session_count
    }

    /// When the visitor was first seen.
    pub fn first_seen(&self) -> Option<Millis> {
        self.first_seen
    }

    /// The visitor's latest activity.
    pub fn last_seen(&self) -> Option<Millis> {
        self.last_seen
    }

    /// The visitor's latest click.
    pub fn last_click(&self) -> Option<Millis> {
        self.last_click
    }
}
