//! Keeping the visitor's data in IndexedDB while `storage` allows it: loading it at start,
//! writing changes in batches, merging what other tabs wrote, retention, and the faults.
//!
//! Writes are batched: the first change after a quiet spell arms a timer of
//! [`FLUSH_DELAY_MS`], so an active page writes at most one transaction per interval, and
//! the page becoming hidden or being hidden for good (`pagehide`) writes at once. Each write
//! is one transaction that checks the stored revision first; when another tab wrote since
//! this one last read, the newer state is read and this tab's journal is replayed onto it
//! before writing again ([`crate::persist`]). Every write is announced on a
//! `BroadcastChannel`, so other tabs take it in soon after.
//!
//! Faults never stop the SDK: without IndexedDB (or when it fails) the data lives in memory
//! for the page and an `error` event `storage_unavailable` says so; a record that cannot be
//! decrypted or read is reset with an `error` event `corrupt_data`, the others kept; when
//! the quota is exceeded the oldest decisions go first, then the captured events.

use super::error::JsError;
use super::instance::Inner;
use super::to_js;
use crate::bandit::snapshot;
use crate::persist::{timed_key, timed_key_floor};
use crate::profile::windows::DAY_MS;
use crate::profile::Profiles;
use crate::time::Millis;
use crate::web::erase::database_name;
use crate::web::store::crypto;
use crate::web::store::idb::{
    is_quota_error, Database, WriteOp, WriteOutcome, CONSENT, CONSENT_KEY, DECISIONS, EVENTS,
    HOUSEHOLD_KEY, META, MODEL, MODEL_KEY, PROFILES, REV,
};
use crate::web::writer::WriterLock;
use crate::web::{describe_js_error, json_text, parse_json_text};
use crate::{Error, ErrorCode};
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

/// How long after a change the batch is written, in milliseconds.
pub const FLUSH_DELAY_MS: f64 = 2_000.0;
/// Tries of one write against other tabs' writes before giving up until the next batch.
const MAX_WRITE_ATTEMPTS: u32 = 5;
/// Decisions and captured events kept in the database.
const KEPT_DECISIONS: u32 = crate::log::MAX_LOGGED_DECISIONS as u32;
const KEPT_EVENTS: u32 = crate::capture::KEPT_EVENTS as u32;

/// Where the database is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Not opened (storage not allowed, or erased).
    Closed,
    /// Being opened.
    Opening,
    /// Open and loaded.
    Open,
    /// IndexedDB failed: the data lives in memory for this page.
    Unavailable,
}

/// The channel other tabs announce their writes on, and its listener.
type Channel = (
    web_sys::BroadcastChannel,
    Closure<dyn FnMut(web_sys::MessageEvent)>,
);

/// One instance's connection to its database and the state of its writes.
pub(super) struct Persistence {
    namespace: String,
    encrypt: bool,
    status: Cell<Status>,
    db: RefCell<Option<Rc<Database>>>,
    key: RefCell<Option<web_sys::CryptoKey>>,
    /// The stored revision this tab's state is based on.
    known_rev: Cell<f64>,
    /// A record read since the last load could not be: it is rewritten by the next write.
    found_corrupt: Cell<bool>,
    /// Bumped by every `close`: a task started before it gives up instead of acting on the
    /// store opened after.
    epoch: Cell<u32>,
    /// Held by the one load, write, forget or erase under way; `again` asks the write loop
    /// to run once more when done.
    lock: WriterLock,
    again: Cell<bool>,
    /// A write is scheduled.
    armed: Cell<bool>,
    /// This page's id in event keys, and the events it numbered.
    tab: String,
    event_seq: Cell<u32>,
    /// When retention last ran.
    swept_at: Cell<Option<Millis>>,
    channel: RefCell<Option<Channel>>,
    page_listeners: RefCell<Vec<EventListener>>,
    /// `ready()` promises waiting for the first load.
    waiting: RefCell<Vec<js_sys::Function>>,
    loaded: Cell<bool>,
}

