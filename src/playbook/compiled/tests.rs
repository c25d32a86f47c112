use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::engine::Engine;
use crate::read::MINUTE;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A playbook with every lint warning.
const WARNINGS: &str = r#"{
  "id": "warnings", "locales": ["en", "de"], "metrics": ["reports"],
  "plans": [{ "id": "free", "order": 0, "limits": { "reports": 5 }, "features": ["reports"] },
            { "id": "pro", "order": 1, "price": 29, "features": ["reports", "exports"] }],
  "milestones": { "first_report": { "needs": ["reports"] } },
  "activation": { "any": ["first_report"] },
  "offers": [{
    "id": "pro", "motion": "feature_tier", "target": { "plan": "pro" }, "discount": { "percent": 20 },
    "trigger": { "count": { "event": "feature_used", "where": { "feature": "reports" }, "at_least": 3, "within": "12h" } },
    "copy": { "en": { "title": "Try {next_plan}", "body": "It has exports.", "cta": "Upgrade" } },
    "placement": "toast"
  }]
}"#;

/// Every playbook in the repository that loads, by name.
fn playbooks() -> Vec<(String, Playbook)> {
    let mut files = Vec::new();
    for dir in ["examples/playbooks", "tests/fixtures"] {
        let entries = fs::read_dir(root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")));
    }
    files.push(root().join("js/examples/playbook.json"));
    files.push(root().join("benches/fixtures/fifty-offers.json"));
    files.sort();
    let mut out: Vec<(String, Playbook)> = files
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let p = Playbook::from_json(&text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            (path.strip_prefix(root()).unwrap_or(path).display().to_string(), p)
        })
        .collect();
    assert!(out.len() >= 12, "found only {} playbooks", out.len());
    out.push(("warnings".into(), Playbook::from_json(WARNINGS).unwrap()));
    out
}

fn minimal() -> Playbook {
    Playbook::from_json(&fs::read_to_string(root().join("tests/fixtures/minimal.json")).unwrap()).unwrap()
}

/// The payload of a compiled text (checksum dropped).
fn payload(text: &str) -> Vec<u8> {
    let mut bytes = base64_decode(text.strip_prefix(PREFIX).unwrap()).unwrap();
    bytes.truncate(bytes.len() - 4);
    bytes
}

/// Compiled text for any payload, with its checksum fixed: what reaches the decoder proper.
fn seal(payload: &[u8]) -> String {
    let mut bytes = payload.to_vec();
    bytes.extend_from_slice(&fnv1a(payload).to_le_bytes());
    let mut text = PREFIX.to_owned();
    base64_encode(&bytes, &mut text);
    text
}

fn code(result: Result<Playbook, Problem>) -> (&'static str, String) {
    let p = result.expect_err("expected an error");
    assert_eq!((p.path.as_str(), p.severity), ("$", Severity::Error));
    (p.code, p.reason)
}

#[test]
fn every_playbook_comes_back_equal_and_compiles_the_same_every_time() {
    for (name, p) in playbooks() {
        let text = p.compile();
        let back = Playbook::from_compiled(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, p, "{name}");
        // `Template`'s `==` compares sources only: the debug form covers the parsed messages too.
        assert_eq!(format!("{back:?}"), format!("{p:?}"), "{name}");
        assert_eq!(p.compile(), text, "{name}");
        assert_eq!(back.compile(), text, "{name}");
        assert_eq!(Playbook::from_compiled(&format!("  {text}\n")), Ok(p), "{name}: whitespace around");
    }
}

#[test]
fn every_lint_warning_comes_back() {
    let p = Playbook::from_json(WARNINGS).unwrap();
    let mut codes: Vec<&str> = p.warnings.iter().map(|w| w.code).collect();
    codes.sort_unstable();
    let mut all = WARNING_CODES.to_vec();
    all.sort_unstable();
    assert_eq!(codes, all);
    assert_eq!(Playbook::from_compiled(&p.compile()).unwrap().warnings, p.warnings);
}

