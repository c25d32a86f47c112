//! Signals: the product behaviour the engine has seen, kept in bounded rolling windows.
//!
//! The playbook's triggers and guardrails decide, at load time, which counts are ever asked
//! for; each becomes a [`CounterSpec`]. `track` feeds only those counters, so the state holds
//! a fixed number of bucket rings and stays flat however many events arrive.

pub mod event;
pub mod facts;
pub mod window;

pub use event::{builtin_events, read_event, Event, EventSpec, PropKind, PropSpec, BUILTIN_EVENTS};
pub use facts::{audience_attributes, read_account, read_user, AccountFacts, Tickets, UserFacts};
pub use window::Buckets;

use crate::read::{DAY, HOUR, MINUTE};
use crate::value::Value;

/// How many distinct values a counter remembers; the least recently seen one is forgotten.
pub const MAX_DISTINCT: usize = 32;
/// Events stamped further ahead of the clock than this are moved back to now.
pub const FUTURE_SLACK: i64 = 5 * MINUTE;
/// Events stamped further back than this are moved forward to this age.
pub const MAX_AGE: i64 = 400 * DAY;

/// One counter the playbook needs: events of a type, matching property filters, optionally
/// keeping the distinct values of one property.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterSpec {
    /// The event type (index into the catalog).
    pub event: u16,
    /// Properties that must equal these values.
    pub filters: Vec<(String, Value)>,
    /// The property whose distinct values are tracked.
    pub distinct_of: Option<String>,
    /// Bucket width (an hour or a day) in ms.
    pub width: i64,
    /// How many buckets the ring spans (enough for twice the longest window, for trends).
    pub slots: usize,
}

impl CounterSpec {
    /// A new spec; windows grow it with [`CounterSpec::cover`].
    pub fn new(event: u16, filters: Vec<(String, Value)>, distinct_of: Option<String>) -> Self {
        CounterSpec { event, filters, distinct_of, width: DAY, slots: 1 }
    }

    /// Makes the ring long enough to answer `window` and the window before it.
    pub fn cover(&mut self, window: i64) {
        if window % DAY != 0 && self.width == DAY {
            // Re-express what was covered so far in hours.
            self.slots *= 24;
            self.width = HOUR;
        }
        let needed = (2 * window / self.width + 1) as usize;
        self.slots = self.slots.max(needed);
    }

    /// True when `event` counts here.
    pub fn matches(&self, event: &Event) -> bool {
        event.kind == self.event && self.filters.iter().all(|(k, v)| event.prop(k) == Some(v))
    }

    /// A stable key naming this counter in the persisted state.
    pub fn key(&self, catalog: &[EventSpec]) -> String {
        let mut key = catalog.get(usize::from(self.event)).map_or("?", |e| e.name.as_str()).to_owned();
        for (k, v) in &self.filters {
            key.push('|');
            key.push_str(k);
            key.push('=');
            key.push_str(&scalar_text(v).unwrap_or_default());
        }
        if let Some(d) = &self.distinct_of {
            key.push_str("|distinct:");
            key.push_str(d);
        }
        key
    }
}

/// One distinct value of a counter's property, with its own sparse counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// The value, as text.
    pub value: String,
    /// When it was last seen.
    pub last: i64,
    /// `(absolute bucket, count)` pairs, oldest first, within the counter's span.
    pub buckets: Vec<(i64, u32)>,
}

impl Seen {
    /// Counts one sighting at `at`, in absolute bucket `bucket`, forgetting buckets before `oldest`.
    /// (Out of line: the compiler would copy it into both ways `Counter::record` finds the value.)
    #[inline(never)]
    fn count(&mut self, at: i64, bucket: i64, oldest: i64) {
        self.last = self.last.max(at);
        self.buckets.retain(|(b, _)| *b >= oldest);
        add_to_bucket(&mut self.buckets, bucket, 1, u32::saturating_add);
    }
}

/// The state of one counter.
#[derive(Debug, Clone, PartialEq)]
pub struct Counter {
    /// Counts per bucket.
    pub buckets: Buckets,
    /// When a matching event was last seen.
    pub last: Option<i64>,
    /// Distinct values, most recently seen last (only with `distinct_of`).
    pub seen: Vec<Seen>,
}

impl Counter {
    /// An empty counter shaped by `spec`.
    pub fn new(spec: &CounterSpec) -> Self {
        Counter { buckets: Buckets::new(spec.width, spec.slots), last: None, seen: Vec::new() }
    }

    fn record(&mut self, spec: &CounterSpec, event: &Event) {
        if !self.buckets.add(event.at, 1) {
            return;
        }
        keep_later(&mut self.last, Some(event.at));
        let Some(prop) = &spec.distinct_of else { return };
        let Some(text) = event.prop(prop).and_then(scalar_text) else { return };
        let bucket = event.at.div_euclid(spec.width);
        let oldest = bucket - spec.slots as i64 + 1;
        let i = match self.seen.iter().position(|s| s.value == text) {
            Some(i) => i,
            None => {
                if self.seen.len() >= MAX_DISTINCT {
                    // Forget the value seen longest ago.
                    let stalest = self.seen.iter().enumerate().min_by_key(|(_, s)| s.last).map_or(0, |(i, _)| i);
                    self.seen.remove(stalest);
                }
                self.seen.push(Seen { value: text, last: event.at, buckets: Vec::new() });
                self.seen.len() - 1
            }
        };
        self.seen[i].count(event.at, bucket, oldest);
    }

