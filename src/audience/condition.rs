//! Evaluation of GrowthBook conditions, following the JS SDK's `evalCondition` (mongrule.ts)
//! operator by operator, including its JS coercions (`"8" > 5`, `{"n": 0}` matching a missing
//! attribute, and so on), so that an audience matches exactly where GrowthBook's would.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::js::{self, cmp_utf16, less_than, strict_eq, to_js_string, truthy};
use super::regex::{lowercase, regex_matches};
use crate::value::Value;

/// Nesting limit for conditions (JSON levels); a deeper condition evaluates to false.
pub(crate) const MAX_DEPTH: u32 = 64;

/// Backstop for the evaluator's own recursion (two calls per JSON level at most).
const MAX_EVAL_DEPTH: u32 = 2 * MAX_DEPTH + 8;

/// Whether `v` nests arrays/objects more than [`MAX_DEPTH`] levels deep.
pub(crate) fn too_deep(v: &Value, depth: u32) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    match v {
        Value::Array(items) => items.iter().any(|item| too_deep(item, depth + 1)),
        Value::Object(members) => members.iter().any(|(_, item)| too_deep(item, depth + 1)),
        _ => false,
    }
}

static NULL: Value = Value::Null;

/// `evalCondition(obj, condition)`: every entry of the condition must hold.
pub(crate) fn eval(obj: &Value, cond: &Value, groups: &Value, depth: u32) -> bool {
    if depth > MAX_EVAL_DEPTH {
        return false;
    }
    let depth = depth + 1;
    match cond {
        Value::Object(members) => members.iter().all(|(key, v)| eval_entry(obj, key, v, groups, depth)),
        // `Object.entries` of an array or a string yields index keys; of a number or a boolean,
        // nothing. `null` makes the JS SDK throw, which counts as no match.
        Value::Array(items) => items.iter().enumerate().all(|(i, v)| eval_index(obj, i, v, groups, depth)),
        Value::String(s) => string_units(s).all(|(i, unit)| eval_index(obj, i, &unit, groups, depth)),
        Value::Number(_) | Value::Bool(_) => true,
        Value::Null => false,
    }
}

/// The condition value `cond` against the attribute at index `i` (the key `"i"`).
fn eval_index(obj: &Value, i: usize, cond: &Value, groups: &Value, depth: u32) -> bool {
    let mut key = String::new();
    crate::read::push_uint(&mut key, i as u64, 1);
    eval_path(obj, &key, cond, groups, depth)
}

/// The characters of a string as one-character string values, with their UTF-16 index.
fn string_units(s: &str) -> impl Iterator<Item = (usize, Value)> + '_ {
    s.chars().scan(0usize, |index, c| {
        let at = *index;
        *index += c.len_utf16();
        Some((at, Value::String(c.into())))
    })
}

fn eval_entry(obj: &Value, key: &str, v: &Value, groups: &Value, depth: u32) -> bool {
    match key {
        "$or" => eval_list(obj, v, groups, true, depth),
        "$nor" => !eval_list(obj, v, groups, true, depth),
        "$and" => eval_list(obj, v, groups, false, depth),
        "$not" => !eval(obj, v, groups, depth),
        path => eval_path(obj, path, v, groups, depth),
    }
}

/// `$or` (`any`) or `$and` (not `any`) over a list of conditions: `$or` is true when the list is
/// empty or when any condition holds, `$and` when every condition holds. A non-list has no
/// `length` in JS, which the SDK treats like an empty list (true); `null` throws there (false
/// here).
fn eval_list(obj: &Value, conds: &Value, groups: &Value, any: bool, depth: u32) -> bool {
    // Whether some condition's result is `any`: what decides either list.
    let (found, empty) = match conds {
        Value::Array(items) => (items.iter().any(|c| eval(obj, c, groups, depth) == any), items.is_empty()),
        Value::String(s) => (string_units(s).any(|(_, c)| eval(obj, &c, groups, depth) == any), s.is_empty()),
        Value::Null => return false,
        _ => return true,
    };
    if any {
        found || empty
    } else {
        !found
    }
}

/// The condition value `cond` against the attribute at a dot-separated path, `null` when any
/// step is missing. Arrays take index steps and `length`, as JS property access does.
fn eval_path(obj: &Value, path: &str, cond: &Value, groups: &Value, depth: u32) -> bool {
    let mut current = obj;
    // An array's `length` when the path ends with it: the one attribute not in `obj`.
    let length;
    // Parts taken with `split_once`, which the wasm has anyway; `split` would add its own code.
    let mut rest = Some(path);
    while let Some(here) = rest {
        let part;
        (part, rest) = here.split_once('.').map_or((here, None), |(part, after)| (part, Some(after)));
        current = match current {
            Value::Object(_) => current.get(part).unwrap_or(&NULL),
            Value::Array(items) => match js::array_index(part).and_then(|i| items.get(i)) {
                Some(item) => item,
                None if part == "length" && rest.is_none() => {
                    length = Value::Number(items.len() as f64);
                    current = &length;
                    break;
                }
                None => &NULL,
            },
            _ => &NULL,
        };
    }
    eval_value(cond, current, groups, false, depth)
}

