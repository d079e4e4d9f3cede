//! The session state machine, as a value that tabs can share through storage.
//!
//! Its one job is [`touch`]: given the stored [`SessionState`] (or none), the time and the
//! inactivity timeout, continue the session or start the next one, counting sessions and page
//! views. It is a pure function of its inputs, so two tabs that read, touch and write the same
//! stored state agree. It never reads a clock or storage, never makes ids (the caller injects
//! `new_id`) and never keeps a referrer URL, only its [`ReferrerClass`]. Reading the stored
//! form back is [`super::stored_session`]'s job.

use super::referrer::ReferrerClass;
use crate::time::Millis;
use serde::Serialize;

/// Inactivity after which the next touch starts a new session: 30 minutes, in milliseconds.
pub const SESSION_TIMEOUT_MS: u64 = 30 * 60 * 1_000;
/// Shortest configurable timeout: 1 minute, in milliseconds.
pub const MIN_SESSION_TIMEOUT_MS: u64 = 60 * 1_000;
/// Longest configurable timeout: 24 hours, in milliseconds.
pub const MAX_SESSION_TIMEOUT_MS: u64 = 24 * 60 * 60 * 1_000;
/// Longest session id, in characters.
pub const MAX_SESSION_ID_CHARS: usize = 64;

/// The current session and the visitor's session history, in the form stored and shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    /// This session's id, 1 to [`MAX_SESSION_ID_CHARS`] characters.
    pub id: String,
    /// When this session started.
    pub started_at: Millis,
    /// The latest activity in this session.
    pub last_activity_at: Millis,
    /// Page views in this session.
    pub page_views: u32,
    /// Sessions so far, this one included (at least 1).
    pub session_count: u32,
    /// When the visitor's first session started.
    pub first_seen_at: Millis,
    /// Where this session came from.
    pub entry_referrer: ReferrerClass,
}

/// What a [`touch`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChange {
    /// The visitor's first session started.
    First,
    /// A new session started after the previous one timed out.
    Started,
    /// The current session went on.
    Continued,
}

/// Records activity at `now`: continues `state`'s session unless there is none or it has been
/// idle for more than `timeout_ms` (clamped to [`MIN_SESSION_TIMEOUT_MS`] to
/// [`MAX_SESSION_TIMEOUT_MS`]), in which case a session with id `new_id()` starts, entered
/// from `referrer`. Does not count a page view (see [`page_view`]). A clock behind the stored
/// state (another tab's clock, a clock change) continues the session.
pub fn touch(
    state: Option<SessionState>,
    now: Millis,
    timeout_ms: u64,
    referrer: ReferrerClass,
    new_id: impl FnOnce() -> String,
) -> (SessionState, SessionChange) {
    let timeout_ms = timeout_ms.clamp(MIN_SESSION_TIMEOUT_MS, MAX_SESSION_TIMEOUT_MS);
    let (session_count, first_seen_at, change) = match state {
        Some(mut current) if !current.is_expired(now, timeout_ms) => {
            current.last_activity_at = current.last_activity_at.max(now);
            return (current, SessionChange::Continued);
        }
        Some(previous) => (
            previous.session_count.saturating_add(1),
            previous.first_seen_at.min(now),
            SessionChange::Started,
        ),
        None => (1, now, SessionChange::First),
    };
    let mut id = super::url::truncate_chars(&new_id(), MAX_SESSION_ID_CHARS).to_owned();
    if id.is_empty() {
        id = format!("s{}", now.0);
    }
    let state = SessionState {
        id,
        started_at: now,
        last_activity_at: now,
        page_views: 0,
        session_count,
        first_seen_at,
        entry_referrer: referrer,
    };
    (state, change)
}

/// [`touch`] for a page view: the same, and the page view is counted in the session.
pub fn page_view(
    state: Option<SessionState>,
    now: Millis,
    timeout_ms: u64,
    referrer: ReferrerClass,
    new_id: impl FnOnce() -> String,
) -> (SessionState, SessionChange) {
    let (mut state, change) = touch(state, now, timeout_ms, referrer, new_id);
    state.page_views = state.page_views.saturating_add(1);
    (state, change)
}

