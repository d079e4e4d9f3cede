//! The namespace's IndexedDB database (schema 2), as futures over raw `web-sys`.
//!
//! Every request and transaction becomes a future through two event listeners that are
//! removed when the future is dropped. Only the upgrade handler is handed to JavaScript to
//! own, so that an upgrade runs whole even if the opening future is dropped.
//! `docs/storage.md` is the schema's contract.

use super::envelope;
use gloo_events::EventListener;
use js_sys::{Array, Reflect};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Event, EventTarget, IdbDatabase, IdbFactory, IdbKeyRange, IdbOpenDbRequest, IdbRequest,
    IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent,
};

/// The schema version this code opens, creating or upgrading to it.
pub const SCHEMA_VERSION: u32 = 2;

/// Store `meta`: keys `rev`, `key` and `swept`.
pub const META: &str = "meta";
/// Store `consent`: key `record`.
pub const CONSENT: &str = "consent";
/// Store `profiles`: key `household`.
pub const PROFILES: &str = "profiles";
/// Store `model`: key `model`.
pub const MODEL: &str = "model";
/// Store `decisions`: keys `<16-digit ms>:<id>`.
pub const DECISIONS: &str = "decisions";
/// Store `events`: keys `<16-digit ms>:<tab>:<seq>`.
pub const EVENTS: &str = "events";
/// Every store of schema 2.
pub const STORES: [&str; 6] = [META, CONSENT, PROFILES, MODEL, DECISIONS, EVENTS];

/// The revision's key in `meta`.
pub const REV: &str = "rev";
/// The household's key in `profiles`.
pub const HOUSEHOLD_KEY: &str = "household";
/// The model's key in `model`.
pub const MODEL_KEY: &str = "model";
/// The consent record's key in `consent`.
pub const CONSENT_KEY: &str = "record";
/// The name of the error [`open`] fails with when there is no IndexedDB.
const UNAVAILABLE: &str = "IndexedDbUnavailable";

/// One change of a [`Database::write`].
#[derive(Clone)]
pub enum WriteOp {
    /// Puts `value` under `key`.
    Put {
        /// The object store.
        store: &'static str,
        /// The key.
        key: String,
        /// The value (an envelope, or a number in `meta`).
        value: JsValue,
    },
    /// Deletes `key`.
    Delete {
        /// The object store.
        store: &'static str,
        /// The key.
        key: String,
    },
    /// Deletes every key below `key` (key order).
    DeleteBefore {
        /// The object store.
        store: &'static str,
        /// The first key kept.
        key: String,
    },
    /// Deletes every key of the store except the newest `keep` (key order).
    KeepNewest {
        /// The object store.
        store: &'static str,
        /// How many of the newest keys are kept.
        keep: u32,
    },
    /// Deletes every key of the store.
    Clear {
        /// The object store.
        store: &'static str,
    },
}

impl WriteOp {
    fn store(&self) -> &'static str {
        match self {
            WriteOp::Put { store, .. }
            | WriteOp::Delete { store, .. }
            | WriteOp::DeleteBefore { store, .. }
            | WriteOp::KeepNewest { store, .. }
            | WriteOp::Clear { store } => store,
        }
    }
}

/// How a [`Database::write`] ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WriteOutcome {
    /// Committed; `rev` is the stored revision now (bumped when a revision was expected).
    Written {
        /// The stored revision after the write.
        rev: f64,
    },
    /// Another writer moved the revision: nothing was written.
    Conflict {
        /// The revision found.
        stored_rev: f64,
    },
}

/// Whether `thrown` is a `QuotaExceededError`.
pub fn is_quota_error(thrown: &JsValue) -> bool {
    error_name(thrown).as_deref() == Some("QuotaExceededError")
}

/// Whether `thrown` is the error [`open`] fails with at once when there is no IndexedDB.
pub fn is_unavailable(thrown: &JsValue) -> bool {
    error_name(thrown).as_deref() == Some(UNAVAILABLE)
}

