//! The browser layer: everything that needs a browser object, and nothing that decides.
//!
//! [`consent_store`] keeps the consent record in `localStorage`; [`signals`] reads Global
//! Privacy Control, listens to a TCF CMP and reads the ranking context; [`erase`] deletes the
//! namespace's stored data; [`capture`] observes the page; [`session_store`] shares the
//! session between tabs.
//! Each works (as a no-op or in memory) where there is no `window`, as in Node.

pub mod capture;
pub mod consent_store;
pub mod erase;
pub mod session_store;
pub mod signals;
pub mod store;

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

/// JSON text of `value`, as `JSON.stringify` writes it (plain objects, no `Map`s).
pub fn json_text<T: serde::Serialize>(value: &T) -> Result<String, String> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(|thrown| describe_js_error(&thrown))
}

/// Parses JSON text into a bounded [`crate::value::Value`].
pub fn parse_json_text(text: &str) -> Result<crate::value::Value, String> {
    let js = js_sys::JSON::parse(text).map_err(|thrown| describe_js_error(&thrown))?;
    Ok(crate::api::convert::to_value(&js))
}

/// The page's `window`, when there is one (not in Node or a worker).
pub fn window() -> Option<web_sys::Window> {
    js_sys::global().dyn_into::<web_sys::Window>().ok()
}
