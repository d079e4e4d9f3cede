//! The browser layer: everything that needs a browser object, and nothing that decides.
//!
//! [`consent_store`] keeps the consent record in `localStorage`; [`signals`] reads Global
//! Privacy Control, listens to a TCF CMP and reads the ranking context; [`erase`] deletes the
//! namespace's stored data; [`capture`] observes the page; [`session_store`] shares the
//! session between tabs.
//! Each works (as a no-op or in memory) where there is no `window`, as in Node. [`convert`]
//! copies JavaScript input into the core's bounded [`hearth_core::value::Value`];
//! [`writer`] lets one storage task at a time touch the database, in arrival order.
//!
//! It depends on the core, never the other way round; the `#[wasm_bindgen]` surface sits on
//! top of both. Only for wasm32: natively the crate is empty.
#![cfg(target_arch = "wasm32")]
#![warn(missing_docs)]

pub mod capture;
pub mod consent_store;
pub mod convert;
pub mod erase;
pub mod session_store;
pub mod signals;
pub mod store;
pub mod writer;

use wasm_bindgen::{JsCast, JsValue};

/// A core [`Error`](hearth_core::Error) as a real JavaScript `Error` named `HearthError`,
/// with its `code` and, when a list entry is at fault, its `index`.
pub fn js_error(error: hearth_core::Error) -> JsValue {
    let js_error = js_sys::Error::new(&error.message);
    js_error.set_name("HearthError");
    // Setting a data property on a fresh, ordinary Error object cannot fail; ignoring the
    // Result keeps this conversion panic-free either way.
    let _ = js_sys::Reflect::set(&js_error, &"code".into(), &error.code.as_str().into());
    if let Some(index) = error.index {
        let _ = js_sys::Reflect::set(&js_error, &"index".into(), &(index as f64).into());
    }
    js_error.into()
}

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

/// Parses JSON text into a bounded [`hearth_core::value::Value`].
pub fn parse_json_text(text: &str) -> Result<hearth_core::value::Value, String> {
    let js = js_sys::JSON::parse(text).map_err(|thrown| describe_js_error(&thrown))?;
    Ok(crate::convert::to_value(&js))
}

/// The page's `window`, when there is one (not in Node or a worker).
pub fn window() -> Option<web_sys::Window> {
    js_sys::global().dyn_into::<web_sys::Window>().ok()
}