impl Persistence {
    /// Nothing opened yet.
    pub fn new(namespace: &str, encrypt: bool, tab: String) -> Self {
        Persistence {
            namespace: namespace.to_owned(),
            encrypt,
            status: Cell::new(Status::Closed),
            db: RefCell::new(None),
            key: RefCell::new(None),
            known_rev: Cell::new(0.0),
            epoch: Cell::new(0),
            found_corrupt: Cell::new(false),
            lock: WriterLock::default(),
            again: Cell::new(false),
            armed: Cell::new(false),
            tab,
            event_seq: Cell::new(0),
            swept_at: Cell::new(None),
            channel: RefCell::new(None),
            page_listeners: RefCell::new(Vec::new()),
            waiting: RefCell::new(Vec::new()),
            loaded: Cell::new(false),
        }
    }

    /// Whether the data is kept only in memory because IndexedDB failed.
    pub fn is_unavailable(&self) -> bool {
        self.status.get() == Status::Unavailable
    }

    /// Closes the database and stops listening (destroy, or before erasing).
    pub fn close(&self) {
        self.epoch.set(self.epoch.get().wrapping_add(1));
        self.status.set(Status::Closed);
        self.armed.set(false);
        if let Some(db) = self.db.borrow_mut().take() {
            db.close();
        }
        self.key.borrow_mut().take();
        if let Some((channel, listener)) = self.channel.borrow_mut().take() {
            // Unhooked before the closure goes: a message already queued may still be
            // dispatched after `close`, and must not call a dropped closure.
            channel.set_onmessage(None);
            channel.close();
            drop(listener);
        }
        self.page_listeners.borrow_mut().clear();
        self.known_rev.set(0.0);
    }

    fn settle_waiting(&self) {
        self.loaded.set(true);
        for resolve in self.waiting.take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

impl Inner {
    /// Opens the database and takes in what it holds, when storage is enabled and it is not
    /// open yet. Safe to call at any time (after a consent grant, a write, a reload).
    pub fn start_storage(self: &Rc<Self>) {
        let enabled = self.with_engine(|e| e.storage_enabled()).unwrap_or(false);
        let p = &self.persistence;
        if !enabled || p.status.get() != Status::Closed {
            if !enabled || p.status.get() == Status::Unavailable {
                p.settle_waiting();
            }
            return;
        }
        p.status.set(Status::Opening);
        p.loaded.set(false);
        let _ = self.with_engine(|e| e.set_journaling(true));
        let inner = self.clone();
        let epoch = p.epoch.get();
        spawn_local(async move {
            match open_and_load(&inner).await {
                Ok(false) => {}
                Ok(true) => {
                    inner.listen_to_other_writes();
                    inner.listen_to_page_hiding();
                    inner.refresh_segments();
                    if inner
                        .with_engine(|e| e.has_unwritten_changes())
                        .unwrap_or(false)
                    {
                        inner.schedule_flush();
                    }
                }
                // A failure of an open that was overtaken (erased meanwhile) is not this
                // store's.
                Err(_) if inner.persistence.epoch.get() != epoch => {}
                Err(thrown) => inner.storage_failed(&thrown),
            }
            inner.persistence.settle_waiting();
        });
    }

    /// Closes the database for good (storage revoked): nothing waits to be written.
    pub fn close_storage(&self) {
        self.persistence.close();
        let _ = self.with_engine(|e| e.set_journaling(false));
    }

    /// A promise that resolves once stored data was read (or found unavailable).
    pub fn storage_ready(&self) -> js_sys::Promise {
        let p = &self.persistence;
        let pending = matches!(p.status.get(), Status::Opening) && !p.loaded.get();
        if !pending {
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        }
        js_sys::Promise::new(&mut |resolve, _| p.waiting.borrow_mut().push(resolve))
    }

    fn storage_failed(&self, thrown: &JsError) {
        let p = &self.persistence;
        if p.status.get() == Status::Closed {
            return; // erased or destroyed meanwhile
        }
        if let Some(db) = p.db.borrow_mut().take() {
            db.close();
        }
        let _ = self.with_engine(|e| e.set_journaling(false));
        if p.status.replace(Status::Unavailable) != Status::Unavailable {
            self.emit_error(Error::new(
                ErrorCode::StorageUnavailable,
                format!(
                    "IndexedDB cannot be used ({}); the profile is kept in memory for this page only",
                    describe_js_error(thrown.value())
                ),
            ));
        }
    }

    /// After a change: write it with the next batch.
    pub fn schedule_flush(self: &Rc<Self>) {
        let p = &self.persistence;
        if p.status.get() == Status::Closed {
            // Let go of for another tab's upgrade, or never opened: open it (it writes once
            // loaded) when storage is enabled.
            return self.start_storage();
        }
        if p.status.get() != Status::Open || p.armed.replace(true) {
            return;
        }
        let weak = Rc::downgrade(self);
        let fire = Closure::once_into_js(move || {
            if let Some(inner) = weak.upgrade() {
                inner.persistence.armed.set(false);
                inner.flush();
            }
        });
        let set = crate::web::window().map(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                fire.unchecked_ref(),
                FLUSH_DELAY_MS as i32,
            )
        });
        if !matches!(set, Some(Ok(_))) {
            p.armed.set(false);
        }
    }

