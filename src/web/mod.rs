//! The browser layer: everything that needs a browser object, and nothing that decides.
//!
//! [`consent_store`] keeps the consent record in `localStorage`; [`signals`] reads Global
//! Privacy Control and listens to a TCF CMP; [`erase`] deletes the namespace's stored data.
//! Each works (as a no-op or in memory) where there is no `window`, as in Node.

pub mod consent_store;
pub mod erase;
pub mod signals;

use wasm_bindgen::{JsCast, JsValue};

/// The message of a thrown JS value, whatever was thrown (an `Error`, a `DOMException`, a
/// string, anything else), without panicking on the unexpected.
pub fn describe_js_error(thrown: &JsValue) -> String {
    if let Some(error) = thrown.dyn_ref::<js_sys::Error>() {
        format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        )
    } else if let Some(text) = thrown.as_string() {
        text
    } else {
        "an unknown error was thrown".to_owned()
    }
}

/// The page's `window`, when there is one (not in Node or a worker).
pub fn window() -> Option<web_sys::Window> {
    js_sys::global().dyn_into::<web_sys::Window>().ok()
}