/// An object whose keys are all `$operators` (and that has at least one).
pub(crate) fn is_operator_object(members: &[(String, Value)]) -> bool {
    !members.is_empty() && members.iter().all(|(k, _)| k.starts_with('$'))
}

/// `evalConditionValue(condition, value)`.
fn eval_value(cond: &Value, value: &Value, groups: &Value, insensitive: bool, depth: u32) -> bool {
    if depth > MAX_EVAL_DEPTH {
        return false;
    }
    let depth = depth + 1;
    match cond {
        Value::String(c) => {
            let s = to_js_string(value);
            same_text(&s, c, insensitive)
        }
        Value::Number(c) => js::to_number(value) == *c,
        Value::Bool(c) => !matches!(value, Value::Null) && truthy(value) == *c,
        Value::Null => matches!(value, Value::Null),
        Value::Object(members) if is_operator_object(members) => {
            members.iter().all(|(op, arg)| eval_operator(op, value, arg, groups, depth))
        }
        Value::Array(_) | Value::Object(_) => js::json_equal(value, cond),
    }
}

/// The operators [`eval_operator`] knows, mostly in pairs: the first of a pair tests that
/// something holds, the second that it does not (or the same ignoring case, `…i`). Found by
/// position in one table: less wasm than a `match` on the names.
const OPERATORS: [&str; 27] = [
    // 0..=11: comparisons, each pair testing one that holds and one that does not.
    "$veq",
    "$vne",
    "$vgt",
    "$vlte",
    "$vlt",
    "$vgte",
    "$eq",
    "$ne",
    "$lt",
    "$gte",
    "$gt",
    "$lte",
    // 12..=21: groups, sets and patterns: each pair plain, then negated or ignoring case.
    "$inGroup",
    "$notInGroup",
    "$in",
    "$ini",
    "$nin",
    "$nini",
    "$all",
    "$alli",
    "$regex",
    "$regexi",
    // 22..=26: the rest.
    "$exists",
    "$not",
    "$size",
    "$elemMatch",
    "$type",
];

fn eval_operator(op: &str, actual: &Value, expected: &Value, groups: &Value, depth: u32) -> bool {
    let Some(i) = OPERATORS.iter().position(|o| *o == op) else {
        return false;
    };
    // The first of its pair; for `$in` … `$regexi`, the one that does not ignore case.
    let first = i % 2 == 0;
    match i {
        // `$veq` `$vne`, `$vgt` `$vlte`, `$vlt` `$vgte`.
        0..=5 => {
            let order = [Ordering::Equal, Ordering::Greater, Ordering::Less][i / 2];
            (version_cmp(actual, expected) == order) == first
        }
        // `$eq` `$ne`.
        6 | 7 => strict_eq(actual, expected) == first,
        // `$lt` `$gte`, `$gt` `$lte`. JS: `a <= b` is `!(b < a)` except that an undefined
        // comparison (NaN) is false; so `$lt` and `$gte` test `actual < expected`, `$gt` and
        // `$lte` the other way round.
        8 | 9 => less_than(actual, expected) == Some(first),
        10 | 11 => less_than(expected, actual) == Some(first),
        // `$inGroup` `$notInGroup`.
        12 | 13 => is_in(actual, saved_group(groups, expected), false) == first,
        // `$in` `$ini` `$nin` `$nini`: `$n…` is the negation.
        14..=17 => expected.as_array().is_some_and(|e| is_in(actual, e, !first) != (i >= 16)),
        // `$all` `$alli`.
        18 | 19 => expected.as_array().is_some_and(|e| is_in_all(actual, e, groups, !first, depth)),
        // `$regex` `$regexi`.
        20 | 21 => match expected {
            Value::String(pattern) => regex_matches(pattern, &to_js_string(actual), !first).unwrap_or(false),
            _ => false,
        },
        // `$exists`.
        22 => truthy(expected) != matches!(actual, Value::Null),
        // `$not`.
        23 => !eval_value(expected, actual, groups, false, depth),
        // `$size`.
        24 => match actual {
            Value::Array(items) => {
                let len = Value::Number(items.len() as f64);
                eval_value(expected, &len, groups, false, depth)
            }
            _ => false,
        },
        // `$elemMatch`.
        25 => elem_match(actual, expected, groups, depth),
        // `$type`.
        _ => expected.as_str() == Some(actual.type_name()),
    }
}

/// `savedGroups[id] || []`; a saved group that is not an array counts as empty.
fn saved_group<'a>(groups: &'a Value, id: &Value) -> &'a [Value] {
    groups.get(&to_js_string(id)).and_then(Value::as_array).unwrap_or(&[])
}

/// Whether two texts are equal, ignoring case (as JS `toLowerCase` folds it) if `insensitive`.
fn same_text(a: &str, b: &str, insensitive: bool) -> bool {
    if insensitive {
        lowercase(a) == lowercase(b)
    } else {
        a == b
    }
}

