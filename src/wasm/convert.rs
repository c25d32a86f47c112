//! Values across the boundary, as JSON text: `JSON.stringify` on the way in, read by
//! [`Value::parse_json`]; [`Json`] text (a decision, a trace, problems) on the way out, read by
//! `JSON.parse`. (serde + serde-wasm-bindgen did this before and cost 9.7 KB gzip
//! of the 40 KB budget.)

use js_sys::JSON;
use wasm_bindgen::prelude::*;

use super::error::{one, ErrorKind};
use crate::value::{Json, Value};

/// Reads a JS value (plain objects, arrays, strings, numbers, booleans, `null`/`undefined`) as
/// `JSON.stringify` sees it: `toJSON` applies (a `Date` becomes its ISO text), `NaN` and
/// infinities become `null`, `undefined` and function members are left out.
///
/// # Errors
/// A value `JSON.stringify` refuses (cyclic, a `BigInt`) or cannot write (a function or symbol),
/// or one nested more than 128 deep, becomes an error of `kind` at `path`.
pub fn from_js(value: JsValue, kind: ErrorKind, path: &str) -> Result<Value, JsValue> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(&value).ok().and_then(|t| t.as_string());
    text.and_then(|t| Value::parse_json(&t).ok()).ok_or_else(|| {
        one(kind, path, "not_json", "expected plain JSON data (no cycles, BigInts or functions; at most 128 deep)")
    })
}

#[wasm_bindgen]
extern "C" {
    /// JSON text the engine wrote (see [`Json`]) as plain JS data: `JSON.parse`, bound without
    /// `catch` (unlike js-sys's), as the engine's own JSON text always parses.
    #[wasm_bindgen(js_namespace = JSON)]
    pub fn parse(json: &str) -> JsValue;
}

/// Items as a JS array, each written by `write` (problems, watch reports).
pub fn array_to_js<T>(items: &[T], write: fn(&T, &mut Json)) -> JsValue {
    let mut json = Json::default();
    write_array(&mut json, items, write);
    parse(&json.finish())
}

/// Writes items as a JSON array, each written by `write`.
pub fn write_array<T>(json: &mut Json, items: &[T], write: fn(&T, &mut Json)) {
    json.begin_array();
    for item in items {
        write(item, json);
    }
    json.end_array();
}
