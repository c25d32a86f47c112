//! Values across the boundary: JS values into [`Value`] and back, through serde-wasm-bindgen.

use serde::{Deserialize, Serialize};
use serde_wasm_bindgen::{Deserializer, Serializer};
use wasm_bindgen::JsValue;

use super::error::{one, ErrorKind};
use crate::value::Value;

/// Reads a JS value (plain objects, arrays, strings, numbers, booleans, `null`/`undefined`).
///
/// # Errors
/// A value that is not JSON-like (a symbol, a function, a cyclic or too deeply nested object)
/// becomes an error of `kind` at `path`.
pub fn from_js(value: JsValue, kind: ErrorKind, path: &str) -> Result<Value, JsValue> {
    Value::deserialize(Deserializer::from(value))
        .map_err(|e| one(kind, path, "not_json", format!("expected plain JSON data: {e}")))
}

/// Writes a value as plain JS data: objects (not `Map`s), arrays, strings, numbers, booleans, `null`.
pub fn to_js(value: &Value) -> JsValue {
    value.serialize(&Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}
