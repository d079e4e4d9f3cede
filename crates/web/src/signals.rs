//! Signals the page gives: Global Privacy Control, and an IAB TCF CMP's events.
//!
//! Values only leave here: the core decides what they mean.

use js_sys::{Function, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// `navigator.globalPrivacyControl === true`.
pub fn global_privacy_control() -> bool {
    let navigator =
        Reflect::get(&js_sys::global(), &"navigator".into()).unwrap_or(JsValue::UNDEFINED);
    if navigator.is_undefined() || navigator.is_null() {
        return false;
    }
    Reflect::get(&navigator, &"globalPrivacyControl".into())
        .ok()
        .and_then(|v| v.as_bool())
        == Some(true)
}

/// The ranking context now: device class from media queries (never the user agent),
/// viewport, language, time zone and local time, Save-Data, reduced motion.
pub fn context(now: hearth_core::time::Millis) -> Option<hearth_core::event::context::Context> {
    let window = super::window()?;
    let matches = |query: &str| {
        window
            .match_media(query)
            .ok()
            .flatten()
            .is_some_and(|m| m.matches())
    };
    let navigator = window.navigator();
    let language = navigator.language().unwrap_or_default();
    let connection = Reflect::get(&navigator, &"connection".into()).unwrap_or(JsValue::UNDEFINED);
    let save_data = connection.is_object()
        && Reflect::get(&connection, &"saveData".into())
            .ok()
            .and_then(|v| v.as_bool())
            == Some(true);
    let raw = hearth_core::event::context::RawContext {
        pointer_coarse: matches("(pointer: coarse)"),
        hover: matches("(hover: hover)"),
        viewport_width_px: window
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0),
        language: &language,
        js_timezone_offset_min: js_sys::Date::new_0().get_timezone_offset(),
        save_data,
        reduced_motion: matches("(prefers-reduced-motion: reduce)"),
    };
    Some(hearth_core::event::context::Context::from_raw(&raw, now))
}

/// A CMP event Hearth acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcfEvent {
    /// `false` only when the CMP says GDPR does not apply.
    pub gdpr_applies: bool,
    /// The TC string.
    pub tc_string: String,
    /// `tcloaded` or `useractioncomplete`.
    pub event_status: String,
}

/// A listener registered with `__tcfapi('addEventListener', 2, …)`; removed on drop.
pub struct TcfListener {
    tcfapi: Function,
    callback: Closure<dyn FnMut(JsValue, JsValue)>,
    listener_id: Rc<Cell<Option<f64>>>,
}

impl TcfListener {
    /// Listens when the page has a CMP (`window.__tcfapi` is a function); `on_event` gets
    /// each `tcloaded` and `useractioncomplete` event.
    pub fn attach(mut on_event: impl FnMut(TcfEvent) + 'static) -> Option<TcfListener> {
        let tcfapi: Function = Reflect::get(&js_sys::global(), &"__tcfapi".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let listener_id = Rc::new(Cell::new(None));
        let id_slot = listener_id.clone();
        let callback = Closure::<dyn FnMut(JsValue, JsValue)>::new(
            move |tc_data: JsValue, success: JsValue| {
                if success.as_bool() != Some(true) || !tc_data.is_object() {
                    return;
                }
                if let Some(id) = Reflect::get(&tc_data, &"listenerId".into())
                    .ok()
                    .and_then(|v| v.as_f64())
                {
                    id_slot.set(Some(id));
                }
                if let Some(event) = read_event(&tc_data) {
                    on_event(event);
                }
            },
        );
        let args = [
            JsValue::from_str("addEventListener"),
            JsValue::from(2),
            callback.as_ref().clone(),
        ];
        // A CMP that throws here is treated as absent.
        tcfapi.apply(&JsValue::NULL, &args.iter().collect()).ok()?;
        Some(TcfListener {
            tcfapi,
            callback,
            listener_id,
        })
    }
}

fn read_event(tc_data: &JsValue) -> Option<TcfEvent> {
    let text = |key: &str| {
        Reflect::get(tc_data, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let event_status = text("eventStatus")?;
    if event_status != "tcloaded" && event_status != "useractioncomplete" {
        return None;
    }
    let gdpr_applies = Reflect::get(tc_data, &"gdprApplies".into())
        .ok()
        .and_then(|v| v.as_bool())
        != Some(false);
    Some(TcfEvent {
        gdpr_applies,
        tc_string: text("tcString").unwrap_or_default(),
        event_status,
    })
}

impl Drop for TcfListener {
    fn drop(&mut self) {
        if let Some(id) = self.listener_id.get() {
            let noop = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
            let args = [
                JsValue::from_str("removeEventListener"),
                JsValue::from(2),
                noop.as_ref().clone(),
                JsValue::from(id),
            ];
            let _ = self.tcfapi.apply(&JsValue::NULL, &args.iter().collect());
        }
        // `callback` drops with self; a CMP that calls it afterwards gets a JS error it
        // swallows, never a call into freed state.
        let _ = &self.callback;
    }
}
