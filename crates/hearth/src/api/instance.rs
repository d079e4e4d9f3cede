//! One instance's shared state (`Inner`) and what happens after a consent change: persist the
//! record, notify, erase, and start or stop capture. Listeners (TCF, other tabs, capture)
//! hold it weakly, so dropping `HearthCore` frees everything.

use super::{error, to_js};
use crate::engine::{ConsentEffects, Engine};
use crate::time::Millis;
use crate::web::capture::Capture;
use crate::web::consent_store::{parse_record, ConsentStore};
use crate::web::erase::erase_stored_data;
use crate::web::session_store;
use crate::web::signals::{TcfEvent, TcfListener};
use crate::Error;
use gloo_events::EventListener;
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};

/// Shared with the listeners, which hold it weakly.
pub(super) struct Inner {
    /// `None` once destroyed.
    pub engine: RefCell<Option<Engine>>,
    pub store: ConsentStore,
    pub namespace: String,
    /// `emit(type, payload)`, provided by the facade.
    pub emit: Function,
    /// Errors found while starting, reported once listeners can hear them.
    pub startup_errors: RefCell<Vec<Error>>,
    pub tcf_listener: RefCell<Option<TcfListener>>,
    pub tab_listener: RefCell<Option<EventListener>>,
    /// The page listeners and observers, while capture runs.
    pub capture: RefCell<Option<Capture>>,
    /// Whether anyone listens to `capture` events (serializing each event costs time).
    pub capture_listening: Cell<bool>,
    /// When the shared session was last written, to write it at most every few seconds.
    pub session_saved_at: Cell<Option<(Millis, u32)>>,
    /// The IndexedDB store, while `storage` allows it.
    pub persistence: super::persistence::Persistence,
}

impl Inner {
    /// Runs `f` on the live engine, or fails with `destroyed` (or `internal` when called
    /// re-entrantly, which only a getter calling back into Hearth mid-call could do).
    pub fn with_engine<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> Result<T, Error> {
        let mut slot = self
            .engine
            .try_borrow_mut()
            .map_err(|e| error::internal("re-entrant call into Hearth", e))?;
        slot.as_mut().map(f).ok_or_else(Error::destroyed)
    }

    /// After a consent change: persist the record (unless it came from another tab), emit
    /// `consent`, start or stop capture, and erase stored data when due. Returns the
    /// erasure's promise.
    pub fn settle(self: &Rc<Self>, effects: ConsentEffects, persist: bool) -> Promise {
        if persist {
            let saved = self.with_engine(|engine| self.store.save(engine.consent_record()));
            if let Ok(Err(error)) = saved {
                self.emit_error(error);
            }
        }
        if effects.stop_capture {
            self.capture.take();
        }
        if effects.notify {
            if let Ok(state) = self
                .with_engine(|engine| engine.consent())
                .and_then(|s| to_js(&s))
            {
                self.emit("consent", &state);
            }
        }
        self.sync_capture();
        if effects.erase_stored_data {
            session_store::remove(&self.namespace);
            // Our own open connection would block the deletion.
            self.close_storage();
            return erase_stored_data(&self.namespace);
        }
        if effects.forget_personalization || effects.forget_events {
            self.forget_stored(effects.forget_personalization, effects.forget_events);
        }
        if effects.granted {
            // Storage may open now; or, already open, personalization may just have started
            // and must take in what is stored before its first write.
            self.start_storage();
            self.take_in_other_writes();
            self.refresh_segments();
        }
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// Emits an event to the facade's listeners.
    pub fn emit(&self, kind: &str, payload: &JsValue) {
        // The facade catches listener errors; an exception here can only come from a broken
        // facade, and must not break Hearth.
        let _ = self.emit.call2(&JsValue::NULL, &kind.into(), payload);
    }

    /// Emits an `error` event.
    pub fn emit_error(&self, error: Error) {
        self.emit("error", &super::error::js_error(error));
    }
}

/// What a CMP reports goes through the engine like any other consent change.
pub(super) fn on_tcf_event(inner: Weak<Inner>) -> impl FnMut(TcfEvent) + 'static {
    move |event: TcfEvent| {
        let Some(inner) = inner.upgrade() else { return };
        let now = super::now();
        let applied = inner.with_engine(|engine| {
            engine.apply_tcf(
                event.gdpr_applies,
                &event.tc_string,
                &event.event_status,
                now,
            )
        });
        match applied {
            Ok(Ok(effects)) => {
                let _ = inner.settle(effects, true);
            }
            Ok(Err(error)) => inner.emit_error(error),
            Err(_) => {} // destroyed
        }
    }
}

/// A choice made in another tab arrives as a `storage` event for our key.
pub(super) fn listen_to_other_tabs(inner: &Rc<Inner>) -> Option<EventListener> {
    let key = inner.store.key()?.to_owned();
    let window = crate::web::window()?;
    let weak = Rc::downgrade(inner);
    Some(EventListener::new(&window, "storage", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        let Some(inner) = weak.upgrade() else { return };
        if event.key().as_deref() != Some(key.as_str()) {
            return;
        }
        let record = match event.new_value() {
            Some(text) => match parse_record(&text) {
                Ok(record) => record,
                Err(error) => return inner.emit_error(error),
            },
            None => crate::consent::record::ConsentRecord::new(),
        };
        if let Ok(effects) = inner.with_engine(|engine| engine.adopt_consent_record(record)) {
            let _ = inner.settle(effects, false);
        }
    }))
}
