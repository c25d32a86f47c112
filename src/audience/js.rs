//! The few pieces of JavaScript semantics that GrowthBook's condition language leans on:
//! `String(x)`, `Number(x)`, `===`, truthiness, `<` and `JSON.stringify(a) === JSON.stringify(b)`.
//!
//! Numbers are converted to and from text by JS itself in the browser and by hand natively,
//! without Rust's float formatting or parsing, which would add many kilobytes to the wasm build.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::value::Value;

/// How deep nested arrays and objects are followed when stringifying or comparing them.
const MAX_VALUE_DEPTH: u32 = 64;

/// JS truthiness (`!!v`).
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// JS `a === b` for values that came from two different JSON documents: arrays and objects are
/// distinct references, so they are never strictly equal.
pub(crate) fn strict_eq(a: &Value, b: &Value) -> bool {
    // For the other kinds `==` on values is `===`: the same kind, and numbers compared as `f64`.
    !matches!(a, Value::Array(_) | Value::Object(_)) && a == b
}

/// JS `String(v)` (equivalently `v + ""`).
pub(crate) fn to_js_string(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed("null"),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        Value::Number(n) => Cow::Owned(number_to_string(*n)),
        Value::Object(_) => Cow::Borrowed("[object Object]"),
        Value::Array(items) => {
            let mut out = String::new();
            join_array(items, &mut out, 0);
            Cow::Owned(out)
        }
    }
}

/// `Array.prototype.join(",")`: `null` items become empty, nested arrays are joined in turn.
fn join_array(items: &[Value], out: &mut String, depth: u32) {
    if depth > MAX_VALUE_DEPTH {
        return;
    }
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Value::Null => {}
            Value::Array(inner) => join_array(inner, out, depth + 1),
            other => out.push_str(&to_js_string(other)),
        }
    }
}

/// JS `Number(v)` (equivalently `v * 1`).
pub(crate) fn to_number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => *n,
        Value::String(_) | Value::Array(_) => string_to_number(&to_js_string(v)),
        Value::Object(_) => f64::NAN,
    }
}

/// Whether JS `ToPrimitive` makes `v` a string (rather than something that becomes a number).
fn is_string_like(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Array(_) | Value::Object(_))
}

/// JS `IsLessThan(a, b)`: `Some(a < b)`, or `None` when the comparison is undefined (NaN).
/// Two strings compare as strings; otherwise both become numbers, and `Number` of the string
/// a value becomes is `Number` of the value.
pub(crate) fn less_than(a: &Value, b: &Value) -> Option<bool> {
    if is_string_like(a) && is_string_like(b) {
        return Some(cmp_utf16(&to_js_string(a), &to_js_string(b)) == Ordering::Less);
    }
    to_number(a).partial_cmp(&to_number(b)).map(|o| o == Ordering::Less)
}

/// Compares two strings as JS does: by UTF-16 code units.
pub(crate) fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.chars().map(utf16_order).cmp(b.chars().map(utf16_order))
}

/// Where a char sorts by its UTF-16 code units (what `encode_utf16` and a comparison of the
/// units would say, in less wasm): by code point, except that U+E000 to U+FFFF sort after the
/// chars beyond U+FFFF, whose first unit is a surrogate (U+D800 to U+DBFF).
fn utf16_order(c: char) -> u32 {
    match u32::from(c) {
        n @ 0xE000..=0xFFFF => n + 0x11_0000,
        n => n,
    }
}

/// `JSON.stringify(a) === JSON.stringify(b)`. Numbers that are equal stringify equally, and JS
/// puts integer-like object keys first in ascending order, then the rest in insertion order.
pub(crate) fn json_equal(a: &Value, b: &Value) -> bool {
    json_equal_at(a, b, 0)
}