    /// Writes what changed now.
    pub fn flush(self: &Rc<Self>) {
        let p = &self.persistence;
        if p.status.get() != Status::Open {
            return;
        }
        if !p.lock.try_acquire() {
            p.again.set(true);
            return;
        }
        let inner = self.clone();
        spawn_local(async move {
            loop {
                inner.persistence.again.set(false);
                if let Err(thrown) = write_changes(&inner).await {
                    inner.storage_failed(&thrown);
                }
                if !inner.persistence.again.get() || inner.persistence.status.get() != Status::Open
                {
                    break;
                }
            }
            inner.persistence.lock.release();
        });
    }

    /// Writes what changed, then resolves (`profile.export` reads after it).
    pub async fn flush_and_wait(self: &Rc<Self>) {
        let p = &self.persistence;
        acquire(p).await;
        if p.status.get() == Status::Open {
            if let Err(thrown) = write_changes(self).await {
                self.storage_failed(&thrown);
            }
        }
        self.release();
    }

    /// Ends a write or load; a flush asked for meanwhile (the page hidden, the timer) runs now.
    fn release(self: &Rc<Self>) {
        self.persistence.lock.release();
        if self.persistence.again.replace(false) {
            self.flush();
        }
    }

    /// Emits a `segment` event when the active profile's segments changed.
    pub fn refresh_segments(&self) {
        let now = super::now();
        if let Ok(Some(segments)) = self.with_engine(|e| e.refresh_segments(now)) {
            if let Ok(payload) = to_js(&segments) {
                self.emit("segment", &payload);
            }
        }
    }

    /// Deletes stored records a revoked purpose covered.
    pub fn forget_stored(self: &Rc<Self>, personalization: bool, events: bool) {
        let Some(db) = self.persistence.db.borrow().clone() else {
            return;
        };
        let mut ops = Vec::new();
        if personalization {
            ops.extend([PROFILES, MODEL, DECISIONS].map(|store| WriteOp::Clear { store }));
        }
        if events {
            ops.push(WriteOp::Clear { store: EVENTS });
        }
        let inner = self.clone();
        spawn_local(async move {
            // After any write under way, which may carry what is being forgotten.
            acquire(&inner.persistence).await;
            if let Err(thrown) = db.write(&ops, None).await {
                inner.storage_failed(&thrown.into());
            }
            inner.release();
        });
    }

