//! Viewability and dwell of marked-up items, with an injected clock.
//!
//! Its one job is to turn what the browser layer observes (an item at least half in view,
//! the tab shown or hidden, any user input) into [`Event::Impression`] under the IAB/MRC rule
//! (≥ 50% visible for ≥ 1 s continuously, on a visible page; once per item per page view) and
//! [`Event::Dwell`] (time visible while the page is visible and the visitor active). It never
//! reads a clock or the DOM, and never runs a timer: [`Viewability::next_deadline`] tells the
//! caller when one poll is worth making. Dwell is settled lazily, so input handling is O(1)
//! unless the visitor was idle.

use super::{Event, Item};
use crate::time::Millis;
use std::collections::HashMap;

/// Continuous visibility that makes an impression, in milliseconds (IAB/MRC display rule).
pub const IMPRESSION_MIN_VISIBLE_MS: u64 = 1_000;
/// Without input for this long, in milliseconds, the visitor is idle and dwell stops.
pub const IDLE_AFTER_MS: u64 = 30_000;
/// Most items tracked at once; new ones beyond are ignored until some are removed.
pub const MAX_TRACKED_ITEMS: usize = 2_000;

/// How the browser layer names an observed element (one per element, so the same item in two
/// places is tracked twice).
pub type ItemKey = u32;

#[derive(Debug, Clone)]
struct Tracked {
    key: ItemKey,
    item: Item,
    /// At least half in the viewport, as last reported.
    in_view: bool,
    /// Start of the current run of (in view and page visible), while no impression is made.
    run_start: Option<Millis>,
    /// An impression earned (when the run ended before a poll) and not yet emitted.
    due: Option<Millis>,
    impressed: bool,
    dwell_ms: u64,
    /// Dwell is settled up to here.
    settled_at: Millis,
}

/// The viewability state of one page view.
#[derive(Debug, Clone)]
pub struct Viewability {
    items: Vec<Tracked>,
    index: HashMap<ItemKey, usize>,
    page_visible: bool,
    last_input: Millis,
    /// The latest time seen: time never goes back here, whatever the clock does.
    now: Millis,
}

impl Tracked {
    /// Adds the dwell since `settled_at` while in view on a visible page, up to `now` or the
    /// moment the visitor went idle, whichever is first.
    fn settle(&mut self, now: Millis, page_visible: bool, last_input: Millis) {
        if self.in_view && page_visible {
            let active_until = last_input.0.saturating_add(IDLE_AFTER_MS);
            let end = now.0.min(active_until);
            let gained = end.saturating_sub(self.settled_at.0);
            self.dwell_ms = self.dwell_ms.saturating_add(gained);
        }
        self.settled_at = now;
    }

    /// Ends the current visibility run at `now`, keeping the impression if it was earned.
    fn end_run(&mut self, now: Millis) {
        if let Some(start) = self.run_start.take() {
            if now.0.saturating_sub(start.0) >= IMPRESSION_MIN_VISIBLE_MS && !self.impressed {
                self.impressed = true;
                self.due = Some(Millis(start.0.saturating_add(IMPRESSION_MIN_VISIBLE_MS)));
            }
        }
    }

    /// Starts a visibility run at `now` if one can lead to an impression.
    fn start_run(&mut self, now: Millis, page_visible: bool) {
        if self.in_view && page_visible && !self.impressed && self.run_start.is_none() {
            self.run_start = Some(now);
        }
    }

    /// The impression due at `now`, if any (ending a run that has earned one), marked as made.
    fn take_impression(&mut self, now: Millis) -> Option<Event> {
        let earned = self
            .run_start
            .is_some_and(|s| now.0.saturating_sub(s.0) >= IMPRESSION_MIN_VISIBLE_MS);
        if earned {
            self.end_run(now);
        }
        self.due.take().map(|at| Event::impression(at, &self.item))
    }

    /// The dwell accumulated so far as an event at `now`, reset to zero.
    fn take_dwell(&mut self, now: Millis) -> Option<Event> {
        let visible_ms = std::mem::take(&mut self.dwell_ms);
        (visible_ms > 0).then(|| Event::dwell(now, &self.item, visible_ms))
    }
}

impl Viewability {
    /// A page view starting at `now`, on a visible page, the visitor counted as active.
    pub fn new(now: Millis) -> Self {
        Viewability {
            items: Vec::new(),
            index: HashMap::new(),
            page_visible: true,
            last_input: now,
            now,
        }
    }

    /// Advances the internal clock, which never goes back.
    fn tick(&mut self, now: Millis) -> Millis {
        self.now = self.now.max(now);
        self.now
    }

    fn settle_all(&mut self, now: Millis) {
        let (visible, input) = (self.page_visible, self.last_input);
        self.items
            .iter_mut()
            .for_each(|t| t.settle(now, visible, input));
    }

