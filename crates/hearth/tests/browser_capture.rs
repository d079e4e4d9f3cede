//! Capture's browser glue in headless Chromium: consent attaches and detaches the listeners,
//! and clicks on marked-up items arrive as events.
// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(target_arch = "wasm32")]

use hearth::api::HearthCore;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn run(body: &str) -> JsValue {
    Function::new_no_args(body).call0(&JsValue::NULL).unwrap()
}

fn captured() -> Vec<JsValue> {
    let all: Array = run("return window.heardCapture;").unchecked_into();
    all.iter()
        .map(|pair| pair.unchecked_into::<Array>())
        .filter(|pair| pair.get(0).as_string().as_deref() == Some("capture"))
        .map(|pair| pair.get(1))
        .collect()
}

fn text(value: &JsValue, path: &str) -> Option<String> {
    path.split('.')
        .fold(value.clone(), |v, key| {
            Reflect::get(&v, &key.into()).unwrap()
        })
        .as_string()
}

async fn set_measurement(core: &HearthCore, allowed: bool) {
    let purposes = js_sys::JSON::parse(&format!(r#"{{"measurement":{allowed}}}"#)).unwrap();
    let changed = core.consent_set(purposes, JsValue::UNDEFINED).unwrap();
    let done: js_sys::Promise = Reflect::get(&changed, &"done".into())
        .unwrap()
        .unchecked_into();
    JsFuture::from(done).await.unwrap();
}

fn click_item() {
    run("document.getElementById('wasm-item-title').click();");
}

#[wasm_bindgen_test]
async fn consent_attaches_capture_and_revoking_it_detaches_everything() {
    run("document.body.insertAdjacentHTML('beforeend', '<ul data-hearth-rank=\"wasm-slot\"><li data-hearth-item=\"w1\" data-hearth-tags=\"x,y\"><span id=\"wasm-item-title\">t</span></li></ul>');");
    let emit: Function =
        run("window.heardCapture = []; return (t, p) => window.heardCapture.push([t, p]);")
            .unchecked_into();
    let options =
        js_sys::JSON::parse(r#"{"namespace":"wasm-capture","storage":"memory"}"#).unwrap();
    let core = HearthCore::new(options, emit).unwrap();
    core.set_capture_listening(true);

    click_item();
    assert!(captured().is_empty(), "nothing before measurement");

    set_measurement(&core, true).await;
    click_item();
    let events = captured();
    let kinds: Vec<_> = events.iter().map(|e| text(e, "type").unwrap()).collect();
    assert_eq!(kinds, ["pageView", "click"]);
    assert_eq!(text(&events[1], "target.itemId").as_deref(), Some("w1"));
    assert_eq!(
        text(&events[1], "target.slot").as_deref(),
        Some("wasm-slot")
    );

    set_measurement(&core, false).await;
    click_item();
    assert_eq!(
        captured().len(),
        2,
        "no click after measurement was revoked"
    );
    assert!(core.capture_status().unwrap().is_null());
    core.destroy();
}