    fn listen_to_other_writes(self: &Rc<Self>) {
        let Ok(channel) = web_sys::BroadcastChannel::new(&database_name(&self.namespace)) else {
            return;
        };
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |message: web_sys::MessageEvent| {
                let Some(inner) = weak.upgrade() else { return };
                let rev = message.data().as_f64().unwrap_or(0.0);
                if rev > inner.persistence.known_rev.get() {
                    inner.take_in_other_writes();
                }
            },
        );
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        *self.persistence.channel.borrow_mut() = Some((channel, on_message));
    }

    /// Another tab wrote, or personalization was just granted: read the stored state and
    /// replay this tab's unwritten changes on top.
    pub fn take_in_other_writes(self: &Rc<Self>) {
        let Some(db) = self.persistence.db.borrow().clone() else {
            return;
        };
        let inner = self.clone();
        spawn_local(async move {
            // Never alongside a write: a write checks against the revision its state was
            // taken at, and a load moving the known revision under it would hide a conflict.
            acquire(&inner.persistence).await;
            if inner.persistence.status.get() == Status::Open {
                match load(&inner, &db).await {
                    Ok(()) => inner.refresh_segments(),
                    Err(thrown) => inner.storage_failed(&thrown),
                }
            }
            inner.release();
        });
    }

    fn listen_to_page_hiding(self: &Rc<Self>) {
        let Some(window) = crate::web::window() else {
            return;
        };
        let mut listeners = Vec::new();
        let weak = Rc::downgrade(self);
        listeners.push(EventListener::new(&window, "pagehide", move |_| {
            if let Some(inner) = weak.upgrade() {
                inner.flush();
            }
        }));
        if let Some(document) = window.document() {
            let weak = Rc::downgrade(self);
            let hidden = document.clone();
            listeners.push(EventListener::new(
                &document,
                "visibilitychange",
                move |_| {
                    if hidden.visibility_state() == web_sys::VisibilityState::Hidden {
                        if let Some(inner) = weak.upgrade() {
                            inner.flush();
                        }
                    }
                },
            ));
        }
        *self.persistence.page_listeners.borrow_mut() = listeners;
    }

    /// `profile.erase()`: forgets everything but the consent record, here and stored, then
    /// starts an empty store again.
    pub async fn erase_profile(self: &Rc<Self>) -> Result<(), JsError> {
        // After any write under way (its mark must not clear the new, empty state's changes).
        acquire(&self.persistence).await;
        let erased = self.with_engine(|e| e.erase_profile_data());
        let was_open = !matches!(self.persistence.status.get(), Status::Closed);
        self.persistence.close();
        self.persistence.lock.release();
        erased?;
        wasm_bindgen_futures::JsFuture::from(crate::web::erase::erase_stored_data(&self.namespace))
            .await?;
        self.refresh_segments();
        if was_open {
            self.start_storage();
        }
        Ok(())
    }

    /// Everything stored about the visitor, read back: the raw captured events and decision
    /// log lines as stored (parsed), for `profile.export()`.
    pub async fn stored_entries(self: &Rc<Self>) -> Result<(JsValue, JsValue), JsError> {
        wasm_bindgen_futures::JsFuture::from(self.storage_ready()).await?;
        self.flush_and_wait().await;
        let db = self.persistence.db.borrow().clone();
        let Some(db) = db else {
            return Ok((JsValue::NULL, JsValue::NULL));
        };
        let key = self.persistence.key.borrow().clone();
        let mut lists = Vec::new();
        for store in [DECISIONS, EVENTS] {
            let list = js_sys::Array::new();
            for (name, envelope) in db.entries(store).await? {
                match crypto::open(key.as_ref(), &envelope).await {
                    Ok(text) => match js_sys::JSON::parse(&text) {
                        Ok(value) => {
                            list.push(&value);
                        }
                        Err(_) => self.report_corrupt(store, &name, "not JSON"),
                    },
                    Err(reason) => self.report_corrupt(store, &name, &reason),
                }
            }
            lists.push(JsValue::from(list));
        }
        let events = lists.pop().unwrap_or(JsValue::NULL);
        let decisions = lists.pop().unwrap_or(JsValue::NULL);
        Ok((decisions, events))
    }

    fn report_corrupt(&self, store: &str, key: &str, reason: &str) {
        self.persistence.found_corrupt.set(true);
        self.emit_error(Error::new(
            ErrorCode::CorruptData,
            format!("the stored record {store}/{key} could not be read ({reason}); it was reset"),
        ));
    }
}

/// Opens the database, reads the key and the stored state, and runs retention. `Ok(false)`
/// when the store was closed meanwhile (erased, destroyed, or let go for another tab).
async fn open_and_load(inner: &Rc<Inner>) -> Result<bool, JsError> {
    let p = &inner.persistence;
    let epoch = p.epoch.get();
    let weak = Rc::downgrade(inner);
    let db = crate::web::store::idb::open(&database_name(&p.namespace), move || {
        // Another tab holds the previous schema open: work in memory until it lets go.
        if let Some(inner) = weak.upgrade() {
            inner.persistence.settle_waiting();
        }
    })
    .await?;
    let db = Rc::new(db);
    let still_opening = || p.status.get() == Status::Opening && p.epoch.get() == epoch;
    if !still_opening() {
        db.close();
        return Ok(false);
    }
    let weak: Weak<Inner> = Rc::downgrade(inner);
    db.set_on_version_change(move |new_version| {
        // Another tab upgrades or deletes the database: let go of it at once (or it waits
        // for us); the next write opens it again. A deletion is another tab's erase (or
        // withdrawal): what this tab holds in memory goes too, or it would be written back.
        if let Some(inner) = weak.upgrade() {
            inner.persistence.close();
            if new_version.is_none() {
                let _ = inner.with_engine(|e| e.erase_profile_data());
                inner.refresh_segments();
            }
        }
    });
    // Held where `close` finds it from now on, so that erasing never waits for this open.
    *p.db.borrow_mut() = Some(db.clone());
    if p.encrypt {
        let key = crypto::load_or_create_key(&db).await?;
        if !still_opening() {
            return Ok(false);
        }
        *p.key.borrow_mut() = Some(key);
    }
    load(inner, &db).await?;
    if !still_opening() {
        return Ok(false);
    }
    p.status.set(Status::Open);
    sweep(inner, &db).await?;
    Ok(true)
}