fn error_name(thrown: &JsValue) -> Option<String> {
    Reflect::get(thrown, &"name".into()).ok()?.as_string()
}

fn error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}

/// An open connection to a database of schema 2. Dropping it closes the connection.
pub struct Database {
    db: IdbDatabase,
    on_version_change: Cell<Option<EventListener>>,
}

/// Opens the database `name` at [`SCHEMA_VERSION`], creating it or upgrading it (from schema
/// 1, the records of store `state` move into `profiles` and `model` as plain envelopes).
/// `on_blocked` is called if another connection (another tab) holds an older version open;
/// the future then completes once that connection closes. Fails at once, with an error that
/// [`is_unavailable`] recognises, when there is no IndexedDB (missing, or throwing as in some
/// private modes); otherwise with the thrown value or the request's `DOMException`.
pub async fn open(name: &str, mut on_blocked: impl FnMut() + 'static) -> Result<Database, JsValue> {
    let factory = Reflect::get(&js_sys::global(), &"indexedDB".into())
        .ok()
        .and_then(|factory| factory.dyn_into::<IdbFactory>().ok())
        .ok_or_else(|| error(UNAVAILABLE, "IndexedDB is not available"))?;
    let open = factory.open_with_u32(name, SCHEMA_VERSION)?;
    // Owned by JavaScript (freed with the request): the upgrade must run even if this future
    // is dropped, or the database would be left at version 2 without its stores.
    let upgrade = {
        let open = open.clone();
        Closure::once_into_js(move |event: IdbVersionChangeEvent| {
            if upgrade(&open, event.old_version()).is_err() {
                if let Some(tx) = open.transaction() {
                    let _ = tx.abort();
                }
            }
        })
    };
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let _blocked = EventListener::new(&open, "blocked", move |_| on_blocked());
    let db = request(&open).await?;
    Ok(Database {
        // The result of a successful open request is always an IDBDatabase.
        db: db.unchecked_into(),
        on_version_change: Cell::new(None),
    })
}

/// Creates the stores missing from schema 2 and, from schema 1, moves `state`'s records.
fn upgrade(open: &IdbOpenDbRequest, old_version: f64) -> Result<(), JsValue> {
    // During `upgradeneeded` the result is the IDBDatabase being upgraded.
    let db: IdbDatabase = open.result()?.unchecked_into();
    let names = db.object_store_names();
    for store in STORES {
        if !names.contains(store) {
            db.create_object_store(store)?;
        }
    }
    if old_version != 1.0 || !names.contains("state") {
        return Ok(());
    }
    let tx = open.transaction().ok_or(JsValue::NULL)?;
    let state = tx.object_store("state")?;
    let household = state.get(&HOUSEHOLD_KEY.into())?;
    let model = state.get(&MODEL_KEY.into())?;
    // Requests complete in order: when `model` succeeds, `household` has. An error aborts the
    // upgrade transaction (and so the open) by itself.
    let moved = {
        let (tx, model) = (tx.clone(), model.clone());
        Closure::once_into_js(move |_: Event| {
            if move_state(&db, &tx, &household, &model).is_err() {
                let _ = tx.abort();
            }
        })
    };
    model.set_onsuccess(Some(moved.unchecked_ref()));
    Ok(())
}

fn move_state(
    db: &IdbDatabase,
    tx: &IdbTransaction,
    household: &IdbRequest,
    model: &IdbRequest,
) -> Result<(), JsValue> {
    for (read, store, key) in [
        (household, PROFILES, HOUSEHOLD_KEY),
        (model, MODEL, MODEL_KEY),
    ] {
        if let Some(text) = read.result()?.as_string() {
            tx.object_store(store)?
                .put_with_key(&envelope::plain(&text), &key.into())?;
        }
    }
    db.delete_object_store("state")
}

