//! The `#[wasm_bindgen]` surface: JavaScript values in, core calls, plain objects out.
//!
//! `HearthCore` is the low-level class the JS facade (`pkg-template/facade.js`) wraps. It
//! parses every input before borrowing its state, never holds a borrow while calling back
//! into JavaScript (events go out only after the engine is released), and never panics on
//! input: every failure is a `HearthError` with a stable code.

mod capture;
use crate::web::convert;
mod error;
mod instance;
mod persistence;
mod profile;
mod types;

use crate::consent::read_set_options;
use crate::engine::Engine;
use crate::options::{StorageKind, ValidOptions};
use crate::request::RankRequest;
use crate::time::Millis;
use crate::value::Field;
use crate::web::consent_store::ConsentStore;
use crate::web::signals::{global_privacy_control, TcfListener};
use crate::{Error, ErrorCode};
use instance::{listen_to_other_tabs, on_tcf_event, Inner};
use js_sys::Function;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

type JsResult<T> = Result<T, error::JsError>;

/// One Hearth instance's core. Use `Hearth.init` from the package instead of this class.
#[wasm_bindgen]
pub struct HearthCore {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl HearthCore {
    /// Validates `options`, restores the consent record, starts listening to consent signals,
    /// and starts capture if `measurement` is already allowed. `emit(type, payload)` receives
    /// the events.
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
        let encrypt = options.encryption;
        let tab = format!("{:08x}", fresh_entropy() as u32);
        let engine = Engine::new(options, record, global_privacy_control(), fresh_entropy());
        let inner = Rc::new(Inner {
            engine: RefCell::new(Some(engine)),
            store,
            emit,
            startup_errors: RefCell::new(open_error.into_iter().chain(load_error).collect()),
            tcf_listener: RefCell::new(None),
            tab_listener: RefCell::new(None),
            capture: RefCell::new(None),
            capture_listening: Cell::new(false),
            session_saved_at: Cell::new(None),
            persistence: persistence::Persistence::new(&namespace, encrypt, tab),
            namespace,
        });
        if read_tcf {
            *inner.tcf_listener.borrow_mut() =
                TcfListener::attach(on_tcf_event(Rc::downgrade(&inner)));
        }
        *inner.tab_listener.borrow_mut() = listen_to_other_tabs(&inner);
        inner.sync_capture();
        inner.start_storage();
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

