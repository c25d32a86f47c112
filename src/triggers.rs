//! Triggers: declarative predicates over signals and facts that say "the customer is ready".
//!
//! A trigger is product behaviour (doctrine row 2): counts in rolling windows, ratios to a plan
//! limit, distinct counts, concentration on a few values, trends, time since. Facts add health,
//! seat use and a renewal window; a trigger made only of calendar parts is refused at load.
//! A firing trigger yields its [`Evidence`], which the copy quotes and the trace shows.
//!
//! ```json
//! { "all": [
//!   { "count": { "event": "limit_hit", "where": { "metric": "reports" }, "at_least": 3, "within": "30d" } },
//!   { "not": { "trend": { "event": "session", "within": "14d", "direction": "falling" } } }
//! ] }
//! ```

use std::sync::Arc;

use crate::read::{format_duration, Reader, DAY};
use crate::signals::{AccountFacts, CounterSpec, EventSpec, PropKind, Signals, MAX_DISTINCT};
use crate::value::Value;

/// A compiled trigger: tests combined with all / any / not.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// Every part must hold.
    All(Vec<Trigger>),
    /// At least one part must hold.
    Any(Vec<Trigger>),
    /// The part must not hold.
    Not(Box<Trigger>),
    /// One test.
    Leaf(Leaf),
}

/// One test with its description, written once at load so deciding allocates no text.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// What it measures, in words (`limit_hit where metric=reports within 30d`).
    pub label: Arc<str>,
    /// The test.
    pub test: Test,
}

/// A single measurable test over signals or facts.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// At least `at_least` matching events within the window.
    Count {
        /// Counter index.
        counter: usize,
        /// Threshold.
        at_least: u32,
        /// Window in ms.
        within: i64,
        /// The metric the filter names, if any (for the copy's `metric` and `limit`).
        metric: Option<usize>,
    },
    /// The latest usage reading is at least this share of the limit.
    Usage {
        /// Metric index.
        metric: usize,
        /// Share of the limit, e.g. 0.8.
        at_least: f64,
    },
    /// At least `at_least` distinct values of a property within the window.
    Distinct {
        /// Counter index (with `distinct_of`).
        counter: usize,
        /// Threshold.
        at_least: u32,
        /// Window in ms.
        within: i64,
    },
    /// The `top` most frequent values make up at least `share_at_least` of the events.
    Concentration {
        /// Counter index (with `distinct_of`).
        counter: usize,
        /// How many of the most frequent values.
        top: u32,
        /// Share of all matching events, 0 to 1.
        share_at_least: f64,
        /// Fewer events than this never fire.
        min_count: u32,
        /// Window in ms.
        within: i64,
    },
    /// This window's count against the previous window's.
    Trend {
        /// Counter index.
        counter: usize,
        /// Window in ms.
        within: i64,
        /// Rising (true) or falling (false).
        rising: bool,
        /// Relative change needed, e.g. 0.25 for 25 %.
        by_at_least: f64,
        /// The larger of the two windows must hold at least this many events.
        min_count: u32,
    },
    /// Time since the last matching event.
    Since {
        /// Counter index.
        counter: usize,
        /// Fires when the event happened at most this long ago.
        at_most: Option<i64>,
        /// Fires when the event happened at least this long ago (or never).
        at_least: Option<i64>,
    },
    /// Active seats over paid seats (a fact).
    Seats {
        /// Share, e.g. 0.9.
        used_at_least: f64,
    },
    /// Health score (a fact).
    Health {
        /// Minimum score.
        at_least: f64,
    },
    /// The renewal date is this close (a fact; calendar, so never on its own).
    Renewal {
        /// Window in ms.
        within: i64,
    },
}

/// Where a measurement came from: the trace always says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Local events the host tracked.
    Events,
    /// Account facts from the host's server.
    Facts,
}

impl Source {
    /// `"events"` or `"facts"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Events => "events",
            Source::Facts => "facts",
        }
    }
}

/// A value the evidence holds for copy templates.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// A number (`count`, `limit`, `percent`).
    Number(f64),
    /// Text (`metric`, `values`).
    Text(String),
}

/// Named values a firing trigger proves, which templates quote: `count`, `days`, `limit` ...
pub type Evidence = Vec<(&'static str, Fact)>;

/// One measured part of a trigger, for the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// What was measured, in words (`limit_hit where metric=reports within 30d`).
    pub what: Arc<str>,
    /// The measured value.
    pub measured: f64,
    /// The threshold it was held against.
    pub threshold: f64,
    /// Whether this part holds.
    pub holds: bool,
    /// Events or facts.
    pub source: Source,
}

