//! Reading a playbook: parse and validate every section, then cross-check and lint.

use super::{lint, Activation, AddOn, Holdout, Milestone, Plan, Playbook};
use crate::audience;
use crate::copy::templates::{read_locales, read_variants, OfferCopy};
use crate::guardrails::read_guardrails;
use crate::offers::{read_ownership, read_placement, Discount, Offer, Removes, Target, Watch, MOTIONS, OWNERS};
use crate::outcomes::read_caps;
use crate::problem::{index, Problem};
use crate::read::{Obj, Reader};
use crate::signals::{builtin_events, EventSpec, PropKind, PropSpec, BUILTIN_EVENTS};
use crate::triggers::{Leaf, Test, Trigger, TriggerReader};
use crate::value::Value;

/// Variables every template may use, whatever the trigger: the account's plan and the offer's
/// target (`next_price` and `next_limit` too, where the target has them).
pub(super) const ALWAYS_AVAILABLE: &[&str] = &["plan", "next_plan"];

pub(super) fn load(value: &Value) -> Result<Playbook, Vec<Problem>> {
    let mut r = Reader::default();
    let Some(mut o) = r.object("$", value) else {
        return Err(r.problems);
    };
    o.get("$schema");
    o.get("description");
    let id = o.req(&mut r, "id", Reader::id).unwrap_or_default();
    let locales = o.req(&mut r, "locales", |r, p, v| Some(r.array(p, v, Reader::string))).unwrap_or_default();
    if locales.is_empty() {
        r.error("locales", "missing_locale", "list at least one locale; the first is the default");
    }
    let metrics: Vec<String> = o.req(&mut r, "metrics", |r, p, v| Some(r.array(p, v, Reader::id))).unwrap_or_default();
    no_duplicates(&mut r, "metrics", metrics.iter().map(String::as_str));
    let plans = o
        .req(&mut r, "plans", |r, p, v| Some(r.array(p, v, |r, p, v| read_plan(r, p, v, &metrics))))
        .unwrap_or_default();
    if plans.is_empty() && !r.has_errors() {
        r.error("plans", "missing_plan", "declare at least one plan");
    }
    no_duplicates(&mut r, "plans", plans.iter().map(|p| p.id.as_str()));
    let add_ons = o.opt(&mut r, "add_ons", |r, p, v| Some(r.array(p, v, read_add_on))).unwrap_or_default();
    no_duplicates(&mut r, "add_ons", add_ons.iter().map(|a| a.id.as_str()));
    let milestones = o.req(&mut r, "milestones", read_milestones).unwrap_or_default();
    let milestone_ids: Vec<String> = milestones.iter().map(|m| m.id.clone()).collect();
    let activation = o.req(&mut r, "activation", |r, p, v| read_activation(r, p, v, &milestone_ids));
    let mut events = builtin_events();
    if let Some(custom) = o.opt(&mut r, "events", read_events) {
        events.extend(custom);
    }

    let mut triggers =
        TriggerReader { catalog: &events, metrics: &metrics, milestones: &milestone_ids, counters: Vec::new() };
    let guardrails = o.opt(&mut r, "guardrails", |r, p, v| read_guardrails(r, &mut triggers, p, v)).unwrap_or_default();
    let caps = o.opt(&mut r, "caps", read_caps).unwrap_or_default();
    let ownership = o.opt(&mut r, "ownership", read_ownership).unwrap_or_default();
    let holdout = o
        .opt(&mut r, "holdout", |r, p, v| {
            let mut h = r.object(p, v)?;
            let percent = h.req(r, "percent", |r, p, v| r.number(p, v, 0.0, 100.0));
            let salt = h.opt(r, "salt", Reader::string).unwrap_or_default();
            h.finish(r);
            Some(Holdout { percent: percent?, salt })
        })
        .unwrap_or(Holdout { percent: 0.0, salt: String::new() });
    let names = Names { plans: &plans, add_ons: &add_ons };
    let offers = o
        .req(&mut r, "offers", |r, p, v| Some(r.array(p, v, |r, p, v| read_offer(r, &mut triggers, &names, p, v))))
        .unwrap_or_default();
    no_duplicates(&mut r, "offers", offers.iter().map(|o| &*o.id));
    o.finish(&mut r);

    let counters = triggers.counters;
    let mut counters_by_event = vec![Vec::new(); events.len()];
    for (i, c) in counters.iter().enumerate() {
        counters_by_event[usize::from(c.event)].push(i);
    }
    let Some(activation) = activation else {
        return Err(r.problems);
    };
    let mut playbook = Playbook {
        id,
        locales,
        metrics,
        plans,
        add_ons,
        milestones,
        activation,
        events,
        counters,
        counters_by_event,
        offers,
        guardrails,
        caps,
        ownership,
        holdout,
        warnings: Vec::new(),
        readiness: Vec::new(),
    };
    lint::check(&mut r, &mut playbook);
    if r.has_errors() {
        return Err(r.problems);
    }
    playbook.warnings = r.problems;
    Ok(playbook)
}

