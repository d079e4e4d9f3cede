//! Where the consent record lives: `localStorage` (one key per namespace), or memory.
//!
//! The record is kept even without `storage` consent, because remembering a refusal is
//! necessary; that is why it is not in IndexedDB, where nothing is created before `storage`
//! is granted. `localStorage` also tells other tabs (the `storage` event), which is how a
//! choice made in one tab reaches the others.

use super::describe_js_error;
use hearth_core::consent::record::ConsentRecord;
use hearth_core::{Error, ErrorCode};

/// The key of a namespace's record.
pub fn record_key(namespace: &str) -> String {
    format!("hearth:{namespace}:consent")
}

/// A consent record store.
pub enum ConsentStore {
    /// `localStorage`, under [`record_key`].
    Local {
        /// The `localStorage` object.
        storage: web_sys::Storage,
        /// The key.
        key: String,
    },
    /// Nothing outlives the page (`storage: 'memory'`, Node, or `localStorage` unavailable).
    Memory,
}

impl ConsentStore {
    /// `localStorage` when `persistent` and available; otherwise memory, with the reason.
    pub fn open(namespace: &str, persistent: bool) -> (ConsentStore, Option<Error>) {
        if !persistent {
            return (ConsentStore::Memory, None);
        }
        let Some(window) = super::window() else {
            return (ConsentStore::Memory, None);
        };
        match window.local_storage() {
            Ok(Some(storage)) => {
                let key = record_key(namespace);
                (ConsentStore::Local { storage, key }, None)
            }
            Ok(None) => (
                ConsentStore::Memory,
                Some(unavailable("localStorage is not available")),
            ),
            Err(thrown) => (
                ConsentStore::Memory,
                Some(unavailable(&describe_js_error(&thrown))),
            ),
        }
    }

    /// The key other tabs' `storage` events carry, when there is one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConsentStore::Local { key, .. } => Some(key),
            ConsentStore::Memory => None,
        }
    }

    /// The stored record: empty when there is none; an error (and an empty record) when it
    /// cannot be read or parsed, so a corrupt record never blocks the SDK.
    pub fn load(&self) -> (ConsentRecord, Option<Error>) {
        let ConsentStore::Local { storage, key } = self else {
            return (ConsentRecord::new(), None);
        };
        match storage.get_item(key) {
            Ok(Some(text)) => match parse_record(&text) {
                Ok(record) => (record, None),
                Err(error) => (ConsentRecord::new(), Some(error)),
            },
            Ok(None) => (ConsentRecord::new(), None),
            Err(thrown) => (
                ConsentRecord::new(),
                Some(unavailable(&describe_js_error(&thrown))),
            ),
        }
    }

    /// Writes the record; failures (quota, blocked storage) are reported, not thrown.
    pub fn save(&self, record: &ConsentRecord) -> Result<(), Error> {
        let ConsentStore::Local { storage, key } = self else {
            return Ok(());
        };
        let text = record_json(record)?;
        storage
            .set_item(key, &text)
            .map_err(|thrown| unavailable(&describe_js_error(&thrown)))
    }
}

/// Reads a record from its stored JSON text.
pub fn parse_record(text: &str) -> Result<ConsentRecord, Error> {
    let corrupt = |detail: String| {
        let message =
            format!("the stored consent record was unreadable and has been reset ({detail})");
        Error::new(ErrorCode::CorruptData, message)
    };
    let value = super::parse_json_text(text).map_err(corrupt)?;
    ConsentRecord::parse(value).map_err(|e| corrupt(e.to_string()))
}

fn record_json(record: &ConsentRecord) -> Result<String, Error> {
    super::json_text(record).map_err(|detail| {
        Error::new(
            ErrorCode::Internal,
            format!("could not encode the consent record: {detail}"),
        )
    })
}

fn unavailable(detail: &str) -> Error {
    Error::new(
        ErrorCode::StorageUnavailable,
        format!("the consent record is kept in memory for this page only: {detail}"),
    )
}