/// The measurements of one trigger. A plain `Vec`: `SmallVec` kept up to three inline (one
/// allocation less per offer and decision) but cost 0.34 KB gzip of wasm.
pub type Measures = Vec<Measure>;

/// The result of checking a trigger.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Whether the trigger fires.
    pub fired: bool,
    /// How far past its thresholds it is (1.0 = just met); ranks offers.
    pub strength: f64,
    /// Every part measured.
    pub measures: Measures,
    /// What the firing parts prove.
    pub evidence: Evidence,
}

/// What a trigger reads at decision time.
pub struct Context<'a> {
    /// Local signals.
    pub signals: &'a Signals,
    /// The playbook's counters.
    pub specs: &'a [CounterSpec],
    /// Account facts.
    pub account: &'a AccountFacts,
    /// Metric ids (playbook order).
    pub metrics: &'a [String],
    /// The current plan's limit per metric (playbook order).
    pub limits: &'a [Option<f64>],
    /// Now, in ms.
    pub now: i64,
    /// The event catalog, for descriptions.
    pub catalog: &'a [EventSpec],
}

impl Trigger {
    /// Checks the trigger against signals and facts. The evidence is gathered only when
    /// `with_evidence` is set: deciding needs it for the one offer it picks, not for all.
    pub fn check(&self, cx: &Context<'_>, with_evidence: bool) -> Check {
        let mut measures = Measures::new();
        let mut evidence = Vec::new();
        let (fired, strength) = self.eval(cx, with_evidence, &mut measures, &mut evidence);
        Check { fired, strength, measures, evidence }
    }

    fn eval(&self, cx: &Context<'_>, want: bool, measures: &mut Measures, evidence: &mut Evidence) -> (bool, f64) {
        match self {
            Trigger::All(parts) => {
                let mut all = true;
                let mut strength = f64::INFINITY;
                for p in parts {
                    let (f, s) = p.eval(cx, want, measures, evidence);
                    all &= f;
                    strength = strength.min(s);
                }
                (all, if strength.is_finite() { strength } else { 1.0 })
            }
            Trigger::Any(parts) => {
                // The strongest firing part gives the evidence.
                let (mut fired, mut best, mut best_evidence) = (false, 0.0, Vec::new());
                let mut strength: f64 = 0.0;
                for p in parts {
                    let mut ev = Vec::new();
                    let (f, s) = p.eval(cx, want, measures, &mut ev);
                    strength = strength.max(s);
                    if f && (!fired || s > best) {
                        (fired, best, best_evidence) = (true, s, ev);
                    }
                }
                if fired {
                    merge(evidence, best_evidence);
                    (true, best)
                } else {
                    (false, strength)
                }
            }
            Trigger::Not(inner) => {
                let (f, _) = inner.eval(cx, want, measures, &mut Vec::new());
                (!f, 1.0)
            }
            Trigger::Leaf(leaf) => {
                let (measured, threshold, holds) = leaf.test.measure(cx, want.then_some(evidence));
                let strength = ratio(measured, threshold, matches!(leaf.test, Test::Since { at_most: Some(_), .. }));
                let source = leaf.test.source();
                measures.push(Measure { what: leaf.label.clone(), measured, threshold, holds, source });
                (holds, strength)
            }
        }
    }

    /// Calls `f` on every test that must hold for the trigger to fire (not under `not`).
    fn each_test(&self, f: &mut impl FnMut(&Test)) {
        match self {
            Trigger::All(p) | Trigger::Any(p) => p.iter().for_each(|t| t.each_test(f)),
            Trigger::Not(_) => {}
            Trigger::Leaf(l) => f(&l.test),
        }
    }

    /// Counters this trigger reads (for rule 5: does it measure what the offer removes?).
    pub fn counters(&self, out: &mut Vec<usize>) {
        self.each_test(&mut |t| match t {
            Test::Count { counter, .. }
            | Test::Distinct { counter, .. }
            | Test::Concentration { counter, .. }
            | Test::Trend { counter, .. }
            | Test::Since { counter, .. } => out.push(*counter),
            _ => {}
        });
    }

