//! `JsValue` → [`Value`]: a bounded copy of JavaScript input that the core parsers read.
//!
//! Bounds keep hostile input (cycles, huge arrays, deep nesting) from exhausting the stack or
//! memory: past a bound, the copy holds [`Value::Unsupported`], and the parser reports it with
//! its path. Nothing here throws or panics; a getter that throws is reported the same way.

use hearth_core::value::{Value, MAX_DEPTH, MAX_LIST_ENTRIES, MAX_NODES, MAX_OBJECT_KEYS};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Copies `value` within the bounds of [`hearth_core::value`].
pub fn to_value(value: &JsValue) -> Value {
    let mut nodes_left = MAX_NODES;
    convert(value, 0, &mut nodes_left)
}

fn convert(value: &JsValue, depth: usize, nodes_left: &mut usize) -> Value {
    if *nodes_left == 0 {
        return Value::Unsupported("input too large");
    }
    *nodes_left -= 1;
    if value.is_null() || value.is_undefined() {
        Value::Null
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Value::Number(n)
    } else if let Some(s) = value.as_string() {
        Value::String(s.into())
    } else if !value.is_object() {
        Value::Unsupported(describe_non_data(value))
    } else if depth >= MAX_DEPTH {
        Value::Unsupported("nested too deeply")
    } else if Array::is_array(value) {
        convert_array(value.unchecked_ref(), depth, nodes_left)
    } else {
        convert_object(value.unchecked_ref(), depth, nodes_left)
    }
}

fn describe_non_data(value: &JsValue) -> &'static str {
    if value.is_function() {
        "a function"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_bigint() {
        "a bigint (use a number)"
    } else {
        "not plain data"
    }
}

fn convert_array(array: &Array, depth: usize, nodes_left: &mut usize) -> Value {
    let length = (array.length() as usize).min(MAX_LIST_ENTRIES);
    let items = (0..length)
        .map(|i| convert(&array.get(i as u32), depth + 1, nodes_left))
        .collect();
    Value::List(items)
}

fn convert_object(object: &Object, depth: usize, nodes_left: &mut usize) -> Value {
    if object.is_function() {
        return Value::Unsupported("a function");
    }
    let keys = Object::keys(object);
    let length = (keys.length() as usize).min(MAX_OBJECT_KEYS);
    let entries = (0..length)
        .filter_map(|i| keys.get(i as u32).as_string())
        .map(|key| {
            let field = match Reflect::get(object, &JsValue::from_str(&key)) {
                Ok(field) => convert(&field, depth + 1, nodes_left),
                Err(_) => Value::Unsupported("a property whose getter threw"),
            };
            (key.into(), field)
        })
        .collect();
    Value::Object(entries)
}
