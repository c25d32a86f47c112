//! Load-time checks of a condition: the mistakes that would otherwise silently evaluate to
//! false (or to a surprising true) on every user.

use super::condition::{is_operator_object, MAX_DEPTH};
use super::regex::regex_matches;
use crate::value::Value;

type Problems = Vec<(String, String)>;

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn index(parent: &str, i: usize) -> String {
    let mut out = String::with_capacity(parent.len() + 4);
    out.push_str(parent);
    out.push('[');
    crate::read::push_uint(&mut out, i as u64, 1);
    out.push(']');
    out
}

fn too_deep(path: &str, depth: u32, out: &mut Problems) -> bool {
    if depth > MAX_DEPTH {
        out.push((path.to_owned(), "condition is nested too deeply (more than 64 levels)".to_owned()));
        return true;
    }
    false
}

/// A condition: an object of attribute paths and `$or`/`$nor`/`$and`/`$not`.
pub(crate) fn check_condition_at(cond: &Value, path: &str, depth: u32, out: &mut Problems) {
    if too_deep(path, depth, out) {
        return;
    }
    let Value::Object(members) = cond else {
        out.push((path.to_owned(), format!("a condition must be an object, got {}", cond.type_name())));
        return;
    };
    for (key, v) in members {
        let here = join(path, key);
        match key.as_str() {
            "$or" | "$nor" | "$and" => match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check_condition_at(item, &index(&here, i), depth + 1, out);
                    }
                }
                _ => out.push((here, format!("{key} needs an array of conditions, got {}", v.type_name()))),
            },
            "$not" => check_condition_at(v, &here, depth + 1, out),
            _ => check_value(v, &here, depth + 1, out),
        }
    }
}

/// What an attribute is tested against: a literal (compared for equality) or operators.
fn check_value(v: &Value, path: &str, depth: u32, out: &mut Problems) {
    if too_deep(path, depth, out) {
        return;
    }
    let Value::Object(members) = v else {
        return;
    };
    if is_operator_object(members) {
        for (op, arg) in members {
            check_operator(op, arg, &join(path, op), depth + 1, out);
        }
    } else if members.iter().any(|(k, _)| k.starts_with('$')) {
        out.push((
            path.to_owned(),
            "mixes $operators with plain keys, so it is compared as a literal object".to_owned(),
        ));
    }
}

fn check_operator(op: &str, arg: &Value, path: &str, depth: u32, out: &mut Problems) {
    let mut problem = |reason: String| out.push((path.to_owned(), reason));
    let got = arg.type_name();
    match op {
        "$eq" | "$ne" => {
            if matches!(arg, Value::Array(_) | Value::Object(_)) {
                problem(format!(
                    "{op} compares with ===, which never matches an {got}; use a string, number, boolean or null"
                ));
            }
        }
        "$lt" | "$lte" | "$gt" | "$gte" => {
            if !matches!(arg, Value::Number(_) | Value::String(_)) {
                problem(format!("{op} needs a number or a string, got {got}"));
            }
        }
        "$veq" | "$vne" | "$vgt" | "$vgte" | "$vlt" | "$vlte" => {
            if !matches!(arg, Value::String(_) | Value::Number(_)) {
                problem(format!("{op} needs a version string, got {got}"));
            }
        }
        "$exists" => {
            if !matches!(arg, Value::Bool(_)) {
                problem(format!("$exists needs true or false, got {got}"));
            }
        }
        "$in" | "$nin" | "$ini" | "$nini" => {
            if !matches!(arg, Value::Array(_)) {
                problem(format!("{op} needs an array, got {got}"));
            }
        }
        "$all" | "$alli" => match arg {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_value(item, &index(path, i), depth + 1, out);
                }
            }
            _ => problem(format!("{op} needs an array, got {got}")),
        },
        "$inGroup" | "$notInGroup" => {
            if !matches!(arg, Value::String(_)) {
                problem(format!("{op} needs a saved group id (a string), got {got}"));
            }
        }
        "$not" => check_value(arg, path, depth + 1, out),
        "$size" => match arg {
            Value::Number(_) => {}
            Value::Object(_) => check_value(arg, path, depth + 1, out),
            _ => problem(format!("$size needs a number or a condition on the length, got {got}")),
        },
        "$elemMatch" => match arg {
            Value::Object(members) if is_operator_object(members) => check_value(arg, path, depth + 1, out),
            Value::Object(_) => check_condition_at(arg, path, depth + 1, out),
            _ => problem(format!("$elemMatch needs an object, got {got}")),
        },
        "$regex" | "$regexi" => match arg {
            Value::String(pattern) => {
                if regex_matches(pattern, "", op == "$regexi").is_none() {
                    problem(format!("{op} is not a valid regular expression"));
                }
            }
            _ => problem(format!("{op} needs a regular expression string, got {got}")),
        },
        "$type" => {
            if !matches!(arg.as_str(), Some("string" | "number" | "boolean" | "object" | "array" | "null")) {
                problem(
                    "$type needs one of \"string\", \"number\", \"boolean\", \"object\", \"array\", \"null\""
                        .to_owned(),
                );
            }
        }
        _ => problem(format!("unknown operator {op}")),
    }
}
