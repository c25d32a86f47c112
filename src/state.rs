//! The persisted state: signals and outcome history as one versioned, bounded value.
//!
//! Counters are stored by a key naming their event and filters, so a playbook edit keeps every
//! counter it did not change. Restoring is all or nothing: a value that is not ours leaves the
//! engine as it was, and the boundary keeps the bad value under a backup key.

use crate::engine::Engine;
use crate::outcomes::{keep_last, History, OnScreen, WatchRun};
use crate::problem::Problem;
use crate::signals::{keep_later, Seen, Signals, Usage};
use crate::value::{Json, Value};

/// The version of the stored shape; a different one is refused.
pub const STATE_VERSION: f64 = 1.0;

/// Writes a time, or `null`.
fn time_or_null(out: &mut Json, t: Option<i64>) {
    match t {
        Some(t) => out.num(t as f64),
        None => out.null(),
    };
}

/// Writes the persisted state as JSON text, directly: the text is all the boundary stores, so
/// no [`Value`] tree is built on the way.
pub(crate) fn save(e: &Engine) -> String {
    let p = &e.playbook;
    let s = &e.signals;
    let h = &e.history;
    let mut out = Json::default();
    out.begin_object();
    out.key("version");
    out.num(STATE_VERSION);
    out.key("playbook");
    out.str(&p.id);
    out.key("account");
    out.str(&e.account.id);
    out.key("events");
    out.num(s.events as f64);

    out.key("counters");
    out.begin_object();
    for (spec, c) in p.counters.iter().zip(&s.counters) {
        if c.last.is_none() {
            continue;
        }
        out.key(&spec.key(&p.events));
        out.begin_object();
        out.key("w");
        out.num(spec.width as f64);
        out.key("b");
        out.begin_array();
        time_or_null(&mut out, c.buckets.head());
        out.begin_array();
        for (age, count) in c.buckets.nonzero() {
            out.num(age as f64);
            out.num(count.into());
        }
        out.end_array();
        out.end_array();
        out.key("l");
        time_or_null(&mut out, c.last);
        out.key("d");
        out.begin_array();
        for seen in &c.seen {
            out.begin_array();
            out.str(&seen.value);
            out.num(seen.last as f64);
            out.begin_array();
            for (bucket, count) in &seen.buckets {
                out.num(*bucket as f64);
                out.num((*count).into());
            }
            out.end_array();
            out.end_array();
        }
        out.end_array();
        out.end_object();
    }
    out.end_object();

    out.key("usage");
    out.begin_object();
    for (metric, u) in p.metrics.iter().zip(&s.usage) {
        let Some(u) = u else { continue };
        out.key(metric);
        out.begin_array();
        out.num(u.value);
        out.num(u.limit.unwrap_or(f64::NAN));
        out.num(u.at as f64);
        out.end_array();
    }
    out.end_object();

    out.key("milestones");
    out.begin_array();
    for (m, reached) in p.milestones.iter().zip(&s.milestones) {
        if *reached {
            out.str(&m.id);
        }
    }
    out.end_array();

    out.key("last_seen");
    out.begin_object();
    for (event, t) in p.events.iter().zip(&s.last_seen) {
        if let Some(t) = t {
            out.key(&event.name);
            out.num(*t as f64);
        }
    }
    out.end_object();

    out.key("offers");
    out.begin_object();
    for (offer, o) in p.offers.iter().zip(&h.offers) {
        // Field by field rather than `== Default::default()`, which builds a value to compare.
        if o.shows.is_empty() && o.cooldown_until.is_none() && o.snoozed_until.is_none() && o.converted_at.is_none() {
            continue;
        }
        out.key(&offer.id);
        out.begin_object();
        out.key("shows");
        times(&mut out, &o.shows);
        out.key("cooldown_until");
        time_or_null(&mut out, o.cooldown_until);
        out.key("snoozed_until");
        time_or_null(&mut out, o.snoozed_until);
        out.key("converted_at");
        time_or_null(&mut out, o.converted_at);
        out.end_object();
    }
    out.end_object();

    out.key("shows");
    times(&mut out, &h.shows);
    out.key("active");
    match &h.active {
        Some(a) => out.begin_array().str(&p.offers[a.offer].id).num(a.since as f64).str(&a.tab).end_array(),
        None => out.null(),
    };
    out.key("tab");
    out.str(&e.tab);
    out.key("last_conversion");
    time_or_null(&mut out, h.last_conversion);
    out.key("watches");
    out.begin_array();
    for w in &h.watches {
        out.begin_array();
        out.str(&p.offers[w.offer].id);
        out.num(w.started as f64);
        out.num(w.ends as f64);
        out.num(w.count.into());
        out.end_array();
    }
    out.end_array();
    out.end_object();
    out.finish()
}

