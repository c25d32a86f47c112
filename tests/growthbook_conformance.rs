//! Runs GrowthBook's shared SDK spec cases (`evalCondition` and `hash`) against the audience
//! module. The cases live outside the crate, in `../shared/conformance/growthbook/cases.json`.

use std::path::PathBuf;

use earned::audience::{eval_condition, hash};
use earned::value::Value;

const EXPECTED_CONDITION_CASES: usize = 248;
const EXPECTED_HASH_CASES: usize = 15;

/// The parsed cases file, or `None` (skip) when it is absent outside CI.
fn load_cases() -> Option<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/growthbook/cases.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("GrowthBook cases file {} is missing in CI: {err}", path.display());
            }
            println!("skipping GrowthBook conformance: {} not found ({err})", path.display());
            return None;
        }
    };
    Some(serde_json::from_str(&text).expect("cases.json is valid JSON"))
}

fn section<'a>(cases: &'a Value, name: &str) -> &'a [Value] {
    cases.get(name).and_then(Value::as_array).unwrap_or_else(|| panic!("cases.json has no {name} array"))
}

#[test]
fn eval_condition_cases() {
    let Some(cases) = load_cases() else { return };
    let list = section(&cases, "evalCondition");
    let mut failures = Vec::new();
    for (i, case) in list.iter().enumerate() {
        let items = case.as_array().expect("a case is an array");
        let name = items.first().and_then(Value::as_str).unwrap_or("");
        let (Some(condition), Some(attributes), Some(expected)) =
            (items.get(1), items.get(2), items.get(3).and_then(Value::as_bool))
        else {
            failures.push(format!("#{i} {name:?}: malformed case"));
            continue;
        };
        let saved_groups = items.get(4).cloned().unwrap_or(Value::Null);
        let got = eval_condition(attributes, condition, &saved_groups);
        if got != expected {
            failures.push(format!("#{i} {name:?}: expected {expected}, got {got}"));
        }
    }
    for failure in &failures {
        println!("FAILED evalCondition {failure}");
    }
    assert!(failures.is_empty(), "{} of {} evalCondition cases failed", failures.len(), list.len());
    assert_eq!(list.len(), EXPECTED_CONDITION_CASES, "evalCondition case count");
}

#[test]
fn hash_cases() {
    let Some(cases) = load_cases() else { return };
    let list = section(&cases, "hash");
    let mut failures = Vec::new();
    for (i, case) in list.iter().enumerate() {
        let items = case.as_array().expect("a case is an array");
        let (Some(seed), Some(value), Some(version)) = (
            items.first().and_then(Value::as_str),
            items.get(1).and_then(Value::as_str),
            items.get(2).and_then(Value::as_f64),
        ) else {
            failures.push(format!("#{i}: malformed case"));
            continue;
        };
        let expected = items.get(3).and_then(Value::as_f64);
        let got = hash(seed, value, version as u32);
        let ok = match (got, expected) {
            (Some(g), Some(e)) => (g - e).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!("#{i} hash({seed:?}, {value:?}, {version}): expected {expected:?}, got {got:?}"));
        }
    }
    for failure in &failures {
        println!("FAILED {failure}");
    }
    assert!(failures.is_empty(), "{} of {} hash cases failed", failures.len(), list.len());
    assert_eq!(list.len(), EXPECTED_HASH_CASES, "hash case count");
}
