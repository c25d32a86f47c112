//! Events the host app reports with `track`: what happened in the product, and when.

use crate::problem::Problem;
use crate::read::Reader;
use crate::value::Value;

/// What a property of an event must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropKind {
    /// A string.
    Text,
    /// A number.
    Number,
    /// A string, number or boolean.
    Any,
    /// A string naming a value metric of the playbook.
    Metric,
    /// A string naming an activation milestone of the playbook.
    Milestone,
    /// true or false.
    Bool,
}

/// One property an event type carries.
#[derive(Debug, Clone, PartialEq)]
pub struct PropSpec {
    /// Its name in the event object (`metric`, `kind`, ...).
    pub name: String,
    /// What it must hold.
    pub kind: PropKind,
    /// Whether every event of the type must carry it.
    pub required: bool,
}

/// An event type: a built-in one or one the playbook declares under `events`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpec {
    /// The `type` string.
    pub name: String,
    /// Properties events of this type may carry.
    pub properties: Vec<PropSpec>,
}

/// The built-in event types, in the order of [`builtin_events`].
pub const BUILTIN_EVENTS: &[&str] = &[
    "limit_hit",
    "usage",
    "seat_invited",
    "workaround",
    "feature_used",
    "department_active",
    "integration_requested",
    "milestone",
    "support_ticket",
    "session",
];

/// The built-in event types with their properties.
pub fn builtin_events() -> Vec<EventSpec> {
    use PropKind::*;
    let spec = |name: &str, props: &[(&str, PropKind, bool)]| EventSpec {
        name: name.into(),
        properties: props.iter().map(|(n, k, r)| PropSpec { name: (*n).into(), kind: *k, required: *r }).collect(),
    };
    vec![
        spec("limit_hit", &[("metric", Metric, true)]),
        spec("usage", &[("metric", Metric, true), ("value", Number, true), ("limit", Number, false)]),
        spec("seat_invited", &[("role", Text, false), ("invitee", Text, false)]),
        spec("workaround", &[("kind", Text, true)]),
        spec("feature_used", &[("feature", Text, true)]),
        spec("department_active", &[("department", Text, true)]),
        spec("integration_requested", &[("integration", Text, true)]),
        spec("milestone", &[("milestone", Milestone, true)]),
        spec("support_ticket", &[("topic", Text, true), ("basic", Bool, false)]),
        spec("session", &[]),
    ]
}

/// One event, validated against its type.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Index of its type in the playbook's event catalog.
    pub kind: u16,
    /// When it happened, ms since the epoch (clamped by the engine).
    pub at: i64,
    /// Its properties, by name.
    pub props: Vec<(String, Value)>,
}

impl Event {
    /// The property `name`.
    pub fn prop(&self, name: &str) -> Option<&Value> {
        self.props.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// Names the playbook declares, which event properties must refer to.
pub struct Names<'a> {
    /// Value metric ids.
    pub metrics: &'a [String],
    /// Milestone ids.
    pub milestones: &'a [String],
}

/// Reads an event object `{ "type": "limit_hit", "metric": "reports", "at": ... }`.
///
/// `now` stands in for a missing `at`. Every problem is named by its path from `event`.
///
/// # Errors
/// An unknown `type`, a missing or mistyped property, an unknown field, a metric or milestone
/// the playbook does not declare.
pub fn read_event(catalog: &[EventSpec], names: &Names<'_>, value: &Value, now: i64) -> Result<Event, Vec<Problem>> {
    let mut r = Reader::default();
    let Some(mut o) = r.object("event", value) else {
        return Err(r.problems);
    };
    let type_name = match o.require(&mut r, "type") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            r.wrong_type("event.type", "a string", other);
            None
        }
        None => None,
    };
    let at = o.opt(&mut r, "at", Reader::time).unwrap_or(now);
    let Some(type_name) = type_name else {
        return Err(r.problems);
    };
    let Some(kind) = catalog.iter().position(|e| e.name == type_name) else {
        // The names joined by hand: collecting them to join would add code for one message.
        let mut reason = crate::read::concat3("unknown event type `", type_name, "`; this playbook knows: ");
        for (i, e) in catalog.iter().enumerate() {
            if i > 0 {
                reason.push_str(", ");
            }
            reason.push_str(&e.name);
        }
        r.error("event.type", "unknown_event", reason);
        return Err(r.problems);
    };
    let spec = &catalog[kind];
    let mut props = Vec::with_capacity(spec.properties.len());
    for p in &spec.properties {
        let Some(v) = o.get(&p.name) else {
            if p.required {
                r.error("event", "missing_field", ["a `", type_name, "` event needs `", &p.name, "`"].concat());
            }
            continue;
        };
        match check_prop(p.kind, v, names) {
            Ok(()) => props.push((p.name.clone(), v.clone())),
            Err((code, reason)) => r.error(&o.at(&p.name), code, reason),
        }
    }
    o.finish(&mut r);
    if r.has_errors() {
        return Err(r.problems);
    }
    Ok(Event { kind: kind as u16, at, props })
}