/// Writes show times as an array.
fn times(out: &mut Json, times: &[i64]) {
    out.begin_array();
    for t in times {
        out.num(*t as f64);
    }
    out.end_array();
}

/// The items of the array `v[key]`; none when it is missing or not an array.
fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).unwrap_or_default()
}

/// The members of the object `v[key]`; none when it is missing or not an object.
fn members<'a>(v: &'a Value, key: &str) -> &'a [(String, Value)] {
    v.get(key).and_then(Value::as_object).unwrap_or_default()
}

/// Reading stored state: notes the first reason to refuse it. Reading goes on after that (a
/// refused state is dropped whole), so no step needs an early return.
#[derive(Default)]
struct Reading {
    refused: Option<String>,
}

impl Reading {
    /// Refuses the state for the reason these pieces spell, unless it is refused already (the
    /// first reason is the one reported).
    fn refuse(&mut self, reason: &[&str]) {
        if self.refused.is_none() {
            self.refused = Some(reason.concat());
        }
    }

    /// A time (ms since the epoch) or `null`; a missing value is `null`.
    fn time(&mut self, v: Option<&Value>) -> Option<i64> {
        match v {
            None | Some(Value::Null) => None,
            // NaN and the infinities fail the comparison: no `is_finite` needed.
            Some(Value::Number(n)) if n.abs() < 1e15 => Some(*n as i64),
            Some(_) => {
                self.refuse(&["a time is not a number"]);
                None
            }
        }
    }

    /// A time that may not be `null`.
    fn known_time(&mut self, v: &Value) -> i64 {
        let t = self.time(Some(v));
        if matches!(v, Value::Null) {
            self.refuse(&["a time is null"]);
        }
        t.unwrap_or(0)
    }

    /// The array of times `v[key]`, keeping the last `keep`.
    fn times(&mut self, v: &Value, key: &str, keep: usize) -> Vec<i64> {
        let items = items(v, key);
        let mut out = Vec::with_capacity(items.len());
        for t in items {
            out.push(self.known_time(t));
        }
        keep_last(&mut out, keep);
        out
    }

    /// One distinct value of a counter, `[value, last seen, [bucket, count, ...]]`, keeping
    /// `slots` buckets; `None` when it is not of that form.
    fn seen(&mut self, item: &Value, slots: usize) -> Option<Seen> {
        let [Value::String(value), last, Value::Array(pairs)] = item.as_array()? else { return None };
        let mut buckets = Vec::new();
        for pair in pairs.chunks(2).take(slots) {
            match pair {
                [Value::Number(b), Value::Number(n)] if b.is_finite() && *n >= 0.0 && *n <= f64::from(u32::MAX) => {
                    buckets.push((*b as i64, *n as u32))
                }
                _ => return None,
            }
        }
        Some(Seen { value: value.clone(), last: self.known_time(last), buckets })
    }
}