fn json_equal_at(a: &Value, b: &Value, depth: u32) -> bool {
    if depth > MAX_VALUE_DEPTH {
        return false;
    }
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal_at(p, q, depth + 1))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return false;
            }
            // Integer-like keys: same set, same values (their order is fixed by their value).
            let integer_keys_match = x
                .iter()
                .filter(|(k, _)| array_index(k).is_some())
                .all(|(k, v)| y.iter().find(|(k2, _)| k2 == k).is_some_and(|(_, v2)| json_equal_at(v, v2, depth + 1)));
            // Other keys: same sequence.
            let mut xs = x.iter().filter(|(k, _)| array_index(k).is_none());
            let mut ys = y.iter().filter(|(k, _)| array_index(k).is_none());
            integer_keys_match
                && loop {
                    match (xs.next(), ys.next()) {
                        (None, None) => break true,
                        (Some((k1, v1)), Some((k2, v2))) if k1 == k2 && json_equal_at(v1, v2, depth + 1) => {}
                        _ => break false,
                    }
                }
        }
        _ => a == b,
    }
}

/// A canonical JS array index ("0", "17", not "017" or "-1"), as used for array access and
/// for ordering object keys.
pub(crate) fn array_index(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    let mut n: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    if n >= u64::from(u32::MAX) {
        return None;
    }
    usize::try_from(n).ok()
}

// ---------------------------------------------------------------------------------------------
// Numbers to and from text. In the browser, JS's own `String(n)` and `Number(s)` (exact, and no
// code in the wasm); natively, by hand below.

#[cfg(target_arch = "wasm32")]
mod platform {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// JS `String(n)`.
        #[wasm_bindgen(js_name = String)]
        pub(crate) fn number_to_string(n: f64) -> String;
        /// JS `Number(s)`.
        #[wasm_bindgen(js_name = Number)]
        pub(crate) fn string_to_number(s: &str) -> f64;
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use crate::read::push_uint;

