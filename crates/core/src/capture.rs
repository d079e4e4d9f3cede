//! What capture keeps while `measurement` is allowed: it turns the page's observations into
//! [`Event`]s, keeps the last [`MAX_RAW_EVENTS`] of them, and tracks the page view (scroll
//! milestones, viewability and dwell) and the session.
//!
//! The browser layer (`web::capture`) observes; this decides. It exists only while
//! `measurement` is allowed: the engine drops it, and everything in it, when consent goes.

use crate::event::ring::{EventRing, MAX_RAW_EVENTS};
use crate::event::scroll::{scroll_depth_pct, ScrollTracker};
use crate::event::session::{self, SessionState};
use crate::event::url::{host_of, link_path};
use crate::event::viewability::{ItemKey, Viewability};
use crate::event::{classify_referrer, Event, Item, ReferrerClass};
use crate::time::Millis;

/// What the page showed or the visitor did.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    /// A click inside a `[data-hearth-item]`.
    ItemClick(Item),
    /// A click on a link (its resolved `href`).
    LinkClick(String),
    /// Scroll geometry, in CSS pixels.
    Scroll {
        /// `scrollY`.
        top_px: f64,
        /// Viewport height.
        viewport_px: f64,
        /// Document scroll height.
        document_px: f64,
    },
    /// The element `key` showing `item` is (`true`) or is no longer at least half in view.
    ItemVisibility(ItemKey, Item, bool),
    /// The element `key` left the document.
    ItemRemoved(ItemKey),
    /// The page became visible or hidden.
    PageVisible(bool),
    /// The visitor is active.
    Input,
    /// The URL changed without a page load.
    Navigated(String),
    /// The page is going away.
    PageHide,
    /// A deadline from [`CaptureState::next_deadline`] passed.
    Tick,
}

/// Where capture starts: the page as it is when `measurement` is granted.
#[derive(Debug, Clone, PartialEq)]
pub struct PageStart {
    /// `location.href`.
    pub href: String,
    /// `document.referrer` (only its class is kept).
    pub referrer: String,
    /// Whether the page is visible now.
    pub visible: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Page {
    path: String,
    started_at: Millis,
}

/// Capture's state for one instance.
#[derive(Debug)]
pub struct CaptureState {
    ring: EventRing,
    scroll: ScrollTracker,
    viewability: Viewability,
    page: Page,
    session: SessionState,
    session_timeout_ms: u64,
    recorded: u64,
}

impl CaptureState {
    /// Starts with a page view of the current page, continuing `session` (from storage or
    /// another tab) unless it timed out.
    pub fn start(
        start: &PageStart,
        session: Option<SessionState>,
        session_timeout_ms: u64,
        now: Millis,
        new_session_id: impl FnOnce() -> String,
    ) -> (CaptureState, Vec<Event>) {
        let page_host = host_of(&start.href).unwrap_or_default();
        let referrer = classify_referrer(&start.referrer, &page_host);
        // Without a page (Node), capture keeps only custom events: no page view to count.
        let path = link_path(&start.href).unwrap_or_default();
        let (session, _) = if path.is_empty() {
            session::touch(session, now, session_timeout_ms, referrer, new_session_id)
        } else {
            session::page_view(session, now, session_timeout_ms, referrer, new_session_id)
        };

        let mut viewability = Viewability::new(now);
        viewability.set_page_visible(start.visible, now);
        let mut state = CaptureState {
            ring: EventRing::events(),
            scroll: ScrollTracker::new(),
            viewability,
            page: Page {
                path: path.clone(),
                started_at: now,
            },
            session,
            session_timeout_ms,
            recorded: 0,
        };
        let events: Vec<Event> = if path.is_empty() {
            Vec::new()
        } else {
            vec![Event::page_view(now, &path, referrer)]
        };
        state.keep(&events);
        (state, events)
    }