    /// Metrics whose usage or limit hits this trigger reads.
    pub fn usage_metrics(&self, out: &mut Vec<usize>) {
        self.each_test(&mut |t| match t {
            Test::Usage { metric, .. } | Test::Count { metric: Some(metric), .. } => out.push(*metric),
            _ => {}
        });
    }

    /// True when seat facts are read.
    pub fn reads_seats(&self) -> bool {
        let mut seats = false;
        self.each_test(&mut |t| seats |= matches!(t, Test::Seats { .. }));
        seats
    }

    /// True when the trigger rests on behaviour (or health), not only on the calendar:
    /// an `all` needs one behavioural part, an `any` needs every branch to be behavioural.
    pub fn is_behavioural(&self) -> bool {
        match self {
            Trigger::All(p) => p.iter().any(Trigger::is_behavioural),
            Trigger::Any(p) => !p.is_empty() && p.iter().all(Trigger::is_behavioural),
            Trigger::Not(_) => false,
            Trigger::Leaf(l) => match l.test {
                Test::Renewal { .. } => false,
                Test::Since { at_most, .. } => at_most.is_some(),
                _ => true,
            },
        }
    }

    /// The evidence names a firing trigger always supplies (for checking templates at load).
    pub fn supplies(&self) -> Vec<&'static str> {
        match self {
            Trigger::All(p) => {
                let mut out: Vec<&'static str> = Vec::new();
                for t in p {
                    for v in t.supplies() {
                        if !out.contains(&v) {
                            out.push(v);
                        }
                    }
                }
                out
            }
            Trigger::Any(p) => {
                let mut sets = p.iter().map(Trigger::supplies);
                let first = sets.next().unwrap_or_default();
                sets.fold(first, |acc, s| acc.into_iter().filter(|v| s.contains(v)).collect())
            }
            Trigger::Not(_) => Vec::new(),
            Trigger::Leaf(l) => match l.test {
                Test::Count { metric: Some(_), .. } => vec!["count", "days", "metric", "limit"],
                Test::Count { .. } => vec!["count", "days"],
                Test::Usage { .. } => vec!["metric", "value", "percent", "limit"],
                Test::Distinct { .. } => vec!["distinct", "values", "days"],
                Test::Concentration { .. } => vec!["share", "top", "values", "count", "days"],
                Test::Trend { .. } => vec!["count", "previous", "change", "days"],
                Test::Since { .. } => vec!["days_since"],
                Test::Seats { .. } => vec!["seats_paid", "seats_active"],
                Test::Health { .. } => vec!["health"],
                Test::Renewal { .. } => vec!["renewal_days"],
            },
        }
    }
}