impl Database {
    /// Calls `f` when another connection (another tab) wants to upgrade or delete the
    /// database (with the new version, `None` for a deletion); `f` should [`close`](Self::close)
    /// this one. Replaces the previous handler.
    pub fn set_on_version_change(&self, mut f: impl FnMut(Option<f64>) + 'static) {
        let listener = EventListener::new(&self.db, "versionchange", move |event| {
            // `newVersion` is null when the other tab deletes the database.
            let new_version = event
                .dyn_ref::<web_sys::IdbVersionChangeEvent>()
                .and_then(|e| e.new_version());
            f(new_version)
        });
        self.on_version_change.set(Some(listener));
    }

    /// Closes the connection (transactions already started still finish).
    pub fn close(&self) {
        self.db.close();
    }

    /// The underlying connection.
    pub fn idb(&self) -> &IdbDatabase {
        &self.db
    }

    /// The value under `key` in `store`; `None` when absent.
    pub async fn get(&self, store: &str, key: &str) -> Result<Option<JsValue>, JsValue> {
        let tx = self.db.transaction_with_str(store)?;
        let value = request(&tx.object_store(store)?.get(&key.into())?).await?;
        Ok((!value.is_undefined()).then_some(value))
    }

    /// Every (key, value) pair of `store`, in key order, read in one transaction (keys that
    /// are not strings, which this schema never writes, are skipped).
    pub async fn entries(&self, store: &str) -> Result<Vec<(String, JsValue)>, JsValue> {
        let tx = self.db.transaction_with_str(store)?;
        let object_store = tx.object_store(store)?;
        let keys = request(&object_store.get_all_keys()?);
        let values = request(&object_store.get_all()?);
        // getAllKeys and getAll always result in arrays.
        let keys: Array = keys.await?.unchecked_into();
        let values: Array = values.await?.unchecked_into();
        Ok(keys
            .iter()
            .zip(values.iter())
            .filter_map(|(key, value)| Some((key.as_string()?, value)))
            .collect())
    }

    /// Applies `ops` in order in one atomic readwrite transaction (over the stores they touch
    /// and `meta`). With `expect_rev`, the stored revision (absent = 0) must equal it, else
    /// nothing is written and the outcome is [`WriteOutcome::Conflict`]; when it does, the
    /// revision is bumped by one. Without, the revision is left as it is. Resolves once the
    /// transaction has committed; fails with the thrown value or the transaction's error
    /// (e.g. a `QuotaExceededError`, see [`is_quota_error`]).
    pub async fn write(
        &self,
        ops: &[WriteOp],
        expect_rev: Option<f64>,
    ) -> Result<WriteOutcome, JsValue> {
        let stores = Array::of1(&META.into());
        for op in ops {
            let store = JsValue::from(op.store());
            if !stores.includes(&store, 0) {
                stores.push(&store);
            }
        }
        let tx = self
            .db
            .transaction_with_str_sequence_and_mode(&stores, IdbTransactionMode::Readwrite)?;
        let done = transaction(&tx);
        match apply(&tx, ops, expect_rev).await {
            Ok(written @ WriteOutcome::Written { .. }) => done.await.map(|_| written),
            other => {
                // A conflict or a failed op: nothing of this transaction may land.
                let _ = tx.abort();
                other
            }
        }
    }

    /// Adds `value` under `key` only if the key is absent: `Ok(false)` when it was present
    /// (so two tabs never replace each other's value).
    pub async fn add_if_absent(
        &self,
        store: &str,
        key: &str,
        value: &JsValue,
    ) -> Result<bool, JsValue> {
        let tx = self
            .db
            .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)?;
        let done = transaction(&tx);
        tx.object_store(store)?.add_with_key(value, &key.into())?;
        match done.await {
            Ok(_) => Ok(true),
            Err(thrown) if error_name(&thrown).as_deref() == Some("ConstraintError") => Ok(false),
            Err(thrown) => Err(thrown),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        self.db.close();
    }
}