    /// Changes the named purposes. Returns the new state and a promise that resolves once
    /// anything that must be erased is erased. (The state is taken before any listener runs,
    /// so a listener that destroys the instance cannot make the caller's promise fail.)
    #[wasm_bindgen(js_name = consentSet, unchecked_return_type = "{ state: ConsentState; done: Promise<void> }")]
    pub fn consent_set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Purposes>")] purposes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConsentSetOptions | undefined")] options: JsValue,
    ) -> JsResult<JsValue> {
        let invalid =
            |e: crate::value::InputError| Error::new(ErrorCode::InvalidConsent, e.to_string());
        let source = read_set_options(Field::root("options", convert::to_value(&options)))
            .map_err(invalid)?;
        let purposes = Field::root("purposes", convert::to_value(&purposes));
        let now = now();
        let effects = self
            .inner
            .with_engine(|engine| engine.set_consent(purposes, source, now))??;
        self.settled(effects)
    }

    /// Denies every purpose. Returns the new state and a promise that resolves once
    /// everything stored but the consent record is erased.
    #[wasm_bindgen(js_name = consentWithdraw, unchecked_return_type = "{ state: ConsentState; done: Promise<void> }")]
    pub fn consent_withdraw(&self) -> JsResult<JsValue> {
        let now = now();
        let effects = self
            .inner
            .with_engine(|engine| engine.withdraw_consent(now))?;
        self.settled(effects)
    }

    /// Validates the request and ranks its candidates.
    #[wasm_bindgen(unchecked_return_type = "RankResult")]
    pub fn rank(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RankRequest")] request: JsValue,
    ) -> JsResult<JsValue> {
        let request = RankRequest::parse(convert::to_value(&request))?;
        let (time, now) = (local_time(), now());
        let decision = self
            .inner
            .with_engine(|engine| engine.rank(request, time, now))?;
        self.inner.schedule_flush();
        Ok(to_js(&decision)?)
    }

    /// `rank` on a request the facade packed (see `crate::tape`): the fast path, since
    /// reading a large candidate list value by value across the boundary is slow.
    #[wasm_bindgen(js_name = rankPacked, unchecked_return_type = "RankResult")]
    pub fn rank_packed(
        &self,
        kinds: &[u8],
        refs: &[u32],
        numbers: &[f64],
        strings: &str,
        string_lengths: &[u32],
    ) -> JsResult<JsValue> {
        let tape = crate::tape::Tape {
            kinds,
            refs,
            numbers,
            strings,
            string_lengths,
        };
        let value = tape
            .decode()
            .map_err(|e| error::internal("a packed request was malformed", e.0))?;
        let request = RankRequest::parse(value)?;
        let (time, now) = (local_time(), now());
        let decision = self
            .inner
            .with_engine(|engine| engine.rank(request, time, now))?;
        self.inner.schedule_flush();
        Ok(to_js(&decision)?)
    }

    /// Learns the visitor's response to an item a decision showed (1 for a click or
    /// conversion, 0 for ignored; any finite number). Returns false when that item was already
    /// rewarded in that decision. Throws `consent_required`, `unknown_decision` or
    /// `invalid_request`.
    pub fn reward(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] decision_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] item_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number | undefined")] value: JsValue,
    ) -> JsResult<bool> {
        let invalid =
            |e: crate::value::InputError| Error::new(ErrorCode::InvalidRequest, e.to_string());
        let decision_id = Field::root("decisionId", convert::to_value(&decision_id))
            .text(64)
            .map_err(invalid)?;
        let item_id = Field::root("itemId", convert::to_value(&item_id))
            .text(crate::request::candidate::MAX_ID_CHARS)
            .map_err(invalid)?;
        let value = Field::root("value", convert::to_value(&value))
            .optional(Field::finite_number)
            .map_err(invalid)?
            .unwrap_or(1.0);
        let now = now();
        let learned = self
            .inner
            .with_engine(|engine| engine.reward(&decision_id, &item_id, value, now))??;
        self.inner.schedule_flush();
        Ok(learned)
    }

    /// The bandit's model as a versioned snapshot. Throws `consent_required`.
    #[wasm_bindgen(js_name = modelExport, unchecked_return_type = "ModelSnapshot")]
    pub fn model_export(&self) -> JsResult<JsValue> {
        let snapshot = self.inner.with_engine(|engine| engine.export_model())??;
        Ok(to_js(&snapshot)?)
    }

    /// Installs a model trained elsewhere. Throws `invalid_snapshot` or `consent_required`.
    #[wasm_bindgen(js_name = modelImport)]
    pub fn model_import(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ModelSnapshot")] snapshot: JsValue,
    ) -> JsResult<()> {
        let value = convert::to_value(&snapshot);
        self.inner
            .with_engine(|engine| engine.import_model(value))??;
        self.inner.schedule_flush();
        Ok(())
    }

    /// Records a custom event; `false` when `measurement` is not allowed (nothing kept).
    /// Throws `invalid_event` for a bad name or properties, whatever the consent.
    pub fn track(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TrackProps | undefined")] props: JsValue,
    ) -> JsResult<bool> {
        let (name, props) = (convert::to_value(&name), convert::to_value(&props));
        let now = now();
        let kept = self
            .inner
            .with_engine(|engine| engine.track(name, props, now))??;
        let recorded = kept.is_some();
        self.inner
            .deliver(&kept.into_iter().collect::<Vec<_>>(), now);
        Ok(recorded)
    }

    /// The last captured events, oldest first (at most 500); empty without `measurement`.
    #[wasm_bindgen(js_name = captureRecent, unchecked_return_type = "CapturedEvent[]")]
    pub fn capture_recent(&self) -> JsResult<JsValue> {
        let events = self.inner.with_engine(|engine| {
            engine
                .capture()
                .map(|c| c.recent().iter().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })?;
        Ok(to_js(&events)?)
    }

    /// The current session and capture counters, or `null` without `measurement`.
    #[wasm_bindgen(js_name = captureStatus, unchecked_return_type = "CaptureStatus | null")]
    pub fn capture_status(&self) -> JsResult<JsValue> {
        let status = self.inner.with_engine(|engine| {
            engine.capture().map(|capture| types::CaptureStatus {
                session: capture.session().clone(),
                returning: capture.session().is_returning(),
                recorded: capture.recorded(),
                kept: capture.recent().len(),
                listening: self.inner.capture.borrow().is_some(),
            })
        })?;
        Ok(to_js(&status)?)
    }

    /// Tells the core whether anyone listens to `capture` events.
    #[wasm_bindgen(js_name = setCaptureListening)]
    pub fn set_capture_listening(&self, listening: bool) {
        self.inner.capture_listening.set(listening);
    }

    /// The ranking context now (device class, viewport, language, local time, …), or `null`
    /// outside a browser.
    #[wasm_bindgen(unchecked_return_type = "RankingContext | null")]
    pub fn context(&self) -> JsResult<JsValue> {
        Ok(to_js(&crate::web::signals::context(now()))?)
    }

    /// Errors found while starting (storage unavailable, a corrupt record), once.
    #[wasm_bindgen(js_name = takeStartupErrors, unchecked_return_type = "HearthError[]")]
    pub fn take_startup_errors(&self) -> Vec<JsValue> {
        self.inner
            .startup_errors
            .take()
            .into_iter()
            .map(error::js_error)
            .collect()
    }

    /// Stops listening to every signal, detaches capture, and releases this instance's
    /// state; every later call fails with code `destroyed`.
    pub fn destroy(&self) {
        // What changed since the last write is written first; the database closes after.
        self.inner.write_and_close();
        self.inner.capture.take();
        self.inner.tcf_listener.take();
        self.inner.tab_listener.take();
        if let Ok(mut engine) = self.inner.engine.try_borrow_mut() {
            engine.take();
        }
    }
}