impl Test {
    /// Measures the test: `(measured, threshold, holds)`. When `evidence` is given and the test
    /// holds, what it proves is added there: deciding builds no evidence for the rest.
    fn measure(&self, cx: &Context<'_>, evidence: Option<&mut Evidence>) -> (f64, f64, bool) {
        let counter = |i: usize| (cx.specs.get(i), cx.signals.counters.get(i));
        let days = |ms: i64| (ms as f64 / DAY as f64).round();
        // Counter `i`'s count per distinct value within the window (`MAX_DISTINCT` slots).
        let value_counts = |i: usize, within: i64| match counter(i) {
            (Some(s), Some(c)) => c.counts_within(s.width, cx.now, within),
            _ => ([0; MAX_DISTINCT], 0),
        };
        // The evidence's `values`: the first `top` values seen, most frequent first.
        let values = |i: usize, within: i64, top: usize| {
            let seen = match counter(i) {
                (Some(s), Some(c)) => c.distinct_within(s.width, cx.now, within),
                _ => Vec::new(),
            };
            Fact::Text(join_values(seen.get(..top).unwrap_or(&seen)))
        };
        match *self {
            Test::Count { counter: i, at_least, within, metric } => {
                let (_, c) = counter(i);
                let n = c.map_or(0, |c| c.buckets.within(cx.now, within));
                let holds = n >= u64::from(at_least);
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "count", n as f64);
                    prove_number(ev, "days", days(within));
                    if let Some(m) = metric {
                        if let Some(id) = cx.metrics.get(m) {
                            prove(ev, "metric", Fact::Text(id.clone()));
                        }
                        if let Some(Some(limit)) = cx.limits.get(m) {
                            prove_number(ev, "limit", *limit);
                        }
                    }
                }
                (n as f64, at_least.into(), holds)
            }
            Test::Usage { metric, at_least } => {
                let id = cx.metrics.get(metric).map_or("?", String::as_str);
                let reading = cx.signals.usage.get(metric).copied().flatten();
                let limit = reading.and_then(|u| u.limit).or_else(|| cx.limits.get(metric).copied().flatten());
                let (value, share) = match (reading, limit) {
                    (Some(u), Some(l)) if l > 0.0 => (u.value, u.value / l),
                    (Some(u), _) => (u.value, 0.0),
                    _ => (0.0, 0.0),
                };
                let holds = share >= at_least && limit.is_some();
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove(ev, "metric", Fact::Text(id.to_owned()));
                    prove_number(ev, "value", value);
                    prove_number(ev, "percent", (share * 100.0).round());
                    if let Some(l) = limit {
                        prove_number(ev, "limit", l);
                    }
                }
                (share, at_least, holds)
            }
            Test::Distinct { counter: i, at_least, within } => {
                let (counts, len) = value_counts(i, within);
                let n = counts[..len].iter().filter(|n| **n > 0).count() as f64;
                let holds = n >= f64::from(at_least);
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "distinct", n);
                    prove(ev, "values", values(i, within, usize::MAX));
                    prove_number(ev, "days", days(within));
                }
                (n, at_least.into(), holds)
            }
            Test::Concentration { counter: i, top, share_at_least, min_count, within } => {
                let (mut counts, len) = value_counts(i, within);
                let counts = &mut counts[..len];
                let total = counter(i).1.map_or(0, |c| c.buckets.within(cx.now, within));
                let seen_count = counts.iter().filter(|n| **n > 0).count();
                // The sum of the `top` largest counts, taking the largest each time (at most
                // 32 values; no generic sort in the wasm build).
                let mut top_sum = 0;
                for _ in 0..top {
                    let Some(largest) = counts.iter_mut().max() else { break };
                    top_sum += *largest;
                    *largest = 0;
                }
                let share = if total > 0 { top_sum as f64 / total as f64 } else { 0.0 };
                let holds = total >= u64::from(min_count) && share >= share_at_least;
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "share", (share * 100.0).round());
                    prove_number(ev, "top", f64::from(top).min(seen_count as f64));
                    prove(ev, "values", values(i, within, top as usize));
                    prove_number(ev, "count", total as f64);
                    prove_number(ev, "days", days(within));
                }
                (share, share_at_least, holds)
            }
            Test::Trend { counter: i, within, rising, by_at_least, min_count } => {
                let (_, c) = counter(i);
                let now_n = c.map_or(0, |c| c.buckets.within(cx.now, within)) as f64;
                let before = c.map_or(0, |c| c.buckets.previous(cx.now, within)) as f64;
                let change = if before > 0.0 {
                    (now_n - before) / before
                } else if now_n > 0.0 {
                    1.0
                } else {
                    0.0
                };
                let enough = now_n.max(before) >= f64::from(min_count);
                let holds = enough && if rising { change >= by_at_least } else { -change >= by_at_least };
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "count", now_n);
                    prove_number(ev, "previous", before);
                    prove_number(ev, "change", (change * 100.0).round());
                    prove_number(ev, "days", days(within));
                }
                (if rising { change } else { -change }, by_at_least, holds)
            }
            Test::Since { counter: i, at_most, at_least } => {
                let (_, c) = counter(i);
                let last = c.and_then(|c| c.last);
                let age = last.map(|l| (cx.now - l).max(0));
                let holds = match (age, at_most, at_least) {
                    (Some(a), Some(max), _) if a > max => false,
                    (None, Some(_), _) => false,
                    (Some(a), _, Some(min)) => a >= min,
                    _ => true,
                };
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "days_since", days(age.unwrap_or(0)));
                }
                let threshold = at_most.or(at_least).unwrap_or(0);
                (age.map_or(f64::INFINITY, |a| a as f64 / DAY as f64), threshold as f64 / DAY as f64, holds)
            }
            Test::Seats { used_at_least } => {
                let (paid, active) = (cx.account.seats_paid, cx.account.seats_active);
                let share = match (paid, active) {
                    (Some(p), Some(a)) if p > 0 => f64::from(a) / f64::from(p),
                    _ => 0.0,
                };
                let holds = share >= used_at_least && paid.is_some();
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "seats_paid", f64::from(paid.unwrap_or(0)));
                    prove_number(ev, "seats_active", f64::from(active.unwrap_or(0)));
                }
                (share, used_at_least, holds)
            }
            Test::Health { at_least } => {
                let h = cx.account.health;
                let holds = h.is_some_and(|h| h >= at_least);
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "health", h.unwrap_or(0.0));
                }
                (h.unwrap_or(0.0), at_least, holds)
            }
            Test::Renewal { within } => {
                let left = cx.account.renewal.map(|r| r - cx.now);
                let holds = left.is_some_and(|l| l >= 0 && l <= within);
                if let Some(ev) = evidence.filter(|_| holds) {
                    prove_number(ev, "renewal_days", days(left.unwrap_or(0).max(0)));
                }
                (left.map_or(f64::INFINITY, |l| l as f64 / DAY as f64), within as f64 / DAY as f64, holds)
            }
        }
    }

    /// Events or facts: what the test reads.
    fn source(&self) -> Source {
        match self {
            Test::Seats { .. } | Test::Health { .. } | Test::Renewal { .. } => Source::Facts,
            _ => Source::Events,
        }
    }
}

