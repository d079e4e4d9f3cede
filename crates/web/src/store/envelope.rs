//! The plain envelope of a stored record, `{text}`: what is written with encryption off and
//! what schema-1 records become. A leaf that both the database (its migration) and the
//! encryption layer use; sealed envelopes are `crypto`'s.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// The plain envelope `{text}` (encryption off, and migrated schema-1 records).
pub fn plain(text: &str) -> JsValue {
    let envelope = Object::new();
    // Setting a property of a fresh plain object cannot fail.
    let _ = Reflect::set(&envelope, &"text".into(), &text.into());
    envelope.into()
}