struct Names<'a> {
    plans: &'a [Plan],
    add_ons: &'a [AddOn],
}

fn no_duplicates<'a>(r: &mut Reader, path: &str, ids: impl Iterator<Item = &'a str>) {
    let ids: Vec<&str> = ids.collect();
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            r.error(&index(path, i), "duplicate_id", format!("`{id}` is declared twice"));
        }
    }
}

fn id_list(r: &mut Reader, path: &str, v: &Value) -> Option<Vec<String>> {
    Some(r.array(path, v, Reader::id))
}

fn read_plan(r: &mut Reader, path: &str, v: &Value, metrics: &[String]) -> Option<Plan> {
    let mut o = r.object(path, v)?;
    let id = o.req(r, "id", Reader::id)?;
    let mut limits = vec![None; metrics.len()];
    if let Some(mut l) = o.opt(r, "limits", |r, p, v| r.object(p, v)) {
        for (metric, limit) in l.entries() {
            let at = l.at(metric);
            match metrics.iter().position(|m| m == metric) {
                Some(i) => limits[i] = r.number(&at, limit, 0.0, 1e15),
                None => r.error(
                    &at,
                    "unknown_reference",
                    format!("unknown metric `{metric}`; declared: {}", metrics.join(", ")),
                ),
            }
        }
    }
    let plan = Plan {
        name: o.opt(r, "name", Reader::string).unwrap_or_else(|| id.clone()),
        order: o.opt(r, "order", |r, p, v| r.count(p, v, 0, 1000)).unwrap_or(u32::MAX),
        price: o.opt(r, "price", |r, p, v| r.number(p, v, 0.0, 1e12)),
        features: o.opt(r, "features", id_list).unwrap_or_default(),
        limits,
        id,
    };
    o.finish(r);
    Some(plan)
}

fn read_add_on(r: &mut Reader, path: &str, v: &Value) -> Option<AddOn> {
    let mut o = r.object(path, v)?;
    let id = o.req(r, "id", Reader::id)?;
    let a = AddOn {
        name: o.opt(r, "name", Reader::string).unwrap_or_else(|| id.clone()),
        price: o.opt(r, "price", |r, p, v| r.number(p, v, 0.0, 1e12)),
        features: o.opt(r, "features", id_list).unwrap_or_default(),
        id,
    };
    o.finish(r);
    Some(a)
}

fn read_milestones(r: &mut Reader, path: &str, v: &Value) -> Option<Vec<Milestone>> {
    let mut o = r.object(path, v)?;
    let mut out = Vec::new();
    for (id, body) in o.entries() {
        let at = o.at(id);
        let mut m = r.object(&at, body)?;
        let needs = m.opt(r, "needs", id_list).unwrap_or_default();
        m.get("description");
        m.finish(r);
        out.push(Milestone { id: id.clone(), needs });
    }
    Some(out)
}

fn read_activation(r: &mut Reader, path: &str, v: &Value, milestones: &[String]) -> Option<Activation> {
    let mut o = r.object(path, v)?;
    let all = o.opt(r, "all", id_list);
    let any = o.opt(r, "any", id_list);
    o.finish(r);
    let (list, is_all, key) = match (all, any) {
        (Some(l), None) => (l, true, "all"),
        (None, Some(l)) => (l, false, "any"),
        _ => {
            r.error(
                path,
                "bad_activation",
                "activation is { \"all\": [milestones] } or { \"any\": [milestones] }: the first promised outcome",
            );
            return None;
        }
    };
    if list.is_empty() {
        r.error(
            &crate::problem::join(path, key),
            "bad_activation",
            "name at least one milestone: no prompt may show before the first outcome",
        );
    }
    let mut indices = Vec::new();
    for (i, id) in list.iter().enumerate() {
        match milestones.iter().position(|m| m == id) {
            Some(m) => indices.push(m),
            None => r.error(
                &index(&crate::problem::join(path, key), i),
                "unknown_reference",
                format!("unknown milestone `{id}`; declared: {}", milestones.join(", ")),
            ),
        }
    }
    Some(Activation { milestones: indices, all: is_all })
}

