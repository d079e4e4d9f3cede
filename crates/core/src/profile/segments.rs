//! Segments: the visitor's groups, recomputed as events arrive, with change detection for
//! the `segment` event.
//!
//! A visitor's segments are, in this order: the built-in groups that apply ([`BUILT_IN`]
//! order), then the site's rules that match (definition order), then the nearest centroid's
//! `cluster:<name>`. Built-in thresholds are named constants below. [`SegmentTracker`]
//! remembers the last list and reports a new one only when it differs.

use super::centroids::Centroids;
use super::engagement::EngagementLevel;
pub use super::names::BUILT_IN;
use super::rules::Rules;
use super::windows::{Counter, Window, DAY_MS};
use super::Profile;
use crate::time::Millis;

/// `frequent`: at least this many sessions in the last 7 days.
pub const FREQUENT_SESSIONS_7D: u64 = 4;
/// `dormant`: no activity for at least this long (14 days, in milliseconds).
pub const DORMANT_AFTER_MS: u64 = 14 * DAY_MS;

/// Whether each built-in segment applies, in [`BUILT_IN`] order:
/// - `new`: in the first session (or before any);
/// - `returning`: more than one session so far;
/// - `frequent`: at least [`FREQUENT_SESSIONS_7D`] sessions in the last 7 days;
/// - `dormant`: seen before, but not for at least [`DORMANT_AFTER_MS`];
/// - `engaged`: the engagement level is high ([`super::engagement`]).
pub fn built_in(profile: &Profile, now: Millis) -> [bool; 5] {
    let idle = profile.last_seen().map(|at| now.0.saturating_sub(at.0));
    [
        profile.session_count() <= 1,
        profile.session_count() > 1,
        profile.count(Counter::Sessions, Window::Week, now) >= FREQUENT_SESSIONS_7D,
        idle.is_some_and(|idle| idle >= DORMANT_AFTER_MS),
        profile.engagement(now).level == EngagementLevel::High,
    ]
}

/// What defines the non-built-in segments: the site's rules and the server's centroids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentDefs {
    /// The site's rules.
    pub rules: Rules,
    /// The server's centroids.
    pub centroids: Centroids,
}

impl SegmentDefs {
    /// The visitor's segments at `now`: built-ins, then rules, then the cluster.
    pub fn segments(&self, profile: &Profile, now: Millis) -> Vec<String> {
        let mut segments: Vec<String> = BUILT_IN
            .iter()
            .zip(built_in(profile, now))
            .filter(|(_, applies)| *applies)
            .map(|(name, _)| (*name).to_owned())
            .collect();
        segments.extend(self.rules.matching(profile, now).map(str::to_owned));
        segments.extend(self.centroids.segment(profile, now));
        segments
    }
}

/// The last segment list, to tell when it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegmentTracker {
    current: Vec<String>,
}

impl SegmentTracker {
    /// A tracker that has seen no segments: the first non-empty list is a change.
    pub fn new() -> Self {
        SegmentTracker::default()
    }

    /// A tracker that already knows `segments` (e.g. computed when a stored profile is
    /// loaded), so that loading alone emits no `segment` event.
    pub fn seeded(segments: Vec<String>) -> Self {
        SegmentTracker { current: segments }
    }

    /// The last list.
    pub fn current(&self) -> &[String] {
        &self.current
    }

    /// Takes the latest list: `Some` of it when it differs from the last (in content or
    /// order), `None` otherwise.
    pub fn update(&mut self, segments: Vec<String>) -> Option<Vec<String>> {
        if segments == self.current {
            return None;
        }
        self.current = segments.clone();
        Some(segments)
    }

    /// Recomputes the segments of `profile` at `now` and [`update`](Self::update)s.
    pub fn refresh(
        &mut self,
        defs: &SegmentDefs,
        profile: &Profile,
        now: Millis,
    ) -> Option<Vec<String>> {
        self.update(defs.segments(profile, now))
    }
}
