//! JavaScript input as plain data, and a small typed reader over it.
//!
//! The browser layer copies a `JsValue` into a [`Value`] (bounded in depth, breadth and
//! size). Parsers then read it through [`Field`], which knows where it is in the input, so
//! every error names its path (`candidates[3].features.recency`) and the rule broken. Strict
//! objects reject unknown keys; lenient ones (a site's own candidate objects) ignore them
//! without looking inside. Hand-written rather than serde-derived: it is a fraction of the
//! wasm size and its messages say exactly what we want.

use std::fmt;
use std::rc::Rc;

/// Deepest nesting copied; deeper values become [`Value::Unsupported`].
pub const MAX_DEPTH: usize = 16;
/// Entries of one array copied: one past the longest list any parser accepts, so a bounded
/// list still sees (and reports) its first extra entry.
pub const MAX_LIST_ENTRIES: usize = 10_001;
/// Keys of one object copied: one past the largest map any parser accepts.
pub const MAX_OBJECT_KEYS: usize = 1_025;
/// Values copied from one input, in total.
pub const MAX_NODES: usize = 4_000_000;

/// JSON-like data, plus a marker for what could not be copied.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` or `undefined`: treated as absent.
    Null,
    /// A boolean.
    Bool(bool),
    /// Any number, including NaN and the infinities (readers reject them).
    Number(f64),
    /// A string. Shared, so that a packed request's repeated strings (a feature name on every
    /// candidate) are one allocation.
    String(Rc<str>),
    /// An array, possibly truncated at [`MAX_LIST_ENTRIES`].
    List(Vec<Value>),
    /// An object's own enumerable string keys, in order, possibly truncated at [`MAX_OBJECT_KEYS`].
    Object(Vec<(Rc<str>, Value)>),
    /// Not data (a function, a symbol, a bigint), or past a bound; says which.
    Unsupported(&'static str),
}

impl Value {
    /// What kind of value this is, for messages: "a string", "an array", …
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "nothing".into(),
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Number(n) => format!("the number {}", short_number(*n)),
            Value::String(s) if s.chars().count() > 40 => "a long string".into(),
            Value::String(s) => format!("the string '{s}'"),
            Value::List(_) => "an array".into(),
            Value::Object(_) => "an object".into(),
            Value::Unsupported(what) => (*what).into(),
        }
    }
}

/// Formats a number for a message without pulling the float formatter (about 20 KB of
/// wasm) into the module: integers exactly, others to four decimals.
/// The largest integer a JavaScript number holds exactly (2^53 - 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

fn short_number(n: f64) -> String {
    const LARGEST_EXACT: f64 = MAX_SAFE_INTEGER as f64;
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n.abs() > LARGEST_EXACT {
        "beyond ±2^53".into()
    } else if n.fract() == 0.0 {
        (n as i64).to_string()
    } else if n.abs() < 1e-4 {
        "close to 0".into()
    } else {
        let scaled = (n.abs() * 10_000.0).round() as u64;
        let sign = if n < 0.0 { "-" } else { "" };
        let fraction = format!("{:04}", scaled % 10_000);
        format!(
            "{sign}{}.{}",
            scaled / 10_000,
            fraction.trim_end_matches('0')
        )
    }
}

/// Why input was rejected: where, and what rule it broke with what value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Where in the input, e.g. `options.consent.honorGpc` or `candidates[3].id`.
    pub path: String,
    /// The rule broken and the value received.
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for InputError {}

/// Where a field sits in its container. Paths are written out only when an error needs one
/// (or once per container that hands out fields): building a string per value made reading a
/// large candidate list several times slower.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Root,
    Key(String),
    Index(usize),
}

/// A value together with its path in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    parent: Rc<str>,
    segment: Segment,
    value: Value,
}

impl Field {
    /// The whole input, named `name` in messages.
    pub fn root(name: &str, value: Value) -> Field {
        Field {
            parent: Rc::from(name),
            segment: Segment::Root,
            value,
        }
    }

    /// The value at `key` of the object at `parent`.
    pub fn child(parent: &Rc<str>, key: &str, value: Value) -> Field {
        Field {
            parent: parent.clone(),
            segment: Segment::Key(key.to_owned()),
            value,
        }
    }

    /// Where this value is, e.g. `request.candidates[3].id`.
    pub fn path(&self) -> String {
        match &self.segment {
            Segment::Root => self.parent.to_string(),
            Segment::Key(key) => format!("{}.{key}", self.parent),
            Segment::Index(index) => format!("{}[{index}]", self.parent),
        }
    }

