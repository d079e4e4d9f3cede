//! Consent in headless Chromium: the GPC signal, a stub CMP emitting real TC strings, the
//! record in localStorage, other tabs, and erasure on withdraw.
// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(target_arch = "wasm32")]

use hearth::api::HearthCore;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test JSON is valid")
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &key.into()).unwrap()
    })
}

fn text(value: &JsValue, path: &str) -> Option<String> {
    get(value, path).as_string()
}

/// Runs a snippet of test-only JavaScript (the test page has no CSP).
fn run(body: &str) -> JsValue {
    Function::new_no_args(body).call0(&JsValue::NULL).unwrap()
}

/// An `emit` that records `[type, payload]` pairs in `window[name]`.
fn recorder(name: &str) -> Function {
    run(&format!(
        "window.{name} = []; return (t, p) => window.{name}.push([t, p]);"
    ))
    .unchecked_into()
}

fn events(name: &str, kind: &str) -> Vec<JsValue> {
    let all: Array = run(&format!("return window.{name};")).unchecked_into();
    all.iter()
        .map(|pair| pair.unchecked_into::<Array>())
        .filter(|pair| pair.get(0).as_string().as_deref() == Some(kind))
        .map(|pair| pair.get(1))
        .collect()
}

fn core(options: &str) -> HearthCore {
    HearthCore::new(js(options), recorder("heard")).expect("options are valid")
}

/// The `done` promise of a consent change (`{ state, done }`).
fn done(changed: JsValue) -> Promise {
    get(&changed, "done").unchecked_into()
}

async fn resolve(promise: Promise) -> JsValue {
    JsFuture::from(promise).await.expect("promise resolves")
}

/// A TC string from the reference-encoder fixtures whose publisher segment grants 1, 5, 6, 8.
fn granting_tc_string() -> String {
    let vectors = js(include_str!("../../../tests/fixtures/tcf/vectors.json"));
    let vectors: Array = vectors.unchecked_into();
    vectors
        .iter()
        .find(|v| {
            let consents = get(v, "expected.publisherTc");
            !consents.is_null() && {
                let list: Array = get(&consents, "purposeConsents").unchecked_into();
                [1, 5, 6, 8]
                    .iter()
                    .all(|p| list.includes(&JsValue::from(*p), 0))
            }
        })
        .map(|v| get(&v, "tcString").as_string().unwrap())
        .expect("a fixture grants 1, 5, 6 and 8")
}

fn install_cmp(tc_string: &str, gdpr_applies: bool) {
    run(&format!(
        "window.cmpRemoved = 0;
         window.__tcfapi = (command, version, callback, id) => {{
           if (command === 'addEventListener') {{
             window.cmpCallback = callback;
             callback({{ eventStatus: 'cmpuishown', listenerId: 3 }}, true);
             callback({{ tcString: '{tc_string}', gdprApplies: {gdpr_applies}, eventStatus: 'useractioncomplete', listenerId: 3 }}, true);
           }} else if (command === 'removeEventListener' && id === 3) {{
             window.cmpRemoved += 1; callback(true);
           }}
         }};"
    ));
}

fn remove_cmp() {
    run("delete window.__tcfapi; delete window.cmpCallback;");
}