    /// Applies one observation; returns the events it produced (already kept).
    pub fn observe(
        &mut self,
        observed: Observed,
        now: Millis,
        new_session_id: impl FnOnce() -> String,
    ) -> Vec<Event> {
        let events = match observed {
            Observed::ItemClick(item) => {
                self.active(now, new_session_id);
                vec![Event::item_click(now, item)]
            }
            Observed::LinkClick(href) => {
                self.active(now, new_session_id);
                Event::link_click(now, &href).into_iter().collect()
            }
            Observed::Scroll {
                top_px,
                viewport_px,
                document_px,
            } => {
                let pct = scroll_depth_pct(top_px, viewport_px, document_px);
                self.scroll.update_events(pct, now)
            }
            Observed::ItemVisibility(key, item, visible) => {
                self.viewability
                    .set_item_visibility(key, &item, visible, now);
                self.viewability.poll(now)
            }
            Observed::ItemRemoved(key) => self.viewability.remove_item(key, now),
            Observed::PageVisible(visible) => {
                self.viewability.set_page_visible(visible, now);
                self.viewability.poll(now)
            }
            Observed::Input => {
                self.active(now, new_session_id);
                self.viewability.poll(now)
            }
            Observed::Navigated(href) => self.navigate(&href, now, new_session_id),
            Observed::PageHide => self.leave_page(now),
            Observed::Tick => self.viewability.poll(now),
        };
        self.keep(&events);
        events
    }

    /// Keeps a custom event (`hearth.track`).
    pub fn track(&mut self, event: Event, now: Millis, new_session_id: impl FnOnce() -> String) {
        self.active(now, new_session_id);
        self.keep(std::slice::from_ref(&event));
    }

    /// When the browser layer should next send [`Observed::Tick`].
    pub fn next_deadline(&self, now: Millis) -> Option<Millis> {
        self.viewability.next_deadline(now)
    }

    /// The last events, oldest first.
    pub fn recent(&self) -> &EventRing {
        &self.ring
    }

    /// Forgets the last events (`profile.erase()`).
    pub fn forget_recent(&mut self) {
        self.ring.clear();
    }

    /// Events captured since capture started (kept or since dropped from the ring).
    pub fn recorded(&self) -> u64 {
        self.recorded
    }

    /// The current session.
    pub fn session(&self) -> &SessionState {
        &self.session
    }

    /// Adopts a session another tab advanced, when it is newer than ours.
    pub fn adopt_session(&mut self, other: SessionState) {
        if other.last_activity_at > self.session.last_activity_at {
            self.session = other;
        }
    }

    fn active(&mut self, now: Millis, new_session_id: impl FnOnce() -> String) {
        self.viewability.record_input(now);
        let current = Some(self.session.clone());
        let referrer = ReferrerClass::Internal;
        self.session = session::touch(
            current,
            now,
            self.session_timeout_ms,
            referrer,
            new_session_id,
        )
        .0;
    }

    fn navigate(
        &mut self,
        href: &str,
        now: Millis,
        new_session_id: impl FnOnce() -> String,
    ) -> Vec<Event> {
        let Some(path) = link_path(href) else {
            return Vec::new();
        };
        if path == self.page.path {
            return Vec::new(); // only the query or fragment changed: the same page
        }
        let mut events = self.leave_page(now);
        let current = Some(self.session.clone());
        let (session, _) = session::page_view(
            current,
            now,
            self.session_timeout_ms,
            ReferrerClass::Internal,
            new_session_id,
        );
        self.session = session;
        self.viewability.record_input(now);
        self.page = Page {
            path: path.clone(),
            started_at: now,
        };
        events.push(Event::page_view(now, &path, ReferrerClass::Internal));
        events
    }

    fn leave_page(&mut self, now: Millis) -> Vec<Event> {
        let mut events = self.viewability.reset_page_view(now);
        let time_on_page_ms = now.0.saturating_sub(self.page.started_at.0);
        events.push(Event::page_leave(
            now,
            &self.page.path,
            time_on_page_ms,
            self.scroll.max_pct(),
        ));
        self.scroll.reset();
        self.page.started_at = now;
        events
    }

    fn keep(&mut self, events: &[Event]) {
        for event in events {
            self.recorded += 1;
            self.ring.push(event.clone());
        }
    }
}

/// The bound on kept raw events, re-exported for docs and tests.
pub const KEPT_EVENTS: usize = MAX_RAW_EVENTS;

#[cfg(test)]
mod tests {
    use super::*;

    fn start(now: u64) -> (CaptureState, Vec<Event>) {
        let page = PageStart {
            href: "https://news.example/sport/today?utm=x#top".into(),
            referrer: "https://www.google.com/search?q=secret".into(),
            visible: true,
        };
        CaptureState::start(&page, None, 30 * 60_000, Millis(now), || "s1".into())
    }

    fn item(id: &str) -> Item {
        Item::new(id, ["sports"], Some("home")).unwrap()
    }

    fn kinds(events: &[Event]) -> Vec<&'static str> {
        events.iter().map(Event::kind).collect()
    }