/// Reads what [`save`] wrote, for this engine's playbook. All or nothing.
pub(crate) fn restore(e: &Engine, v: &Value) -> Result<(Signals, History), Problem> {
    let p = &e.playbook;
    let bad = |reason: String| Problem::error("state", "bad_state", reason);
    if v.as_object().is_none() {
        return Err(bad(crate::read::wrong_type_reason("an object", v)));
    }
    match v.get("version").and_then(Value::as_f64) {
        Some(x) if x == STATE_VERSION => {}
        Some(_) => return Err(bad("stored by another version of earned".into())),
        None => return Err(bad("not earned state (no version)".into())),
    }
    if v.get("playbook").and_then(Value::as_str) != Some(p.id.as_str()) {
        return Err(bad("stored for another playbook".into()));
    }
    let mut r = Reading::default();
    let mut s = Engine::fresh_signals(p);
    // A float-to-integer cast saturates: a negative count or NaN is 0.
    s.events = v.get("events").and_then(Value::as_f64).map_or(0, |n| n as u64);
    for (key, body) in members(v, "counters") {
        let Some(i) = p.counters.iter().position(|c| c.key(&p.events) == *key) else { continue };
        let spec = &p.counters[i];
        if body.get("w").and_then(Value::as_f64) != Some(spec.width as f64) {
            continue; // The window's bucket width changed: start this counter afresh.
        }
        let c = &mut s.counters[i];
        if !c.buckets.restore(body.get("b").unwrap_or(&Value::Null)) {
            r.refuse(&["counter `", key, "` is corrupt"]);
        }
        c.last = r.time(body.get("l"));
        for item in items(body, "d").iter().take(crate::signals::MAX_DISTINCT) {
            match r.seen(item, spec.slots) {
                Some(seen) => c.seen.push(seen),
                None => r.refuse(&["distinct values of `", key, "` are corrupt"]),
            }
        }
    }
    for (metric, reading) in members(v, "usage") {
        let Some(i) = p.metrics.iter().position(|m| m == metric) else { continue };
        match reading.as_array().unwrap_or_default() {
            [Value::Number(value), limit, at] => {
                s.usage[i] = Some(Usage { value: *value, limit: limit.as_f64(), at: r.time(Some(at)).unwrap_or(0) })
            }
            _ => r.refuse(&["usage of `", metric, "` is corrupt"]),
        }
    }
    for m in items(v, "milestones") {
        if let Some(i) = m.as_str().and_then(|id| p.milestones.iter().position(|x| x.id == id)) {
            s.milestones[i] = true;
        }
    }
    for (event, at) in members(v, "last_seen") {
        if let Some(i) = p.events.iter().position(|e| e.name == *event) {
            s.last_seen[i] = r.time(Some(at));
        }
    }

    let caps = &p.caps;
    let mut h = History::new(p.offers.len());
    for (id, o) in members(v, "offers") {
        let Some(i) = p.offer_index(id) else { continue };
        let slot = &mut h.offers[i];
        slot.shows = r.times(o, "shows", caps.per_offer as usize + 1);
        slot.cooldown_until = r.time(o.get("cooldown_until"));
        slot.snoozed_until = r.time(o.get("snoozed_until"));
        slot.converted_at = r.time(o.get("converted_at"));
    }
    h.shows = r.times(v, "shows", caps.per_week.max(caps.per_day) as usize + 1);
    if let [Value::String(id), at, Value::String(tab)] = items(v, "active") {
        if let Some(offer) = p.offer_index(id) {
            h.active = r.time(Some(at)).map(|since| OnScreen { offer, since, tab: tab.clone() });
        }
    }
    h.last_conversion = r.time(v.get("last_conversion"));
    for w in items(v, "watches") {
        let [Value::String(id), started, ends, Value::Number(count)] = w.as_array().unwrap_or_default() else {
            r.refuse(&["a watch is corrupt"]);
            continue;
        };
        let Some(offer) = p.offer_index(id) else { continue };
        // `as u32` saturates: a negative count or NaN is 0, a huge one `u32::MAX`.
        match (r.time(Some(started)), r.time(Some(ends))) {
            (Some(started), Some(ends)) => h.watches.push(WatchRun { offer, started, ends, count: *count as u32 }),
            _ => r.refuse(&["a watch is corrupt"]),
        }
    }
    match r.refused {
        Some(reason) => Err(bad(reason)),
        None => Ok((s, h)),
    }
}