/// Checks a property's value against its kind: the problem's code and reason if it does not fit.
fn check_prop(kind: PropKind, v: &Value, names: &Names<'_>) -> Result<(), (&'static str, String)> {
    let (fits, want) = match kind {
        PropKind::Number => (matches!(v, Value::Number(n) if n.is_finite()), "a finite number"),
        PropKind::Bool => (matches!(v, Value::Bool(_)), "true or false"),
        PropKind::Any => (
            match v {
                Value::String(s) => s.len() <= 256,
                Value::Number(n) => n.is_finite(),
                Value::Bool(_) => true,
                _ => false,
            },
            "a string (at most 256 characters), number or boolean",
        ),
        PropKind::Text | PropKind::Metric | PropKind::Milestone => (matches!(v, Value::String(_)), "a string"),
    };
    if !fits {
        return Err(("wrong_type", crate::read::wrong_type_reason(want, v)));
    }
    let Value::String(s) = v else { return Ok(()) };
    let (declared, code, what) = match kind {
        PropKind::Text if s.len() > 256 => return Err(("too_long", "longer than 256 characters".into())),
        PropKind::Metric => (names.metrics, "unknown_metric", "unknown metric `"),
        PropKind::Milestone => (names.milestones, "unknown_milestone", "unknown milestone `"),
        _ => return Ok(()),
    };
    if !declared.contains(s) {
        return Err((code, crate::read::unknown_reason(what, s, "`; declared: ", declared)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Event, Vec<Problem>> {
        let names = Names { metrics: &["reports".to_owned()], milestones: &["first_report".to_owned()] };
        read_event(&builtin_events(), &names, &serde_json::from_str(json).unwrap(), 42)
    }

    #[test]
    fn reads_a_builtin_event() {
        let e = read(r#"{"type":"limit_hit","metric":"reports"}"#).unwrap();
        assert_eq!((e.kind, e.at), (0, 42));
        assert_eq!(e.prop("metric"), Some(&Value::from("reports")));
    }

    #[test]
    fn names_the_bad_field() {
        let p = read(r#"{"type":"limit_hit","metric":"dashboards"}"#).unwrap_err();
        assert_eq!((p[0].path.as_str(), p[0].code), ("event.metric", "unknown_metric"));
        let p = read(r#"{"type":"usage","metric":"reports","value":"many"}"#).unwrap_err();
        assert_eq!((p[0].path.as_str(), p[0].code), ("event.value", "wrong_type"));
        let p = read(r#"{"type":"limit_hit"}"#).unwrap_err();
        assert_eq!(p[0].code, "missing_field");
        let p = read(r#"{"type":"sesion"}"#).unwrap_err();
        assert_eq!((p[0].path.as_str(), p[0].code), ("event.type", "unknown_event"));
        let p = read(r#"{"type":"session","colour":1}"#).unwrap_err();
        assert_eq!((p[0].path.as_str(), p[0].code), ("event.colour", "unknown_field"));
        let p = read(r#"{"type":"session","at":"last tuesday"}"#).unwrap_err();
        assert_eq!((p[0].path.as_str(), p[0].code), ("event.at", "bad_time"));
    }
}
