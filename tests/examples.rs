//! The eight example playbooks: each loads, lints clean, answers the five pre-pitch questions,
//! and has scenarios where its main offer fires and where a guardrail holds it back.

use std::fs;
use std::path::PathBuf;

use earned::{Playbook, Value};

const TYPES: [&str; 8] =
    ["crm", "project-management", "seo", "support-desk", "data-warehouse", "hr", "dev-tool", "email-platform"];

/// Reason codes that come from a guardrail (doctrine rows 1, 3, 4, 8).
const GUARDRAILS: [&str; 10] = [
    "activation_not_reached",
    "cs_hold",
    "recent_purchase",
    "low_health",
    "champion_quiet",
    "basic_tickets",
    "usage_falling",
    "idle_seats",
    "discount_unhealthy",
    "cannot_buy",
];

fn read(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

#[test]
fn every_example_playbook_loads_and_lints_clean() {
    for t in TYPES {
        let playbook = Playbook::from_json(&read(&format!("examples/playbooks/{t}.json")))
            .unwrap_or_else(|p| panic!("{t}: {}", p.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")));
        assert!(playbook.warnings.is_empty(), "{t} has lint warnings: {:#?}", playbook.warnings);
        assert!(playbook.locales.len() >= 2, "{t} has copy in one language only");
        assert!(playbook.offers.iter().any(|o| o.motion.is_upsell()), "{t} has no upsell");
        assert!(playbook.offers.iter().any(|o| !o.motion.is_upsell()), "{t} has no cross-sell");
        for r in &playbook.readiness {
            assert!(r.ready(), "{t}: offer {} is not ready: {:?}", r.offer, r.answers);
        }
    }
}

#[test]
fn every_example_has_a_firing_and_a_held_back_scenario() {
    for t in TYPES {
        let spec: Value = serde_json::from_str(&read(&format!("examples/scenarios/{t}.json"))).unwrap();
        assert_eq!(spec.get("playbook").and_then(Value::as_str), Some(format!("examples/playbooks/{t}.json").as_str()));
        let expects: Vec<&Value> = spec
            .get("scenarios")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.get("expect"))
            .collect();
        let fires = expects.iter().any(|e| e.get("show").and_then(Value::as_str).is_some());
        let held =
            expects.iter().any(|e| e.get("reason").and_then(Value::as_str).is_some_and(|r| GUARDRAILS.contains(&r)));
        assert!(fires, "{t}: no scenario where an offer shows");
        assert!(held, "{t}: no scenario where a guardrail holds the offer back");
    }
}
