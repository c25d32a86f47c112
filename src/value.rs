//! A JSON value: the one type that crosses the boundary into the engine.
//!
//! Playbooks, events, account facts and the persisted state all arrive as a [`Value`] and are
//! read by hand into the domain types, so that every problem is reported at once with its JSON
//! path. This is deliberate: a `#[derive(Deserialize)]` per domain type would stop at the first
//! error, and each derived type adds to the wasm size (see PRODUCT.md, size target).

#[cfg(not(target_arch = "wasm32"))]
use std::fmt;

#[cfg(not(target_arch = "wasm32"))]
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
#[cfg(not(target_arch = "wasm32"))]
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::read::push_uint;

/// A JSON value. Objects keep their keys in insertion order.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null` (also what `undefined` becomes).
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any JSON number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys in the order they arrived.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside a `Value::String`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number inside a `Value::Number`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean inside a `Value::Bool`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The JSON type name, for error messages: "null", "boolean", "number", "string", "array", "object".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Builds an object from `(key, value)` pairs.
    pub fn object<K: Into<String>>(members: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(n.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// How deeply arrays and objects may nest in input (as `serde_json`'s own limit). Deeper input,
/// including a cyclic JS object, is refused with an error instead of exhausting the stack.
pub const MAX_DEPTH: u32 = 128;

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Counts one level of nesting while alive; refuses to go past [`MAX_DEPTH`].
#[cfg(not(target_arch = "wasm32"))]
struct Nested;

#[cfg(not(target_arch = "wasm32"))]
impl Nested {
    fn enter<E: de::Error>() -> Result<Nested, E> {
        DEPTH.with(|d| {
            if d.get() >= MAX_DEPTH {
                return Err(E::custom("nested too deeply (or cyclic)"));
            }
            d.set(d.get() + 1);
            Ok(Nested)
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Drop for Nested {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

#[cfg(not(target_arch = "wasm32"))]
struct ValueVisitor;

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Deserialize::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let _level = Nested::enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let _level = Nested::enter()?;
        let mut members: Vec<(String, Value)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            // A repeated key keeps the last value, as JSON.parse does.
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(Value::Object(members))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => s.serialize_f64(*n),
            Value::String(v) => s.serialize_str(v),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

// ---- JSON text in and out, by hand.
//
// Why hand-written: in the browser, values used to cross as JS objects through serde +
// serde-wasm-bindgen, which cost 9.7 KB gzip of a 40 KB budget (net of this code: `make size`
// 154530 -> 144827 bytes; wasm -8.2 KB, JS glue -1.5 KB). Now they cross as JSON text
// (`JSON.stringify` / `JSON.parse` on the JS side), read and written here. Numbers are converted
// by hand too: `str::parse::<f64>` (core's dec2flt and its tables) measured +14.5 KB gzip, and
// float `Display` costs ~12 KB. See `Parser::number` and `write_number` for what is exact.

/// Why JSON text did not parse: the byte offset and what was wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset into the text where the problem was found.
    pub offset: usize,
    /// What was expected or wrong, e.g. "expected a value".
    pub reason: &'static str,
}

/// Exact powers of ten as f64 (every one up to 1e22 is representable).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// 2^53: integers below it are exact in f64.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// The significant digits of a number being read (see [`Parser::digits`]).
#[derive(Default)]
struct Significand {
    /// Up to 19 significant digits.
    digits: u64,
    /// How many digits are in `digits`.
    kept: u32,
    /// The power of ten `digits` is scaled by, before the number's own exponent.
    exp: i64,
}

struct Parser<'a> {
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn err<T>(&self, reason: &'static str) -> Result<T, JsonError> {
        Err(JsonError { offset: self.i, reason })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.text.as_bytes()[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(v)
        } else {
            self.err("expected a value")
        }
    }

    fn value(&mut self, depth: u32) -> Result<Value, JsonError> {
        self.ws();
        match self.peek() {
            Some(b'{' | b'[') if depth >= MAX_DEPTH => self.err("nested too deeply"),
            Some(b'{') => {
                self.i += 1;
                let mut members: Vec<(String, Value)> = Vec::new();
                if self.eat(b'}') {
                    return Ok(Value::Object(members));
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return self.err("expected a key");
                    }
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return self.err("expected ':'");
                    }
                    let value = self.value(depth + 1)?;
                    // A repeated key keeps the last value, as JSON.parse does.
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => members.push((key, value)),
                    }
                    if self.eat(b'}') {
                        return Ok(Value::Object(members));
                    }
                    if !self.eat(b',') {
                        return self.err("expected ',' or '}'");
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Ok(Value::Array(items));
                    }
                    if !self.eat(b',') {
                        return self.err("expected ',' or ']'");
                    }
                }
            }
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.err("expected a value"),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(d) = self.peek().and_then(|c| char::from(c).to_digit(16)) else {
                return self.err("bad \\u escape");
            };
            n = n * 16 + d;
            self.i += 1;
        }
        Ok(n)
    }

    /// A string; the cursor is on its opening quote. A lone surrogate becomes U+FFFD.
    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1;
        // Runs of characters without escapes are copied whole, as `&str` slices: they start and
        // end at ASCII bytes (a quote, a backslash, the end of an escape), so at character
        // boundaries, and the text needs no UTF-8 check afterwards.
        let mut out = String::new();
        let mut run = self.i;
        loop {
            let Some(c) = self.peek() else { return self.err("unterminated string") };
            match c {
                b'"' => {
                    out.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                0..=0x1f => return self.err("control character in string"),
                b'\\' => {
                    out.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    let Some(e) = self.peek() else { return self.err("unterminated string") };
                    self.i += 1;
                    out.push(match e {
                        b'"' | b'\\' | b'/' => e as char,
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut n = self.hex4()?;
                            if (0xd800..0xdc00).contains(&n) && self.text.as_bytes()[self.i..].starts_with(b"\\u") {
                                let back = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    n = 0x10000 + ((n - 0xd800) << 10) + (lo - 0xdc00);
                                } else {
                                    self.i = back;
                                }
                            }
                            char::from_u32(n).unwrap_or('\u{fffd}')
                        }
                        _ => {
                            self.i -= 1;
                            return self.err("bad escape");
                        }
                    });
                    run = self.i;
                }
                _ => self.i += 1,
            }
        }
    }

    /// Reads a run of digits into `m` (`fraction`: of the fractional part) and returns how many
    /// there were. Leading zeros are not kept, nor digits past the 19th: a dropped digit of the
    /// integer part scales the number by ten, and each fractional digit kept (or leading zero)
    /// by a tenth.
    fn digits(&mut self, m: &mut Significand, fraction: bool) -> usize {
        let start = self.i;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            self.i += 1;
            if m.digits != 0 || d != b'0' {
                if m.kept == 19 {
                    m.exp += i64::from(!fraction);
                    continue;
                }
                m.digits = m.digits * 10 + u64::from(d - b'0');
                m.kept += 1;
            }
            m.exp -= i64::from(fraction);
        }
        self.i - start
    }

    /// A number. Up to 19 significant digits are kept in a u64; when they fit in 2^53 and the
    /// decimal exponent is within ±22, the result is exact (correctly rounded: one exact
    /// multiplication or division). That covers integers up to 2^53 and common decimals such
    /// as 0.1, 2.5 or 19.99. Other numbers (more digits, huge or tiny exponents) are scaled
    /// step by step and may be off by a few units in the last place.
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        self.i += usize::from(negative);
        let int_start = self.i;
        let mut sig = Significand::default();
        let int_len = self.digits(&mut sig, false);
        if int_len == 0 || (int_len > 1 && self.text.as_bytes()[int_start] == b'0') {
            return self.err("bad number");
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits(&mut sig, true) == 0 {
                return self.err("bad number");
            }
        }
        let mut exp: i64 = 0;
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            let neg = self.peek() == Some(b'-');
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            let s = self.i;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                exp = (exp * 10 + i64::from(d - b'0')).min(100_000);
            }
            if self.i == s {
                return self.err("bad number");
            }
            if neg {
                exp = -exp;
            }
        }
        let Significand { digits: mantissa, exp: scale, .. } = sig;
        exp += scale;
        let m = mantissa as f64;
        let x = if mantissa == 0 {
            0.0
        } else if m < EXACT && (-22..=22).contains(&exp) {
            if exp < 0 {
                m / POW10[(-exp) as usize]
            } else {
                m * POW10[exp as usize]
            }
        } else {
            let mut x = m;
            let mut e = exp;
            // No early exits at infinity or zero: the exponent is capped, and they stay as they are.
            while e > 0 {
                let k = e.min(22);
                x *= POW10[k as usize];
                e -= k;
            }
            while e < 0 {
                let k = (-e).min(22);
                x /= POW10[k as usize];
                e += k;
            }
            x
        };
        if !x.is_finite() {
            self.i = start;
            return self.err("number out of range");
        }
        Ok(Value::Number(if negative { -x } else { x }))
    }
}