fn read_events(r: &mut Reader, path: &str, v: &Value) -> Option<Vec<EventSpec>> {
    let mut o = r.object(path, v)?;
    let mut out = Vec::new();
    for (name, body) in o.entries() {
        let at = o.at(name);
        if BUILTIN_EVENTS.contains(&name.as_str()) {
            r.error(&at, "duplicate_id", format!("`{name}` is a built-in event; custom events need their own name"));
            continue;
        }
        if r.id(&at, &Value::String(name.clone())).is_none() {
            continue;
        }
        let Some(mut e) = r.object(&at, body) else { continue };
        let properties = e.opt(r, "properties", id_list).unwrap_or_default();
        e.get("description");
        e.finish(r);
        out.push(EventSpec {
            name: name.clone(),
            properties: properties
                .into_iter()
                .map(|name| PropSpec { name, kind: PropKind::Any, required: false })
                .collect(),
        });
    }
    Some(out)
}

fn read_offer(r: &mut Reader, t: &mut TriggerReader<'_>, names: &Names<'_>, path: &str, v: &Value) -> Option<Offer> {
    let mut o = r.object(path, v)?;
    let id = o.req(r, "id", Reader::id);
    let motion = o.req(r, "motion", |r, p, v| r.choice(p, v, MOTIONS));
    let target = o.req(r, "target", |r, p, v| read_target(r, p, v, names));
    let trigger = o.req(r, "trigger", |r, p, v| t.read(r, p, v));
    let removes = o.opt(r, "removes", |r, p, v| read_removes(r, p, v, t));
    let discount = o.opt(r, "discount", |r, p, v| {
        let mut d = r.object(p, v)?;
        let percent = d.req(r, "percent", |r, p, v| r.number(p, v, 0.1, 100.0));
        d.finish(r);
        Some(Discount { percent: percent? })
    });
    let audience = o.opt(r, "audience", |r, p, v| {
        for (rel, reason) in audience::check_condition(v) {
            let at = if rel.is_empty() { p.to_owned() } else { format!("{p}.{rel}") };
            r.error(&at, "bad_audience", reason);
        }
        Some(v.clone())
    });
    let copy = o.req(r, "copy", read_locales);
    let variants = o.opt(r, "variants", read_variants).unwrap_or_default();
    let placement = o.req(r, "placement", read_placement);
    let owner = o.opt(r, "owner", |r, p, v| r.choice(p, v, OWNERS));
    let url = o.opt(r, "url", Reader::string);
    let watch = o.opt(r, "watch", |r, p, v| read_watch(r, p, v, t));
    o.get("description");
    let trigger = trigger?;
    check_trigger(r, &o, &trigger, removes.as_ref(), t);
    o.finish(r);
    Some(Offer {
        id: id?.into(),
        motion: motion?,
        target: target?,
        removes,
        discount,
        audience,
        trigger,
        copy: OfferCopy { control: copy?, variants },
        placement: placement?,
        owner,
        url,
        watch,
    })
}

fn read_target(r: &mut Reader, path: &str, v: &Value, names: &Names<'_>) -> Option<Target> {
    let mut o = r.object(path, v)?;
    let plan = o.opt(r, "plan", Reader::string);
    let add_on = o.opt(r, "add_on", Reader::string);
    o.finish(r);
    match (plan, add_on) {
        (Some(p), None) => match names.plans.iter().position(|x| x.id == p) {
            Some(i) => Some(Target::Plan(i)),
            None => {
                r.error(&crate::problem::join(path, "plan"), "unknown_reference", format!("unknown plan `{p}`"));
                None
            }
        },
        (None, Some(a)) => match names.add_ons.iter().position(|x| x.id == a) {
            Some(i) => Some(Target::AddOn(i)),
            None => {
                r.error(&crate::problem::join(path, "add_on"), "unknown_reference", format!("unknown add-on `{a}`"));
                None
            }
        },
        _ => {
            r.error(path, "bad_target", "a target is { \"plan\": \"<plan id>\" } or { \"add_on\": \"<add-on id>\" }");
            None
        }
    }
}