    /// Exact powers of ten representable as f64.
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];

    /// 2^53: every integer below it is exact in an f64.
    const TWO_53: f64 = 9_007_199_254_740_992.0;

    // ---------------------------------------------------------------------------------------------
    // Number -> string

    /// JS `String(n)`: the shortest digits that read back as `n`, in JS's layout
    /// ("1", "0.1", "1.5e-7", "1e+21"). Exact for integers and for decimals in everyday ranges;
    /// far outside them (below about 1e-21, above about 4e37) the digits are approximated.
    pub(crate) fn number_to_string(n: f64) -> String {
        let mut out = String::new();
        if n.is_nan() {
            out.push_str("NaN");
            return out;
        }
        if n == 0.0 {
            out.push('0');
            return out;
        }
        let mut x = n;
        if x < 0.0 {
            out.push('-');
            x = -x;
        }
        if x.is_infinite() {
            out.push_str("Infinity");
            return out;
        }
        let (mut digits, mut exp) = shortest_digits(x).unwrap_or_else(|| approximate_digits(x));
        while digits != 0 && digits % 10 == 0 {
            digits /= 10;
            exp += 1;
        }
        // Natively, u128 formatting costs nothing that ships.
        let s = digits.to_string();
        let k = s.len() as i32;
        let e = exp + k; // the value is 0.<digits> * 10^e
        if k <= e && e <= 21 {
            out.push_str(&s);
            for _ in 0..(e - k) {
                out.push('0');
            }
        } else if 0 < e && e <= 21 {
            let (int_part, frac_part) = s.split_at(e as usize);
            out.push_str(int_part);
            out.push('.');
            out.push_str(frac_part);
        } else if -6 < e && e <= 0 {
            out.push_str("0.");
            for _ in 0..(-e) {
                out.push('0');
            }
            out.push_str(&s);
        } else {
            let (first, rest) = s.split_at(1);
            out.push_str(first);
            if !rest.is_empty() {
                out.push('.');
                out.push_str(rest);
            }
            out.push('e');
            out.push(if e > 0 { '+' } else { '-' });
            push_uint(&mut out, u64::from((e - 1).unsigned_abs()), 1);
        }
        out
    }

    /// The shortest `(digits, exp)` with `digits * 10^exp` reading back as `x` (x > 0, finite),
    /// found with exact integer arithmetic; `None` when `x` is outside the range this handles.
    fn shortest_digits(x: f64) -> Option<(u128, i32)> {
        if x.trunc() == x && x < TWO_53 {
            return Some((x as u128, 0));
        }
        let bits = x.to_bits();
        let exp_bits = ((bits >> 52) & 0x7ff) as i32;
        if exp_bits == 0 {
            return None; // subnormal
        }
        let m = u128::from((bits & ((1u64 << 52) - 1)) | (1u64 << 52));
        let e2 = exp_bits - 1075; // x = m * 2^e2
        let even = m % 2 == 0;
        // Rounding interval of x, times 4 (so its ends are integers): (low, high) * 2^e2 / 4.
        let low = if m == 1 << 52 && exp_bits > 1 { 4 * m - 1 } else { 4 * m - 2 };
        let high = 4 * m + 2;
        let inside = |t: u128, lo: u128, hi: u128| (lo < t || (even && lo == t)) && (t < hi || (even && t == hi));

        if e2 >= 0 {
            // A large integer: try as many trailing zeros as possible.
            if e2 > 72 {
                return None;
            }
            let scale = 1u128 << e2;
            let big = m << e2;
            let (lo_b, hi_b) = (low * scale, high * scale);
            for j in (0..=22u32).rev() {
                let p = 10u128.pow(j);
                let q = big / p;
                let r = big % p;
                let order = if 2 * r < p { [q, q + 1] } else { [q + 1, q] };
                for s in order {
                    if s >= 1 && inside(4 * s * p, lo_b, hi_b) {
                        return Some((s, j as i32));
                    }
                }
            }
            None
        } else {
            // A fraction: try as few decimal places as possible.
            let q_bits = (-e2) as u32; // x = m / 2^q_bits
            if q_bits + 2 >= 127 {
                return None;
            }
            let scale = 1u128 << (q_bits + 2);
            for k in 1..=21u32 {
                let p = 10u128.pow(k);
                let num = m * p;
                let q = num >> q_bits;
                let r = num - (q << q_bits);
                let order = if r < (1u128 << (q_bits - 1)) { [q, q + 1] } else { [q + 1, q] };
                let (lo_b, hi_b) = (low.checked_mul(p)?, high.checked_mul(p)?);
                for s in order {
                    if s >= 1 && inside(s.checked_mul(scale)?, lo_b, hi_b) {
                        return Some((s, -(k as i32)));
                    }
                }
            }
            None
        }
    }

    /// 17 significant digits by scaling with floats: close, not always the shortest.
    fn approximate_digits(mut x: f64) -> (u128, i32) {
        let mut exp = 0i32;
        while x >= 1e17 {
            x /= 10.0;
            exp += 1;
        }
        while x < 1e16 {
            x *= 10.0;
            exp -= 1;
        }
        (x.round() as u128, exp)
    }

    // ---------------------------------------------------------------------------------------------
    // String -> number

    /// JS whitespace and line terminators, as trimmed by `Number(string)`.
    fn is_js_space(c: char) -> bool {
        matches!(
            c,
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
        )
    }

    /// JS `Number(string)`: trimmed; "" is 0; "0x1f", "0o17", "0b11", "Infinity" and decimal
    /// literals are read; anything else is NaN. Correctly rounded when the digits fit in 2^53 and
    /// the exponent is within 10^±22 (all everyday numbers); otherwise very close.
    pub(crate) fn string_to_number(s: &str) -> f64 {
        let s = s.trim_matches(is_js_space);
        if s.is_empty() {
            return 0.0;
        }
        let bytes = s.as_bytes();
        if bytes.len() > 2 && bytes[0] == b'0' {
            let radix = match bytes[1] {
                b'x' | b'X' => 16,
                b'o' | b'O' => 8,
                b'b' | b'B' => 2,
                _ => 0,
            };
            if radix != 0 {
                let mut v = 0.0f64;
                for &b in &bytes[2..] {
                    match char::from(b).to_digit(radix) {
                        Some(d) => v = v * f64::from(radix) + f64::from(d),
                        None => return f64::NAN,
                    }
                }
                return v;
            }
        }
        let (negative, body) = match bytes[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let magnitude = if body == "Infinity" {
            f64::INFINITY
        } else {
            match parse_decimal(body.as_bytes()) {
                Some(v) => v,
                None => return f64::NAN,
            }
        };
        if negative {
            -magnitude
        } else {
            magnitude
        }
    }

    /// `digits [. digits] [e [+-] digits]` (at least one digit before the exponent), unsigned.
    fn parse_decimal(b: &[u8]) -> Option<f64> {
        let mut i = 0;
        let mut mantissa: u64 = 0;
        let mut exp: i64 = 0;
        let mut any_digit = false;
        let mut significant = 0u32;
        let mut take = |d: u8, fractional: bool, mantissa: &mut u64, exp: &mut i64| {
            if significant < 19 {
                *mantissa = *mantissa * 10 + u64::from(d);
                if *mantissa != 0 {
                    significant += 1;
                }
                if fractional {
                    *exp -= 1;
                }
            } else if !fractional {
                *exp += 1;
            }
        };
        while i < b.len() && b[i].is_ascii_digit() {
            take(b[i] - b'0', false, &mut mantissa, &mut exp);
            any_digit = true;
            i += 1;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                take(b[i] - b'0', true, &mut mantissa, &mut exp);
                any_digit = true;
                i += 1;
            }
        }
        if !any_digit {
            return None;
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            i += 1;
            let mut neg = false;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                neg = b[i] == b'-';
                i += 1;
            }
            let start = i;
            let mut e: i64 = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                e = (e * 10 + i64::from(b[i] - b'0')).min(100_000);
                i += 1;
            }
            if i == start {
                return None;
            }
            exp += if neg { -e } else { e };
        }
        if i != b.len() {
            return None;
        }
        Some(scale_by_pow10(mantissa, exp))
    }

    /// `m * 10^exp`, correctly rounded on the fast path (m <= 2^53, |exp| <= 22).
    fn scale_by_pow10(m: u64, exp: i64) -> f64 {
        if m == 0 {
            return 0.0;
        }
        let mut v = m as f64;
        let mut e = exp;
        if (m as f64) <= TWO_53 {
            if (0..=22).contains(&e) {
                return v * POW10[e as usize];
            }
            if (-22..0).contains(&e) {
                return v / POW10[(-e) as usize];
            }
        }
        while e > 0 {
            let step = e.min(22);
            v *= POW10[step as usize];
            e -= step;
            if v.is_infinite() {
                return v;
            }
        }
        while e < 0 {
            let step = (-e).min(22);
            v /= POW10[step as usize];
            e += step;
            if v == 0.0 {
                return v;
            }
        }
        v
    }
}