/// Adds a fact to the evidence, unless the evidence already has one of that name (the first
/// firing part of a trigger names it).
fn prove(evidence: &mut Evidence, name: &'static str, fact: Fact) {
    if !evidence.iter().any(|(n, _)| *n == name) {
        evidence.push((name, fact));
    }
}

/// measured / threshold, capped, or its inverse for "at most" thresholds.
fn ratio(measured: f64, threshold: f64, inverse: bool) -> f64 {
    let r = match (inverse, threshold > 0.0, measured > 0.0) {
        (false, true, _) => measured / threshold,
        (true, _, true) => threshold / measured,
        _ => 1.0,
    };
    if r.is_finite() {
        r.min(1000.0)
    } else {
        1000.0
    }
}

/// [`prove`] for a number: the call each test makes most.
fn prove_number(evidence: &mut Evidence, name: &'static str, n: f64) {
    prove(evidence, name, Fact::Number(n));
}

fn merge(into: &mut Evidence, from: Evidence) {
    for (k, v) in from {
        prove(into, k, v);
    }
}

/// The values seen, comma-separated: `"a, b"`.
fn join_values(seen: &[(&str, u64)]) -> String {
    let mut out = String::new();
    for (i, (value, _)) in seen.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(value);
    }
    out
}

/// `limit_hit where metric=reports`.
fn describe(spec: Option<&CounterSpec>, catalog: &[EventSpec]) -> String {
    let Some(spec) = spec else { return "?".into() };
    let mut s = catalog.get(usize::from(spec.event)).map_or("?", |e| e.name.as_str()).to_owned();
    for (i, (k, v)) in spec.filters.iter().enumerate() {
        s.push_str(if i == 0 { " where " } else { ", " });
        s.push_str(k);
        s.push('=');
        s.push_str(&crate::signals::scalar_text(v).unwrap_or_default());
    }
    s
}

/// Reads triggers from JSON, registering the counters they need.
pub struct TriggerReader<'a> {
    /// The event catalog.
    pub catalog: &'a [EventSpec],
    /// Metric ids.
    pub metrics: &'a [String],
    /// Milestone ids.
    pub milestones: &'a [String],
    /// Counters registered so far (shared by every trigger and guardrail of the playbook).
    pub counters: Vec<CounterSpec>,
}

/// Trigger kinds a playbook may use.
const KINDS: &str = "all, any, not, count, usage, distinct, concentration, trend, since, seats, health, renewal";
/// Words that mean a calendar trigger, refused with doctrine row 2's reason.
const CALENDAR_WORDS: &[&str] = &[
    "day",
    "days",
    "date",
    "age",
    "account_age",
    "days_since_signup",
    "quarter_end",
    "month_end",
    "weekday",
    "schedule",
    "cron",
];

