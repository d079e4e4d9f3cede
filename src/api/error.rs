//! Core [`Error`]s become real JavaScript `Error` objects named `HearthError`.

use crate::{Error, ErrorCode};
use js_sys::Reflect;
use wasm_bindgen::JsValue;

impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        let js_error = js_sys::Error::new(&error.message);
        js_error.set_name("HearthError");
        // Setting a data property on a fresh, ordinary Error object cannot fail; ignoring the
        // Result keeps this conversion panic-free either way.
        let _ = Reflect::set(&js_error, &"code".into(), &error.code.as_str().into());
        if let Some(index) = error.index {
            let _ = Reflect::set(&js_error, &"index".into(), &(index as f64).into());
        }
        js_error.into()
    }
}

/// An error for a failure that only a bug in Hearth can cause.
pub fn internal(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Internal, format!("{what}: {detail}"))
}
