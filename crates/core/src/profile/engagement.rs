//! The engagement level: a documented score over the last 7 days, in three bands.
//!
//! The score is points over the 7-day window ([`windows::Window::Week`]):
//! [`SESSION_POINTS`] per session, [`PAGE_VIEW_POINTS`] per page view, [`CLICK_POINTS`] per
//! click and [`DWELL_MINUTE_POINTS`] per minute of item dwell. Impressions score nothing:
//! they measure what the site showed, not what the visitor did. A score under
//! [`MEDIUM_ENGAGEMENT`] is low, under [`HIGH_ENGAGEMENT`] medium, otherwise high. For
//! scale: two sessions of five pages with three clicks a week is medium (23 points); daily
//! visits with a click or two and a few minutes of reading is high.

use super::windows::{self, Counter, Window};
use super::Profile;
use crate::time::Millis;
use serde::Serialize;

/// Points per session in the last 7 days.
pub const SESSION_POINTS: f64 = 2.0;
/// Points per page view in the last 7 days.
pub const PAGE_VIEW_POINTS: f64 = 1.0;
/// Points per click in the last 7 days.
pub const CLICK_POINTS: f64 = 3.0;
/// Points per minute of item dwell in the last 7 days.
pub const DWELL_MINUTE_POINTS: f64 = 1.0;
/// The lowest score that is medium.
pub const MEDIUM_ENGAGEMENT: f64 = 10.0;
/// The lowest score that is high.
pub const HIGH_ENGAGEMENT: f64 = 40.0;

/// A band of engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EngagementLevel {
    /// A score under [`MEDIUM_ENGAGEMENT`].
    Low,
    /// A score from [`MEDIUM_ENGAGEMENT`] to under [`HIGH_ENGAGEMENT`].
    Medium,
    /// A score of [`HIGH_ENGAGEMENT`] or more.
    High,
}

/// The score and its band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Engagement {
    /// Points over the last 7 days.
    pub score: f64,
    /// The band the score falls in.
    pub level: EngagementLevel,
}

impl EngagementLevel {
    /// The band of `score`.
    pub fn of(score: f64) -> Self {
        if score >= HIGH_ENGAGEMENT {
            EngagementLevel::High
        } else if score >= MEDIUM_ENGAGEMENT {
            EngagementLevel::Medium
        } else {
            EngagementLevel::Low
        }
    }
}

impl Profile {
    /// The engagement score and level at `now`.
    pub fn engagement(&self, now: Millis) -> Engagement {
        let week = |counter| self.count(counter, Window::Week, now) as f64;
        let dwell_minutes = week(Counter::DwellMs) / (windows::HOUR_MS / 60) as f64;
        let score = week(Counter::Sessions) * SESSION_POINTS
            + week(Counter::PageViews) * PAGE_VIEW_POINTS
            + week(Counter::Clicks) * CLICK_POINTS
            + dwell_minutes * DWELL_MINUTE_POINTS;
        Engagement {
            score,
            level: EngagementLevel::of(score),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, ReferrerClass};
    use crate::profile::ProfileConfig;

    #[test]
    fn the_score_counts_sessions_page_views_clicks_and_minutes_of_dwell_over_a_week() {
        let mut profile = Profile::new(ProfileConfig::default());
        let now = Millis(100 * windows::DAY_MS);
        assert_eq!(profile.engagement(now).level, EngagementLevel::Low);
        for _ in 0..5 {
            profile.apply(&Event::page_view(now, "/", ReferrerClass::Direct), now);
        }
        let click = Event::link_click(now, "https://ex.com/a").unwrap();
        profile.apply(&click, now);
        let item = crate::event::Item::new("a", [], None).unwrap();
        profile.apply(&Event::dwell(now, &item, 120_000), now);
        let engagement = profile.engagement(now);
        assert_eq!(engagement.score, 5.0 + 3.0 + 2.0);
        assert_eq!(engagement.level, EngagementLevel::Medium);
        let later = Millis(now.0 + 7 * windows::DAY_MS);
        assert_eq!(profile.engagement(later).score, 0.0);
    }

    #[test]
    fn the_bands_start_at_their_thresholds() {
        assert_eq!(EngagementLevel::of(9.99), EngagementLevel::Low);
        assert_eq!(
            EngagementLevel::of(MEDIUM_ENGAGEMENT),
            EngagementLevel::Medium
        );
        assert_eq!(EngagementLevel::of(HIGH_ENGAGEMENT), EngagementLevel::High);
    }
}