/// Merges show times into `mine` (oldest first, no duplicates), keeping the last `keep`.
fn merge_times(mine: &mut Vec<i64>, theirs: &[i64], keep: usize) {
    for t in theirs {
        if let Err(i) = mine.binary_search(t) {
            mine.insert(i, *t);
        }
    }
    keep_last(mine, keep);
}

/// Merges state stored by another tab (`v`, already restored as `theirs`) into this engine's:
/// no show, dismissal, snooze, conversion or watch is lost, and counts take the larger of the two
/// per bucket.
pub(crate) fn merge(e: &mut Engine, v: &Value, (theirs, their_history): (Signals, History)) {
    let s = &mut e.signals;
    for (mine, other) in s.counters.iter_mut().zip(&theirs.counters) {
        mine.buckets.merge_max(&other.buckets);
        keep_later(&mut mine.last, other.last);
        for seen in &other.seen {
            let room = mine.seen.len() < crate::signals::MAX_DISTINCT;
            match mine.seen.iter_mut().find(|x| x.value == seen.value) {
                Some(x) => {
                    x.last = x.last.max(seen.last);
                    for (b, n) in &seen.buckets {
                        crate::signals::add_to_bucket(&mut x.buckets, *b, *n, u32::max);
                    }
                }
                None if room => mine.seen.push(seen.clone()),
                None => {}
            }
        }
    }
    for (mine, other) in s.usage.iter_mut().zip(&theirs.usage) {
        if other.is_some_and(|o| mine.is_none_or(|m| o.at > m.at)) {
            *mine = *other;
        }
    }
    for (mine, other) in s.milestones.iter_mut().zip(&theirs.milestones) {
        *mine |= *other;
    }
    for (mine, other) in s.last_seen.iter_mut().zip(&theirs.last_seen) {
        keep_later(mine, *other);
    }
    s.events = s.events.max(theirs.events);

    let caps = &e.playbook.caps;
    let h = &mut e.history;
    for (mine, other) in h.offers.iter_mut().zip(&their_history.offers) {
        merge_times(&mut mine.shows, &other.shows, caps.per_offer as usize + 1);
        keep_later(&mut mine.cooldown_until, other.cooldown_until);
        keep_later(&mut mine.snoozed_until, other.snoozed_until);
        keep_later(&mut mine.converted_at, other.converted_at);
    }
    merge_times(&mut h.shows, &their_history.shows, caps.per_week.max(caps.per_day) as usize + 1);
    // The screen: whoever showed last holds it, unless that prompt was answered since.
    // The tab that wrote `v` speaks for its own screen: if it held the screen and no longer does,
    // it released it (it closed, or its prompt went away).
    let writer = v.get("tab").and_then(Value::as_str);
    match their_history.active {
        None if h.active.as_ref().is_some_and(|a| writer == Some(a.tab.as_str())) => h.active = None,
        Some(b) if h.active.as_ref().is_none_or(|a| b.since > a.since) => h.active = Some(b),
        _ => {}
    }
    let answered = h.active.as_ref().is_some_and(|a| {
        h.offers.get(a.offer).is_some_and(|o| {
            [o.cooldown_until, o.snoozed_until, o.converted_at].iter().flatten().any(|t| *t >= a.since)
        })
    });
    if answered {
        h.active = None;
    }
    keep_later(&mut h.last_conversion, their_history.last_conversion);
    for w in &their_history.watches {
        match h.watches.iter_mut().find(|x| x.offer == w.offer) {
            Some(x) if x.started == w.started => x.count = x.count.max(w.count),
            Some(x) if w.started > x.started => *x = w.clone(),
            Some(_) => {}
            None => h.watches.push(w.clone()),
        }
    }
}