#[wasm_bindgen_test]
fn gpc_denies_by_default_with_source_gpc() {
    run("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { configurable: true, get: () => true });");
    let state = core(r#"{"namespace":"gpc","storage":"memory"}"#)
        .consent_get()
        .unwrap();
    run("delete Navigator.prototype.globalPrivacyControl;");
    assert_eq!(text(&state, "source").as_deref(), Some("gpc"));
    assert_eq!(get(&state, "gpc").as_bool(), Some(true));
    assert_eq!(
        get(&state, "purposes.personalization").as_bool(),
        Some(false)
    );

    let ignoring = core(r#"{"namespace":"gpc2","storage":"memory","consent":{"honorGpc":false}}"#);
    assert_eq!(
        text(&ignoring.consent_get().unwrap(), "source").as_deref(),
        Some("default")
    );
}

#[wasm_bindgen_test]
fn a_cmp_decision_from_the_publisher_segment_is_applied_and_the_listener_removed_on_destroy() {
    install_cmp(&granting_tc_string(), true);
    let hearth = core(r#"{"namespace":"tcf","storage":"memory"}"#);
    let state = hearth.consent_get().unwrap();
    assert_eq!(text(&state, "source").as_deref(), Some("tcf"));
    assert_eq!(get(&state, "purposes.storage").as_bool(), Some(true));
    assert_eq!(
        get(&state, "purposes.personalization").as_bool(),
        Some(true)
    );
    assert_eq!(get(&state, "tcf.publisherSegment").as_bool(), Some(true));
    assert_eq!(events("heard", "consent").len(), 1);
    hearth.destroy();
    assert_eq!(run("return window.cmpRemoved;").as_f64(), Some(1.0));
    remove_cmp();
}

#[wasm_bindgen_test]
fn gdpr_not_applying_decides_nothing() {
    install_cmp("not-a-tc-string", false);
    let state = core(r#"{"namespace":"tcf-off","storage":"memory"}"#)
        .consent_get()
        .unwrap();
    remove_cmp();
    assert_eq!(text(&state, "source").as_deref(), Some("default"));
    assert_eq!(get(&state, "tcf.gdprApplies").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn a_cmp_sending_a_bad_tc_string_is_reported_as_an_error_event() {
    install_cmp("bad*string", true);
    let hearth = core(r#"{"namespace":"tcf-bad","storage":"memory"}"#);
    remove_cmp();
    let errors = events("heard", "error");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        text(&errors[0], "code").as_deref(),
        Some("invalid_tc_string")
    );
    assert_eq!(
        text(&hearth.consent_get().unwrap(), "source").as_deref(),
        Some("default")
    );
}

#[wasm_bindgen_test]
async fn the_record_survives_a_reload_and_a_new_policy_version_asks_again() {
    run("localStorage.removeItem('hearth:reload:consent');");
    let first = core(r#"{"namespace":"reload","consent":{"policyVersion":"v1"}}"#);
    let changed = first.consent_set(
        js(r#"{"storage":true,"measurement":true}"#),
        JsValue::UNDEFINED,
    );
    resolve(done(changed.unwrap())).await;
    first.destroy();

    let reloaded = core(r#"{"namespace":"reload","consent":{"policyVersion":"v1"}}"#);
    let state = reloaded.consent_get().unwrap();
    assert_eq!(get(&state, "purposes.measurement").as_bool(), Some(true));
    assert_eq!(text(&state, "source").as_deref(), Some("user"));

    let new_policy = core(r#"{"namespace":"reload","consent":{"policyVersion":"v2"}}"#);
    let state = new_policy.consent_get().unwrap();
    assert_eq!(text(&state, "source").as_deref(), Some("default"));
    assert_eq!(get(&state, "purposes.storage").as_bool(), Some(false));
    let history: Array = new_policy.consent_history().unwrap().unchecked_into();
    assert_eq!(history.length(), 1, "earlier choices stay in the history");
}

#[wasm_bindgen_test]
fn a_corrupt_record_is_reset_and_reported() {
    run("localStorage.setItem('hearth:corrupt:consent', '{not json');");
    let hearth = core(r#"{"namespace":"corrupt"}"#);
    let errors = hearth.take_startup_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(text(&errors[0], "code").as_deref(), Some("corrupt_data"));
    assert_eq!(
        text(&hearth.consent_get().unwrap(), "source").as_deref(),
        Some("default")
    );
}

#[wasm_bindgen_test]
async fn a_choice_made_in_another_tab_arrives_as_a_consent_event() {
    run("localStorage.removeItem('hearth:tabs:consent');");
    let here = core(r#"{"namespace":"tabs"}"#);
    let other = HearthCore::new(js(r#"{"namespace":"tabs"}"#), recorder("other")).unwrap();
    let changed = other.consent_set(js(r#"{"personalization":true}"#), JsValue::UNDEFINED);
    resolve(done(changed.unwrap())).await;
    // The browser sends `storage` events only to other documents; play the one this tab
    // would receive.
    run("window.dispatchEvent(new StorageEvent('storage', { key: 'hearth:tabs:consent', newValue: localStorage.getItem('hearth:tabs:consent') }));");
    let heard = events("heard", "consent");
    assert_eq!(heard.len(), 1);
    assert_eq!(
        get(&heard[0], "purposes.personalization").as_bool(),
        Some(true)
    );
    assert_eq!(
        get(&here.consent_get().unwrap(), "purposes.personalization").as_bool(),
        Some(true)
    );
}

#[wasm_bindgen_test]
async fn withdraw_deletes_the_namespaces_database_before_resolving() {
    let opened = run("return new Promise((resolve, reject) => {
           const request = indexedDB.open('hearth:erase');
           request.onsuccess = () => { request.result.close(); resolve(); };
           request.onerror = () => reject(request.error);
         });");
    resolve(opened.unchecked_into()).await;
    let hearth = core(r#"{"namespace":"erase"}"#);
    resolve(done(hearth.consent_withdraw().unwrap())).await;
    let names = resolve(
        run("return indexedDB.databases().then((dbs) => dbs.map((d) => d.name));").unchecked_into(),
    )
    .await;
    let names: Array = names.unchecked_into();
    assert!(
        !names.includes(&"hearth:erase".into(), 0),
        "the database is gone"
    );
    assert_eq!(
        get(&hearth.consent_get().unwrap(), "purposes.storage").as_bool(),
        Some(false)
    );
}

#[wasm_bindgen_test]
fn decode_tc_string_returns_plain_data_or_a_hearth_error() {
    let decoded = hearth::api::decode_tc_string(granting_tc_string().into()).unwrap();
    assert_eq!(get(&decoded, "core.version").as_f64(), Some(2.0));
    let error = hearth::api::decode_tc_string("%%%".into())
        .map_err(JsValue::from)
        .err()
        .unwrap();
    assert_eq!(text(&error, "code").as_deref(), Some("invalid_tc_string"));
    let error = hearth::api::decode_tc_string(JsValue::from(7))
        .map_err(JsValue::from)
        .err()
        .unwrap();
    assert_eq!(text(&error, "name").as_deref(), Some("HearthError"));
}