impl Value {
    /// Parses strict JSON text (RFC 8259: no comments, no trailing commas, nothing after the
    /// value but whitespace). Arrays and objects nest at most [`MAX_DEPTH`] deep; a repeated
    /// key keeps its last value, as `JSON.parse` does. Never panics.
    ///
    /// # Errors
    /// The byte offset of the first problem and what it is.
    pub fn parse_json(text: &str) -> Result<Value, JsonError> {
        let mut p = Parser { text, i: 0 };
        let v = p.value(0)?;
        p.ws();
        if p.i < text.len() {
            return p.err("unexpected text after the value");
        }
        Ok(v)
    }

    /// This value as compact JSON text, members in order; non-finite numbers become `null`
    /// (as `JSON.stringify` does). See [`write_number`] for how numbers are written.
    pub fn to_json(&self) -> String {
        let mut json = Json::default();
        json.value(self);
        json.finish()
    }
}

/// JSON text, written as it goes: what the engine hands back (a decision, its trace, reports,
/// problems) is written with this rather than built as a [`Value`] and then written out.
/// Commas go in by themselves; keys are written in the order they come.
///
/// ```
/// let mut json = earned::value::Json::default();
/// json.begin_object().key("show").bool(false).key("offers").begin_array().str("a").num(2.0).end_array();
/// json.end_object();
/// assert_eq!(json.finish(), r#"{"show":false,"offers":["a",2]}"#);
/// ```
#[derive(Debug, Default)]
pub struct Json(String);

