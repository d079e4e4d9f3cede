//! The `#[wasm_bindgen]` surface: JavaScript values in, core calls, plain objects out.
//!
//! `HearthCore` is the low-level class the JS facade (`pkg-template/facade.js`) wraps. It
//! parses every input before borrowing its state, never holds a borrow while calling back
//! into JavaScript (events go out only after the engine is released), and never panics on
//! input: every failure is a `HearthError` with a stable code.

pub(crate) mod convert;
mod error;
mod types;

use crate::consent::read_set_options;
use crate::engine::{ConsentEffects, Engine};
use crate::options::{StorageKind, ValidOptions};
use crate::rank::RankRequest;
use crate::time::Millis;
use crate::value::Field;
use crate::web::consent_store::{parse_record, ConsentStore};
use crate::web::erase::erase_stored_data;
use crate::web::signals::{global_privacy_control, TcfEvent, TcfListener};
use crate::{Error, ErrorCode};
use gloo_events::EventListener;
use js_sys::{Function, Promise};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

type JsResult<T> = Result<T, JsValue>;

/// One Hearth instance's core. Use `Hearth.init` from the package instead of this class.
#[wasm_bindgen]
pub struct HearthCore {
    inner: Rc<Inner>,
}

/// Shared with the listeners (TCF, other tabs), which hold it weakly.
struct Inner {
    /// `None` once destroyed.
    engine: RefCell<Option<Engine>>,
    store: ConsentStore,
    namespace: String,
    /// `emit(type, payload)`, provided by the facade.
    emit: Function,
    /// Errors found while starting, reported once listeners can hear them.
    startup_errors: RefCell<Vec<Error>>,
    tcf_listener: RefCell<Option<TcfListener>>,
    tab_listener: RefCell<Option<EventListener>>,
}

#[wasm_bindgen]
impl HearthCore {
    /// Validates `options`, restores the consent record and starts listening to consent
    /// signals. `emit(type, payload)` receives the events.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "HearthOptions | undefined")] options: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(type: string, payload: unknown) => void")]
        emit: Function,
    ) -> JsResult<HearthCore> {
        let options = ValidOptions::parse(convert::to_value(&options)).map_err(Error::from)?;
        let namespace = options.namespace.clone();
        let (store, open_error) =
            ConsentStore::open(&namespace, options.storage == StorageKind::Indexeddb);
        let (record, load_error) = store.load();
        let read_tcf = options.consent.read_tcf;
        let engine = Engine::new(options, record, global_privacy_control(), fresh_entropy());
        let inner = Rc::new(Inner {
            engine: RefCell::new(Some(engine)),
            store,
            namespace,
            emit,
            startup_errors: RefCell::new(open_error.into_iter().chain(load_error).collect()),
            tcf_listener: RefCell::new(None),
            tab_listener: RefCell::new(None),
        });
        if read_tcf {
            *inner.tcf_listener.borrow_mut() =
                TcfListener::attach(on_tcf_event(Rc::downgrade(&inner)));
        }
        *inner.tab_listener.borrow_mut() = listen_to_other_tabs(&inner);
        Ok(HearthCore { inner })
    }

    /// The visitor's consent state.
    #[wasm_bindgen(js_name = consentGet, unchecked_return_type = "ConsentState")]
    pub fn consent_get(&self) -> JsResult<JsValue> {
        let state = self.inner.with_engine(|engine| engine.consent())?;
        Ok(to_js(&state)?)
    }

    /// The consent record: every decision, oldest first (at most 100).
    #[wasm_bindgen(js_name = consentHistory, unchecked_return_type = "ConsentRecordEntry[]")]
    pub fn consent_history(&self) -> JsResult<JsValue> {
        let record = self
            .inner
            .with_engine(|engine| engine.consent_record().entries.clone())?;
        Ok(to_js(&record)?)
    }

    /// Changes the named purposes; resolves once anything that must be erased is erased.
    #[wasm_bindgen(js_name = consentSet, unchecked_return_type = "Promise<void>")]
    pub fn consent_set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Purposes>")] purposes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConsentSetOptions | undefined")] options: JsValue,
    ) -> JsResult<Promise> {
        let invalid =
            |e: crate::value::InputError| Error::new(ErrorCode::InvalidConsent, e.to_string());
        let source = read_set_options(Field::root("options", convert::to_value(&options)))
            .map_err(invalid)?;
        let purposes = Field::root("purposes", convert::to_value(&purposes));
        let now = now();
        let effects = self
            .inner
            .with_engine(|engine| engine.set_consent(purposes, source, now))??;
        Ok(self.inner.settle(effects, true))
    }

    /// Denies every purpose; resolves once everything stored but the consent record is erased.
    #[wasm_bindgen(js_name = consentWithdraw, unchecked_return_type = "Promise<void>")]
    pub fn consent_withdraw(&self) -> JsResult<Promise> {
        let now = now();
        let effects = self
            .inner
            .with_engine(|engine| engine.withdraw_consent(now))?;
        Ok(self.inner.settle(effects, true))
    }

    /// Validates the request and ranks its candidates.
    #[wasm_bindgen(unchecked_return_type = "RankResult")]
    pub fn rank(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RankRequest")] request: JsValue,
    ) -> JsResult<JsValue> {
        let request = RankRequest::parse(convert::to_value(&request))?;
        let decision = self.inner.with_engine(|engine| engine.rank(request))?;
        Ok(to_js(&decision)?)
    }

    /// Errors found while starting (storage unavailable, a corrupt record), once.
    #[wasm_bindgen(js_name = takeStartupErrors, unchecked_return_type = "HearthError[]")]
    pub fn take_startup_errors(&self) -> Vec<JsValue> {
        self.inner
            .startup_errors
            .take()
            .into_iter()
            .map(JsValue::from)
            .collect()
    }

    /// Stops listening to every signal and releases this instance's state; every later
    /// call fails with code `destroyed`.
    pub fn destroy(&self) {
        self.inner.tcf_listener.take();
        self.inner.tab_listener.take();
        if let Ok(mut engine) = self.inner.engine.try_borrow_mut() {
            engine.take();
        }
    }
}