/// Each `warning(` call in the source names a code in [`WARNING_CODES`]: the first string
/// literal in the call that is a plain snake_case word.
#[test]
fn the_warning_code_table_lists_every_code_the_source_warns_with() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    let mut found = 0;
    for file in files {
        // The boundary's own warnings (storage) are not the linter's; tests make up codes.
        if file.starts_with(root().join("src/wasm")) || file.ends_with("tests.rs") {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        for (at, _) in text.match_indices("warning(") {
            if text[..at].ends_with("fn ") {
                continue;
            }
            // The call up to the end of its statement: a literal after it is another call's.
            let call = &text[at..(at + 400).min(text.len())];
            let call = call.split(';').next().unwrap_or(call);
            let code =
                call.split('"').skip(1).step_by(2).find(|s| {
                    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && s.contains('_')
                });
            if let Some(code) = code {
                found += 1;
                assert!(WARNING_CODES.contains(&code), "{}: `{code}` is not in WARNING_CODES", file.display());
            }
        }
    }
    assert!(found >= WARNING_CODES.len(), "found only {found} warning calls");
}

/// `v` written and read back alone, as if every list it could index were long.
fn same<T: Codec + PartialEq + Debug>(v: T) {
    let mut w = Vec::new();
    v.put(&mut w);
    let mut r = Input::new(&w);
    r.lens = [1000; 6];
    let back = T::get(&mut r);
    assert_eq!((r.problem, r.rest.len()), (None, 0), "{v:?}");
    assert_eq!(back, v);
}

#[test]
fn every_variant_comes_back() {
    for v in [0, 1, 127, 128, 300, u32::MAX] {
        same(v);
    }
    for v in [0, 1, -1, HOUR, -DAY, LONGEST, -LONGEST] {
        same(v);
    }
    for v in [0.0, -1.5, f64::MAX, f64::INFINITY] {
        same(v);
    }
    same(String::from("grüße ✓"));
    same(Arc::<str>::from(""));
    same(usize::MAX);
    same(Value::Object(vec![
        ("a".into(), Value::Array(vec![Value::Null, true.into(), 2.5.into(), "x".into()])),
        ("b".into(), Value::Object(Vec::new())),
    ]));
    let message = Message::parse(
        "{n, plural, offset:1 =0 {none} one {# {k, select, a {x} other {'{'y}}} other {{n, number, percent} {n, number, integer} {n, number} {s}}}",
    )
    .unwrap();
    same(message);
    for removes in [
        Removes::Limit(2),
        Removes::Seats,
        Removes::Workaround("csv".into()),
        Removes::Workflow(12),
        Removes::Integration("slack".into()),
    ] {
        same(removes);
    }
    for placement in [Placement::Inline("slot".into()), Placement::Banner, Placement::Modal, Placement::Toast] {
        same(placement);
    }
    same(Target::Plan(1));
    same(Target::AddOn(0));
    let leaf = |test| Trigger::Leaf(Leaf { label: "l".into(), test });
    same(Trigger::All(vec![
        leaf(Test::Count { counter: 1, at_least: 3, within: DAY, metric: Some(0) }),
        Trigger::Any(vec![
            leaf(Test::Usage { metric: 0, at_least: 0.8 }),
            leaf(Test::Distinct { counter: 0, at_least: 2, within: HOUR }),
        ]),
        Trigger::Not(Box::new(leaf(Test::Concentration {
            counter: 0,
            top: 3,
            share_at_least: 0.5,
            min_count: 10,
            within: DAY,
        }))),
        leaf(Test::Trend { counter: 0, within: DAY, rising: false, by_at_least: 0.25, min_count: 5 }),
        leaf(Test::Since { counter: 0, at_most: None, at_least: Some(DAY) }),
        leaf(Test::Seats { used_at_least: 0.9 }),
        leaf(Test::Health { at_least: 70.0 }),
        leaf(Test::Renewal { within: 21 * DAY }),
    ]));
    for motion in crate::offers::MOTIONS {
        same(motion.1);
    }
    for owner in crate::offers::OWNERS {
        same(owner.1);
    }
}