/// Reads the revision, checks it, issues `ops` and the new revision. Every continuation runs
/// in a microtask right after a request's success event, while the transaction is active.
async fn apply(
    tx: &IdbTransaction,
    ops: &[WriteOp],
    expect_rev: Option<f64>,
) -> Result<WriteOutcome, JsValue> {
    let meta = tx.object_store(META)?;
    let stored_rev = request(&meta.get(&REV.into())?)
        .await?
        .as_f64()
        .unwrap_or(0.0);
    if expect_rev.is_some_and(|expected| expected != stored_rev) {
        return Ok(WriteOutcome::Conflict { stored_rev });
    }
    for op in ops {
        let store = tx.object_store(op.store())?;
        match op {
            WriteOp::Put { key, value, .. } => {
                store.put_with_key(value, &key.into())?;
            }
            WriteOp::Delete { key, .. } => {
                store.delete(&key.into())?;
            }
            WriteOp::DeleteBefore { key, .. } => {
                let below = IdbKeyRange::upper_bound_with_open(&key.into(), true)?;
                store.delete(&below)?;
            }
            WriteOp::KeepNewest { keep, .. } => {
                // getAllKeys always results in an array.
                let keys: Array = request(&store.get_all_keys()?).await?.unchecked_into();
                let excess = keys.length().saturating_sub(*keep);
                if excess > 0 {
                    let oldest = IdbKeyRange::upper_bound(&keys.get(excess - 1))?;
                    store.delete(&oldest)?;
                }
            }
            WriteOp::Clear { .. } => {
                store.clear()?;
            }
        }
    }
    let rev = match expect_rev {
        Some(expected) => {
            meta.put_with_key(&(expected + 1.0).into(), &REV.into())?;
            expected + 1.0
        }
        None => stored_rev,
    };
    Ok(WriteOutcome::Written { rev })
}

type Outcome = Result<JsValue, JsValue>;

/// Where the first of two events leaves its outcome for [`Settled`].
#[derive(Default)]
struct Slot {
    outcome: Cell<Option<Outcome>>,
    waker: Cell<Option<Waker>>,
}

/// Completes with the outcome of the first of two events (success or failure) on a request
/// or transaction. Its listeners are removed when it is dropped.
struct Settled {
    slot: Rc<Slot>,
    _listeners: [EventListener; 2],
}

impl Future for Settled {
    type Output = Outcome;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        match self.slot.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                self.slot.waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

/// Listens for `ok` and `failed` on `target`; `read(true)` / `read(false)` makes the outcome.
fn settled(
    target: &EventTarget,
    ok: &'static str,
    failed: &'static str,
    read: impl Fn(bool) -> Outcome + 'static,
) -> Settled {
    let slot = Rc::new(Slot::default());
    let read = Rc::new(read);
    let listen = |event: &'static str, success: bool| {
        let (slot, read) = (slot.clone(), read.clone());
        EventListener::new(target, event, move |_| {
            slot.outcome.set(Some(read(success)));
            if let Some(waker) = slot.waker.take() {
                waker.wake();
            }
        })
    };
    let listeners = [listen(ok, true), listen(failed, false)];
    Settled {
        slot,
        _listeners: listeners,
    }
}

/// The request's result, or its error.
fn request(req: &IdbRequest) -> Settled {
    let r = req.clone();
    settled(req, "success", "error", move |ok| {
        if ok {
            r.result()
        } else {
            Err(r
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from))
        }
    })
}

/// Completes when the transaction commits; fails with its error when it aborts (a failed
/// request aborts it unless handled, so `abort` covers `error` too).
fn transaction(tx: &IdbTransaction) -> Settled {
    let t = tx.clone();
    settled(tx, "complete", "abort", move |ok| {
        if ok {
            Ok(JsValue::UNDEFINED)
        } else {
            Err(t.error().map_or_else(
                || error("AbortError", "the transaction was aborted"),
                JsValue::from,
            ))
        }
    })
}
