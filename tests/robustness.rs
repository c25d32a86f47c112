//! No input may panic the engine: random and mutated playbooks, events, facts and stored state
//! are either accepted or refused with problems, never a crash (in the browser a panic aborts
//! the module).

use earned::{BuiltinLocalizer, Engine, OutcomeKind, Playbook, Value};

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "type",
    "limit_hit",
    "metric",
    "reports",
    "usage",
    "value",
    "at",
    "id",
    "plan",
    "starter",
    "growth",
    "-3d",
    "30d",
    "",
    "{",
    "}",
    "{count, plural, other {#}}",
    "$in",
    "$gt",
    "all",
    "any",
    "not",
    "count",
    "event",
    "within",
    "\u{202e}",
    "<img src=x onerror=alert(1)>",
    "2026-12-04",
    "9999-99-99",
    "NaN",
    "version",
    "counters",
    "offers",
];

fn random_value(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth > 4 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Number(
            [0.0, -1.0, 1e300, f64::NAN, f64::INFINITY, 3.5, 1_796_342_400_000.0, u32::MAX as f64][rng.below(8)],
        ),
        3 | 4 => Value::String(WORDS[rng.below(WORDS.len())].to_owned()),
        5 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect()),
        _ => Value::Object(
            (0..rng.below(5))
                .map(|_| (WORDS[rng.below(WORDS.len())].to_owned(), random_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// Replaces one node somewhere in `v` with a random value.
fn mutate(v: &mut Value, rng: &mut Rng) {
    match v {
        Value::Object(m) if !m.is_empty() && rng.below(4) != 0 => {
            let i = rng.below(m.len());
            match rng.below(6) {
                0 => {
                    m.remove(i);
                }
                1 => m[i].1 = random_value(rng, 2),
                _ => mutate(&mut m[i].1, rng),
            }
        }
        Value::Array(a) if !a.is_empty() && rng.below(4) != 0 => {
            let i = rng.below(a.len());
            mutate(&mut a[i], rng);
        }
        other => *other = random_value(rng, 2),
    }
}

fn doctrine() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/doctrine.json")).unwrap(),
    )
    .unwrap()
}

#[test]
fn mutated_playbooks_load_or_are_refused_without_panicking() {
    let base = doctrine();
    let mut rng = Rng(0x5eed);
    let (mut loaded, mut refused) = (0, 0);
    for _ in 0..3000 {
        let mut pb = base.clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut pb, &mut rng);
        }
        match Playbook::load(&pb) {
            Ok(p) => {
                loaded += 1;
                // A playbook that loads must also decide.
                let mut e = Engine::new(p);
                e.track(&serde_json::from_str(r#"{"type":"limit_hit","metric":"reports"}"#).unwrap(), 0).ok();
                e.decide(0, &BuiltinLocalizer);
            }
            Err(problems) => {
                refused += 1;
                assert!(problems.iter().any(|p| p.is_error()), "refused without an error");
                assert!(problems.iter().all(|p| !p.path.is_empty() && !p.reason.is_empty()), "{problems:#?}");
            }
        }
    }
    assert!(loaded > 100 && refused > 100, "loaded {loaded}, refused {refused}");
}

#[test]
fn random_events_facts_outcomes_and_state_never_panic() {
    let mut engine = Engine::new(Playbook::load(&doctrine()).unwrap());
    let mut rng = Rng(42);
    let good_state = engine.save();
    for i in 0..20_000i64 {
        let v = random_value(&mut rng, 0);
        let now = 1_796_342_400_000 + i * 60_000;
        match rng.below(6) {
            0 | 1 => {
                engine.track(&v, now).ok();
            }
            2 => {
                engine.set_account(&v).ok();
            }
            3 => {
                engine.set_user(&v).ok();
            }
            4 => {
                let mut state = good_state.clone();
                mutate(&mut state, &mut rng);
                engine.restore(&state).ok();
                engine.merge(&state).ok();
                engine.restore(&v).ok();
            }
            _ => {
                let kind = [OutcomeKind::Shown, OutcomeKind::Dismissed, OutcomeKind::Converted][rng.below(3)];
                engine.outcome(v.as_str().unwrap_or("more_reports"), kind, now).ok();
            }
        }
        if i % 100 == 0 {
            let d = engine.decide(now, &BuiltinLocalizer);
            let _ = d.trace.explain();
        }
    }
}
