//! Two tabs of one user: state written by one merges into the other.
#![cfg(not(target_arch = "wasm32"))] // Playbook::from_json is native; tests/web.rs covers wasm

use earned::{BuiltinLocalizer, Engine, OutcomeKind, Playbook, Value};

const NOW: i64 = 1_796_342_400_000;

fn tab(id: &str) -> Engine {
    let playbook = Playbook::from_json(include_str!("fixtures/minimal.json")).unwrap();
    let mut e = Engine::new(playbook);
    let account = Value::object([("id", "acme".into()), ("milestones", Value::Array(vec!["first_report".into()]))]);
    e.set_account(&account).unwrap();
    e.set_tab(id);
    e
}

#[test]
fn a_tab_that_releases_the_screen_frees_it_in_the_other() {
    let (mut a, mut b) = (tab("a"), tab("b"));
    for _ in 0..3 {
        a.track(&Value::object([("type", "limit_hit".into()), ("metric", "reports".into())]), NOW).unwrap();
    }
    let offer = a.decide(NOW, &BuiltinLocalizer).prompt.unwrap().offer;
    a.outcome(&offer, OutcomeKind::Shown, NOW).unwrap();
    b.merge(&a.save()).unwrap();
    let held = b.decide(NOW, &BuiltinLocalizer);
    assert_eq!(held.reason.unwrap().code, "shown_in_another_tab");

    a.release();
    b.merge(&a.save()).unwrap();
    let freed = b.decide(NOW, &BuiltinLocalizer);
    // The screen is free; the daily cap both tabs share is what holds the prompt back now.
    assert_eq!(freed.reason.unwrap().code, "daily_cap");

    // A third tab's state that never saw the prompt does not free a's screen.
    let c = tab("c");
    let mut d = tab("d");
    a.outcome(&offer, OutcomeKind::Shown, NOW + 1).unwrap();
    d.merge(&a.save()).unwrap();
    d.merge(&c.save()).unwrap();
    assert_eq!(d.decide(NOW + 2, &BuiltinLocalizer).reason.unwrap().code, "shown_in_another_tab");
}
