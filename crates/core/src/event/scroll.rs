//! Scroll depth: how far down a page the visitor has seen, and which milestones that reached.
//!
//! Its one job is arithmetic on three lengths the browser layer measures
//! (`scrollY`, `innerHeight`, the document's scroll height) and a small per-page-view record
//! of the deepest point and the milestones already reported. It never reads the DOM or a
//! clock, and reports each milestone at most once per page view, even when the page grows
//! (infinite feeds) and the current depth drops back.

use super::{Event, MAX_PCT};
use crate::time::Millis;

/// The depths, in percent, reported once each per page view.
pub const SCROLL_MILESTONES: [u8; 5] = [25, 50, 75, 90, 100];
/// Within this many CSS pixels of the bottom counts as the bottom (sub-pixel layouts and
/// browser chrome often stop a pixel short).
pub const BOTTOM_TOLERANCE_PX: f64 = 2.0;

/// How much of the document has been in view, in percent (0–100): the bottom edge of the
/// viewport over the document's height. A document no taller than the viewport is 100; any
/// non-finite input, or a viewport of no height, is 0.
pub fn scroll_depth_pct(scroll_top_px: f64, viewport_px: f64, document_px: f64) -> u8 {
    if !(scroll_top_px.is_finite() && viewport_px.is_finite() && document_px.is_finite()) {
        return 0;
    }
    if viewport_px <= 0.0 {
        return 0;
    }
    if document_px <= viewport_px {
        return MAX_PCT;
    }
    // Negative offsets happen during elastic overscroll at the top.
    let bottom_px = scroll_top_px.max(0.0) + viewport_px;
    if document_px - bottom_px <= BOTTOM_TOLERANCE_PX {
        return MAX_PCT;
    }
    // In (0, 100) here; the saturating cast cannot go wrong either way.
    (bottom_px / document_px * f64::from(MAX_PCT)).floor() as u8
}

/// The deepest point and the milestones reached in the current page view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScrollTracker {
    max_pct: u8,
    /// Bit `i` set once [`SCROLL_MILESTONES`]`[i]` was reported.
    reached: u8,
}

impl ScrollTracker {
    /// A tracker for a new page view: nothing seen yet.
    pub fn new() -> Self {
        ScrollTracker::default()
    }

    /// Records the current depth (capped at 100) and returns the milestones it reaches for the
    /// first time in this page view, in increasing order.
    pub fn update(&mut self, pct: u8) -> Vec<u8> {
        self.max_pct = self.max_pct.max(pct.min(MAX_PCT));
        let mut new = Vec::new();
        for (bit, milestone) in SCROLL_MILESTONES.iter().enumerate() {
            let mask = 1u8 << bit;
            if *milestone <= self.max_pct && self.reached & mask == 0 {
                self.reached |= mask;
                new.push(*milestone);
            }
        }
        new
    }

    /// [`ScrollTracker::update`] as [`Event::Scroll`] events at `at`.
    pub fn update_events(&mut self, pct: u8, at: Millis) -> Vec<Event> {
        let milestones = self.update(pct);
        let depth_pct = self.max_pct;
        milestones
            .into_iter()
            .map(|milestone| Event::Scroll {
                at,
                depth_pct,
                milestone,
            })
            .collect()
    }

    /// The deepest point reached in this page view, 0–100.
    pub fn max_pct(&self) -> u8 {
        self.max_pct
    }

    /// Starts over for a new page view.
    pub fn reset(&mut self) {
        *self = ScrollTracker::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_the_viewport_bottom_over_the_document_height() {
        assert_eq!(scroll_depth_pct(0.0, 1_000.0, 4_000.0), 25);
        assert_eq!(scroll_depth_pct(1_000.0, 1_000.0, 4_000.0), 50);
        assert_eq!(scroll_depth_pct(2_599.0, 1_000.0, 4_000.0), 89);
    }

    #[test]
    fn the_bottom_is_one_hundred_even_a_pixel_short() {
        assert_eq!(scroll_depth_pct(3_000.0, 1_000.0, 4_000.0), 100);
        assert_eq!(scroll_depth_pct(2_998.5, 1_000.0, 4_000.0), 100);
        assert_eq!(scroll_depth_pct(9_000.0, 1_000.0, 4_000.0), 100);
    }

    #[test]
    fn a_page_shorter_than_the_viewport_is_fully_seen() {
        assert_eq!(scroll_depth_pct(0.0, 1_000.0, 600.0), 100);
        assert_eq!(scroll_depth_pct(0.0, 1_000.0, 1_000.0), 100);
    }

    #[test]
    fn non_finite_or_degenerate_input_is_zero() {
        for (top, viewport, document) in [
            (f64::NAN, 1.0, 2.0),
            (0.0, f64::INFINITY, 2.0),
            (0.0, 1.0, f64::NEG_INFINITY),
            (0.0, 0.0, 2.0),
            (0.0, -5.0, 2.0),
        ] {
            assert_eq!(scroll_depth_pct(top, viewport, document), 0);
        }
        assert_eq!(scroll_depth_pct(-300.0, 1_000.0, 4_000.0), 25, "overscroll");
    }

    #[test]
    fn each_milestone_is_reported_once_and_a_jump_reports_all_it_passes() {
        let mut tracker = ScrollTracker::new();
        assert_eq!(tracker.update(10), Vec::<u8>::new());
        assert_eq!(tracker.update(60), [25, 50]);
        assert_eq!(tracker.update(60), Vec::<u8>::new());
        assert_eq!(tracker.update(255), [75, 90, 100]);
        assert_eq!(tracker.max_pct(), 100);
    }

    #[test]
    fn a_growing_page_lowers_depth_but_not_the_maximum_or_the_milestones() {
        let mut tracker = ScrollTracker::new();
        assert_eq!(tracker.update(80), [25, 50, 75]);
        // More content loaded: the same position is now shallower.
        assert_eq!(tracker.update(40), Vec::<u8>::new());
        assert_eq!(tracker.max_pct(), 80);
        assert_eq!(tracker.update(91), [90]);
    }

    #[test]
    fn a_new_page_view_reports_milestones_again() {
        let mut tracker = ScrollTracker::new();
        tracker.update(100);
        tracker.reset();
        assert_eq!(tracker.max_pct(), 0);
        let events = tracker.update_events(50, Millis(3));
        assert_eq!(
            events,
            [25, 50].map(|milestone| Event::Scroll {
                at: Millis(3),
                depth_pct: 50,
                milestone
            })
        );
    }
}
