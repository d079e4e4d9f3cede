//! Errors for the `#[wasm_bindgen]` surface; core [`Error`]s become `HearthError` objects
//! through [`crate::web::js_error`].

use crate::{Error, ErrorCode};
use wasm_bindgen::JsValue;

pub use crate::web::js_error;

/// What the `#[wasm_bindgen]` methods throw: a `HearthError` made from a core [`Error`], or a
/// value a browser API threw. A type of this crate's own, so that `?` converts both (the core
/// error and `JsValue` are both foreign here).
#[derive(Debug)]
pub struct JsError(JsValue);

impl JsError {
    /// The value thrown.
    pub fn value(&self) -> &JsValue {
        &self.0
    }
}

impl From<Error> for JsError {
    fn from(error: Error) -> Self {
        JsError(js_error(error))
    }
}

impl From<JsValue> for JsError {
    fn from(thrown: JsValue) -> Self {
        JsError(thrown)
    }
}

impl From<JsError> for JsValue {
    fn from(error: JsError) -> Self {
        error.0
    }
}

/// An error for a failure that only a bug in Hearth can cause.
pub fn internal(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Internal, format!("{what}: {detail}"))
}