    /// Reports whether the element `key` showing `item` is at least half in view. An element
    /// first seen is tracked if there is room ([`MAX_TRACKED_ITEMS`]); its `item` is kept
    /// from then on. Returns whether `key` is tracked.
    pub fn set_item_visibility(
        &mut self,
        key: ItemKey,
        item: &Item,
        visible: bool,
        now: Millis,
    ) -> bool {
        let now = self.tick(now);
        let position = match self.index.get(&key) {
            Some(&position) => position,
            None if !visible || self.items.len() >= MAX_TRACKED_ITEMS => return false,
            None => {
                let position = self.items.len();
                self.items.push(Tracked {
                    key,
                    item: item.clone(),
                    in_view: false,
                    run_start: None,
                    due: None,
                    impressed: false,
                    dwell_ms: 0,
                    settled_at: now,
                });
                self.index.insert(key, position);
                position
            }
        };
        let (page_visible, last_input) = (self.page_visible, self.last_input);
        let Some(tracked) = self.items.get_mut(position) else {
            return false;
        };
        tracked.settle(now, page_visible, last_input);
        if visible != tracked.in_view {
            tracked.end_run(now);
            tracked.in_view = visible;
            tracked.start_run(now, page_visible);
        }
        true
    }

    /// Reports the page shown or hidden (`document.visibilityState`). Hiding breaks every
    /// visibility run and pauses dwell; showing it again is the visitor's input.
    pub fn set_page_visible(&mut self, visible: bool, now: Millis) {
        let now = self.tick(now);
        if visible == self.page_visible {
            return;
        }
        self.settle_all(now);
        self.page_visible = visible;
        if visible {
            self.last_input = now;
        }
        for tracked in &mut self.items {
            tracked.end_run(now);
            tracked.start_run(now, visible);
        }
    }

    /// Reports user input (pointer, key, scroll, touch). O(1) unless the visitor was idle.
    pub fn record_input(&mut self, now: Millis) {
        let now = self.tick(now);
        if !self.is_active(now) {
            // Settle up to the moment they went idle, so the idle gap is not counted.
            self.settle_all(now);
        }
        self.last_input = now;
    }

    /// Whether the visitor has given input within [`IDLE_AFTER_MS`] of `now`.
    pub fn is_active(&self, now: Millis) -> bool {
        now.0.saturating_sub(self.last_input.0) < IDLE_AFTER_MS
    }

    /// The impressions earned by `now` and not yet emitted, in tracking order.
    pub fn poll(&mut self, now: Millis) -> Vec<Event> {
        let now = self.tick(now);
        self.items
            .iter_mut()
            .filter_map(|t| t.take_impression(now))
            .collect()
    }

    /// Ends a reporting period (page leave, navigation): the impressions of [`Viewability::poll`],
    /// then one [`Event::Dwell`] per item with dwell, which starts again from zero.
    pub fn flush(&mut self, now: Millis) -> Vec<Event> {
        let mut events = self.poll(now);
        let now = self.now;
        self.settle_all(now);
        events.extend(self.items.iter_mut().filter_map(|t| t.take_dwell(now)));
        events
    }

    /// Stops tracking `key` (its element left the document), returning its last events.
    pub fn remove_item(&mut self, key: ItemKey, now: Millis) -> Vec<Event> {
        let now = self.tick(now);
        let Some(position) = self.index.remove(&key) else {
            return Vec::new();
        };
        if position >= self.items.len() {
            return Vec::new();
        }
        let mut removed = self.items.swap_remove(position);
        if let Some(moved) = self.items.get(position) {
            self.index.insert(moved.key, position);
        }
        removed.settle(now, self.page_visible, self.last_input);
        removed.end_run(now);
        let impression = removed
            .due
            .take()
            .map(|at| Event::impression(at, &removed.item));
        impression
            .into_iter()
            .chain(removed.take_dwell(now))
            .collect()
    }

    /// Starts a new page view (an SPA navigation) at `now`: returns [`Viewability::flush`]'s
    /// events, forgets elements out of view, lets those in view make a new impression, and
    /// counts the navigation as input.
    pub fn reset_page_view(&mut self, now: Millis) -> Vec<Event> {
        let events = self.flush(now);
        let now = self.now;
        self.last_input = now;
        self.items.retain(|t| t.in_view);
        self.index.clear();
        for (position, tracked) in self.items.iter_mut().enumerate() {
            self.index.insert(tracked.key, position);
            tracked.impressed = false;
            tracked.run_start = None;
            tracked.start_run(now, self.page_visible);
        }
        events
    }

    /// When the next impression can be earned, so the caller can set one timer; `now` (or
    /// the internal clock, if later) when one is already due; `None` when none is pending.
    pub fn next_deadline(&self, now: Millis) -> Option<Millis> {
        let now = self.now.max(now);
        self.items
            .iter()
            .filter_map(|t| match (t.due, t.run_start) {
                (Some(_), _) => Some(now),
                (None, Some(start)) => {
                    Some(Millis(start.0.saturating_add(IMPRESSION_MIN_VISIBLE_MS)))
                }
                (None, None) => None,
            })
            .min()
            .map(|deadline| deadline.max(now))
    }

    /// How many elements are tracked.
    pub fn tracked_count(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
#[path = "viewability_tests.rs"]
mod tests;