/// Reads the stored household and model and merges them with this tab's state. The
/// revision is read first: a write landing between the reads makes the next write find a
/// newer revision and merge again, so nothing is lost.
async fn load(inner: &Rc<Inner>, db: &Database) -> Result<(), JsError> {
    let p = &inner.persistence;
    let rev = db
        .get(META, REV)
        .await?
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let household = read_record(inner, db, PROFILES, HOUSEHOLD_KEY).await?;
    let model = read_record(inner, db, MODEL, MODEL_KEY).await?;
    let now = super::now();
    let config = inner.with_engine(|e| e.options().profile)?;
    let household = household.and_then(|text| {
        let parsed = parse_json_text(&text)
            .and_then(|v| Profiles::parse(v, config).map_err(|e| e.to_string()));
        parsed
            .map_err(|reason| inner.report_corrupt(PROFILES, HOUSEHOLD_KEY, &reason))
            .ok()
    });
    let model = model.and_then(|text| {
        let parsed =
            parse_json_text(&text).and_then(|v| snapshot::import(v).map_err(|e| e.0.to_string()));
        parsed
            .map(|(_, model)| model)
            .map_err(|reason| inner.report_corrupt(MODEL, MODEL_KEY, &reason))
            .ok()
    });
    let corrupt = p.found_corrupt.replace(false);
    inner.with_engine(|e| {
        if let Some(personalization) = e.personalization_mut() {
            personalization.merge_stored(household, model, now);
            if corrupt {
                personalization.rewrite_all();
            }
        }
    })?;
    p.known_rev.set(rev);
    Ok(())
}

/// One record's text: `None` when absent, or unreadable (reported, and reset by the next
/// write, which overwrites it).
async fn read_record(
    inner: &Inner,
    db: &Database,
    store: &str,
    key: &str,
) -> Result<Option<String>, JsValue> {
    let Some(envelope) = db.get(store, key).await? else {
        return Ok(None);
    };
    let crypto_key = inner.persistence.key.borrow().clone();
    match crypto::open(crypto_key.as_ref(), &envelope).await {
        Ok(text) => Ok(Some(text)),
        Err(reason) => {
            inner.report_corrupt(store, key, &reason);
            Ok(None)
        }
    }
}

/// What one write carries, as text, before sealing.
struct Batch {
    mark: Option<crate::persist::JournalMark>,
    /// The household and model are written whole (not only because the journal moved).
    rewrote: bool,
    /// The stored revision the household and model were taken at: the write is checked
    /// against it, not against whatever this tab learned of the store since.
    base_rev: f64,
    household: Option<String>,
    model: Option<String>,
    consent: Option<String>,
}