/// Where to cut or change a playbook's text or bytes: everywhere in a small one, 600 places
/// spread over a large one (the tests run unoptimised).
fn places(len: usize) -> impl Iterator<Item = usize> {
    (0..len).step_by(if len <= 3000 { 1 } else { len / 600 })
}

#[test]
fn every_cut_is_an_error() {
    for (name, p) in playbooks() {
        let text = p.compile();
        for end in places(text.len()) {
            assert!(Playbook::from_compiled(&text[..end]).is_err(), "{name}: cut at {end}");
        }
        // The decoder itself meeting the end of the bytes (as with a checksum that matches).
        let bytes = payload(&text);
        for end in places(bytes.len()) {
            let (c, reason) = code(decode(&bytes[..end]));
            assert_eq!(c, "compiled_corrupt", "{name}: cut at {end}: {reason}");
        }
    }
    let text = minimal().compile();
    let bytes = payload(&text);
    let (c, reason) = code(Playbook::from_compiled(&seal(&bytes[..bytes.len() / 2])));
    assert!(c == "compiled_corrupt" && reason.contains(" end"), "{reason}");
}

/// Each byte of the bytes changed (as if the checksum matched): decoding may succeed (a
/// changed letter in a title) or fail, but never panics, and what it accepts the engine runs.
#[test]
fn no_changed_byte_makes_it_panic() {
    let (mut accepted, mut refused) = (0, 0);
    for (name, p) in playbooks().into_iter().filter(|(n, _)| !n.contains("fifty")) {
        let bytes = payload(&p.compile());
        for i in places(bytes.len()) {
            for flip in [0x01, 0x80, 0xff] {
                let mut changed = bytes.clone();
                changed[i] ^= flip;
                let Ok(decoded) = decode(&changed) else {
                    refused += 1;
                    continue;
                };
                accepted += 1;
                if accepted % 10 == 0 {
                    exercise(decoded).unwrap_or_else(|| panic!("{name}: byte {i} ^ {flip:#x}"));
                }
            }
        }
    }
    assert!(accepted > 100 && refused > 100, "{accepted} accepted, {refused} refused");
}

/// Runs an engine on a playbook through a few events, outcomes and decisions.
fn exercise(p: Playbook) -> Option<()> {
    let now = 1_796_342_400_000;
    let events: Vec<(String, Vec<(String, Value)>)> =
        p.events
            .iter()
            .map(|e| (e.name.clone(), Vec::new()))
            .chain(p.counters.iter().map(|c| {
                (p.events.get(usize::from(c.event)).map_or(String::new(), |e| e.name.clone()), c.filters.clone())
            }))
            .collect();
    let offers: Vec<String> = p.offers.iter().map(|o| o.id.to_string()).collect();
    let mut engine = Engine::new(p);
    let _ = engine.set_account(&Value::object([("id", "acme".into()), ("health", 90.0.into())]));
    for k in 0..3 {
        for (name, filters) in &events {
            let mut event = vec![
                ("type".to_owned(), name.as_str().into()),
                ("at".to_owned(), Value::Number((now - k * 5 * MINUTE) as f64)),
            ];
            event.extend(filters.iter().cloned());
            let _ = engine.track(&Value::Object(event), now);
        }
    }
    let _ = engine.decide(now, &crate::BuiltinLocalizer);
    for id in &offers {
        for kind in [crate::OutcomeKind::Shown, crate::OutcomeKind::Converted] {
            let _ = engine.outcome(id, kind, now);
        }
    }
    let _ = engine.decide(now + DAY, &crate::BuiltinLocalizer);
    let _ = engine.take_reports(now + 400 * DAY);
    let saved = engine.save();
    engine.restore(&saved).ok()
}

