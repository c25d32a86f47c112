//! The objects a host reads: camelCase keys, the shapes the TypeScript types promise.
#![cfg(not(target_arch = "wasm32"))] // Playbook::from_json is native; tests/web.rs covers wasm

use earned::{BuiltinLocalizer, Engine, Playbook, Value};

const NOW: i64 = 1_796_342_400_000;

fn engine() -> Engine {
    let playbook = Playbook::from_json(include_str!("fixtures/minimal.json")).unwrap();
    let mut engine = Engine::new(playbook);
    let account = Value::object([("id", "acme".into()), ("milestones", Value::Array(vec!["first_report".into()]))]);
    engine.set_account(&account).unwrap();
    engine
}

fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| v.get(k).unwrap_or_else(|| panic!("no `{k}` in {v:?}")))
}

#[test]
fn a_decision_with_a_prompt_reads_in_camel_case() {
    let mut e = engine();
    for _ in 0..3 {
        e.track(&Value::object([("type", "limit_hit".into()), ("metric", "reports".into())]), NOW).unwrap();
    }
    let d = Value::parse_json(&e.decide(NOW, &BuiltinLocalizer).to_json()).unwrap();
    assert_eq!(at(&d, &["show"]), &Value::Bool(true));
    assert_eq!(at(&d, &["prompt", "id"]).as_str(), Some("more_reports"));
    assert_eq!(at(&d, &["prompt", "ctaKind"]).as_str(), Some("upgrade"));
    assert_eq!(at(&d, &["prompt", "placement", "slot"]).as_str(), Some("reports"));
    assert_eq!(at(&d, &["prompt", "evidence", "count"]).as_f64(), Some(3.0));
    let offers = at(&d, &["trace", "offers"]).as_array().unwrap();
    assert_eq!(offers[0].get("verdict").and_then(Value::as_str), Some("shown"));
    assert_eq!(at(&d, &["trace", "picked"]).as_str(), Some("more_reports"));
    assert!(d.get("reason").is_none());
}

#[test]
fn a_decision_without_a_prompt_names_its_reason() {
    let mut e = engine();
    let d = Value::parse_json(&e.decide(NOW, &BuiltinLocalizer).to_json()).unwrap();
    assert_eq!(at(&d, &["show"]), &Value::Bool(false));
    assert_eq!(at(&d, &["reason", "code"]).as_str(), Some("no_trigger"));
    assert!(d.get("prompt").is_none());
    assert_eq!(at(&d, &["trace", "missingMilestones"]), &Value::Array(vec![]));
}

#[test]
fn problems_and_readiness_read_as_objects() {
    let errors = Playbook::load(&Value::object([("id", Value::Number(3.0))])).unwrap_err();
    let mut json = earned::value::Json::default();
    errors[0].write_json(&mut json);
    let p = Value::parse_json(&json.finish()).unwrap();
    for key in ["path", "code", "reason", "severity"] {
        assert!(p.get(key).is_some(), "{key} missing");
    }
    let e = engine();
    let mut json = earned::value::Json::default();
    e.playbook().readiness[0].write_json(&mut json);
    let r = Value::parse_json(&json.finish()).unwrap();
    assert_eq!(r.get("offer").and_then(Value::as_str), Some("more_reports"));
    assert!(r.get("ready").and_then(Value::as_bool).is_some());
    let answers = r.get("answers").and_then(Value::as_array).unwrap();
    assert_eq!(answers.len(), 5);
    for key in ["question", "ok", "answer"] {
        assert!(answers[0].get(key).is_some(), "{key} missing");
    }
}
