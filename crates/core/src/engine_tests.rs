//! The engine's storage bookkeeping: what waits to be written, and when nothing may.

use super::*;
use crate::value::from_json;

fn engine(options: &str) -> Engine {
    let options = ValidOptions::parse(from_json(options)).expect("valid options");
    Engine::new(options, ConsentRecord::new(), false, 7)
}

fn grant(engine: &mut Engine, purposes: &str) -> ConsentEffects {
    engine
        .set_consent(
            Field::root("purposes", from_json(purposes)),
            DecisionSource::User,
            Millis(1),
        )
        .expect("valid purposes")
}

fn start(engine: &mut Engine) {
    let page = PageStart {
        href: "https://example.com/".into(),
        referrer: String::new(),
        visible: true,
    };
    engine.start_capture(&page, None, Millis(2));
}

fn track(engine: &mut Engine, name: &str) {
    engine
        .track(from_json(&format!("\"{name}\"")), Value::Null, Millis(3))
        .expect("a valid event");
}

#[test]
fn captured_events_wait_for_a_write_only_while_a_store_is_open() {
    let mut e = engine("{}");
    let _ = grant(&mut e, r#"{"storage":true,"measurement":true}"#);
    start(&mut e);
    track(&mut e, "before_open");
    assert!(
        e.take_unwritten_events().is_empty(),
        "no store open: nothing waits"
    );
    e.set_journaling(true);
    track(&mut e, "after_open");
    let waiting = e.take_unwritten_events();
    assert_eq!(waiting.len(), 1);
    assert!(e.take_unwritten_events().is_empty(), "taken once");
}

#[test]
fn memory_storage_never_keeps_anything_for_a_write() {
    let mut e = engine(r#"{"storage":"memory"}"#);
    let _ = grant(&mut e, r#"{"storage":true,"measurement":true}"#);
    e.set_journaling(true);
    start(&mut e);
    track(&mut e, "x");
    assert!(!e.storage_enabled());
    assert!(e.take_unwritten_events().is_empty());
}

#[test]
fn revoking_purposes_says_what_stored_data_to_forget() {
    let mut e = engine("{}");
    let effects = grant(
        &mut e,
        r#"{"storage":true,"measurement":true,"personalization":true}"#,
    );
    assert!(effects.granted && !effects.erase_stored_data);
    let effects = grant(&mut e, r#"{"personalization":false}"#);
    assert!(effects.forget_personalization && !effects.forget_events && !effects.granted);
    let effects = grant(&mut e, r#"{"measurement":false}"#);
    assert!(effects.forget_events && effects.stop_capture);
    let effects = grant(&mut e, r#"{"storage":false}"#);
    assert!(effects.erase_stored_data);
}

#[test]
fn segments_change_with_events_and_erase_forgets_the_profile() {
    let mut e = engine(
        r#"{"segments":{"rules":[{"name":"member","all":[{"metric":"custom:signup","op":"gte","value":1}]}]}}"#,
    );
    let _ = grant(
        &mut e,
        r#"{"storage":true,"measurement":true,"personalization":true}"#,
    );
    e.set_journaling(true);
    start(&mut e);
    let first = e
        .refresh_segments(Millis(3))
        .expect("a first list is a change");
    assert!(!first.contains(&"member".to_owned()));
    assert_eq!(e.refresh_segments(Millis(3)), None, "unchanged");
    track(&mut e, "signup");
    let after = e.refresh_segments(Millis(3)).expect("joined a segment");
    assert!(after.contains(&"member".to_owned()));
    assert_eq!(e.segments(), after);
    assert!(e.has_unwritten_changes());
    e.erase_profile_data();
    assert!(!e.has_unwritten_changes());
    assert!(e.capture().is_some_and(|c| c.recent().is_empty()));
    let fresh = e
        .refresh_segments(Millis(3))
        .expect("a new profile's first list");
    assert!(!fresh.contains(&"member".to_owned()));
}