/// Decodes an IAB TCF v2 TC string, for debugging a CMP integration.
#[wasm_bindgen(js_name = decodeTcString, unchecked_return_type = "TcString")]
pub fn decode_tc_string(
    #[wasm_bindgen(unchecked_param_type = "string")] tc_string: JsValue,
) -> JsResult<JsValue> {
    let text = tc_string
        .as_string()
        .ok_or_else(|| Error::new(ErrorCode::InvalidTcString, "decodeTcString needs a string"))?;
    let decoded = crate::consent::tcf::decode(&text)
        .map_err(|e| Error::new(ErrorCode::InvalidTcString, e.to_string()))?;
    Ok(to_js(&decoded)?)
}

impl Inner {
    /// Runs `f` on the live engine, or fails with `destroyed` (or `internal` when called
    /// re-entrantly, which only a getter calling back into Hearth mid-call could do).
    fn with_engine<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> Result<T, Error> {
        let mut slot = self
            .engine
            .try_borrow_mut()
            .map_err(|e| error::internal("re-entrant call into Hearth", e))?;
        slot.as_mut().map(f).ok_or_else(Error::destroyed)
    }

    /// After a consent change: persist the record (unless it came from another tab), emit
    /// `consent`, and erase stored data when due. Returns the erasure's promise.
    fn settle(&self, effects: ConsentEffects, persist: bool) -> Promise {
        if persist {
            let saved = self.with_engine(|engine| self.store.save(engine.consent_record()));
            if let Err(error) | Ok(Err(error)) = saved.map(|r| r.map(|_| ())) {
                self.emit_error(error);
            }
        }
        if effects.notify {
            if let Ok(state) = self
                .with_engine(|engine| engine.consent())
                .and_then(|s| to_js(&s))
            {
                self.emit("consent", &state);
            }
        }
        if effects.erase_stored_data {
            erase_stored_data(&self.namespace)
        } else {
            Promise::resolve(&JsValue::UNDEFINED)
        }
    }

    fn emit(&self, kind: &str, payload: &JsValue) {
        // The facade catches listener errors; an exception here can only come from a broken
        // facade, and must not break Hearth.
        let _ = self.emit.call2(&JsValue::NULL, &kind.into(), payload);
    }

    fn emit_error(&self, error: Error) {
        self.emit("error", &error.into());
    }
}

fn on_tcf_event(inner: Weak<Inner>) -> impl FnMut(TcfEvent) + 'static {
    move |event: TcfEvent| {
        let Some(inner) = inner.upgrade() else { return };
        let applied = inner.with_engine(|engine| {
            engine.apply_tcf(
                event.gdpr_applies,
                &event.tc_string,
                &event.event_status,
                now(),
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
fn listen_to_other_tabs(inner: &Rc<Inner>) -> Option<EventListener> {
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

/// Plain objects and arrays, never `Map`s, so results look like JSON to callers.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::internal("could not convert a result to JavaScript", e))
}

fn now() -> Millis {
    Millis::from_js(js_sys::Date::now())
}

/// 64 bits from `Math.random()` for decision ids (not a secret, only unique).
fn fresh_entropy() -> u64 {
    let half = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (half() << 32) | half()
}