impl SessionState {
    /// Whether the visitor had a session before this one.
    pub fn is_returning(&self) -> bool {
        self.session_count > 1
    }

    /// Milliseconds from the session's start to its latest activity.
    pub fn duration_ms(&self) -> u64 {
        self.last_activity_at.0.saturating_sub(self.started_at.0)
    }

    /// Whether the session has been idle for more than `timeout_ms` at `now`.
    pub fn is_expired(&self, now: Millis, timeout_ms: u64) -> bool {
        now.0.saturating_sub(self.last_activity_at.0) > timeout_ms
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    const MINUTE: u64 = 60_000;

    /// A page view `at_min` minutes in, from search, with the new id `s{at_min}`.
    pub(crate) fn visit(state: Option<SessionState>, at_min: u64) -> (SessionState, SessionChange) {
        let id = format!("s{at_min}");
        page_view(
            state,
            Millis(at_min * MINUTE),
            SESSION_TIMEOUT_MS,
            ReferrerClass::Search,
            || id,
        )
    }

    #[test]
    fn the_first_touch_starts_the_first_session() {
        let (state, change) = visit(None, 0);
        assert_eq!(change, SessionChange::First);
        assert_eq!(
            (state.id.as_str(), state.page_views, state.session_count),
            ("s0", 1, 1)
        );
        assert_eq!(state.entry_referrer, ReferrerClass::Search);
        assert!(!state.is_returning());
    }

    #[test]
    fn activity_within_the_timeout_continues_the_session() {
        let (state, _) = visit(None, 0);
        let (state, change) = visit(Some(state), 30);
        let (state, _) = visit(Some(state), 59);
        assert_eq!(change, SessionChange::Continued);
        assert_eq!((state.id.as_str(), state.page_views), ("s0", 3));
        assert_eq!(state.duration_ms(), 59 * MINUTE);
    }

    #[test]
    fn more_than_the_timeout_of_inactivity_starts_a_returning_session() {
        let (state, _) = visit(None, 0);
        let (state, change) = visit(Some(state), 31);
        assert_eq!(change, SessionChange::Started);
        assert_eq!(
            (state.id.as_str(), state.page_views, state.session_count),
            ("s31", 1, 2)
        );
        assert!(state.is_returning());
        assert_eq!(state.first_seen_at, Millis(0));
        assert_eq!(state.duration_ms(), 0);
    }

    /// A touch (not a page view) at `now` ms, from a direct visit, with an empty new id.
    fn poke(state: SessionState, now: u64, timeout_ms: u64) -> (SessionState, SessionChange) {
        touch(
            Some(state),
            Millis(now),
            timeout_ms,
            ReferrerClass::Direct,
            String::new,
        )
    }

    #[test]
    fn a_touch_that_is_not_a_page_view_does_not_count_one() {
        let (state, change) = poke(visit(None, 0).0, MINUTE, SESSION_TIMEOUT_MS);
        assert_eq!(change, SessionChange::Continued);
        assert_eq!(state.page_views, 1);
        assert_eq!(state.entry_referrer, ReferrerClass::Search);
    }

    #[test]
    fn the_timeout_is_configurable_within_bounds() {
        let (state, _) = visit(None, 0);
        let (_, change) = poke(state.clone(), 6 * MINUTE, 5 * MINUTE);
        assert_eq!(change, SessionChange::Started);
        let (_, change) = poke(state, MINUTE / 2, 0);
        assert_eq!(change, SessionChange::Continued, "0 is clamped to a minute");
    }

    #[test]
    fn a_clock_behind_the_stored_state_continues_without_going_back() {
        let (state, _) = visit(None, 10);
        let (state, change) = visit(Some(state), 5);
        assert_eq!(change, SessionChange::Continued);
        assert_eq!(state.last_activity_at, Millis(10 * MINUTE));
    }

    #[test]
    fn an_empty_injected_id_is_replaced_by_one_from_the_time() {
        let (state, _) = poke(visit(None, 0).0, 42 * MINUTE, SESSION_TIMEOUT_MS);
        assert_eq!(state.id, format!("s{}", 42 * MINUTE));
    }
}