impl TriggerReader<'_> {
    /// Reads one trigger at `path`.
    pub fn read(&mut self, r: &mut Reader, path: &str, value: &Value) -> Option<Trigger> {
        let mut o = r.object(path, value)?;
        let entries = o.entries();
        let [(kind, body)] = entries else {
            r.error(path, "bad_trigger", format!("a trigger is an object with exactly one key, one of: {KINDS}"));
            return None;
        };
        let at = crate::problem::join(path, kind);
        let at = at.as_str();
        match kind.as_str() {
            "all" | "any" => {
                let parts = r.array(at, body, |r, p, v| self.read(r, p, v));
                if body.as_array().is_some_and(|a| a.is_empty()) {
                    r.error(at, "bad_trigger", format!("`{kind}` needs at least one trigger"));
                }
                Some(if kind == "all" { Trigger::All(parts) } else { Trigger::Any(parts) })
            }
            "not" => Some(Trigger::Not(Box::new(self.read(r, at, body)?))),
            "count" => {
                let mut b = r.object(at, body)?;
                let (counter, metric) = self.counter(r, &mut b, None)?;
                let at_least = b.req(r, "at_least", |r, p, v| r.count(p, v, 1, 1_000_000));
                let within = b.req(r, "within", Reader::duration);
                b.finish(r);
                let within = self.cover(counter, within?);
                Some(self.leaf(Test::Count { counter, at_least: at_least?, within, metric }))
            }
            "usage" => {
                let mut b = r.object(at, body)?;
                let metric = b.req(r, "metric", |r, p, v| self.metric(r, p, v));
                let at_least = b.req(r, "at_least", |r, p, v| r.number(p, v, 0.01, 10.0));
                b.finish(r);
                Some(self.leaf(Test::Usage { metric: metric?, at_least: at_least? }))
            }
            "distinct" | "concentration" => {
                let mut b = r.object(at, body)?;
                let of = b.req(r, "of", Reader::string);
                let (counter, _) = self.counter(r, &mut b, of.clone())?;
                let of = of?;
                if !self.has_property(counter, &of) {
                    r.error(&b.at("of"), "unknown_property", format!("this event type has no property `{of}`"));
                }
                let within = b.req(r, "within", Reader::duration);
                let t = if kind == "distinct" {
                    let at_least =
                        b.req(r, "at_least", |r, p, v| r.count(p, v, 1, crate::signals::MAX_DISTINCT as u32));
                    Test::Distinct { counter, at_least: at_least?, within: 0 }
                } else {
                    let top =
                        b.opt(r, "top", |r, p, v| r.count(p, v, 1, crate::signals::MAX_DISTINCT as u32)).unwrap_or(5);
                    let share = b.req(r, "share_at_least", |r, p, v| r.number(p, v, 0.01, 1.0));
                    let min_count = b.opt(r, "min_count", |r, p, v| r.count(p, v, 1, 1_000_000)).unwrap_or(10);
                    Test::Concentration { counter, top, share_at_least: share?, min_count, within: 0 }
                };
                b.finish(r);
                let w = self.cover(counter, within?);
                Some(self.leaf(match t {
                    Test::Distinct { counter, at_least, .. } => Test::Distinct { counter, at_least, within: w },
                    Test::Concentration { counter, top, share_at_least, min_count, .. } => {
                        Test::Concentration { counter, top, share_at_least, min_count, within: w }
                    }
                    other => other,
                }))
            }
            "trend" => {
                let mut b = r.object(at, body)?;
                let (counter, _) = self.counter(r, &mut b, None)?;
                let within = b.req(r, "within", Reader::duration);
                let rising = b.req(r, "direction", |r, p, v| r.choice(p, v, &[("rising", true), ("falling", false)]));
                let by = b.opt(r, "by_at_least", |r, p, v| r.number(p, v, 0.01, 100.0)).unwrap_or(0.25);
                let min_count = b.opt(r, "min_count", |r, p, v| r.count(p, v, 1, 1_000_000)).unwrap_or(5);
                b.finish(r);
                let within = self.cover(counter, within?);
                Some(self.leaf(Test::Trend { counter, within, rising: rising?, by_at_least: by, min_count }))
            }
            "since" => {
                let mut b = r.object(at, body)?;
                let (counter, _) = self.counter(r, &mut b, None)?;
                let at_most = b.opt(r, "at_most", Reader::duration);
                let at_least = b.opt(r, "at_least", Reader::duration);
                if at_most.is_some() == at_least.is_some() {
                    r.error(at, "bad_trigger", "`since` needs exactly one of `at_most` and `at_least`");
                }
                b.finish(r);
                Some(self.leaf(Test::Since { counter, at_most, at_least }))
            }
            "seats" => {
                let mut b = r.object(at, body)?;
                let used = b.req(r, "used_at_least", |r, p, v| r.number(p, v, 0.01, 10.0));
                b.finish(r);
                Some(self.leaf(Test::Seats { used_at_least: used? }))
            }
            "health" => {
                let mut b = r.object(at, body)?;
                let h = b.req(r, "at_least", |r, p, v| r.number(p, v, 0.0, 100.0));
                b.finish(r);
                Some(self.leaf(Test::Health { at_least: h? }))
            }
            "renewal" => {
                let mut b = r.object(at, body)?;
                let within = b.req(r, "within", Reader::duration);
                b.finish(r);
                Some(self.leaf(Test::Renewal { within: within? }))
            }
            other if CALENDAR_WORDS.contains(&other) => {
                r.error(at, "calendar_trigger", format!("`{other}` is a calendar trigger; triggers are product behaviour (limit hits, usage, seats, workarounds, trends). A renewal window may only add to a behaviour or health trigger"));
                None
            }
            other => {
                r.error(at, "unknown_trigger", format!("unknown trigger kind `{other}`; use one of: {KINDS}"));
                None
            }
        }
    }

    /// Wraps a test with its description, written once here rather than at every decision.
    fn leaf(&self, test: Test) -> Trigger {
        let event = |i: usize| describe(self.counters.get(i), self.catalog);
        let of = |i: usize| self.counters.get(i).and_then(|c| c.distinct_of.clone()).unwrap_or_default();
        let label = match &test {
            Test::Count { counter, within, .. } => format!("{} within {}", event(*counter), format_duration(*within)),
            Test::Usage { metric, .. } => {
                format!("usage of {} against its limit", self.metrics.get(*metric).map_or("?", String::as_str))
            }
            Test::Distinct { counter, within, .. } => {
                format!("distinct {} of {} within {}", of(*counter), event(*counter), format_duration(*within))
            }
            Test::Concentration { counter, top, min_count, within, .. } => format!(
                "share of the top {top} {} of {} within {} (at least {min_count} events)",
                of(*counter),
                event(*counter),
                format_duration(*within)
            ),
            Test::Trend { counter, within, rising, .. } => format!(
                "{} {} within {} against the {} before",
                event(*counter),
                if *rising { "rising" } else { "falling" },
                format_duration(*within),
                format_duration(*within)
            ),
            Test::Since { counter, at_most, at_least } => format!(
                "time since {} ({} {})",
                event(*counter),
                if at_most.is_some() { "at most" } else { "at least" },
                format_duration(at_most.or(*at_least).unwrap_or(0))
            ),
            Test::Seats { .. } => "active seats over paid seats".to_owned(),
            Test::Health { .. } => "health score".to_owned(),
            Test::Renewal { within } => format!("days to renewal (within {})", format_duration(*within)),
        };
        Trigger::Leaf(Leaf { label: label.into(), test })
    }

    /// Reads `event` and `where` and registers (or finds) the counter.
    fn counter(
        &mut self,
        r: &mut Reader,
        b: &mut crate::read::Obj<'_>,
        distinct_of: Option<String>,
    ) -> Option<(usize, Option<usize>)> {
        let name = b.req(r, "event", Reader::string)?;
        let Some(event) = self.catalog.iter().position(|e| e.name == name) else {
            let known: Vec<&str> = self.catalog.iter().map(|e| e.name.as_str()).collect();
            r.error(&b.at("event"), "unknown_event", format!("unknown event `{name}`; known: {}", known.join(", ")));
            return None;
        };
        let mut filters = Vec::new();
        let mut metric = None;
        if let Some(mut w) = b.opt(r, "where", |r, p, v| r.object(p, v)) {
            for (k, v) in w.entries() {
                let path = w.at(k);
                let Some(prop) = self.catalog[event].properties.iter().find(|p| p.name == *k) else {
                    r.error(&path, "unknown_property", format!("`{name}` events have no property `{k}`"));
                    continue;
                };
                match (prop.kind, v) {
                    (PropKind::Metric, Value::String(m)) => match self.metrics.iter().position(|x| x == m) {
                        Some(i) => metric = Some(i),
                        None => r.error(&path, "unknown_reference", format!("unknown metric `{m}`")),
                    },
                    (PropKind::Milestone, Value::String(m)) if !self.milestones.contains(m) => {
                        r.error(&path, "unknown_reference", format!("unknown milestone `{m}`"));
                    }
                    (_, Value::String(_) | Value::Number(_) | Value::Bool(_)) => {}
                    (_, other) => r.error(
                        &path,
                        "wrong_type",
                        format!("a filter value is a string, number or boolean, found {}", other.type_name()),
                    ),
                }
                filters.push((k.clone(), v.clone()));
            }
        }
        let spec = CounterSpec::new(event as u16, filters, distinct_of);
        let i = match self
            .counters
            .iter()
            .position(|c| c.event == spec.event && c.filters == spec.filters && c.distinct_of == spec.distinct_of)
        {
            Some(i) => i,
            None => {
                self.counters.push(spec);
                self.counters.len() - 1
            }
        };
        Some((i, metric))
    }

    /// Registers a counter for a guardrail or watch on an event type with no filters.
    pub fn plain_counter(&mut self, event: u16) -> usize {
        let spec = CounterSpec::new(event, Vec::new(), None);
        match self
            .counters
            .iter()
            .position(|c| *c == spec || (c.event == event && c.filters.is_empty() && c.distinct_of.is_none()))
        {
            Some(i) => i,
            None => {
                self.counters.push(spec);
                self.counters.len() - 1
            }
        }
    }

    /// Makes counter `i` cover `window`; returns the window.
    pub fn cover(&mut self, i: usize, window: i64) -> i64 {
        if let Some(c) = self.counters.get_mut(i) {
            c.cover(window);
        }
        window
    }

    fn has_property(&self, counter: usize, prop: &str) -> bool {
        let event = usize::from(self.counters[counter].event);
        self.catalog[event].properties.iter().any(|p| p.name == prop)
    }

    fn metric(&self, r: &mut Reader, path: &str, v: &Value) -> Option<usize> {
        let m = r.string(path, v)?;
        let i = self.metrics.iter().position(|x| *x == m);
        if i.is_none() {
            r.error(path, "unknown_reference", format!("unknown metric `{m}`; declared: {}", self.metrics.join(", ")));
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::builtin_events;

    fn read(json: &str) -> (Option<Trigger>, Vec<crate::problem::Problem>) {
        let catalog = builtin_events();
        let metrics = vec!["reports".to_owned()];
        let mut t = TriggerReader { catalog: &catalog, metrics: &metrics, milestones: &[], counters: Vec::new() };
        let mut r = Reader::default();
        let trigger = t.read(&mut r, "trigger", &serde_json::from_str(json).unwrap());
        (trigger, r.problems)
    }

    #[test]
    fn the_calendar_alone_is_not_behaviour() {
        let renewal = r#"{"renewal":{"within":"21d"}}"#;
        assert!(!read(renewal).0.unwrap().is_behavioural());
        let plus_health = r#"{"all":[{"renewal":{"within":"21d"}},{"health":{"at_least":80}}]}"#;
        assert!(read(plus_health).0.unwrap().is_behavioural());
        let either = r#"{"any":[{"renewal":{"within":"21d"}},{"health":{"at_least":80}}]}"#;
        assert!(!read(either).0.unwrap().is_behavioural(), "one branch fires on the date alone");
        let absence = r#"{"since":{"event":"session","at_least":"30d"}}"#;
        assert!(!read(absence).0.unwrap().is_behavioural(), "the absence of use is an age");
        let (_, problems) = read(r#"{"quarter_end":true}"#);
        assert_eq!(problems[0].code, "calendar_trigger");
    }

    #[test]
    fn any_supplies_only_what_every_branch_supplies() {
        let t = read(
            r#"{"any":[{"count":{"event":"limit_hit","where":{"metric":"reports"},"at_least":3,"within":"30d"}},
                       {"count":{"event":"seat_invited","at_least":2,"within":"14d"}}]}"#,
        )
        .0
        .unwrap();
        assert_eq!(t.supplies(), ["count", "days"]);
    }

    #[test]
    fn counters_are_shared_and_cover_twice_the_longest_window() {
        let catalog = builtin_events();
        let metrics = vec!["reports".to_owned()];
        let mut t = TriggerReader { catalog: &catalog, metrics: &metrics, milestones: &[], counters: Vec::new() };
        let mut r = Reader::default();
        for within in ["7d", "30d"] {
            let json = format!(r#"{{"count":{{"event":"session","at_least":1,"within":"{within}"}}}}"#);
            t.read(&mut r, "t", &serde_json::from_str(&json).unwrap()).unwrap();
        }
        assert_eq!(t.counters.len(), 1);
        assert_eq!((t.counters[0].width, t.counters[0].slots), (DAY, 61));
        t.read(
            &mut r,
            "t",
            &serde_json::from_str(r#"{"count":{"event":"session","at_least":1,"within":"12h"}}"#).unwrap(),
        );
        assert_eq!((t.counters[0].width, t.counters[0].slots), (crate::read::HOUR, 61 * 24));
    }
}
