//! Starting and stopping capture with `measurement`, and carrying observations from the
//! page into the engine. The only path from a DOM event to the core.

use super::instance::Inner;
use super::{now, to_js};
use crate::capture::{Observed, PageStart};
use crate::consent::Purpose;
use crate::event::Event;
use crate::time::Millis;
use crate::web::capture::{Capture, Signals};
use crate::web::session_store;
use std::rc::{Rc, Weak};

/// The shared session is written at most this often while the visitor is active (and at
/// once when a session or page view starts).
const SESSION_SHARE_INTERVAL_MS: u64 = 5_000;

impl Inner {
    /// Starts capture when `measurement` is allowed and it is not running. (Stopping is done
    /// by `settle` when the engine reports `measurement` revoked.)
    pub fn sync_capture(self: &Rc<Self>) {
        let page = current_page();
        let storage = self
            .with_engine(|e| e.allows(Purpose::Storage))
            .unwrap_or(false);
        let shared = storage
            .then(|| session_store::load(&self.namespace))
            .flatten();
        let now = now();
        let started = self.with_engine(|engine| {
            let events = engine.start_capture(&page, shared, now)?;
            let options = &engine.options().capture;
            let signals = Signals {
                clicks: options.clicks,
                scroll: options.scroll,
                impressions: options.impressions,
                pageviews: options.pageviews,
            };
            Some((events, signals, options.ignore.clone()))
        });
        let Ok(Some((events, signals, ignore))) = started else {
            return;
        };
        // Attach before delivering: a `capture` listener may destroy the instance or revoke
        // measurement, which must find the listeners there to detach.
        let sink = sink(Rc::downgrade(self));
        *self.capture.borrow_mut() = Capture::attach(signals, ignore.as_deref(), sink);
        self.deliver(&events, now);
    }

    /// After events were captured: share the session, and emit them to `capture` listeners.
    pub fn deliver(self: &Rc<Self>, events: &[Event], now: Millis) {
        if events.is_empty() {
            return;
        }
        self.share_session(now);
        self.schedule_flush();
        self.refresh_segments();
        if self.capture_listening.get() {
            for event in events {
                if let Ok(payload) = to_js(event) {
                    self.emit("capture", &payload);
                }
            }
        }
    }

    /// Writes the session for other tabs when `storage` allows and it is due.
    fn share_session(&self, now: Millis) {
        let session = self.with_engine(|engine| {
            let shareable = engine.allows(Purpose::Storage);
            engine
                .capture()
                .filter(|_| shareable)
                .map(|c| c.session().clone())
        });
        let Ok(Some(session)) = session else { return };
        let due = match self.session_saved_at.get() {
            Some((at, page_views)) => {
                page_views != session.page_views
                    || now.0.saturating_sub(at.0) >= SESSION_SHARE_INTERVAL_MS
            }
            None => true,
        };
        if due {
            self.session_saved_at.set(Some((now, session.page_views)));
            if let Err(error) = session_store::save(&self.namespace, &session) {
                self.emit_error(error);
            }
        }
    }
}

/// The page as capture finds it when it starts.
fn current_page() -> PageStart {
    let window = crate::web::window();
    let document = window.as_ref().and_then(|w| w.document());
    PageStart {
        href: window
            .as_ref()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default(),
        referrer: document.as_ref().map(|d| d.referrer()).unwrap_or_default(),
        visible: document.is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible),
    }
}

/// Observations go into the engine; the sink answers when the next viewability tick is due.
fn sink(inner: Weak<Inner>) -> crate::web::capture::Sink {
    Rc::new(move |observed: Observed| {
        let inner = inner.upgrade()?;
        let now = now();
        if observed == Observed::PageVisible(true) {
            adopt_shared_session(&inner);
        }
        let (events, deadline) = inner
            .with_engine(|engine| {
                let events = engine.observe(observed, now);
                (events, engine.capture_deadline(now))
            })
            .ok()?;
        inner.deliver(&events, now);
        deadline.map(|at| at.0.saturating_sub(now.0) as f64)
    })
}

/// Coming back to a tab: another tab may have moved the session on.
fn adopt_shared_session(inner: &Inner) {
    let storage = inner
        .with_engine(|e| e.allows(Purpose::Storage))
        .unwrap_or(false);
    if let Some(session) = storage
        .then(|| session_store::load(&inner.namespace))
        .flatten()
    {
        let _ = inner.with_engine(|engine| engine.adopt_session(session));
    }
}
