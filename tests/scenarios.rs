//! Scenario fixtures: playbook + account + user + events + outcomes + clock → expected decision.
//!
//! Every `*.json` in `tests/scenarios/` and `examples/scenarios/` runs through one loop. A file
//! names its playbook (a path from the repo root) and holds a list of scenarios; see
//! `docs/playbook.md` for the format. All failures are collected and printed before the test
//! fails, so one run shows everything that is off. Each scenario also runs with the compiled
//! form of its playbook ([`Playbook::compile`]), which must decide exactly the same.

use std::fs;
use std::path::{Path, PathBuf};

use earned::read::{parse_duration, parse_iso_time};
use earned::{BuiltinLocalizer, Decision, Engine, OutcomeKind, Playbook, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `"-3d"` / `"2026-12-01T10:00:00Z"` / absent → ms.
fn time_at(v: Option<&Value>, now: i64) -> i64 {
    match v.and_then(Value::as_str) {
        None => now,
        Some(s) if s.starts_with('-') => {
            now - parse_duration(&s[1..]).unwrap_or_else(|| panic!("bad relative time {s}"))
        }
        Some(s) if s.starts_with('+') => {
            now + parse_duration(&s[1..]).unwrap_or_else(|| panic!("bad relative time {s}"))
        }
        Some(s) => parse_iso_time(s).unwrap_or_else(|| panic!("bad time {s}")),
    }
}

fn without(v: &Value, keys: &[&str]) -> Value {
    Value::Object(
        v.as_object().unwrap_or_default().iter().filter(|(k, _)| !keys.contains(&k.as_str())).cloned().collect(),
    )
}

/// What playing a scenario leaves: the engine, its decision at `now`, and what was refused.
struct Played {
    engine: Engine,
    decision: Decision,
    now: i64,
    errors: Vec<String>,
}

/// Plays one scenario's facts, events and outcomes, then decides; `Err` when the facts are
/// refused.
fn play(playbook: &Playbook, s: &Value) -> Result<Played, Vec<String>> {
    let mut errors = Vec::new();
    let now = time_at(s.get("now"), 0);
    let mut engine = Engine::new(playbook.clone());
    if let Some(a) = s.get("account") {
        if let Err(p) = engine.set_account(a) {
            return Err(vec![format!("account refused: {p:?}")]);
        }
    }
    if let Some(u) = s.get("user") {
        if let Err(p) = engine.set_user(u) {
            return Err(vec![format!("user refused: {p:?}")]);
        }
    }
    // Events and outcomes run in time order, each with the clock at its own time.
    let mut steps: Vec<(i64, usize, Value)> = Vec::new();
    for e in s.get("events").and_then(Value::as_array).unwrap_or_default() {
        let at = time_at(e.get("at"), now);
        let times = e.get("times").and_then(Value::as_f64).unwrap_or(1.0) as i64;
        let every = e.get("every").and_then(Value::as_str).map_or(0, |d| parse_duration(d).expect("bad every"));
        for k in 0..times {
            let t = at - k * every;
            let mut event = without(e, &["at", "times", "every"]);
            if let Value::Object(m) = &mut event {
                m.push(("at".into(), Value::Number(t as f64)));
            }
            steps.push((t, 0, event));
        }
    }
    for o in s.get("outcomes").and_then(Value::as_array).unwrap_or_default() {
        steps.push((time_at(o.get("at"), now), 1, o.clone()));
    }
    steps.sort_by_key(|(t, kind, _)| (*t, *kind));
    for (t, kind, v) in steps {
        if kind == 0 {
            // The clock never runs past the scenario's `now`: an event stamped later is clamped.
            if let Err(p) = engine.track(&v, t.min(now)) {
                errors.push(format!("event refused: {p:?}"));
            }
        } else {
            let offer = v.get("offer").and_then(Value::as_str).unwrap_or_default();
            let k = v.get("kind").and_then(Value::as_str).and_then(OutcomeKind::parse).expect("outcome kind");
            if let Err(p) = engine.outcome(offer, k, t.min(now)) {
                errors.push(format!("outcome refused: {p:?}"));
            }
        }
    }
    let decision = engine.decide(now, &BuiltinLocalizer);
    Ok(Played { engine, decision, now, errors })
}

/// Runs one scenario; returns what did not match.
fn run(playbook: &Playbook, s: &Value) -> Vec<String> {
    let Played { mut engine, decision: d, now, mut errors } = match play(playbook, s) {
        Ok(played) => played,
        Err(errors) => return errors,
    };
    let explain = d.trace.explain();
    let Some(expect) = s.get("expect") else { return vec!["no `expect`".into()] };
    let mut check = |ok: bool, what: String| {
        if !ok {
            errors.push(what);
        }
    };
    if let Some(show) = expect.get("show") {
        let got = d.prompt.as_ref().map(|p| p.offer.as_str());
        check(got == show.as_str(), format!("show: expected {show:?}, got {got:?}"));
    }
    if let Some(reason) = expect.get("reason") {
        let got = d.reason.as_ref().map(|r| r.code);
        check(got == reason.as_str(), format!("reason: expected {reason:?}, got {got:?} ({:?})", d.reason));
    }
    for want in expect.get("body_contains").and_then(Value::as_array).unwrap_or_default() {
        let want = want.as_str().unwrap_or_default();
        let body = d.prompt.as_ref().map_or("", |p| p.body.as_str());
        check(body.contains(want), format!("body: expected it to contain {want:?}, got {body:?}"));
    }
    // Single-valued expectations: each key and what the decision says for it.
    let prompt = d.prompt.as_ref();
    let fields: [(&str, Option<&str>); 7] = [
        ("title", prompt.map(|p| p.title.as_str())),
        ("cta", prompt.map(|p| p.cta.as_str())),
        ("cta_kind", prompt.map(|p| p.cta_kind.as_str())),
        ("locale", prompt.map(|p| p.locale.as_str())),
        ("variant", prompt.map(|p| p.variant.as_str())),
        ("route", d.route.as_ref().map(|r| r.owner.as_str())),
        ("would_have_shown", d.trace.would_have_shown.as_ref().map(|p| p.offer.as_str())),
    ];
    for (key, got) in fields {
        if let Some(want) = expect.get(key) {
            check(got == want.as_str(), format!("{key}: expected {want:?}, got {got:?}"));
        }
    }
    for (offer, want) in expect.get("verdicts").and_then(Value::as_object).unwrap_or_default() {
        let got = d.trace.offers.iter().find(|o| *o.offer == **offer).map(|o| o.verdict.as_str());
        check(got == want.as_str(), format!("verdict of {offer}: expected {want:?}, got {got:?}"));
    }
    for (offer, want) in expect.get("guardrails").and_then(Value::as_object).unwrap_or_default() {
        let got =
            d.trace.offers.iter().find(|o| *o.offer == **offer).and_then(|o| o.guardrail.as_ref()).map(|g| g.code);
        check(got == want.as_str(), format!("guardrail of {offer}: expected {want:?}, got {got:?}"));
    }
    for want in expect.get("explain_contains").and_then(Value::as_array).unwrap_or_default() {
        let want = want.as_str().unwrap_or_default();
        check(explain.contains(want), format!("explain: expected it to contain {want:?}"));
    }
    if let Some(want) = expect.get("reports") {
        let got: Vec<Value> = engine
            .take_reports(now)
            .iter()
            .map(|r| Value::object([("offer", r.offer.as_str().into()), ("outcome", r.outcome.into())]))
            .collect();
        check(Value::Array(got.clone()) == *want, format!("reports: expected {want:?}, got {got:?}"));
    }
    if !errors.is_empty() {
        errors.push(format!("trace:\n{explain}"));
    }
    errors
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["tests/scenarios", "examples/scenarios"] {
        let Ok(entries) = fs::read_dir(root().join(dir)) else { continue };
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")));
    }
    files.sort();
    files
}

#[test]
fn every_scenario_fixture_decides_as_expected() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in scenario_files() {
        let spec = read_json(&file);
        let pb_path = root().join(spec.get("playbook").and_then(Value::as_str).expect("`playbook` path"));
        let playbook = match Playbook::load(&read_json(&pb_path)) {
            Ok(p) => p,
            Err(problems) => {
                failures.push(format!("{}: playbook {} refused: {problems:#?}", file.display(), pb_path.display()));
                continue;
            }
        };
        for s in spec.get("scenarios").and_then(Value::as_array).unwrap_or_default() {
            count += 1;
            let name = s.get("name").and_then(Value::as_str).unwrap_or("?");
            let errors = run(&playbook, s);
            if !errors.is_empty() {
                failures.push(format!("{} — {name}:\n  {}", file.display(), errors.join("\n  ")));
            }
        }
    }
    println!("{count} scenarios run");
    assert!(count >= 30, "expected at least 30 scenarios, found {count}");
    assert!(failures.is_empty(), "{} scenario(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// Every scenario, played again with the compiled form of its playbook: the same decision, the
/// same trace, the same reports and the same stored state.
#[test]
fn every_scenario_decides_the_same_with_the_compiled_playbook() {
    let mut count = 0;
    for file in scenario_files() {
        let spec = read_json(&file);
        let pb_path = root().join(spec.get("playbook").and_then(Value::as_str).expect("`playbook` path"));
        let Ok(loaded) = Playbook::load(&read_json(&pb_path)) else { continue }; // reported above
        let compiled = Playbook::from_compiled(&loaded.compile())
            .unwrap_or_else(|p| panic!("{}: the compiled playbook is refused: {p}", pb_path.display()));
        for s in spec.get("scenarios").and_then(Value::as_array).unwrap_or_default() {
            let name = format!("{} — {}", file.display(), s.get("name").and_then(Value::as_str).unwrap_or("?"));
            let (mut a, mut b) = match (play(&loaded, s), play(&compiled, s)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "{name}");
                    continue;
                }
                (a, b) => panic!("{name}: refused with one playbook only: {:?} / {:?}", a.err(), b.err()),
            };
            count += 1;
            assert_eq!(a.errors, b.errors, "{name}");
            assert_eq!(a.decision, b.decision, "{name}");
            assert_eq!(a.decision.trace.explain(), b.decision.trace.explain(), "{name}");
            assert_eq!(a.engine.take_reports(a.now), b.engine.take_reports(b.now), "{name}");
            assert_eq!(a.engine.save(), b.engine.save(), "{name}");
        }
    }
    assert!(count >= 30, "expected at least 30 scenarios, found {count}");
}