fn read_removes(r: &mut Reader, path: &str, v: &Value, t: &TriggerReader<'_>) -> Option<Removes> {
    let mut o = r.object(path, v)?;
    let entries = o.entries();
    let [(kind, what)] = entries else {
        r.error(path, "bad_removes", "`removes` names one constraint: { \"limit\": metric }, { \"seats\": true }, { \"workaround\": kind }, { \"workflow\": event } or { \"integration\": name }");
        return None;
    };
    let at = o.at(kind);
    match kind.as_str() {
        "limit" => {
            let m = r.string(&at, what)?;
            match t.metrics.iter().position(|x| *x == m) {
                Some(i) => Some(Removes::Limit(i)),
                None => {
                    r.error(&at, "unknown_reference", format!("unknown metric `{m}`"));
                    None
                }
            }
        }
        "seats" => r.boolean(&at, what).map(|_| Removes::Seats),
        "workaround" => r.string(&at, what).map(Removes::Workaround),
        "integration" => r.string(&at, what).map(Removes::Integration),
        "workflow" => {
            let e = r.string(&at, what)?;
            match t.catalog.iter().position(|x| x.name == e) {
                Some(i) => Some(Removes::Workflow(i as u16)),
                None => {
                    r.error(&at, "unknown_event", format!("unknown event `{e}`"));
                    None
                }
            }
        }
        other => {
            r.error(
                &at,
                "bad_removes",
                format!("`{other}` is not a constraint kind: use limit, seats, workaround, workflow or integration"),
            );
            None
        }
    }
}

fn read_watch(r: &mut Reader, path: &str, v: &Value, t: &mut TriggerReader<'_>) -> Option<Watch> {
    // A watch reads like a count trigger: { "count": { "event", "where", "at_least", "within" } }.
    let mut o = r.object(path, v)?;
    let trigger = o.req(r, "count", |r, p, v| {
        t.read(r, path, &Value::object([("count", v.clone())])).map(|tr| (tr, p.to_owned()))
    });
    o.finish(r);
    match trigger? {
        (Trigger::Leaf(Leaf { test: Test::Count { counter, at_least, within, .. }, .. }), _) => {
            Some(Watch { counter, at_least, within })
        }
        _ => None,
    }
}

/// Rule 2 (behaviour, not calendar) and rule 5 (the trigger measures what the offer removes).
fn check_trigger(r: &mut Reader, o: &Obj<'_>, trigger: &Trigger, removes: Option<&Removes>, t: &TriggerReader<'_>) {
    if !trigger.is_behavioural() {
        r.error(&o.at("trigger"), "calendar_trigger", "this trigger rests only on the calendar (a date, an age, a renewal window); add the product behaviour or health that proves the customer is ready");
    }
    let Some(removes) = removes else { return };
    let mut counters = Vec::new();
    trigger.counters(&mut counters);
    let mut metrics = Vec::new();
    trigger.usage_metrics(&mut metrics);
    let on_event = |name: &str, prop: &str, value: Option<&str>| {
        counters.iter().any(|&c| {
            let spec = &t.counters[c];
            t.catalog[usize::from(spec.event)].name == name
                && value.is_none_or(|want| {
                    spec.distinct_of.as_deref() == Some(prop)
                        || spec.filters.iter().any(|(k, v)| k == prop && v.as_str() == Some(want))
                })
        })
    };
    let (measured, what) = match removes {
        Removes::Limit(m) => (
            metrics.contains(m),
            format!("the `{}` limit (count limit_hit or usage where metric={})", t.metrics[*m], t.metrics[*m]),
        ),
        Removes::Seats => (
            trigger.reads_seats() || on_event("seat_invited", "", None),
            "seats (count seat_invited, or seats used)".to_owned(),
        ),
        Removes::Workaround(k) => (
            on_event("workaround", "kind", Some(k)),
            format!("the `{k}` workaround (workaround events where kind={k})"),
        ),
        Removes::Integration(i) => (
            on_event("integration_requested", "integration", Some(i)),
            format!("the `{i}` integration (integration_requested where integration={i})"),
        ),
        Removes::Workflow(e) => {
            let name = &t.catalog[usize::from(*e)].name;
            (counters.iter().any(|&c| t.counters[c].event == *e), format!("the `{name}` workflow ({name} events)"))
        }
    };
    if !measured {
        r.error(
            &o.at("removes"),
            "removes_not_measured",
            format!(
                "the offer removes {what}, but its trigger does not measure that: the offer must match the friction"
            ),
        );
    }
}
