//! The session shared by a site's tabs: in `localStorage` (`hearth:<ns>:session`) while
//! `storage` is allowed, so that a new tab continues the session and counts returning
//! visits. Without `storage` nothing may be kept on the device, so each tab keeps its own
//! session in memory. Erased with everything else when `storage` goes.

use super::describe_js_error;
use hearth_core::event::SessionState;
use hearth_core::{Error, ErrorCode};

/// The key of a namespace's shared session.
pub fn session_key(namespace: &str) -> String {
    format!("hearth:{namespace}:session")
}

fn local_storage() -> Option<web_sys::Storage> {
    super::window()?.local_storage().ok().flatten()
}

/// The shared session, when there is a readable one.
pub fn load(namespace: &str) -> Option<SessionState> {
    let text = local_storage()?
        .get_item(&session_key(namespace))
        .ok()
        .flatten()?;
    let value = js_sys::JSON::parse(&text).ok()?;
    SessionState::parse(crate::convert::to_value(&value)).ok()
}

/// Shares `session` with the other tabs.
pub fn save(namespace: &str, session: &SessionState) -> Result<(), Error> {
    let Some(storage) = local_storage() else {
        return Ok(());
    };
    let failed = |detail: String| {
        Error::new(
            ErrorCode::StorageUnavailable,
            format!("the session could not be shared: {detail}"),
        )
    };
    let text = super::json_text(session).map_err(failed)?;
    storage
        .set_item(&session_key(namespace), &text)
        .map_err(|e| failed(describe_js_error(&e)))
}

/// Forgets the shared session.
pub fn remove(namespace: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&session_key(namespace));
    }
}