pub(crate) use platform::{number_to_string, string_to_number};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_compare_by_utf16_units() {
        let texts =
            ["", "a", "ab", "\u{d7ff}", "\u{e000}", "\u{ffff}", "\u{10000}", "\u{10ffff}", "a\u{1f600}", "a\u{fffd}"];
        for a in texts {
            for b in texts {
                assert_eq!(cmp_utf16(a, b), a.encode_utf16().cmp(b.encode_utf16()), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn numbers_print_like_js() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-42.0, "-42"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (123.456, "123.456"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (18446744073709551616.0, "18446744073709552000"),
            (9007199254740993.0, "9007199254740992"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.0 / 3.0, "0.6666666666666666"),
            (123456789.125, "123456789.125"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (n, want) in cases {
            assert_eq!(number_to_string(*n), *want, "String({n:e})");
        }
    }

    #[test]
    fn strings_read_like_js() {
        let cases: &[(&str, f64)] = &[
            ("", 0.0),
            ("  12 ", 12.0),
            ("0.1", 0.1),
            ("-1.5e3", -1500.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("0x1f", 31.0),
            ("Infinity", f64::INFINITY),
            ("1e400", f64::INFINITY),
            ("123456789012345678901234567890", 1.2345678901234568e29),
        ];
        for (s, want) in cases {
            assert_eq!(string_to_number(s), *want, "Number({s:?})");
        }
        for s in ["abc", "1x", "-0x1", "e5", ".", "1e", "--1"] {
            assert!(string_to_number(s).is_nan(), "Number({s:?})");
        }
    }
}