    /// Each remembered value's count within `window` ending at `now` (zero counts included),
    /// without allocating: `MAX_DISTINCT` slots, `len` of them used.
    pub fn counts_within(&self, width: i64, now: i64, window: i64) -> ([u64; MAX_DISTINCT], usize) {
        let to = now.div_euclid(width);
        let from = to - (window / width).max(1) + 1;
        let mut out = [0u64; MAX_DISTINCT];
        for (slot, s) in out.iter_mut().zip(&self.seen) {
            // Buckets are kept in order: walk back from the newest and stop at the window's start.
            let recent = s.buckets.iter().rev().skip_while(|(b, _)| *b > to);
            *slot = recent.take_while(|(b, _)| *b >= from).map(|(_, c)| u64::from(*c)).sum();
        }
        (out, self.seen.len().min(MAX_DISTINCT))
    }

    /// Distinct values seen within `window` ending at `now`, with their counts there, most
    /// frequent first (ties: most recently seen first).
    pub fn distinct_within(&self, width: i64, now: i64, window: i64) -> Vec<(&str, u64)> {
        let (mut counts, len) = self.counts_within(width, now, window);
        let mut out = Vec::new();
        // At most 32 values: picking the largest each time is small code and fast enough, where
        // a generic sort would add kilobytes to the wasm build.
        loop {
            let best = (0..len).filter(|i| counts[*i] > 0).max_by(|a, b| {
                counts[*a].cmp(&counts[*b]).then(self.seen[*a].last.cmp(&self.seen[*b].last)).then(b.cmp(a))
            });
            let Some(i) = best else { return out };
            out.push((self.seen[i].value.as_str(), counts[i]));
            counts[i] = 0;
        }
    }
}

/// Adds `n` to `bucket` in sparse `(bucket, count)` pairs kept in bucket order, combining with
/// an existing count by `combine` (a sum when recording, the larger when merging tabs).
pub fn add_to_bucket(buckets: &mut Vec<(i64, u32)>, bucket: i64, n: u32, combine: fn(u32, u32) -> u32) {
    match buckets.iter().position(|(b, _)| *b >= bucket) {
        Some(i) if buckets[i].0 == bucket => buckets[i].1 = combine(buckets[i].1, n),
        Some(i) => buckets.insert(i, (bucket, n)),
        None => buckets.push((bucket, n)),
    }
}

/// Moves the time in `slot` forward to `t` when `t` is later (no time is earlier than any).
#[inline(never)]
pub(crate) fn keep_later(slot: &mut Option<i64>, t: Option<i64>) {
    *slot = (*slot).max(t);
}

/// The text of a scalar property value, for distinct counting, keys and descriptions.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(crate::read::fmt_num(*n)),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        _ => None,
    }
}

/// The latest `usage` reading of a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    /// How much is used.
    pub value: f64,
    /// The limit the event reported, if any (else the plan's limit applies).
    pub limit: Option<f64>,
    /// When it was read.
    pub at: i64,
}

/// Everything the engine has seen locally, bounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    /// One per [`CounterSpec`] of the playbook, same order.
    pub counters: Vec<Counter>,
    /// Latest usage per value metric (playbook order).
    pub usage: Vec<Option<Usage>>,
    /// Milestones reached, seen as `milestone` events (playbook order).
    pub milestones: Vec<bool>,
    /// When each event type was last seen (catalog order).
    pub last_seen: Vec<Option<i64>>,
    /// Events accepted so far (saturating).
    pub events: u64,
}

impl Signals {
    /// Empty signals for a playbook with these counters, metrics, milestones and event types.
    pub fn new(specs: &[CounterSpec], metrics: usize, milestones: usize, event_types: usize) -> Self {
        Signals {
            counters: specs.iter().map(Counter::new).collect(),
            usage: vec![None; metrics],
            milestones: vec![false; milestones],
            last_seen: vec![None; event_types],
            events: 0,
        }
    }

    /// Moves a timestamp into `[now - MAX_AGE, now + FUTURE_SLACK]`, then a future one to now.
    pub fn clamp(at: i64, now: i64) -> i64 {
        if at > now + FUTURE_SLACK {
            now
        } else {
            at.max(now - MAX_AGE)
        }
    }

    /// Records a validated event into the counters in `interested` (the counters whose event
    /// type is `event.kind`), the usage readings and the milestones.
    ///
    pub fn record(&mut self, specs: &[CounterSpec], interested: &[usize], event: &Event, builtin: Builtin) {
        self.events = self.events.saturating_add(1);
        if let Some(slot) = self.last_seen.get_mut(usize::from(event.kind)) {
            keep_later(slot, Some(event.at));
        }
        for &i in interested {
            if let (Some(spec), Some(counter)) = (specs.get(i), self.counters.get_mut(i)) {
                if spec.matches(event) {
                    counter.record(spec, event);
                }
            }
        }
        match builtin {
            Builtin::Usage(metric) => {
                let value = event.prop("value").and_then(Value::as_f64).unwrap_or(0.0);
                let limit = event.prop("limit").and_then(Value::as_f64);
                if let Some(slot) = self.usage.get_mut(metric) {
                    if slot.is_none_or(|u| u.at <= event.at) {
                        *slot = Some(Usage { value, limit, at: event.at });
                    }
                }
            }
            Builtin::Milestone(m) => {
                if let Some(slot) = self.milestones.get_mut(m) {
                    *slot = true;
                }
            }
            Builtin::Other => {}
        }
    }
}

/// What a built-in event means beyond its counts.
#[derive(Debug, Clone, Copy)]
pub enum Builtin {
    /// A `usage` reading of the metric at this index.
    Usage(usize),
    /// The milestone at this index was reached.
    Milestone(usize),
    /// Nothing beyond the counts.
    Other,
}
