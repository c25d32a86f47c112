//! The persisted state: round trips, refuses what is not ours, merges two tabs, stays bounded.

use earned::read::{parse_iso_time, DAY, HOUR};
use earned::{BuiltinLocalizer, Engine, OutcomeKind, Playbook, Value};

fn engine() -> Engine {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/doctrine.json")).unwrap();
    let mut e = Engine::new(Playbook::from_json(&text).unwrap());
    let account = r#"{"id":"acct-1","plan":"starter","acv":348,"health":80,"milestones":["first_ticket_solved","inbox_connected"]}"#;
    e.set_account(&serde_json::from_str(account).unwrap()).unwrap();
    e
}

fn now() -> i64 {
    parse_iso_time("2026-12-04T12:00:00Z").unwrap()
}

fn event(json: &str) -> Value {
    serde_json::from_str(json).unwrap()
}

fn limit_hits(e: &mut Engine, n: i64, at: i64) {
    for k in 0..n {
        e.track(&event(r#"{"type":"limit_hit","metric":"reports"}"#), at - k * HOUR).unwrap();
    }
}

#[test]
fn save_and_restore_round_trip_keeps_counts_caps_and_watches() {
    let mut a = engine();
    limit_hits(&mut a, 3, now());
    for topic in ["sso", "sso", "billing"] {
        a.track(&event(&format!(r#"{{"type":"ticket_created","topic":"{topic}"}}"#)), now()).unwrap();
    }
    a.track(&event(r#"{"type":"usage","metric":"contacts","value":900}"#), now()).unwrap();
    a.outcome("crm_sync", OutcomeKind::Dismissed, now()).unwrap();
    a.outcome("more_seats", OutcomeKind::Converted, now()).unwrap();
    let saved = a.save();
    assert_eq!(a.save_json(), saved.to_json(), "the stored text is the saved value's JSON");

    let mut b = engine();
    b.restore(&saved).unwrap();
    assert_eq!(b.save(), saved, "a restored engine saves the same state");
    let d = b.decide(now() + HOUR, &BuiltinLocalizer);
    assert_eq!(d.reason.map(|r| r.code), Some("recent_purchase"), "the conversion's quiet period survived");
    // Through JSON text, as the browser stores it.
    let text = serde_json::to_string(&saved).unwrap();
    let mut c = engine();
    c.restore(&serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(c.save(), saved);
}

#[test]
fn refuses_foreign_or_corrupt_state_and_keeps_its_own() {
    let mut e = engine();
    limit_hits(&mut e, 2, now());
    let before = e.save();
    let mut other_version = before.clone();
    if let Value::Object(m) = &mut other_version {
        m.retain(|(k, _)| k != "version");
        m.push(("version".into(), Value::Number(99.0)));
    }
    let mut corrupt_counter = serde_json::to_string(&before).unwrap();
    corrupt_counter = corrupt_counter.replacen("\"b\":[", "\"b\":[\"x\",", 1);
    for bad in [
        Value::from("junk"),
        Value::Null,
        event(r#"{"theme":"dark"}"#),
        other_version,
        serde_json::from_str(&corrupt_counter).unwrap(),
        event(r#"{"version":1,"playbook":"another"}"#),
    ] {
        let err = e.restore(&bad).unwrap_err();
        assert_eq!((err.path.as_str(), err.code), ("state", "bad_state"), "{bad:?}");
        assert_eq!(e.save(), before, "a refused restore changes nothing");
    }
}

#[test]
fn two_tabs_merge_without_losing_a_dismissal_or_double_counting() {
    let mut shared = engine();
    limit_hits(&mut shared, 2, now() - DAY);
    let stored = shared.save();

    let mut tab_a = engine();
    tab_a.set_tab("a");
    tab_a.restore(&stored).unwrap();
    let mut tab_b = engine();
    tab_b.set_tab("b");
    tab_b.restore(&stored).unwrap();

    // Tab A sees a third limit hit and shows the prompt; tab B hears of it.
    limit_hits(&mut tab_a, 1, now());
    let d = tab_a.decide(now(), &BuiltinLocalizer);
    assert_eq!(d.prompt.as_ref().map(|p| p.offer.as_str()), Some("more_reports"));
    tab_a.outcome("more_reports", OutcomeKind::Shown, now()).unwrap();
    tab_b.merge(&tab_a.save()).unwrap();
    let d = tab_b.decide(now(), &BuiltinLocalizer);
    assert_eq!(d.reason.map(|r| r.code), Some("shown_in_another_tab"), "never in both tabs at once");

    // Tab A's user says "Not now"; tab B must respect the cooldown, and the shared past is
    // counted once (3 hits, not 5).
    tab_a.outcome("more_reports", OutcomeKind::Dismissed, now()).unwrap();
    tab_b.merge(&tab_a.save()).unwrap();
    let d = tab_b.decide(now() + HOUR, &BuiltinLocalizer);
    assert_eq!(d.reason.map(|r| r.code), Some("cooldown"));
    let measured = d.trace.offers.iter().find(|o| &*o.offer == "more_reports").unwrap().measures[0].measured;
    assert_eq!(measured, 3.0);
}

#[test]
fn a_year_of_heavy_use_stays_a_few_kilobytes() {
    let mut e = engine();
    let start = now() - 365 * DAY;
    let kinds = [
        r#"{"type":"limit_hit","metric":"reports"}"#,
        r#"{"type":"session"}"#,
        r#"{"type":"workaround","kind":"csv_export"}"#,
        r#"{"type":"integration_requested","integration":"salesforce"}"#,
        r#"{"type":"report_created"}"#,
    ];
    let events: Vec<Value> = kinds.iter().map(|k| event(k)).collect();
    let mut sizes = Vec::new();
    for i in 0..100_000i64 {
        let at = start + i * (365 * DAY / 100_000);
        e.track(&events[(i % 5) as usize], at).unwrap();
        let topic = format!(r#"{{"type":"ticket_created","topic":"topic {}"}}"#, i % 200);
        e.track(&event(&topic), at).unwrap();
        if i % 25_000 == 24_999 {
            sizes.push(serde_json::to_string(&e.save()).unwrap().len());
        }
    }
    let last = *sizes.last().unwrap();
    assert!(last < 16 * 1024, "persisted state is {last} bytes");
    // Flat: the last quarter adds nothing.
    assert!(sizes[3] <= sizes[2] + 512, "state grew from {} to {}", sizes[2], sizes[3]);
    println!("persisted state after 200k events over a year: {last} bytes ({sizes:?})");
}

#[test]
fn a_bad_event_names_its_field_and_records_nothing() {
    let mut e = engine();
    let before = e.save();
    let err = e.track(&event(r#"{"type":"limit_hit","metric":"dashboards"}"#), now()).unwrap_err();
    assert_eq!(err[0].path, "event.metric");
    let err = e.track(&event(r#"{"type":"usage","metric":"contacts","value":"lots"}"#), now()).unwrap_err();
    assert_eq!(err[0].path, "event.value");
    assert_eq!(e.save(), before);
    // A failed call does not poison the next one.
    e.track(&event(r#"{"type":"limit_hit","metric":"reports"}"#), now()).unwrap();
    assert_eq!(e.signals().events, 1);
}