#[test]
fn a_decoded_playbook_runs_like_the_loaded_one() {
    for (name, p) in playbooks() {
        assert!(exercise(Playbook::from_compiled(&p.compile()).unwrap()).is_some(), "{name}");
    }
}

#[test]
fn text_that_is_not_a_compiled_playbook_is_named_so() {
    for text in ["", "{\"id\":\"x\"}", "earned", "earned:", "earned:x:AAAA", "earned:1", "EARNED:1:AAAA"] {
        let (c, reason) = code(Playbook::from_compiled(text));
        assert_eq!(c, "compiled_prefix", "{text:?}");
        assert_eq!(reason, "not a compiled playbook: expected text starting `earned:1:`");
    }
    let text = minimal().compile().replacen("earned:1:", "earned:2:", 1);
    let (c, reason) = code(Playbook::from_compiled(&text));
    assert_eq!(c, "compiled_prefix");
    assert_eq!(reason, "compiled by a different version of earned (format 2); compile it again with `earned compile`");
    let (c, reason) = code(Playbook::from_compiled("earned:17:AAAA"));
    assert_eq!(c, "compiled_prefix");
    assert!(reason.contains("(format 17)"), "{reason}");
}

#[test]
fn bad_base64_and_bad_checksums_are_corrupt() {
    let text = minimal().compile();
    let cases = [
        ("earned:1:", "too short"),
        ("earned:1:AAA", "too short"),
        ("earned:1:A", "not base64url"),
        ("earned:1:AAAAA", "not base64url"),
        ("earned:1:AAAA=", "not base64url"),
        ("earned:1:AA+/AA", "not base64url"),
        ("earned:1:AB", "not base64url"), // unused bits set
        ("earned:1:AAAAAAAA", "checksum"),
    ];
    for (text, want) in cases {
        let (c, reason) = code(Playbook::from_compiled(text));
        assert_eq!(c, "compiled_corrupt", "{text:?}");
        assert!(reason.contains(want), "{text:?}: {reason}");
    }
    // One char changed: the checksum catches it.
    let mut changed = text.clone().into_bytes();
    let i = changed.len() / 2;
    changed[i] = if changed[i] == b'A' { b'B' } else { b'A' };
    let (c, reason) = code(Playbook::from_compiled(&String::from_utf8(changed).unwrap()));
    assert_eq!(c, "compiled_corrupt");
    assert!(reason.contains("checksum"), "{reason}");
    // Bytes after the playbook.
    let mut longer = payload(&text);
    longer.push(0);
    let (c, reason) = code(Playbook::from_compiled(&seal(&longer)));
    let at = longer.len() - 1;
    assert_eq!(
        (c, reason),
        ("compiled_corrupt", format!("corrupt compiled playbook: bytes left over after the playbook at byte {at}"))
    );
}

#[test]
fn base64url_round_trips_every_length() {
    let bytes: Vec<u8> = (0..=255).collect();
    for n in 0..bytes.len() {
        let mut text = String::new();
        base64_encode(&bytes[..n], &mut text);
        assert_eq!(text.len(), (n * 4).div_ceil(3));
        assert_eq!(base64_decode(&text).as_deref(), Some(&bytes[..n]));
    }
    let mut text = String::new();
    base64_encode(b"\xfb\xff\xfe", &mut text);
    assert_eq!(text, "-__-");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let mut p = minimal();
    let deep = (0..MAX_DEPTH).fold(Value::Null, |v, _| Value::Array(vec![v]));
    p.offers[0].audience = Some(deep.clone());
    assert_eq!(Playbook::from_compiled(&p.compile()), Ok(p.clone()), "as deep as JSON goes");
    p.offers[0].audience = Some(Value::Array(vec![deep]));
    let (c, reason) = code(Playbook::from_compiled(&p.compile()));
    assert_eq!(c, "compiled_corrupt");
    assert!(reason.contains("nest too deeply"), "{reason}");

    let mut p = minimal();
    let trigger = p.offers[0].trigger.clone();
    p.offers[0].trigger = (0..1000).fold(trigger, |t, _| Trigger::Not(Box::new(t)));
    let (c, reason) = code(Playbook::from_compiled(&p.compile()));
    assert_eq!(c, "compiled_corrupt");
    assert!(reason.contains("nest too deeply"), "{reason}");
}

