//! HearthCore in headless Chromium: errors are real `HearthError`s, and bad input never
//! kills the module.
// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(target_arch = "wasm32")]

use hearth::api::HearthCore;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test JSON is valid")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).expect("property read on an object")
}

/// Asserts `error` is an `Error` named HearthError with `code`, and returns its message.
fn assert_hearth_error(error: &JsValue, code: &str) -> String {
    let error: &js_sys::Error = error.dyn_ref().expect("a real Error object");
    assert_eq!(String::from(error.name()), "HearthError");
    assert_eq!(get(error, "code").as_string().as_deref(), Some(code));
    String::from(error.message())
}

fn no_events() -> js_sys::Function {
    js_sys::Function::new_no_args("")
}

fn core() -> HearthCore {
    HearthCore::new(js(r#"{"storage":"memory"}"#), no_events()).expect("default options are valid")
}

#[wasm_bindgen_test]
fn default_consent_denies_every_purpose() {
    let state = core().consent_get().unwrap();
    let purposes = get(&state, "purposes");
    for purpose in ["storage", "measurement", "personalization"] {
        assert_eq!(get(&purposes, purpose).as_bool(), Some(false), "{purpose}");
    }
    assert_eq!(
        get(&state, "source").as_string().as_deref(),
        Some("default")
    );
    assert!(get(&state, "updatedAt").is_null());
}

#[wasm_bindgen_test]
fn unknown_option_keys_and_wrong_types_are_invalid_options_naming_the_key() {
    let error = HearthCore::new(js(r#"{"namespace":"x","captur":{}}"#), no_events())
        .map_err(JsValue::from)
        .err()
        .unwrap();
    let message = assert_hearth_error(&error, "invalid_options");
    assert!(message.contains("captur"), "{message}");

    let error = HearthCore::new(js(r#"{"consent":{"honorGpc":"yes"}}"#), no_events())
        .map_err(JsValue::from)
        .err()
        .unwrap();
    let message = assert_hearth_error(&error, "invalid_options");
    assert!(message.contains("consent.honorGpc"), "{message}");
}

#[wasm_bindgen_test]
fn rank_returns_the_server_order_unpersonalized() {
    let result = core()
        .rank(js(
            r#"{"slot":"home","candidates":[{"id":"b","score":0.1},{"id":"a","score":0.9}]}"#,
        ))
        .unwrap();
    let items: Array = get(&result, "items").unchecked_into();
    let ids: Vec<String> = items
        .iter()
        .map(|i| get(&i, "id").as_string().unwrap())
        .collect();
    assert_eq!(ids, ["b", "a"]);
    assert_eq!(get(&result, "personalized").as_bool(), Some(false));
    assert_eq!(
        get(&result, "reason").as_string().as_deref(),
        Some("consent_required")
    );
    assert_eq!(
        get(&result, "decisionId").as_string().map(|s| s.len()),
        Some(16)
    );
    // Plain objects, not Maps: JSON-compatible output.
    assert!(Object::get_prototype_of(&result) == Object::get_prototype_of(&Object::new()));
}

#[wasm_bindgen_test]
fn bad_candidates_throw_with_the_index_and_the_next_call_still_works() {
    let core = core();
    let cases = [
        (r#"{"candidates":"nope"}"#, None),
        (r#"{"candidates":[{"id":"a"},{"tags":["x"]}]}"#, Some(1)),
        (
            r#"{"candidates":[{"id":"a"},{"id":"b"},{"id":"a"}]}"#,
            Some(2),
        ),
        (
            r#"{"candidates":[{"id":"a","features":{"f":"high"}}]}"#,
            Some(0),
        ),
    ];
    for (request, index) in cases {
        let error = core.rank(js(request)).map_err(JsValue::from).err().unwrap();
        assert_hearth_error(&error, "invalid_candidates");
        assert_eq!(
            get(&error, "index").as_f64().map(|i| i as usize),
            index,
            "{request}"
        );
        // A panic would have aborted the module; this call proves it is alive.
        assert!(core.rank(js(r#"{"candidates":[{"id":"ok"}]}"#)).is_ok());
    }
}

#[wasm_bindgen_test]
fn non_finite_numbers_from_javascript_are_rejected() {
    let candidate = Object::new();
    Reflect::set(&candidate, &"id".into(), &"a".into()).unwrap();
    Reflect::set(&candidate, &"score".into(), &f64::NAN.into()).unwrap();
    let request = Object::new();
    Reflect::set(&request, &"candidates".into(), &Array::of1(&candidate)).unwrap();
    let error = core()
        .rank(request.into())
        .map_err(JsValue::from)
        .err()
        .unwrap();
    let message = assert_hearth_error(&error, "invalid_candidates");
    assert!(message.contains("finite"), "{message}");
}

#[wasm_bindgen_test]
fn more_than_ten_thousand_candidates_are_refused_at_the_first_extra_one() {
    let candidates = Array::new();
    for i in 0..10_001 {
        let candidate = Object::new();
        Reflect::set(&candidate, &"id".into(), &format!("c{i}").into()).unwrap();
        candidates.push(&candidate);
    }
    let request = Object::new();
    Reflect::set(&request, &"candidates".into(), &candidates).unwrap();
    let error = core()
        .rank(request.into())
        .map_err(JsValue::from)
        .err()
        .unwrap();
    assert_hearth_error(&error, "invalid_candidates");
    assert_eq!(get(&error, "index").as_f64(), Some(10_000.0));
}

#[wasm_bindgen_test]
fn a_destroyed_instance_refuses_every_call() {
    let core = core();
    core.destroy();
    assert_hearth_error(
        &core.consent_get().map_err(JsValue::from).err().unwrap(),
        "destroyed",
    );
    assert_hearth_error(
        &core
            .rank(js(r#"{"candidates":[]}"#))
            .map_err(JsValue::from)
            .err()
            .unwrap(),
        "destroyed",
    );
    core.destroy(); // twice is harmless
}

#[wasm_bindgen_test]
fn hostile_values_are_errors_or_ignored_never_panics() {
    let core = core();
    // A candidate carrying the site's own extras: a method and a cycle. Ignored.
    let candidate = js(r#"{"id":"a"}"#);
    let method = js_sys::Function::new_no_args("return 1");
    Reflect::set(&candidate, &"render".into(), &method).unwrap();
    Reflect::set(&candidate, &"self".into(), &candidate).unwrap();
    let request = Object::new();
    Reflect::set(&request, &"candidates".into(), &Array::of1(&candidate)).unwrap();
    assert!(core.rank(request.clone().into()).is_ok());

    // The same objects where data is expected: errors with the path.
    Reflect::set(&candidate, &"id".into(), &method).unwrap();
    let message = assert_hearth_error(
        &core
            .rank(request.clone().into())
            .map_err(JsValue::from)
            .err()
            .unwrap(),
        "invalid_candidates",
    );
    assert!(message.contains("candidates[0].id"), "{message}");

    // A getter that throws.
    let throwing = js_sys::Function::new_with_args("o", "Object.defineProperty(o, 'id', { enumerable: true, get() { throw new Error('boom'); } }); return o;");
    let candidate = throwing.call1(&JsValue::NULL, &Object::new()).unwrap();
    Reflect::set(&request, &"candidates".into(), &Array::of1(&candidate)).unwrap();
    let message = assert_hearth_error(
        &core
            .rank(request.into())
            .map_err(JsValue::from)
            .err()
            .unwrap(),
        "invalid_candidates",
    );
    assert!(message.contains("getter threw"), "{message}");

    // A bigint option and a cyclic options object.
    let options = js(r#"{"ranker":{}}"#);
    Reflect::set(
        &get(&options, "ranker"),
        &"seed".into(),
        &js_sys::BigInt::from(7u32).into(),
    )
    .unwrap();
    assert_hearth_error(
        &HearthCore::new(options, no_events())
            .map_err(JsValue::from)
            .err()
            .unwrap(),
        "invalid_options",
    );
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"consent".into(), &cyclic).unwrap();
    assert_hearth_error(
        &HearthCore::new(cyclic.into(), no_events())
            .map_err(JsValue::from)
            .err()
            .unwrap(),
        "invalid_options",
    );
    assert!(core
        .rank(js(r#"{"candidates":[{"id":"still-alive"}]}"#))
        .is_ok());
}