    #[test]
    fn starting_records_a_page_view_with_only_the_referrer_class_and_path() {
        let (state, events) = start(1_000);
        assert_eq!(kinds(&events), ["pageView"]);
        let json = serde_json::to_string(&events[0]).unwrap();
        assert!(json.contains("https://news.example/sport/today"), "{json}");
        assert!(
            !json.contains("utm") && !json.contains("secret") && !json.contains("#top"),
            "{json}"
        );
        assert!(json.contains("\"search\""), "{json}");
        assert_eq!(state.session().page_views, 1);
    }

    #[test]
    fn without_a_page_there_is_no_page_view_but_custom_events_are_kept() {
        let page = PageStart {
            href: String::new(),
            referrer: String::new(),
            visible: true,
        };
        let (mut state, events) =
            CaptureState::start(&page, None, 60_000, Millis(0), || "s".into());
        assert!(events.is_empty());
        assert_eq!(state.session().page_views, 0);
        let event = crate::event::parse_track(
            crate::value::from_json(r#""signup""#),
            crate::value::Value::Null,
            Millis(1),
        );
        state.track(event.unwrap(), Millis(1), || "s".into());
        assert_eq!(state.recent().len(), 1);
    }

    #[test]
    fn clicks_scroll_milestones_and_impressions_become_events() {
        let (mut state, _) = start(0);
        let events = state.observe(Observed::ItemClick(item("a1")), Millis(10), || "x".into());
        assert_eq!(kinds(&events), ["click"]);
        let scrolled = Observed::Scroll {
            top_px: 1_500.0,
            viewport_px: 1_000.0,
            document_px: 3_000.0,
        };
        let events = state.observe(scrolled, Millis(20), || "x".into());
        // Depth is the viewport's bottom edge: (1,500 + 1,000) / 3,000 = 83 %.
        assert_eq!(events.len(), 3, "25, 50 and 75 reached at once");
        state.observe(
            Observed::ItemVisibility(1, item("a2"), true),
            Millis(100),
            || "x".into(),
        );
        assert!(state
            .observe(Observed::Tick, Millis(600), || "x".into())
            .is_empty());
        let events = state.observe(Observed::Tick, Millis(1_200), || "x".into());
        assert_eq!(kinds(&events), ["impression"]);
    }

    #[test]
    fn spa_navigation_leaves_the_page_and_views_the_next_one() {
        let (mut state, _) = start(0);
        state.observe(
            Observed::Scroll {
                top_px: 0.0,
                viewport_px: 1_000.0,
                document_px: 4_000.0,
            },
            Millis(5),
            || "x".into(),
        );
        let events = state.observe(
            Observed::Navigated("https://news.example/politics".into()),
            Millis(5_000),
            || "x".into(),
        );
        assert_eq!(kinds(&events), ["pageLeave", "pageView"]);
        assert_eq!(state.session().page_views, 2);
        let same = state.observe(
            Observed::Navigated("https://news.example/politics?page=2".into()),
            Millis(6_000),
            || "x".into(),
        );
        assert!(same.is_empty(), "a query change is the same page");
    }

    #[test]
    fn a_session_times_out_after_inactivity_and_a_new_one_starts() {
        let (mut state, _) = start(0);
        state.observe(Observed::Input, Millis(60_000), || "unused".into());
        assert_eq!(state.session().id, "s1");
        state.observe(Observed::Input, Millis(60_000 + 31 * 60_000), || {
            "s2".into()
        });
        assert_eq!(state.session().id, "s2");
        assert_eq!(state.session().session_count, 2);
    }

    #[test]
    fn the_kept_events_are_bounded_whatever_the_traffic() {
        let (mut state, _) = start(0);
        for i in 0..10_000 {
            state.observe(Observed::ItemClick(item("a")), Millis(i), || "x".into());
        }
        assert_eq!(state.recent().len(), KEPT_EVENTS);
        assert_eq!(state.recorded(), 10_001);
    }

    #[test]
    fn a_newer_session_from_another_tab_is_adopted_and_an_older_one_is_not() {
        let (mut state, _) = start(1_000);
        let mut other = state.session().clone();
        other.last_activity_at = Millis(500);
        other.id = "older".into();
        state.adopt_session(other.clone());
        assert_eq!(state.session().id, "s1");
        other.last_activity_at = Millis(2_000);
        other.id = "newer".into();
        state.adopt_session(other);
        assert_eq!(state.session().id, "newer");
    }
}