    /// The value itself.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Whether the value is absent (`undefined` or `null`).
    pub fn is_absent(&self) -> bool {
        self.value == Value::Null
    }

    /// An error at this field.
    pub fn error(&self, reason: impl Into<String>) -> InputError {
        InputError {
            path: self.path(),
            reason: reason.into(),
        }
    }

    fn expected(&self, what: &str) -> InputError {
        self.error(format!("must be {what}, got {}", self.value.describe()))
    }

    /// `None` when absent, otherwise `read(self)`.
    pub fn optional<T>(
        self,
        read: impl FnOnce(Field) -> Result<T, InputError>,
    ) -> Result<Option<T>, InputError> {
        if self.is_absent() {
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    /// A boolean.
    pub fn boolean(self) -> Result<bool, InputError> {
        match self.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.expected("true or false")),
        }
    }

    /// A finite number.
    pub fn finite_number(self) -> Result<f64, InputError> {
        match self.value {
            Value::Number(n) if n.is_finite() => Ok(n),
            _ => Err(self.expected("a finite number")),
        }
    }

    /// A whole number from `min` to `max`.
    pub fn integer(self, min: u64, max: u64) -> Result<u64, InputError> {
        match self.value {
            Value::Number(n) if n.fract() == 0.0 && n >= min as f64 && n <= max as f64 => {
                Ok(n as u64)
            }
            _ => Err(self.expected(&format!("a whole number from {min} to {max}"))),
        }
    }

    /// A string of 1 to `max_chars` characters.
    pub fn text(self, max_chars: usize) -> Result<String, InputError> {
        match self.value {
            Value::String(s) if !s.is_empty() && s.chars().count() <= max_chars => {
                Ok(s.to_string())
            }
            Value::String(ref s) if s.is_empty() => Err(self.error("must not be empty")),
            Value::String(ref s) => Err(self.error(format!(
                "must be at most {max_chars} characters, got {}",
                s.chars().count()
            ))),
            _ => Err(self.expected("a string")),
        }
    }

    /// A string of at most `max_chars` characters, possibly empty.
    pub fn text_or_empty(self, max_chars: usize) -> Result<String, InputError> {
        if matches!(&self.value, Value::String(s) if s.is_empty()) {
            return Ok(String::new());
        }
        self.text(max_chars)
    }

    /// One of `choices`, returned as its index.
    pub fn one_of(self, choices: &[&str]) -> Result<usize, InputError> {
        if let Value::String(s) = &self.value {
            if let Some(index) = choices.iter().position(|c| *c == &**s) {
                return Ok(index);
            }
        }
        Err(self.expected(&format!("one of '{}'", choices.join("', '"))))
    }

    /// An array of at most `max` entries, each with its path.
    pub fn list(self, max: usize) -> Result<Vec<Field>, InputError> {
        let path: Rc<str> = Rc::from(self.path());
        let Value::List(items) = self.value else {
            return Err(self.expected("an array"));
        };
        if items.len() > max {
            return Err(InputError {
                path: format!("{path}[{max}]"),
                reason: format!("at most {max} entries are allowed; this one is over the limit"),
            });
        }
        Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, value)| Field {
                parent: path.clone(),
                segment: Segment::Index(i),
                value,
            })
            .collect())
    }

    /// An object whose keys must all be in `allowed`; read its fields with [`Object::take`].
    pub fn strict_object(self, allowed: &'static [&'static str]) -> Result<Object, InputError> {
        let object = self.object()?;
        if let Some((key, _)) = object
            .entries
            .iter()
            .find(|(k, _)| !allowed.contains(&&**k))
        {
            return Err(InputError {
                path: object.child_path(key),
                reason: format!("unknown key; expected one of {}", allowed.join(", ")),
            });
        }
        Ok(object)
    }

    /// An object whose unknown keys are ignored unread.
    pub fn object(self) -> Result<Object, InputError> {
        let path: Rc<str> = Rc::from(self.path());
        match self.value {
            Value::Object(entries) => Ok(Object { path, entries }),
            other => Err(InputError {
                path: path.to_string(),
                reason: format!("must be an object, got {}", other.describe()),
            }),
        }
    }
}

/// An object being read field by field.
#[derive(Debug)]
pub struct Object {
    path: Rc<str>,
    entries: Vec<(Rc<str>, Value)>,
}

