//! The storage adapters in headless Chromium: the IndexedDB schema and its migration from
//! schema 1, guarded writes, a blocked upgrade, and the AES-GCM envelopes.
// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(target_arch = "wasm32")]

use hearth::web::store::crypto;
use hearth::web::store::idb::{self, Database, WriteOp, WriteOutcome, STORES};
use js_sys::{Array, ArrayBuffer, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use wasm_bindgen_test::*;
use web_sys::{IdbDatabase, IdbFactory, IdbRequest, IdbTransaction, IdbTransactionMode};

wasm_bindgen_test_configure!(run_in_browser);

fn factory() -> IdbFactory {
    web_sys::window().unwrap().indexed_db().unwrap().unwrap()
}

/// A database name no other test uses.
fn unique(test: &str) -> String {
    format!("hearth-test:{test}:{}", js_sys::Math::random())
}

/// The raw request's result (test helper, independent of the adapter under test).
async fn raw(request: &IdbRequest) -> JsValue {
    let req = request.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let (ok, failed) = (req.clone(), req.clone());
        let on_success = Closure::once_into_js(move || {
            resolve
                .call1(&JsValue::NULL, &ok.result().unwrap())
                .unwrap();
        });
        let on_error = Closure::once_into_js(move || {
            reject
                .call1(&JsValue::NULL, &failed.error().unwrap().into())
                .unwrap();
        });
        req.set_onsuccess(Some(on_success.unchecked_ref()));
        req.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .expect("the raw request succeeds")
}

async fn raw_complete(tx: &IdbTransaction) {
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(resolve.unchecked_ref()));
        tx.set_onabort(Some(reject.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .expect("the raw transaction commits");
}

async fn delete_database(name: &str) {
    raw(&factory().delete_database(name).unwrap()).await;
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap()
}

fn store_names(db: &IdbDatabase) -> Vec<String> {
    let names = db.object_store_names();
    (0..names.length()).filter_map(|i| names.item(i)).collect()
}

fn put(store: &'static str, key: &str, value: impl Into<JsValue>) -> WriteOp {
    WriteOp::Put {
        store,
        key: key.to_owned(),
        value: value.into(),
    }
}

async fn keys(db: &Database, store: &str) -> Vec<String> {
    db.entries(store)
        .await
        .unwrap()
        .into_iter()
        .map(|(key, _)| key)
        .collect()
}

#[wasm_bindgen_test]
async fn open_creates_every_schema_2_store() {
    let name = unique("create");
    let db = idb::open(&name, || panic!("nothing blocks a new database"))
        .await
        .unwrap();
    assert_eq!(db.idb().version(), f64::from(idb::SCHEMA_VERSION));
    let mut names = store_names(db.idb());
    names.sort();
    let mut expected: Vec<String> = STORES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(db.get("meta", "rev").await.unwrap(), None);
    assert!(db.entries("decisions").await.unwrap().is_empty());
    drop(db);
    // Opening again at the same version changes nothing.
    let db = idb::open(&name, || {}).await.unwrap();
    assert_eq!(store_names(db.idb()).len(), STORES.len());
    drop(db);
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn a_schema_1_database_migrates_to_plain_envelopes() {
    let name = unique("migrate");
    let household = r#"{"version":1,"profiles":{"default":{"affinities":{"café":[1,2]}}}}"#;
    let model = r#"{"version":1,"weights":[0.5,-1]}"#;
    // The previous schema: one store `state` holding JSON text, written with raw web-sys.
    let open = factory().open_with_u32(&name, 1).unwrap();
    let upgrade = {
        let open = open.clone();
        Closure::once_into_js(move || {
            let db: IdbDatabase = open.result().unwrap().unchecked_into();
            db.create_object_store("state").unwrap();
        })
    };
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let v1: IdbDatabase = raw(&open).await.unchecked_into();
    let tx = v1
        .transaction_with_str_and_mode("state", IdbTransactionMode::Readwrite)
        .unwrap();
    let state = tx.object_store("state").unwrap();
    state
        .put_with_key(&household.into(), &"household".into())
        .unwrap();
    state.put_with_key(&model.into(), &"model".into()).unwrap();
    raw_complete(&tx).await;
    v1.close();

    let db = idb::open(&name, || {}).await.unwrap();
    let names = store_names(db.idb());
    assert!(!names.contains(&"state".to_owned()), "{names:?}");
    assert_eq!(names.len(), STORES.len());
    let stored = db.get("profiles", "household").await.unwrap().unwrap();
    assert_eq!(
        field(&stored, "text").as_string().as_deref(),
        Some(household)
    );
    assert!(!crypto::is_sealed(&stored));
    assert_eq!(crypto::open(None, &stored).await.as_deref(), Ok(household));
    let stored = db.get("model", "model").await.unwrap().unwrap();
    assert_eq!(field(&stored, "text").as_string().as_deref(), Some(model));
    drop(db);
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn a_write_expecting_a_stale_revision_is_a_conflict_and_writes_nothing() {
    let name = unique("rev");
    let db = idb::open(&name, || {}).await.unwrap();
    let first = [put("decisions", "0000000000000001:a", crypto::plain("one"))];
    assert_eq!(
        db.write(&first, Some(0.0)).await.unwrap(),
        WriteOutcome::Written { rev: 1.0 }
    );
    assert_eq!(
        db.get("meta", "rev")
            .await
            .unwrap()
            .and_then(|v| v.as_f64()),
        Some(1.0)
    );
    let stale = [put("decisions", "0000000000000002:b", crypto::plain("two"))];
    assert_eq!(
        db.write(&stale, Some(0.0)).await.unwrap(),
        WriteOutcome::Conflict { stored_rev: 1.0 }
    );
    assert_eq!(
        db.get("decisions", "0000000000000002:b").await.unwrap(),
        None
    );
    assert_eq!(
        db.write(&stale, Some(1.0)).await.unwrap(),
        WriteOutcome::Written { rev: 2.0 }
    );
    // Without an expected revision the revision is left as it is.
    let swept = [put("meta", "swept", 5.0)];
    assert_eq!(
        db.write(&swept, None).await.unwrap(),
        WriteOutcome::Written { rev: 2.0 }
    );
    assert_eq!(
        keys(&db, "decisions").await,
        ["0000000000000001:a", "0000000000000002:b"]
    );
    drop(db);
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn a_failing_op_rolls_the_whole_write_back() {
    let name = unique("atomic");
    let db = idb::open(&name, || {}).await.unwrap();
    // A function cannot be stored (DataCloneError, thrown by the put itself).
    let not_cloneable = js_sys::Function::new_no_args("");
    let ops = [
        put("profiles", "household", crypto::plain("kept?")),
        put("model", "model", not_cloneable),
    ];
    let thrown = db.write(&ops, Some(0.0)).await.unwrap_err();
    assert_eq!(
        field(&thrown, "name").as_string().as_deref(),
        Some("DataCloneError")
    );
    assert!(!idb::is_quota_error(&thrown));
    assert_eq!(db.get("profiles", "household").await.unwrap(), None);
    assert_eq!(db.get("meta", "rev").await.unwrap(), None);
    // The connection still works.
    let ops = [put("profiles", "household", crypto::plain("kept"))];
    assert_eq!(
        db.write(&ops, Some(0.0)).await.unwrap(),
        WriteOutcome::Written { rev: 1.0 }
    );
    drop(db);
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn keep_newest_delete_before_delete_and_clear() {
    let name = unique("trim");
    let db = idb::open(&name, || {}).await.unwrap();
    let all: Vec<String> = (1..=6)
        .map(|i| format!("000000000000000{i}:t:{i}"))
        .collect();
    // Written out of order: key order is what counts.
    let ops: Vec<WriteOp> = all
        .iter()
        .rev()
        .map(|key| put("events", key, crypto::plain(key)))
        .collect();
    db.write(&ops, None).await.unwrap();
    assert_eq!(keys(&db, "events").await, all);

    let ops = [WriteOp::KeepNewest {
        store: "events",
        keep: 4,
    }];
    db.write(&ops, None).await.unwrap();
    assert_eq!(keys(&db, "events").await, all[2..]);
    let entries = db.entries("events").await.unwrap();
    assert_eq!(
        field(&entries[0].1, "text").as_string().as_deref(),
        Some(all[2].as_str())
    );

    // Keeping more than there are deletes nothing; ops run in order in one transaction.
    let ops = [
        WriteOp::KeepNewest {
            store: "events",
            keep: 10,
        },
        WriteOp::DeleteBefore {
            store: "events",
            key: "0000000000000004".to_owned(),
        },
        WriteOp::Delete {
            store: "events",
            key: all[5].clone(),
        },
        put("decisions", "0000000000000009:x", crypto::plain("x")),
    ];
    assert_eq!(
        db.write(&ops, Some(0.0)).await.unwrap(),
        WriteOutcome::Written { rev: 1.0 }
    );
    assert_eq!(keys(&db, "events").await, all[3..5]);
    assert_eq!(keys(&db, "decisions").await, ["0000000000000009:x"]);

    let ops = [
        WriteOp::KeepNewest {
            store: "decisions",
            keep: 0,
        },
        WriteOp::Clear { store: "events" },
    ];
    db.write(&ops, None).await.unwrap();
    assert!(db.entries("events").await.unwrap().is_empty());
    assert!(db.entries("decisions").await.unwrap().is_empty());
    drop(db);
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn add_if_absent_never_replaces_and_get_of_an_absent_key_is_none() {
    let name = unique("add");
    let db = idb::open(&name, || {}).await.unwrap();
    assert_eq!(db.get("meta", "key").await.unwrap(), None);
    assert!(db
        .add_if_absent("meta", "key", &"first".into())
        .await
        .unwrap());
    assert!(!db
        .add_if_absent("meta", "key", &"second".into())
        .await
        .unwrap());
    assert_eq!(
        db.get("meta", "key")
            .await
            .unwrap()
            .and_then(|v| v.as_string()),
        Some("first".to_owned())
    );
    drop(db);
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn without_indexeddb_open_fails_at_once_with_a_recognisable_error() {
    // Test-only JavaScript (the test page has no CSP) hides `indexedDB`, then restores it.
    let run = |body: &str| {
        js_sys::Function::new_no_args(body)
            .call0(&JsValue::NULL)
            .unwrap();
    };
    run(
        "window.savedIndexedDb = Object.getOwnPropertyDescriptor(window, 'indexedDB');
         Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });",
    );
    let missing = idb::open("hearth-test:none", || {}).await.err();
    run(
        "Object.defineProperty(window, 'indexedDB', { configurable: true,
           get() { throw new DOMException('denied', 'SecurityError'); } });",
    );
    let throwing = idb::open("hearth-test:none", || {}).await.err();
    run("Object.defineProperty(window, 'indexedDB', window.savedIndexedDb);");
    assert!(idb::is_unavailable(&missing.unwrap()));
    assert!(idb::is_unavailable(&throwing.unwrap()));
    assert!(!idb::is_unavailable(&JsValue::NULL));
    // IndexedDB is back.
    let name = unique("back");
    drop(idb::open(&name, || {}).await.unwrap());
    delete_database(&name).await;
}

#[wasm_bindgen_test]
fn quota_errors_are_recognised_by_name() {
    let quota = web_sys::DomException::new_with_message_and_name("full", "QuotaExceededError");
    assert!(idb::is_quota_error(&quota.unwrap().into()));
    let other = web_sys::DomException::new_with_message_and_name("no", "ConstraintError");
    assert!(!idb::is_quota_error(&other.unwrap().into()));
    assert!(!idb::is_quota_error(&"QuotaExceededError".into()));
    assert!(!idb::is_quota_error(&JsValue::UNDEFINED));
}

#[wasm_bindgen_test]
async fn a_blocked_upgrade_completes_once_the_other_connection_closes() {
    let name = unique("blocked");
    // Another tab's connection to schema 1, with no versionchange handler.
    let old: IdbDatabase = raw(&factory().open_with_u32(&name, 1).unwrap())
        .await
        .unchecked_into();
    let blocked = Rc::new(Cell::new(0));
    let opened: Rc<RefCell<Option<Result<Database, JsValue>>>> = Rc::default();
    {
        let (blocked, opened, name) = (blocked.clone(), opened.clone(), name.clone());
        spawn_local(async move {
            let db = idb::open(&name, move || blocked.set(blocked.get() + 1)).await;
            *opened.borrow_mut() = Some(db);
        });
    }
    sleep(100).await;
    assert_eq!(blocked.get(), 1, "on_blocked was called");
    assert!(opened.borrow().is_none(), "the open waits");
    old.close();
    for _ in 0..100 {
        if opened.borrow().is_some() {
            break;
        }
        sleep(20).await;
    }
    let db = opened
        .borrow_mut()
        .take()
        .expect("the open completed")
        .unwrap();
    assert_eq!(store_names(db.idb()).len(), STORES.len());
    drop(db);
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn the_version_change_handler_is_called_when_another_tab_deletes_the_database() {
    let name = unique("versionchange");
    let db = Rc::new(idb::open(&name, || {}).await.unwrap());
    let called = Rc::new(Cell::new(false));
    {
        let (called, weak) = (called.clone(), Rc::downgrade(&db));
        db.set_on_version_change(move |_| {
            called.set(true);
            if let Some(db) = weak.upgrade() {
                db.close();
            }
        });
    }
    // Deleting completes only once this connection closes.
    delete_database(&name).await;
    assert!(called.get());
}

async fn fresh_key(test: &str) -> (String, web_sys::CryptoKey) {
    let name = unique(test);
    let db = idb::open(&name, || {}).await.unwrap();
    let key = crypto::load_or_create_key(&db).await.unwrap();
    (name, key)
}

#[wasm_bindgen_test]
async fn the_key_is_non_extractable_stored_once_and_shared_by_connections() {
    let name = unique("key");
    let db = idb::open(&name, || {}).await.unwrap();
    let key = crypto::load_or_create_key(&db).await.unwrap();
    assert!(!key.extractable());
    assert_eq!(key.type_(), "secret");
    let algorithm = key.algorithm().unwrap();
    assert_eq!(
        field(&algorithm, "name").as_string().as_deref(),
        Some("AES-GCM")
    );
    assert_eq!(field(&algorithm, "length").as_f64(), Some(256.0));
    let usages: Vec<String> = key.usages().iter().filter_map(|u| u.as_string()).collect();
    assert!(usages.contains(&"encrypt".to_owned()) && usages.contains(&"decrypt".to_owned()));
    assert!(db.get("meta", "key").await.unwrap().is_some());

    // A second load returns the stored key: what one seals, the other opens.
    let again = crypto::load_or_create_key(&db).await.unwrap();
    let sealed = crypto::seal(&key, "même clé").await.unwrap();
    assert_eq!(
        crypto::open(Some(&again), &sealed).await.as_deref(),
        Ok("même clé")
    );
    drop(db);
    delete_database(&name).await;

    // Two tabs racing on a new database end with one key.
    let name = unique("key-race");
    let load = |name: String| {
        wasm_bindgen_futures::future_to_promise(async move {
            let db = idb::open(&name, || {}).await?;
            crypto::load_or_create_key(&db).await.map(JsValue::from)
        })
    };
    let both = Promise::all(&Array::of2(&load(name.clone()), &load(name.clone())));
    let both: Array = JsFuture::from(both).await.unwrap().unchecked_into();
    let (a, b): (web_sys::CryptoKey, web_sys::CryptoKey) =
        (both.get(0).unchecked_into(), both.get(1).unchecked_into());
    let sealed = crypto::seal(&a, "race").await.unwrap();
    assert_eq!(crypto::open(Some(&b), &sealed).await.as_deref(), Ok("race"));
    delete_database(&name).await;
}

fn bytes(envelope: &JsValue, name: &str) -> Vec<u8> {
    let value = field(envelope, name);
    if value.is_instance_of::<ArrayBuffer>() {
        Uint8Array::new(&value).to_vec()
    } else {
        value.unchecked_into::<Uint8Array>().to_vec()
    }
}

#[wasm_bindgen_test]
async fn sealed_envelopes_roundtrip_and_reject_tampering_wrong_keys_and_garbage() {
    let (name, key) = fresh_key("seal").await;
    let (other_name, other_key) = fresh_key("seal-other").await;
    let text = r#"{"tags":["café","日本語","🙂"],"n":1}"#;

    let sealed = crypto::seal(&key, text).await.unwrap();
    assert!(crypto::is_sealed(&sealed));
    assert!(field(&sealed, "iv").is_instance_of::<Uint8Array>());
    assert!(field(&sealed, "data").is_instance_of::<ArrayBuffer>());
    assert_eq!(bytes(&sealed, "iv").len(), 12);
    // The ciphertext carries the 16-byte tag and is not the text.
    assert_eq!(bytes(&sealed, "data").len(), text.len() + 16);
    assert_eq!(crypto::open(Some(&key), &sealed).await.as_deref(), Ok(text));

    // A fresh IV each time.
    let again = crypto::seal(&key, text).await.unwrap();
    assert_ne!(bytes(&sealed, "iv"), bytes(&again, "iv"));
    assert_ne!(bytes(&sealed, "data"), bytes(&again, "data"));

    // Altered ciphertext, altered IV, the wrong key, no key.
    let data = Uint8Array::new(&field(&sealed, "data"));
    data.set_index(0, data.get_index(0) ^ 1);
    assert!(crypto::open(Some(&key), &sealed).await.is_err());
    data.set_index(0, data.get_index(0) ^ 1);
    assert_eq!(crypto::open(Some(&key), &sealed).await.as_deref(), Ok(text));
    let iv: Uint8Array = field(&sealed, "iv").unchecked_into();
    iv.set_index(11, iv.get_index(11) ^ 0x80);
    assert!(crypto::open(Some(&key), &sealed).await.is_err());
    assert!(crypto::open(Some(&other_key), &again).await.is_err());
    assert!(crypto::open(None, &again).await.is_err());

    // Plain envelopes need no key; anything else is an error, never a panic.
    let plain = crypto::plain(text);
    assert!(!crypto::is_sealed(&plain));
    assert_eq!(crypto::open(None, &plain).await.as_deref(), Ok(text));
    assert_eq!(crypto::open(Some(&key), &plain).await.as_deref(), Ok(text));
    assert_eq!(
        crypto::open(None, &crypto::plain("")).await.as_deref(),
        Ok("")
    );
    let garbage = [
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from(7),
        JsValue::from("text"),
        Object::new().into(),
        js_sys::JSON::parse(r#"{"text":5}"#).unwrap(),
        js_sys::JSON::parse(r#"{"iv":[1,2,3],"data":[4,5]}"#).unwrap(),
    ];
    for value in &garbage {
        assert!(!crypto::is_sealed(value));
        assert!(crypto::open(Some(&key), value).await.is_err());
    }
    // Sealed shape, but a ciphertext too short to hold a tag.
    let short = Object::new();
    Reflect::set(&short, &"iv".into(), &Uint8Array::new_with_length(12)).unwrap();
    Reflect::set(&short, &"data".into(), &ArrayBuffer::new(3)).unwrap();
    assert!(crypto::is_sealed(&short));
    assert!(crypto::open(Some(&key), &short).await.is_err());

    // Envelopes survive being stored (structured clone) and read back.
    let db = idb::open(&name, || {}).await.unwrap();
    let ops = [put(
        "model",
        "model",
        crypto::seal(&key, text).await.unwrap(),
    )];
    db.write(&ops, Some(0.0)).await.unwrap();
    let stored = db.get("model", "model").await.unwrap().unwrap();
    assert_eq!(crypto::open(Some(&key), &stored).await.as_deref(), Ok(text));
    drop(db);
    delete_database(&name).await;
    delete_database(&other_name).await;
}

#[wasm_bindgen_test]
async fn the_writer_lock_hands_over_in_arrival_order_without_polling() {
    use hearth::web::writer::WriterLock;
    use std::cell::RefCell;
    use std::rc::Rc;
    let lock = Rc::new(WriterLock::default());
    let order = Rc::new(RefCell::new(Vec::new()));
    assert!(lock.try_acquire(), "free at first");
    assert!(!lock.try_acquire(), "held");
    let mut tasks = Vec::new();
    for n in 1..=3 {
        let (lock, order) = (lock.clone(), order.clone());
        tasks.push(async move {
            lock.acquire().await;
            order.borrow_mut().push(n);
            lock.release();
        });
    }
    let waiting = futures_join(tasks);
    lock.release(); // hands over to task 1, which hands over to 2, then 3
    waiting.await;
    assert_eq!(*order.borrow(), [1, 2, 3]);
    assert!(lock.try_acquire(), "free again once the last released it");
}

/// Runs futures concurrently on the page's event loop and waits for all.
async fn futures_join<F: std::future::Future<Output = ()> + 'static>(tasks: Vec<F>) {
    let done = std::rc::Rc::new(std::cell::Cell::new(0));
    let total = tasks.len();
    for task in tasks {
        let done = done.clone();
        wasm_bindgen_futures::spawn_local(async move {
            task.await;
            done.set(done.get() + 1);
        });
    }
    while done.get() < total {
        let tick = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
        let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
    }
}
