//! `hearth.track(name, props)`: the validation of a site-defined event.
//!
//! Its one job is to read the name and properties from a [`Value`] through [`Field`], so that
//! every refusal names its path (`props.plan: must be a string, number or boolean, got an
//! object`). It accepts flat properties only, within bounds, and never coerces: a nested
//! object, an array or a non-finite number is the caller's mistake to fix. Whether tracking
//! is allowed at all is for consent to decide, not this module.

use super::Event;
use crate::time::Millis;
use crate::value::{Field, InputError, Value};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt;

/// Longest event name, in characters.
pub const MAX_EVENT_NAME_CHARS: usize = 64;
/// Most properties on one event.
pub const MAX_PROPS: usize = 20;
/// Longest property name, in characters.
pub const MAX_PROP_KEY_CHARS: usize = 64;
/// Longest string property value, in characters.
pub const MAX_PROP_TEXT_CHARS: usize = 256;
/// The stable code a refused `track` call carries across to JavaScript.
pub const TRACK_ERROR_CODE: &str = "invalid_event";

/// One property value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PropValue {
    /// A string of at most [`MAX_PROP_TEXT_CHARS`], possibly empty.
    Text(String),
    /// A finite number.
    Number(f64),
    /// A flag.
    Flag(bool),
}

/// Validated properties in the order given; serialized as a JSON object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Props(Vec<(String, PropValue)>);

impl Props {
    /// The properties, in the order given.
    pub fn entries(&self) -> &[(String, PropValue)] {
        &self.0
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&PropValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl Serialize for Props {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Why a `track` call was refused: the path and the rule. Its code is [`TRACK_ERROR_CODE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackError(pub InputError);

impl fmt::Display for TrackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TrackError {}

impl From<TrackError> for crate::Error {
    fn from(e: TrackError) -> Self {
        crate::Error::new(crate::ErrorCode::InvalidEvent, e.0.to_string())
    }
}

/// Reads `hearth.track(name, props)` into a [`Event::Custom`] at `at`. `props` may be absent;
/// otherwise it must be an object of at most [`MAX_PROPS`] flat entries.
pub fn parse_track(name: Value, props: Value, at: Millis) -> Result<Event, TrackError> {
    let name = Field::root("name", name).text(MAX_EVENT_NAME_CHARS);
    let props = Field::root("props", props).optional(read_props);
    Ok(Event::Custom {
        at,
        name: name.map_err(TrackError)?,
        props: props.map_err(TrackError)?.unwrap_or_default(),
    })
}

fn read_props(field: Field) -> Result<Props, InputError> {
    let entries = field.object()?.into_entries(MAX_PROPS)?;
    let mut props = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if key.is_empty() || key.chars().count() > MAX_PROP_KEY_CHARS {
            return Err(value.error(format!(
                "property names must be 1 to {MAX_PROP_KEY_CHARS} characters"
            )));
        }
        props.push((key, read_prop(value)?));
    }
    Ok(Props(props))
}

fn read_prop(field: Field) -> Result<PropValue, InputError> {
    match field.value() {
        Value::String(_) => field
            .text_or_empty(MAX_PROP_TEXT_CHARS)
            .map(PropValue::Text),
        Value::Number(_) => field.finite_number().map(PropValue::Number),
        Value::Bool(flag) => Ok(PropValue::Flag(*flag)),
        other => Err(field.error(format!(
            "must be a string, number or boolean, got {}",
            other.describe()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::from_json;

    fn track(name: &str, props: &str) -> Result<Event, String> {
        parse_track(from_json(name), from_json(props), Millis(7)).map_err(|e| e.to_string())
    }

    #[test]
    fn a_valid_event_keeps_its_properties_in_order() {
        let event = track(
            r#""signup""#,
            r#"{"plan":"free","seats":3,"trial":true,"note":""}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"type":"custom","at":7,"name":"signup","props":{"plan":"free","seats":3.0,"trial":true,"note":""}}"#
        );
        let Event::Custom { props, .. } = event else {
            panic!("a custom event")
        };
        assert_eq!(props.get("seats"), Some(&PropValue::Number(3.0)));
    }

    #[test]
    fn absent_props_are_an_empty_object() {
        let event = track(r#""x""#, "null").unwrap();
        assert!(serde_json::to_string(&event)
            .unwrap()
            .ends_with(r#""props":{}}"#));
    }

    #[test]
    fn a_nested_value_is_refused_with_its_path() {
        assert_eq!(
            track(r#""signup""#, r#"{"plan":{"id":1}}"#).unwrap_err(),
            "props.plan: must be a string, number or boolean, got an object"
        );
        assert_eq!(
            track(r#""signup""#, r#"{"tags":["a"]}"#).unwrap_err(),
            "props.tags: must be a string, number or boolean, got an array"
        );
        assert_eq!(
            track(r#""signup""#, r#"{"gone":null}"#).unwrap_err(),
            "props.gone: must be a string, number or boolean, got nothing"
        );
    }

    #[test]
    fn names_must_be_one_to_sixty_four_characters() {
        assert_eq!(
            track(r#""""#, "null").unwrap_err(),
            "name: must not be empty"
        );
        let long = format!(r#""{}""#, "n".repeat(65));
        assert_eq!(
            track(&long, "null").unwrap_err(),
            "name: must be at most 64 characters, got 65"
        );
        assert_eq!(
            track("3", "null").unwrap_err(),
            "name: must be a string, got the number 3"
        );
    }

    #[test]
    fn props_are_bounded_in_count_key_length_and_text_length() {
        let many: Vec<String> = (0..21).map(|i| format!(r#""k{i}":1"#)).collect();
        let error = track(r#""x""#, &format!("{{{}}}", many.join(","))).unwrap_err();
        assert_eq!(error, "props: at most 20 keys are allowed, got more");
        let long_key = format!(r#"{{"{}":1}}"#, "k".repeat(65));
        assert!(track(r#""x""#, &long_key)
            .unwrap_err()
            .contains("1 to 64 characters"));
        assert!(track(r#""x""#, r#"{"":1}"#).is_err());
        let long_text = format!(r#"{{"k":"{}"}}"#, "v".repeat(257));
        assert_eq!(
            track(r#""x""#, &long_text).unwrap_err(),
            "props.k: must be at most 256 characters, got 257"
        );
    }

    #[test]
    fn non_finite_numbers_and_non_objects_are_refused() {
        let nan = parse_track(
            Value::String("x".into()),
            Value::Object(vec![("n".into(), Value::Number(f64::NAN))]),
            Millis(0),
        );
        assert_eq!(
            nan.unwrap_err().to_string(),
            "props.n: must be a finite number, got the number NaN"
        );
        assert_eq!(
            track(r#""x""#, "[1]").unwrap_err(),
            "props: must be an object, got an array"
        );
    }
}