/// What one write carries, as text, before sealing: the decisions and captured events
/// (separate records, written once whatever other tabs do) and the household, model and
/// consent record (`None` once the instance is gone).
struct Prepared {
    entries: Vec<(&'static str, String, String)>,
    batch: Option<Batch>,
}

/// Takes what waits to be written out of the engine, as text (synchronous, so that
/// `destroy` can take it before the engine goes). What cannot be serialized is reported.
fn prepare(inner: &Inner) -> Prepared {
    let p = &inner.persistence;
    let mut failures = 0usize;
    let entries = inner.with_engine(|engine| {
        let mut texts: Vec<(&'static str, String, String)> = Vec::new();
        for event in engine.take_unwritten_events() {
            let seq = p.event_seq.get().wrapping_add(1);
            p.event_seq.set(seq);
            match json_text(&event) {
                Ok(text) => texts.push((
                    EVENTS,
                    timed_key(event.at(), &format!("{}:{seq:06}", p.tab)),
                    text,
                )),
                Err(_) => failures += 1,
            }
        }
        if let Some(personalization) = engine.personalization_mut() {
            for decision in personalization.take_unwritten_decisions() {
                match json_text(&crate::log::dsjson::line(decision)) {
                    Ok(text) => texts.push((DECISIONS, timed_key(decision.at, &decision.id), text)),
                    Err(_) => failures += 1,
                }
            }
        }
        texts
    });
    if failures > 0 {
        inner.emit_error(serialization_error("captured events or logged decisions"));
    }
    Prepared {
        entries: entries.unwrap_or_default(),
        batch: gather(inner),
    }
}

fn serialization_error(what: &str) -> Error {
    Error::new(
        ErrorCode::Internal,
        format!("{what} could not be serialized for storage; they were not written"),
    )
}

/// The household, model and consent record to write, serialized: the consent record
/// always, the rest when personalization changed them. When the household or the model
/// cannot be serialized, the error is reported and the journal is left unwritten (no mark),
/// so that the next write tries again rather than counting the changes as written. `None`
/// once the instance is gone.
fn gather(inner: &Inner) -> Option<Batch> {
    let base_rev = inner.persistence.known_rev.get();
    let mut failed = false;
    let batch = inner
        .with_engine(|engine| {
            let consent = json_text(engine.consent_record()).ok();
            let mut batch = Batch {
                mark: None,
                rewrote: false,
                base_rev,
                household: None,
                model: None,
                consent,
            };
            if let Some(p) = engine
                .personalization_mut()
                .filter(|p| p.has_unwritten_changes())
            {
                let (household, model) = p.unwritten_records();
                let household = household.then(|| json_text(p.profiles()));
                let model = model.then(|| json_text(&p.export_model()));
                failed = matches!(household, Some(Err(_))) || matches!(model, Some(Err(_)));
                if !failed {
                    batch.mark = Some(p.journal_mark());
                    batch.rewrote = p.needs_rewrite();
                    batch.household = household.and_then(Result::ok);
                    batch.model = model.and_then(Result::ok);
                }
            }
            batch
        })
        .ok();
    if failed {
        inner.emit_error(serialization_error("the profiles or the model"));
    }
    batch
}

/// Writes the changes since the last write, merging with other tabs' writes as needed.
async fn write_changes(inner: &Rc<Inner>) -> Result<(), JsError> {
    let prepared = prepare(inner);
    commit(inner, prepared).await
}

/// Seals and writes what [`prepare`] took; on a conflict with another tab's write, reads
/// it, merges, and prepares the household and model again (while the instance lives).
async fn commit(inner: &Rc<Inner>, prepared: Prepared) -> Result<(), JsError> {
    let p = &inner.persistence;
    let Some(db) = p.db.borrow().clone() else {
        return Ok(());
    };
    let key = p.key.borrow().clone();
    let mut appended = Vec::with_capacity(prepared.entries.len() + 2);
    for (store, name, text) in prepared.entries {
        appended.push(WriteOp::Put {
            store,
            key: name,
            value: seal(key.as_ref(), &text).await?,
        });
    }
    let mut batch = prepared.batch;
    for _ in 0..MAX_WRITE_ATTEMPTS {
        let mut ops = appended.clone();
        let (mark, rewrote) = batch
            .as_ref()
            .map_or((None, false), |b| (b.mark, b.rewrote));
        if mark.is_none() && appended.is_empty() {
            return Ok(()); // nothing changed
        }
        let expect = batch.as_ref().map_or(p.known_rev.get(), |b| b.base_rev);
        if let Some(batch) = batch.take() {
            for (store, name, text) in [
                (PROFILES, HOUSEHOLD_KEY, batch.household),
                (MODEL, MODEL_KEY, batch.model),
                (CONSENT, CONSENT_KEY, batch.consent),
            ] {
                if let Some(text) = text {
                    ops.push(WriteOp::Put {
                        store,
                        key: name.to_owned(),
                        value: seal(key.as_ref(), &text).await?,
                    });
                }
            }
        }
        ops.push(WriteOp::KeepNewest {
            store: DECISIONS,
            keep: KEPT_DECISIONS,
        });
        ops.push(WriteOp::KeepNewest {
            store: EVENTS,
            keep: KEPT_EVENTS,
        });
        if p.status.get() != Status::Open {
            return Ok(()); // erased or destroyed while sealing
        }
        match write_within_quota(inner, &db, &ops, expect).await? {
            WriteOutcome::Written { rev } => {
                p.known_rev.set(rev);
                if let Some(mark) = mark {
                    let _ = inner
                        .with_engine(|e| e.personalization_mut().map(|p| p.written(mark, rewrote)));
                }
                if let Some((channel, _)) = p.channel.borrow().as_ref() {
                    let _ = channel.post_message(&JsValue::from(rev));
                }
                return sweep_if_due(inner, &db).await;
            }
            WriteOutcome::Conflict { stored_rev } => {
                if inner.with_engine(|_| ()).is_err() {
                    // Destroyed: the household cannot be merged any more; the appended
                    // records are still written.
                    p.known_rev.set(stored_rev);
                    continue;
                }
                load(inner, &db).await?;
                inner.refresh_segments();
                batch = gather(inner);
            }
        }
    }
    // Other tabs kept writing first: the decisions and events (records of their own, which
    // never conflict) are written anyway; the household and model wait for the next write.
    if !appended.is_empty() {
        db.write(&appended, None).await?;
    }
    Ok(())
}

async fn seal(key: Option<&web_sys::CryptoKey>, text: &str) -> Result<JsValue, JsError> {
    match key {
        Some(key) => Ok(crypto::seal(key, text).await?),
        None => Ok(crypto::plain(text)),
    }
}

/// Writes `ops` against the known revision; when the quota is exceeded, drops the oldest
/// stored decisions (then captured events) and tries again.
async fn write_within_quota(
    inner: &Inner,
    db: &Database,
    ops: &[WriteOp],
    expect: f64,
) -> Result<WriteOutcome, JsError> {
    loop {
        match db.write(ops, Some(expect)).await {
            Err(thrown) if is_quota_error(&thrown) => {
                let mut freed = false;
                for store in [DECISIONS, EVENTS] {
                    let stored = db.entries(store).await?.len() as u32;
                    if stored > 0 {
                        let keep = stored / 2;
                        db.write(&[WriteOp::KeepNewest { store, keep }], None)
                            .await?;
                        inner.emit_error(Error::new(
                            ErrorCode::StorageUnavailable,
                            format!("the storage quota is exceeded: the oldest stored {store} were dropped, {keep} kept"),
                        ));
                        freed = true;
                        break;
                    }
                }
                if !freed {
                    return Err(thrown.into());
                }
            }
            other => return Ok(other?),
        }
    }
}

/// Retention when it last ran more than a day ago.
async fn sweep_if_due(inner: &Rc<Inner>, db: &Database) -> Result<(), JsError> {
    let due = inner
        .persistence
        .swept_at
        .get()
        .is_none_or(|at| super::now().0.saturating_sub(at.0) >= DAY_MS);
    if due {
        sweep(inner, db).await?;
    }
    Ok(())
}

/// Retention: forgets what is older than `retentionDays`, in memory and stored.
async fn sweep(inner: &Rc<Inner>, db: &Database) -> Result<(), JsError> {
    let now = super::now();
    let days = inner.with_engine(|e| e.options().retention_days)?;
    let cutoff = Millis(now.0.saturating_sub(u64::from(days) * DAY_MS));
    inner.persistence.swept_at.set(Some(now));
    let forgot = inner.with_engine(|e| {
        e.personalization_mut()
            .is_some_and(|p| p.forget_before(cutoff))
    })?;
    let floor = timed_key_floor(cutoff);
    let ops = [
        WriteOp::DeleteBefore {
            store: DECISIONS,
            key: floor.clone(),
        },
        WriteOp::DeleteBefore {
            store: EVENTS,
            key: floor,
        },
        WriteOp::Put {
            store: META,
            key: "swept".to_owned(),
            value: JsValue::from(now.0 as f64),
        },
    ];
    db.write(&ops, None).await?;
    if forgot {
        inner.schedule_flush();
    }
    Ok(())
}

/// Waits until no write or load is under way, then holds the lock (the caller releases it).
async fn acquire(p: &Persistence) {
    p.lock.acquire().await;
}

impl Inner {
    /// `destroy`: takes what waits to be written now (the engine goes next), writes it, and
    /// closes the database.
    pub fn write_and_close(self: &Rc<Self>) {
        let prepared = prepare(self);
        let inner = self.clone();
        spawn_local(async move {
            acquire(&inner.persistence).await;
            if inner.persistence.status.get() == Status::Open {
                if let Err(thrown) = commit(&inner, prepared).await {
                    inner.storage_failed(&thrown);
                }
            }
            inner.persistence.close();
            inner.persistence.lock.release();
        });
    }
}
