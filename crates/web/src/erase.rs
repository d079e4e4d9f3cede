//! Erasing what is stored for a namespace (everything but the consent record).

use super::describe_js_error;
use hearth_core::{Error, ErrorCode};
use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The IndexedDB database that holds a namespace's data once `storage` is granted.
pub fn database_name(namespace: &str) -> String {
    format!("hearth:{namespace}")
}

/// Deletes the namespace's database. Resolves when it is gone (or never existed, or there is
/// no IndexedDB); rejects with a `HearthError` `storage_unavailable` when deletion fails.
/// Deleting a database that does not exist creates nothing.
pub fn erase_stored_data(namespace: &str) -> Promise {
    let Some(factory) = super::window().and_then(|w| w.indexed_db().ok().flatten()) else {
        return Promise::resolve(&JsValue::UNDEFINED);
    };
    let request = match factory.delete_database(&database_name(namespace)) {
        Ok(request) => request,
        Err(thrown) => return Promise::reject(&failure(&thrown)),
    };
    Promise::new(&mut |resolve, reject| {
        let on_success = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: JsValue| {
            let detail = js_sys::Reflect::get(&failed, &"error".into()).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &failure(&detail));
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    })
}

fn failure(thrown: &JsValue) -> JsValue {
    crate::js_error(Error::new(
        ErrorCode::StorageUnavailable,
        format!(
            "stored data could not be erased: {}",
            describe_js_error(thrown)
        ),
    ))
}