/// The bounds the facade's packer applies, so that it copies no more than the core reads.
#[wasm_bindgen(js_name = inputLimits, unchecked_return_type = "{ depth: number; list: number; keys: number; nodes: number }")]
pub fn input_limits() -> JsValue {
    let limits = js_sys::Object::new();
    for (key, value) in [
        ("depth", crate::value::MAX_DEPTH),
        ("list", crate::value::MAX_LIST_ENTRIES),
        ("keys", crate::value::MAX_OBJECT_KEYS),
        ("nodes", crate::value::MAX_NODES),
    ] {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&limits, &key.into(), &(value as f64).into());
    }
    limits.into()
}

impl HearthCore {
    /// `{ state, done }` after a consent change: the state now, then the settling (persist,
    /// notify, capture, erase).
    fn settled(&self, effects: crate::engine::ConsentEffects) -> JsResult<JsValue> {
        let state = to_js(&self.inner.with_engine(|engine| engine.consent())?)?;
        let done = self.inner.settle(effects, true);
        let result = js_sys::Object::new();
        // Setting data properties on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&result, &"state".into(), &state);
        let _ = js_sys::Reflect::set(&result, &"done".into(), &done);
        Ok(result.into())
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

/// Plain objects and arrays, never `Map`s, so results look like JSON to callers.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::internal("could not convert a result to JavaScript", e))
}

/// `(hour of day with minutes as a fraction, weekday 0–6)` in the visitor's time zone.
fn local_time() -> Option<(f64, f64)> {
    let date = js_sys::Date::new_0();
    let hour = f64::from(date.get_hours()) + f64::from(date.get_minutes()) / 60.0;
    Some((hour, f64::from(date.get_day())))
}

fn now() -> Millis {
    Millis::from_js(js_sys::Date::now())
}

/// 64 bits from `Math.random()` for decision and session ids (not secrets, only unique).
fn fresh_entropy() -> u64 {
    let half = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (half() << 32) | half()
}