/// `isIn`: membership by `===` (or by lower-cased strings), intersecting when `actual` is an array.
fn is_in(actual: &Value, expected: &[Value], insensitive: bool) -> bool {
    let same = |a: &Value, b: &Value| match (a, b) {
        (Value::String(x), Value::String(y)) => same_text(x, y, insensitive),
        _ => strict_eq(a, b),
    };
    match actual {
        Value::Array(items) => items.iter().any(|a| expected.iter().any(|e| same(a, e))),
        _ => expected.iter().any(|e| same(actual, e)),
    }
}

/// `$all`: every expected condition value matches at least one element of `actual`.
fn is_in_all(actual: &Value, expected: &[Value], groups: &Value, insensitive: bool, depth: u32) -> bool {
    match actual {
        Value::Array(items) => {
            expected.iter().all(|e| items.iter().any(|a| eval_value(e, a, groups, insensitive, depth)))
        }
        _ => false,
    }
}

/// `$elemMatch`: some truthy element matches an operator object, or else a nested condition.
fn elem_match(actual: &Value, expected: &Value, groups: &Value, depth: u32) -> bool {
    let Value::Array(items) = actual else {
        return false;
    };
    let operators = match expected {
        Value::Null => return false, // `Object.keys(null)` throws in the JS SDK
        Value::Object(members) => is_operator_object(members),
        _ => false,
    };
    items.iter().any(|v| {
        truthy(v)
            && if operators { eval_value(expected, v, groups, false, depth) } else { eval(v, expected, groups, depth) }
    })
}

fn version_cmp(a: &Value, b: &Value) -> Ordering {
    cmp_utf16(&padded_version(a), &padded_version(b))
}

/// GrowthBook's `paddedVersionString`: drop a leading `v` and any `+build`, split on `-` and
/// `.`, add `~` after a plain `x.y.z` (so it sorts after its pre-releases), left-pad numeric
/// parts to 5 with spaces, and join with `-`; compared as strings.
fn padded_version(v: &Value) -> String {
    let text = match v {
        Value::Number(_) | Value::String(_) => to_js_string(v),
        _ => Cow::Borrowed(""),
    };
    let mut s: &str = if text.is_empty() { "0" } else { &text };
    if let Some(rest) = s.strip_prefix("v") {
        s = rest;
    }
    // `\+.*$` without the `m` flag: `.` stops at line terminators, so the match starts at the
    // first `+` of the last line.
    let mut plus = None;
    for (i, c) in s.char_indices() {
        match c {
            '+' if plus.is_none() => plus = Some(i),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => plus = None,
            _ => {}
        }
    }
    if let Some(plus) = plus {
        s = s.get(..plus).unwrap_or(s);
    }
    // Split as bytes (less wasm than `str::split`): `-` and `.` are ASCII, so the parts and the
    // result stay UTF-8.
    let mut out = Vec::with_capacity(s.len() + 16);
    let mut parts = 0;
    for part in s.as_bytes().split(|b| matches!(b, b'-' | b'.')) {
        if parts > 0 {
            out.push(b'-');
        }
        parts += 1;
        if !part.is_empty() && part.iter().all(u8::is_ascii_digit) {
            let mut width = part.len();
            while width < 5 {
                out.push(b' ');
                width += 1;
            }
        }
        out.extend_from_slice(part);
    }
    if parts == 3 {
        out.extend_from_slice(b"-~");
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn padded_versions() {
        assert_eq!(padded_version(&s("v1.2.3+build")), "    1-    2-    3-~");
        assert_eq!(padded_version(&s("1.0.0-rc.1")), "    1-    0-    0-rc-    1");
        assert_eq!(padded_version(&Value::Number(1.5)), "    1-    5");
        assert_eq!(padded_version(&Value::Null), "    0");
        assert_eq!(padded_version(&s("+x")), "");
        // `.` stops at line terminators: only the last line's `+…` is dropped.
        assert_eq!(padded_version(&s("1+a\n2+b+c")), "1+a\n2");
    }

    #[test]
    fn paths_read_arrays_like_js() {
        let obj = Value::object([("a", Value::Array(vec![s("x"), s("y")]))]);
        let at = |path: &str, cond: &Value| eval_path(&obj, path, cond, &Value::Null, 0);
        assert!(at("a.1", &s("y")));
        assert!(at("a.length", &Value::Number(2.0)));
        assert!(at("a.01", &Value::Null));
        assert!(at("a.0.b", &Value::Null));
        assert!(!at("a.0", &Value::Null));
    }

    #[test]
    fn deep_nesting_is_false_not_a_crash() {
        let mut cond = Value::object([("a", Value::Number(1.0))]);
        for _ in 0..10_000 {
            cond = Value::object([("$not", cond)]);
        }
        let obj = Value::object([("a", Value::Number(1.0))]);
        // Either answer is acceptable; it must simply return.
        let _ = eval(&obj, &cond, &Value::Null, 0);
        std::mem::forget(cond); // dropping 10k levels recursively could overflow the test stack
    }
}
