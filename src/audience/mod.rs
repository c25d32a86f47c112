//! Audience conditions in the GrowthBook (MongoDB-style) condition language, evaluated exactly
//! as the GrowthBook JS SDK's `evalCondition` does, and GrowthBook's bucketing hash.
//!
//! Layout: `condition` evaluates, `check` validates once at load, `js` holds the JavaScript
//! coercions the language relies on, `hash` is the FNV-based hash, and `regex` picks the regular
//! expression engine (JS `RegExp` in wasm32, `regex_lite` natively).

mod check;
mod condition;
mod hash;
mod js;
mod regex;

use crate::value::Value;

/// Evaluates a GrowthBook condition against attributes. saved_groups is an object of group id -> array (or Value::Null).
///
/// Never panics; conditions nested more than 64 levels deep evaluate to false.
pub fn eval_condition(attributes: &Value, condition: &Value, saved_groups: &Value) -> bool {
    !condition::too_deep(condition, 0) && condition::eval(attributes, condition, saved_groups, 0)
}

/// Checks a condition once, at playbook load: unknown `$operator`, wrong operand types ($in needs an array, $exists a bool, ...), an invalid $regex. Returns every problem as (relative JSON path like "plan.$in" or "$or[1].seats", reason).
pub fn check_condition(condition: &Value) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    check::check_condition_at(condition, "", 0, &mut problems);
    problems
}

/// GrowthBook's hash: fnv1a32-based, version 1 or 2; None for an unknown version.
///
/// The result is in `[0, 1)`: version 1 in steps of 0.001, version 2 in steps of 0.0001.
pub fn hash(seed: &str, value: &str, version: u32) -> Option<f64> {
    hash::hash(seed, value, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("test JSON")
    }

    fn problems(text: &str) -> Vec<(String, String)> {
        check_condition(&parse(text))
    }

    #[test]
    fn unknown_operator_is_reported_with_its_path() {
        let p = problems(r#"{"plan":{"$inn":["a"]}}"#);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "plan.$inn");
        assert!(p[0].1.contains("unknown operator") && p[0].1.contains("$inn"), "{p:?}");
    }

    #[test]
    fn or_needs_an_array() {
        let p = problems(r#"{"$or": {}}"#);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "$or");
        assert!(p[0].1.contains("$or needs an array"), "{p:?}");
    }

    #[test]
    fn operand_types_are_checked() {
        let p = problems(
            r#"{"plan":{"$in":"pro"},"seen":{"$exists":1},"$or":[{"a":1},{"seats":{"$gt":[1]}}],
               "tags":{"$all":[{"$regex":"("}]},"kind":{"$type":"int"},"g":{"$inGroup":3}}"#,
        );
        let paths: Vec<&str> = p.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            ["plan.$in", "seen.$exists", "$or[1].seats.$gt", "tags.$all[0].$regex", "kind.$type", "g.$inGroup"],
            "{p:?}"
        );
        assert!(p[0].1.contains("needs an array"));
        assert!(p[1].1.contains("true or false"));
        assert!(p[3].1.contains("not a valid regular expression"));
    }

    #[test]
    fn nested_conditions_are_walked() {
        let p = problems(
            r#"{"$and":[{"$not":{"x":{"$foo":1}}}],"hobbies":{"$elemMatch":{"name":{"$regexp":"a"}}},
               "n":{"$size":{"$gtt":1}},"v":{"$not":{"$in":1}}}"#,
        );
        let paths: Vec<&str> = p.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            ["$and[0].$not.x.$foo", "hobbies.$elemMatch.name.$regexp", "n.$size.$gtt", "v.$not.$in"],
            "{p:?}"
        );
    }

    #[test]
    fn valid_conditions_have_no_problems() {
        for text in [
            r#"{}"#,
            r#"{"plan":"pro","seats":{"$gte":3,"$lt":10},"tags":["a","b"],"meta":{"k":"v"}}"#,
            r#"{"$or":[{"a":null},{"b":{"$exists":false}}],"$nor":[],"$not":{"c":true}}"#,
            r#"{"ua":{"$regexi":"(mobile|tablet)"},"v":{"$vgte":"1.2.0"},"id":{"$notInGroup":"g"}}"#,
            r#"{"t":{"$elemMatch":{"$eq":"x"}},"h":{"$elemMatch":{"name":"x"}},"n":{"$size":0}}"#,
        ] {
            assert_eq!(problems(text), Vec::<(String, String)>::new(), "{text}");
        }
    }

    #[test]
    fn mixed_operator_object_and_non_object_condition_are_reported() {
        let p = problems(r#"{"a":{"$in":[1],"b":2}}"#);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "a");
        let p = problems(r#"[1]"#);
        assert_eq!(p[0].0, "");
        assert!(p[0].1.contains("must be an object"));
    }

    #[test]
    fn too_deep_is_reported_not_overflowed() {
        let mut cond = Value::object([("a", Value::Number(1.0))]);
        for _ in 0..100 {
            cond = Value::object([("$not", cond)]);
        }
        let p = check_condition(&cond);
        assert_eq!(p.len(), 1);
        assert!(p[0].1.contains("too deeply"));
        // Too deep evaluates to false as a whole, whatever the `$not`s around the cut-off.
        assert!(!eval_condition(&Value::Null, &cond, &Value::Null));
        let mut shallow = Value::object([("a", Value::Null)]);
        for _ in 0..62 {
            shallow = Value::object([("$not", shallow)]);
        }
        assert!(eval_condition(&Value::Null, &shallow, &Value::Null));
    }

    #[test]
    fn js_coercions() {
        let attrs = parse(r#"{"n":"8","list":[5],"s":"abc"}"#);
        let yes = |c: &str| eval_condition(&attrs, &parse(c), &Value::Null);
        assert!(yes(r#"{"missing": 0}"#)); // null * 1 === 0
        assert!(yes(r#"{"missing": "null"}"#)); // null + "" === "null"
        assert!(yes(r#"{"list": 5}"#)); // [5] * 1 === 5
        assert!(yes(r#"{"list": "5"}"#));
        assert!(yes(r#"{"n": {"$gt": 7.5}}"#));
        assert!(!yes(r#"{"s": {"$gt": 1}}"#)); // NaN
        assert!(!yes(r#"{"s": {"$lte": 1}}"#));
        assert!(yes(r#"{"missing": {"$regex": "^nul"}}"#)); // tests String(null)
        assert!(!yes(r#"{"list": {"$eq": [5]}}"#)); // === on arrays
        assert!(yes(r#"{"list.length": 1, "s": {"$not": {"$type": "number"}}}"#));
    }

    #[test]
    fn hash_versions() {
        assert_eq!(hash("", "a", 1), Some(0.22));
        assert_eq!(hash("seed", "a", 2), Some(0.0505));
        assert_eq!(hash("abc", "def", 99), None);
    }
}