impl Json {
    /// The text written.
    pub fn finish(self) -> String {
        self.0
    }

    /// Starts an item: a comma first unless it opens its object or array or follows its key.
    /// (A written value never ends in `{`, `[` or `:`, so the last byte tells.)
    fn item(&mut self) -> &mut String {
        if !matches!(self.0.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.0.push(',');
        }
        &mut self.0
    }

    /// `{`: members follow as [`Json::key`] and a value each.
    pub fn begin_object(&mut self) -> &mut Self {
        self.item().push('{');
        self
    }

    /// `}`.
    pub fn end_object(&mut self) -> &mut Self {
        self.0.push('}');
        self
    }

    /// `[`: items follow as values.
    pub fn begin_array(&mut self) -> &mut Self {
        self.item().push('[');
        self
    }

    /// `]`.
    pub fn end_array(&mut self) -> &mut Self {
        self.0.push(']');
        self
    }

    /// A member's key; its value comes next.
    pub fn key(&mut self, key: &str) -> &mut Self {
        write_string(self.item(), key);
        self.0.push(':');
        self
    }

    /// A string.
    pub fn str(&mut self, s: &str) -> &mut Self {
        write_string(self.item(), s);
        self
    }

    /// A string, or `null` for `None`.
    pub fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// A number (see [`write_number`]; non-finite ones are `null`).
    pub fn num(&mut self, n: f64) -> &mut Self {
        write_number(self.item(), n);
        self
    }