/// Each bad playbook in `tests/bad-playbooks/` is refused with the expected path and code.
#[test]
fn every_bad_playbook_is_refused_with_path_and_reason() {
    let dir = root().join("tests/bad-playbooks");
    let mut files: Vec<PathBuf> =
        fs::read_dir(&dir).expect("tests/bad-playbooks").flatten().map(|e| e.path()).collect();
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let spec = read_json(file);
        let result = Playbook::load(spec.get("playbook").expect("`playbook`"));
        let want = spec.get("errors").and_then(Value::as_array).expect("`errors`");
        let problems = match result {
            Ok(_) => {
                failures.push(format!("{}: loaded, but should be refused", file.display()));
                continue;
            }
            Err(p) => p,
        };
        for w in want {
            let (path, code) = (w.get("path").and_then(Value::as_str), w.get("code").and_then(Value::as_str));
            let hit = problems.iter().find(|p| Some(p.path.as_str()) == path && Some(p.code) == code && p.is_error());
            match (hit, w.get("reason_contains").and_then(Value::as_str)) {
                (None, _) => {
                    failures.push(format!("{}: no error {code:?} at {path:?}; got {problems:#?}", file.display()))
                }
                (Some(p), Some(words)) if !p.reason.contains(words) => {
                    failures.push(format!("{}: reason {:?} lacks {words:?}", file.display(), p.reason))
                }
                _ => {}
            }
        }
    }
    assert!(files.len() >= 10, "expected a fixture per error class, found {}", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