impl Object {
    fn child_path(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// The field `key`, absent (`null`) when the object has none.
    pub fn take(&mut self, key: &str) -> Field {
        let value = match self.entries.iter().position(|(k, _)| &**k == key) {
            Some(i) => self.entries.swap_remove(i).1,
            None => Value::Null,
        };
        Field {
            parent: self.path.clone(),
            segment: Segment::Key(key.to_owned()),
            value,
        }
    }

    /// Every remaining entry, in order, when there are at most `max` of them.
    pub fn into_entries(self, max: usize) -> Result<Vec<(String, Field)>, InputError> {
        let Pairs { path, entries } = self.into_pairs(max)?;
        Ok(entries
            .into_iter()
            .map(|(key, value)| {
                let field = Field::child(&path, &key, value);
                (key.to_string(), field)
            })
            .collect())
    }

    /// Every remaining entry as a bare `(key, value)` pair, in order, when there are at most
    /// `max`, with the object's path: for long objects whose values are nearly always valid,
    /// where making a [`Field`] per entry would cost more than reading it (make one with
    /// [`Field::child`] when an entry needs an error).
    pub fn into_pairs(self, max: usize) -> Result<Pairs, InputError> {
        if self.entries.len() > max {
            return Err(InputError {
                path: self.path.to_string(),
                reason: format!("at most {max} keys are allowed, got more"),
            });
        }
        Ok(Pairs {
            path: self.path,
            entries: self.entries,
        })
    }
}

/// An object's remaining entries as bare pairs (see [`Object::into_pairs`]).
#[derive(Debug)]
pub struct Pairs {
    /// The object's path, for [`Field::child`].
    pub path: Rc<str>,
    /// The entries, in order.
    pub entries: Vec<(Rc<str>, Value)>,
}

/// Converts JSON text, for tests that feed parsers as the browser does (keys kept in order).
#[cfg(test)]
pub(crate) fn from_json(text: &str) -> Value {
    fn convert(json: serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.into()),
            serde_json::Value::Array(items) => {
                Value::List(items.into_iter().map(convert).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k.into(), convert(v)))
                    .collect(),
            ),
        }
    }
    convert(serde_json::from_str(text).expect("test JSON is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(json: &str) -> Field {
        Field::root("input", from_json(json))
    }

    #[test]
    fn unknown_keys_of_a_strict_object_are_named_with_their_path() {
        let error = field(r#"{"count":1,"extra":2}"#)
            .strict_object(&["count"])
            .unwrap_err();
        assert_eq!(error.path, "input.extra");
        assert_eq!(error.reason, "unknown key; expected one of count");
    }

    #[test]
    fn fields_carry_their_path_into_errors() {
        let mut object = field(r#"{"a":{"b":[1,"x"]}}"#).object().unwrap();
        let mut inner = object.take("a").object().unwrap();
        let list = inner.take("b").list(5).unwrap();
        let error = list[1].clone().finite_number().unwrap_err();
        assert_eq!(
            error.to_string(),
            "input.a.b[1]: must be a finite number, got the string 'x'"
        );
    }

    #[test]
    fn integers_must_be_whole_and_in_range() {
        assert_eq!(field("3").integer(1, 5), Ok(3));
        assert!(field("3.5").integer(1, 5).is_err());
        assert!(field("0").integer(1, 5).is_err());
        assert!(field("-1").integer(0, 5).is_err());
    }

    #[test]
    fn non_finite_numbers_are_not_finite_numbers() {
        for n in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let error = Field::root("x", Value::Number(n))
                .finite_number()
                .unwrap_err();
            assert!(
                error.reason.starts_with("must be a finite number"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_list_past_its_limit_names_the_first_extra_entry() {
        let error = field("[1,2,3,4]").list(3).unwrap_err();
        assert_eq!(error.path, "input[3]");
    }

    #[test]
    fn absent_fields_are_none_when_optional() {
        let mut object = field(r#"{"a":null}"#).object().unwrap();
        assert_eq!(object.take("a").optional(Field::boolean), Ok(None));
        assert_eq!(object.take("missing").optional(Field::boolean), Ok(None));
    }

    #[test]
    fn numbers_in_messages_are_short_and_exact_for_integers() {
        assert_eq!(short_number(7.0), "7");
        assert_eq!(short_number(-3.0), "-3");
        assert_eq!(short_number(2.5), "2.5");
        assert_eq!(short_number(-0.125), "-0.125");
        assert_eq!(short_number(1.0 / 3.0), "0.3333");
        assert_eq!(short_number(f64::NAN), "NaN");
        assert_eq!(short_number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(short_number(1e300), "beyond ±2^53");
    }

    #[test]
    fn unsupported_values_are_described() {
        let error = Field::root("f", Value::Unsupported("a function"))
            .text(10)
            .unwrap_err();
        assert_eq!(error.reason, "must be a string, got a function");
    }
}