/// Indices the engine indexes lists with, and numbers that size allocations and loops, are
/// checked as they are decoded (each change is labelled with what it breaks).
#[test]
fn out_of_range_indices_are_corrupt() {
    type Change = fn(&mut Playbook);
    let changes: [(Change, &str); 14] = [
        (|p| p.offers[0].target = Target::Plan(2), "target"),
        (|p| p.offers[0].target = Target::AddOn(0), "target"),
        (|p| p.offers[0].removes = Some(Removes::Limit(1)), "removes"),
        (|p| p.offers[0].removes = Some(Removes::Workflow(999)), "removes"),
        (|p| p.offers[0].watch.as_mut().unwrap().counter = 9, "watch"),
        (|p| p.activation.milestones.push(1), "activation"),
        (|p| p.plans[1].limits.push(None), "limits"),
        (|p| p.counters[0].event = 999, "event type"),
        (|p| p.counters[0].width = 0, "buckets"),
        (|p| p.counters[0].slots = MAX_SLOTS + 1, "buckets"),
        (|p| p.counters_by_event[0].push(7), "counters per event"),
        (
            |p| {
                p.guardrails.usage_falling = Some(UsageFalling { counter: 5, within: DAY, drop: 0.3, min_count: 5 });
            },
            "usage_falling",
        ),
        (|p| p.caps.per_offer = u32::MAX, "cap"),
        (
            |p| {
                let Trigger::Leaf(leaf) = &mut p.offers[0].trigger else { panic!("a leaf") };
                let Test::Count { metric, .. } = &mut leaf.test else { panic!("a count") };
                *metric = Some(1);
            },
            "trigger",
        ),
    ];
    for (change, want) in changes {
        let mut p = minimal();
        change(&mut p);
        let (c, reason) = code(Playbook::from_compiled(&p.compile()));
        assert_eq!(c, "compiled_corrupt", "{want}");
        assert!(reason.contains("a number out of range at byte "), "{want}: {reason}");
    }
    let mut p = minimal();
    p.offers[0].trigger = Trigger::Leaf(Leaf {
        label: "c".into(),
        test: Test::Concentration { counter: 0, top: 1_000_000, share_at_least: 0.5, min_count: 1, within: DAY },
    });
    assert!(code(Playbook::from_compiled(&p.compile())).1.contains("out of range"));
    p.offers[0].trigger = Trigger::Leaf(Leaf { label: "r".into(), test: Test::Renewal { within: LONGEST + 1 } });
    assert!(code(Playbook::from_compiled(&p.compile())).1.contains("out of range"));
}

#[test]
fn an_unknown_warning_code_is_corrupt() {
    let mut p = minimal();
    p.warnings.push(Problem::warning("offers[0]", "made_up", "no such lint"));
    let (c, reason) = code(Playbook::from_compiled(&p.compile()));
    assert_eq!(c, "compiled_corrupt");
    assert!(reason.contains("out of range"), "{reason}");
}

/// Not a test of behaviour: prints the sizes for the README (`cargo test sizes -- --nocapture`).
#[test]
fn sizes() {
    for (name, p) in playbooks() {
        let json = fs::metadata(root().join(&name)).map_or(0, |m| m.len());
        println!("{name}: {json} bytes of JSON, {} compiled", p.compile().len());
    }
}