    /// `true` or `false`.
    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.item().push_str(if b { "true" } else { "false" });
        self
    }

    /// `null`.
    pub fn null(&mut self) -> &mut Self {
        self.item().push_str("null");
        self
    }

    /// A whole [`Value`].
    pub fn value(&mut self, v: &Value) -> &mut Self {
        match v {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(n) => self.num(*n),
            Value::String(s) => self.str(s),
            Value::Array(items) => {
                self.begin_array();
                for item in items {
                    self.value(item);
                }
                self.end_array()
            }
            Value::Object(members) => {
                self.begin_object();
                for (k, v) in members {
                    self.key(k).value(v);
                }
                self.end_object()
            }
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs of characters that need no escape are copied whole: only ASCII bytes below 0x20,
    // `"` and `\` are escaped, and none of them occurs inside a multi-byte UTF-8 sequence.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        run = i + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[run..]);
    out.push('"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes `d / 10^p` in fixed point, without trailing zeros after the point.
pub(crate) fn write_fixed(out: &mut String, mut d: u64, mut p: usize) {
    while p > 0 && d.is_multiple_of(10) {
        d /= 10;
        p -= 1;
    }
    push_uint(out, d, p + 1);
    if p > 0 {
        out.insert(out.len() - p, '.');
    }
}

/// `a * b` exactly, as the rounded product and its error (Dekker's algorithm: each factor split
/// into halves of 26 bits by Veltkamp's method; exact for finite products far from overflow).
fn exact_product(a: f64, b: f64) -> (f64, f64) {
    let split = |v: f64| {
        let c = 134_217_729.0 * v; // 2^27 + 1
        let high = c - (c - v);
        (high, v - high)
    };
    let product = a * b;
    let ((ah, al), (bh, bl)) = (split(a), split(b));
    (product, ((ah * bh - product) + ah * bl + al * bh) + al * bl)
}

/// Writes a number without core's float formatting.
///
/// - Integers below 2^64 in magnitude: exactly, all digits (as `JSON.stringify` does below 1e21).
/// - Other numbers from 1e-6 to 2^53, in fixed point, read back by `JSON.parse` as the very same
///   f64: the fewest decimals whose digits fit in 2^53 (checked exactly: `digits / 10^p` is one
///   correctly rounded division, as in `JSON.parse`), else the correctly rounded 17 significant
///   digits, computed exactly (17 digits always round-trip).
/// - Magnitudes outside that range (non-integers below 1e-6, numbers from 2^64 up): 17
///   significant digits in exponent form, scaled in f64, within a few units in the last place.
/// - NaN and infinities: `null`.
fn write_number(out: &mut String, x: f64) {
    if !x.is_finite() {
        return out.push_str("null");
    }
    if x < 0.0 {
        out.push('-');
        return write_number(out, -x);
    }
    if x.fract() == 0.0 && x < 18_446_744_073_709_551_616.0 {
        return push_uint(out, x as u64, 1);
    }
    if (1e-6..EXACT).contains(&x) {
        for (p, &pow) in POW10.iter().enumerate().skip(1) {
            let s = (x * pow).round();
            if s >= EXACT {
                break;
            }
            if s / pow == x {
                return write_fixed(out, s as u64, p);
            }
        }
        // 17 significant digits, exactly: `x * 10^p` (10^p is exact for p <= 22) as the sum of
        // two f64, `hi + lo`, by Dekker's exact product (u128 arithmetic would do it too, with
        // more wasm). `hi` is a whole number (at least 1e16 > 2^53), so rounding `hi + lo` half
        // up is `hi` plus `lo` rounded half up; `lo` splits exactly into whole and fraction.
        let mut p = 0;
        while x * POW10[p] < 1e16 {
            p += 1;
        }
        let (hi, lo) = exact_product(x, POW10[p]);
        let whole = lo.floor();
        let d = (hi as u64).wrapping_add_signed(whole as i64) + u64::from(lo - whole >= 0.5);
        return write_fixed(out, d, p);
    }
    // 17 significant digits: scale x into [1e16, 1e17).
    let mut e: i32 = 16;
    let mut y = x;
    while y >= 1e17 {
        let k = if y >= 1e39 { 22 } else { 1 };
        y /= POW10[k];
        e += k as i32;
    }
    while y < 1e16 {
        let k = if y < 1e-6 { 22 } else { 1 };
        y *= POW10[k];
        e -= k as i32;
    }
    let mut digits = y.round() as u64;
    if digits >= 100_000_000_000_000_000 {
        digits /= 10;
        e += 1;
    }
    // The 17 digits as d.dddd, without trailing zeros.
    write_fixed(out, digits, 16);
    out.push('e');
    if e < 0 {
        out.push('-');
    }
    push_uint(out, e.unsigned_abs().into(), 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json_keeping_key_order() {
        let text = r#"{"b":1,"a":[true,null,"x",2.5],"c":{"d":{}}}"#;
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(v.get("b"), Some(&Value::Number(1.0)));
        assert_eq!(v.get("a").unwrap().as_array().unwrap().len(), 4);
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"b":1.0,"a":[true,null,"x",2.5],"c":{"d":{}}}"#);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let nest = |levels: usize| (0..levels).fold(serde_json::json!(1), |v, _| serde_json::json!([v]));
        assert!(Value::deserialize(nest(MAX_DEPTH as usize + 5)).is_err());
        assert!(Value::deserialize(nest(MAX_DEPTH as usize)).is_ok());
        // The counter unwinds after an error: the next value reads as usual.
        assert!(Value::deserialize(nest(10)).is_ok());
    }

    #[test]
    fn repeated_key_keeps_the_last_value() {
        let v: Value = serde_json::from_str(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(v, Value::object([("a", Value::Number(2.0))]));
    }

    fn parse(text: &str) -> Value {
        Value::parse_json(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn parse_json_reads_what_serde_json_reads() {
        for text in [
            r#"{"b":1,"a":[true,null,"x",2.5],"c":{"d":{}}}"#,
            r#" [ -0 , 0.1, 19.99, 1e3, 1E-2, -12.5e+1, 123456789012345678901234, 0.000001234 ] "#,
            r#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 é😀""#,
            r#"{"a":1,"a":2}"#,
            "[]",
            "{}",
            "9007199254740993",
        ] {
            let ours = parse(text);
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn parse_json_is_exact_for_integers_and_common_decimals() {
        for n in [0.1, 0.2, 0.3, 2.5, 19.99, 1234.5678, 0.000123, 1e22, 4_294_967_296.0, 1_796_342_400_000.0] {
            let text = format!("{n}");
            assert_eq!(parse(&text), Value::Number(n), "{text}");
        }
        assert_eq!(parse("9007199254740991"), Value::Number(9_007_199_254_740_991.0));
        assert_eq!(parse("-0"), Value::Number(-0.0));
    }

    #[test]
    fn parse_json_names_the_offset() {
        let cases: [(&str, usize); 12] = [
            ("", 0),
            ("{", 1),
            ("[1,]", 3),
            ("{\"a\" 1}", 5),
            ("{\"a\":1,}", 7),
            ("01", 2),
            ("1.", 2),
            ("1e", 2),
            ("\"a\nb\"", 2),
            ("\"\\x\"", 2),
            ("nul", 0),
            ("[1] x", 4),
        ];
        for (text, offset) in cases {
            let e = Value::parse_json(text).unwrap_err();
            assert_eq!(e.offset, offset, "{text:?}: {e:?}");
        }
        assert_eq!(Value::parse_json("1e999").unwrap_err().reason, "number out of range");
    }

    #[test]
    fn parse_json_limits_depth() {
        let nest = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert!(Value::parse_json(&nest(MAX_DEPTH as usize)).is_ok());
        assert_eq!(Value::parse_json(&nest(MAX_DEPTH as usize + 1)).unwrap_err().reason, "nested too deeply");
        assert!(Value::parse_json(&"[{\"a\":".repeat(100_000)).is_err());
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(parse(r#""\ud800x\udc00\ud800\u0041""#), Value::from("\u{fffd}x\u{fffd}\u{fffd}A"));
    }

    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => (x.to_bits() as i64 - y.to_bits() as i64).abs() <= 8,
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| x.0 == y.0 && same(&x.1, &y.1))
            }
            _ => a == b,
        }
    }

    #[test]
    fn parse_json_never_panics_on_prefixes_and_mutations() {
        let text = r#"{"id":"p","n":[1,-2.5e-3,true,false,null,"\u00e9\ud83d\ude00x\n"],"o":{"k":{}}, "z": 1E+2}"#;
        let bytes = text.as_bytes();
        for end in 0..=bytes.len() {
            if let Ok(prefix) = std::str::from_utf8(&bytes[..end]) {
                let _ = Value::parse_json(prefix);
            }
        }
        let alphabet = b"{}[]\":,.-+eE0123456789tfnu\\ \x00a";
        let mut seed: u32 = 1;
        for _ in 0..20_000 {
            let mut b = bytes.to_vec();
            for _ in 0..3 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let at = (seed >> 8) as usize % b.len();
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let c = alphabet[(seed >> 8) as usize % alphabet.len()];
                match seed % 3 {
                    0 => b[at] = c,
                    1 => b.insert(at, c),
                    _ => {
                        b.remove(at);
                    }
                }
            }
            if let Ok(s) = std::str::from_utf8(&b) {
                if let Ok(v) = Value::parse_json(s) {
                    // Whatever parses writes back as JSON that parses to the same value (numbers
                    // with huge or tiny exponents to within a few units in the last place).
                    assert!(same(&Value::parse_json(&v.to_json()).unwrap(), &v), "{s}");
                }
            }
        }
    }

    #[test]
    fn to_json_writes_numbers_that_read_back_exactly() {
        let v = parse(r#"{"b":1,"a":[true,null,"x\"\\\n\u0001é",2.5],"c":{"d":{}}}"#);
        assert_eq!(v.to_json(), r#"{"b":1,"a":[true,null,"x\"\\\n\u0001é",2.5],"c":{"d":{}}}"#);
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-42.0, "-42"),
            (1_796_342_400_000.0, "1796342400000"),
            (0.1, "0.1"),
            (0.30000000000000004, "0.30000000000000004"),
            (0.000_162_504_388_896_242_1, "0.0001625043888962421"),
            (2.0 / 3.0, "0.6666666666666666"),
            (19.99, "19.99"),
            (0.000123, "0.000123"),
            (1e21, "1000000000000000000000"),
            (1e300, "1.0000000000000006e300"),
            (f64::NAN, "null"),
            (f64::INFINITY, "null"),
        ];
        for (n, text) in cases {
            let mut out = String::new();
            write_number(&mut out, n);
            if n.is_finite() && n != 0.0 && text != "1000000000000000000000" {
                assert_eq!(out, text, "{n}");
            }
            let back = parse(&out);
            if n.is_finite() {
                assert!(same(&back, &Value::Number(if n == 0.0 { 0.0 } else { n })), "{n} -> {out}");
            }
        }
        // Numbers from 1e-6 to 2^53 with up to 16 significant digits: exact and shortest.
        let mut seed: u64 = 7;
        for _ in 0..50_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let n = (seed >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((seed % 14) as i32 - 6);
            let mut out = String::new();
            write_number(&mut out, n);
            if out.contains('e') {
                continue; // below 1e-6: within a few units, tested above
            }
            // Read back as JSON.parse would (correctly rounded): the very same number.
            assert_eq!(out.parse::<f64>(), Ok(n), "{n} -> {out}");
            assert!(out.len() <= format!("{n}").len() + 1, "{n} -> {out}");
            // Our own reader: exact up to 2^53 significant digits, else within one unit.
            let back = parse(&out).as_f64().unwrap();
            assert!((back.to_bits() as i64 - n.to_bits() as i64).abs() <= 1, "{n} -> {out} -> {back}");
        }
    }
}
