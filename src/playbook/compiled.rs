//! Compiled playbooks: a playbook validated and linted ahead of time, in a compact form that
//! only needs decoding.
//!
//! Loading a JSON playbook takes a JSON reader, the validation, the linter, the ICU message
//! parser and the audience checker: about a quarter of the wasm bundle. The full build (and
//! `earned compile`) runs all of that once, before shipping, and [`Playbook::compile`] writes the
//! result; production browsers then load a runtime build that only has
//! [`Playbook::from_compiled`], and link-time optimisation drops the loader from it.
//!
//! The text is `earned:1:` (`1` is the format version) and then, in base64url without padding,
//! the bytes: every field of the playbook in declaration order (numbers as LEB128 varints,
//! `f64` as 8 little-endian bytes, text and lists length first, enums as a tag byte and their
//! fields), then a 4-byte FNV-1a checksum of them. The same playbook always compiles to the
//! same text.
//!
//! Decoding never panics, whatever the input: every read checks the bytes left, nesting is
//! bounded, and every index the engine later uses to index a list is checked to be in range.

use std::sync::Arc;

use super::lint::WARNING_CODES;
use super::{Activation, AddOn, Holdout, Milestone, Plan, Playbook, Readiness};
use crate::copy::{CopySet, Message, NumberStyle, OfferCopy, Part, Plural, PluralCategory, Select, Template};
use crate::guardrails::{CannotBuy, Guardrails, UsageFalling};
use crate::offers::{Discount, Motion, Offer, Owner, OwnershipRule, Placement, Removes, RoutedUi, Target, Watch};
use crate::outcomes::Caps;
use crate::problem::{Problem, Severity};
use crate::read::{DAY, HOUR};
use crate::signals::{CounterSpec, EventSpec, PropKind, PropSpec, MAX_DISTINCT};
use crate::triggers::{Leaf, Test, Trigger};
use crate::value::{Value, MAX_DEPTH};

#[cfg(test)]
mod tests;

/// What every compiled playbook starts with: the name, then the format version.
const PREFIX: &str = "earned:1:";

/// The longest duration a playbook can name (`"999999w"`: six digits of weeks), in ms. Every
/// `i64` in a playbook is a duration or a bucket width, so none is larger.
const LONGEST: i64 = 999_999 * 7 * DAY;

/// The most buckets a counter's ring can need: twice the longest window in hours, plus what
/// re-expressing days in hours can add. The engine allocates this many per counter.
const MAX_SLOTS: usize = (2 * LONGEST / HOUR + 24) as usize;

/// The largest show cap a playbook can set (`caps.per_offer.shows`, `per_week`).
const MAX_CAP: u32 = 1000;

/// Why decoding failed, in a few words.
type Bad = &'static str;

const BAD_TAG: Bad = "an unknown tag";

impl Playbook {
    /// Writes the playbook in its compiled form: `earned:1:` and base64url text.
    ///
    /// Meant for a playbook [`Playbook::load`] accepted: that is what makes the compiled form
    /// safe to use without validating it again.
    pub fn compile(&self) -> String {
        let mut bytes = Vec::new();
        self.put(&mut bytes);
        let sum = fnv1a(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        let mut text = String::with_capacity(PREFIX.len() + bytes.len() * 4 / 3 + 4);
        text.push_str(PREFIX);
        base64_encode(&bytes, &mut text);
        text
    }

    /// Reads a playbook [`Playbook::compile`] wrote (whitespace around it is ignored).
    ///
    /// # Errors
    /// `compiled_prefix` for text that is not a compiled playbook or is of another format
    /// version; `compiled_corrupt` for text that was changed or cut short, saying what is wrong.
    pub fn from_compiled(text: &str) -> Result<Playbook, Problem> {
        let text = text.trim();
        let Some(body) = text.strip_prefix(PREFIX) else {
            return Err(wrong_prefix(text));
        };
        let bytes = base64_decode(body).ok_or_else(|| corrupt("the text after `earned:1:` is not base64url"))?;
        let Some((payload, sum)) = bytes.split_last_chunk::<4>() else {
            return Err(corrupt("too short to hold a playbook"));
        };
        if fnv1a(payload).to_le_bytes() != *sum {
            return Err(corrupt("the checksum does not match: the text was changed or cut short"));
        }
        decode(payload)
    }
}

/// Decodes and checks the bytes inside a compiled playbook (checksum removed).
#[inline(never)]
fn decode(payload: &[u8]) -> Result<Playbook, Problem> {
    let mut input = Input::new(payload);
    let playbook = Playbook::get(&mut input);
    if let Some((what, at)) = input.problem {
        return Err(corrupt(&format!("{what} at byte {at}")));
    }
    if !input.rest.is_empty() {
        return Err(corrupt(&format!("{} bytes are left over after the playbook", input.rest.len())));
    }
    check(&playbook).map_err(corrupt)?;
    Ok(playbook)
}

fn corrupt(what: &str) -> Problem {
    Problem::error("$", "compiled_corrupt", format!("corrupt compiled playbook: {what}"))
}

fn wrong_prefix(text: &str) -> Problem {
    let version = text
        .strip_prefix("earned:")
        .and_then(|rest| rest.split_once(':'))
        .map(|(v, _)| v)
        .filter(|v| !v.is_empty() && v.len() <= 9 && v.bytes().all(|b| b.is_ascii_digit()));
    let reason = match version {
        Some(v) => {
            format!("compiled by a different version of earned (format {v}); compile it again with `earned compile`")
        }
        None => format!("not a compiled playbook: expected text starting `{PREFIX}`"),
    };
    Problem::error("$", "compiled_prefix", reason)
}

/// Checks every index the engine uses to index a list of the playbook, and the few numbers
/// that size an allocation or a loop, so a decoded playbook cannot make the engine panic.
fn check(p: &Playbook) -> Result<(), Bad> {
    let (plans, add_ons, metrics, counters) = (p.plans.len(), p.add_ons.len(), p.metrics.len(), p.counters.len());
    if p.plans.iter().any(|plan| plan.limits.len() != metrics) {
        return Err("a plan's limits are out of range: not one per metric");
    }
    if p.activation.milestones.iter().any(|m| *m >= p.milestones.len()) {
        return Err("an activation milestone is out of range");
    }
    for c in &p.counters {
        if usize::from(c.event) >= p.events.len() {
            return Err("a counter's event type is out of range");
        }
        if (c.width != HOUR && c.width != DAY) || c.slots == 0 || c.slots > MAX_SLOTS {
            return Err("a counter's time buckets are out of range");
        }
    }
    if p.counters_by_event.len() != p.events.len() || p.counters_by_event.iter().flatten().any(|c| *c >= counters) {
        return Err("the counters per event type are out of range");
    }
    if p.guardrails.usage_falling.as_ref().is_some_and(|f| f.counter >= counters) {
        return Err("the usage_falling guardrail's counter is out of range");
    }
    let caps = &p.caps;
    if caps.per_offer > MAX_CAP || caps.per_day > MAX_CAP || caps.per_week > MAX_CAP {
        return Err("a cap is out of range");
    }
    for offer in &p.offers {
        let target_ok = match offer.target {
            Target::Plan(t) => t < plans,
            Target::AddOn(a) => a < add_ons,
        };
        if !target_ok {
            return Err("an offer's target is out of range");
        }
        let removes_ok = match offer.removes {
            Some(Removes::Limit(m)) => m < metrics,
            Some(Removes::Workflow(e)) => usize::from(e) < p.events.len(),
            _ => true,
        };
        if !removes_ok {
            return Err("what an offer removes is out of range");
        }
        if offer.watch.as_ref().is_some_and(|w| w.counter >= counters) {
            return Err("an offer's watch counter is out of range");
        }
        check_trigger(&offer.trigger, counters, metrics)?;
    }
    Ok(())
}

fn check_trigger(t: &Trigger, counters: usize, metrics: usize) -> Result<(), Bad> {
    let ok = match t {
        Trigger::All(parts) | Trigger::Any(parts) => {
            return parts.iter().try_for_each(|part| check_trigger(part, counters, metrics));
        }
        Trigger::Not(part) => return check_trigger(part, counters, metrics),
        Trigger::Leaf(leaf) => match leaf.test {
            Test::Count { counter, metric, .. } => counter < counters && metric.is_none_or(|m| m < metrics),
            Test::Usage { metric, .. } => metric < metrics,
            // `top` bounds a loop when the trigger is checked.
            Test::Concentration { counter, top, .. } => counter < counters && top as usize <= MAX_DISTINCT,
            Test::Distinct { counter, .. } | Test::Trend { counter, .. } | Test::Since { counter, .. } => {
                counter < counters
            }
            Test::Seats { .. } | Test::Health { .. } | Test::Renewal { .. } => true,
        },
    };
    if ok {
        Ok(())
    } else {
        Err("a trigger's counter or metric is out of range")
    }
}

// ---- base64url and the checksum
//
// Written out rather than taken from a crate: every byte of the runtime wasm counts against the
// size budget, and these take a few dozen lines.

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `bytes` in base64url without padding.
fn base64_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        // The chunk as a 24-bit number, missing bytes zero; then one char per 6 bits used.
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for k in 0..=chunk.len() {
            out.push(char::from(BASE64URL[((n >> (18 - 6 * k)) & 63) as usize]));
        }
    }
}

fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes base64url without padding; `None` for any other char, a length that no byte
/// count encodes to, or unused bits that are not zero (so each byte string has one text).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        let len = chunk.len() - 1; // bytes this chunk holds
        if len == 0 {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= sextet(*c)? << (18 - 6 * i);
        }
        if n & (0x00ff_ffff >> (8 * len)) != 0 {
            return None;
        }
        out.extend_from_slice(&n.to_be_bytes()[1..=len]);
    }
    Some(out)
}

/// FNV-1a, 32 bits.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

// ---- the byte codec
//
// Decoding never returns early: the first problem is noted, the bytes left are dropped, and
// from then on every read yields zero (tag 0, length 0, empty text), so decoding runs out at
// once and the result is thrown away. Without a `Result` and its clean-up path per field, the
// decoder is a fraction of the size in wasm.

/// The bytes still to decode, how deeply the value being decoded nests, and the first problem.
struct Input<'a> {
    rest: &'a [u8],
    /// The length of the whole payload, to say where a problem is.
    len: usize,
    depth: u32,
    problem: Option<(Bad, usize)>,
}

impl<'a> Input<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Input { rest: bytes, len: bytes.len(), depth: 0, problem: None }
    }

    /// Notes the first problem and where it is, and drops the bytes left.
    fn fail(&mut self, what: Bad) {
        if self.problem.is_none() {
            self.problem = Some((what, self.len - self.rest.len()));
        }
        self.rest = &[];
    }

    fn byte(&mut self) -> u8 {
        let Some((first, rest)) = self.rest.split_first() else {
            self.fail("the bytes end too soon");
            return 0;
        };
        self.rest = rest;
        *first
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let Some((taken, rest)) = self.rest.split_at_checked(n) else {
            self.fail("the bytes end too soon");
            return &[];
        };
        self.rest = rest;
        taken
    }

    /// A tag below `count`; a problem (and tag 0) otherwise.
    fn tag(&mut self, count: u8) -> u8 {
        let tag = self.byte();
        if tag < count {
            return tag;
        }
        self.fail(BAD_TAG);
        0
    }

    /// A LEB128 varint.
    fn uint(&mut self) -> u64 {
        let mut n = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return n;
            }
        }
        self.fail("a number is too long");
        0
    }

    /// A length: each item takes at least one byte, so it is at most the bytes left.
    fn len(&mut self) -> usize {
        let n = self.uint();
        if n > self.rest.len() as u64 {
            self.fail("a length runs past the end");
            return 0;
        }
        n as usize
    }

    /// Reads a length, then calls `item` that many times (fewer if a problem ends the bytes).
    fn list(&mut self, item: &mut dyn FnMut(&mut Self)) {
        let n = self.len();
        for _ in 0..n {
            if self.problem.is_some() {
                break;
            }
            item(self);
        }
    }

    /// Reads what a recursive value (a JSON value, a trigger, a message) holds, one level
    /// deeper. JSON never nests deeper than `MAX_DEPTH`, so nothing a playbook loads does.
    /// Past the limit the input is dropped, so what is read is empty and recurses no further.
    fn nested<T: Codec>(&mut self) -> T {
        if self.depth >= MAX_DEPTH {
            self.fail("values nest too deeply");
        }
        self.depth += 1;
        let v = T::get(self);
        self.depth -= 1;
        v
    }
}

fn put_uint(w: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        w.push((n as u8) | 0x80);
        n >>= 7;
    }
    w.push(n as u8);
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    put_uint(w, s.len() as u64);
    w.extend_from_slice(s.as_bytes());
}

fn get_string(r: &mut Input<'_>) -> String {
    let n = r.len();
    let bytes = r.take(n);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            r.fail("text that is not UTF-8");
            String::new()
        }
    }
}

/// A varint that must fit `T`.
fn get_uint<T: TryFrom<u64> + Default>(r: &mut Input<'_>) -> T {
    T::try_from(r.uint()).unwrap_or_else(|_| {
        r.fail("a number out of range");
        T::default()
    })
}

/// A value written with [`Codec::put`], read back with [`Codec::get`].
trait Codec {
    fn put(&self, w: &mut Vec<u8>);
    fn get(r: &mut Input<'_>) -> Self;
}

/// Shorthand for `T::get(r)` where the type is inferred.
fn get<T: Codec>(r: &mut Input<'_>) -> T {
    T::get(r)
}

impl Codec for bool {
    fn put(&self, w: &mut Vec<u8>) {
        w.push(u8::from(*self));
    }
    fn get(r: &mut Input<'_>) -> Self {
        match r.byte() {
            0 => false,
            1 => true,
            _ => {
                r.fail("a flag that is neither 0 nor 1");
                false
            }
        }
    }
}

macro_rules! unsigned {
    ($($t:ty),+) => {$(
        impl Codec for $t {
            fn put(&self, w: &mut Vec<u8>) {
                put_uint(w, *self as u64);
            }
            fn get(r: &mut Input<'_>) -> Self {
                get_uint(r)
            }
        }
    )+};
}
unsigned!(u16, u32, usize);

/// Zigzag, so small negative numbers stay short too; every `i64` of a playbook is a duration.
impl Codec for i64 {
    fn put(&self, w: &mut Vec<u8>) {
        put_uint(w, ((*self << 1) ^ (*self >> 63)) as u64);
    }
    fn get(r: &mut Input<'_>) -> Self {
        let n = r.uint();
        let v = (n >> 1) as i64 ^ -((n & 1) as i64);
        if v.unsigned_abs() > LONGEST as u64 {
            r.fail("a duration out of range");
            return 0;
        }
        v
    }
}

impl Codec for f64 {
    fn put(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(&self.to_le_bytes());
    }
    fn get(r: &mut Input<'_>) -> Self {
        let mut b = [0; 8];
        if let Ok(bytes) = r.take(8).try_into() {
            b = bytes;
        }
        f64::from_le_bytes(b)
    }
}

impl Codec for String {
    fn put(&self, w: &mut Vec<u8>) {
        put_str(w, self);
    }
    fn get(r: &mut Input<'_>) -> Self {
        get_string(r)
    }
}

impl Codec for Arc<str> {
    fn put(&self, w: &mut Vec<u8>) {
        put_str(w, self);
    }
    fn get(r: &mut Input<'_>) -> Self {
        get_string(r).into()
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn put(&self, w: &mut Vec<u8>) {
        put_uint(w, self.len() as u64);
        for item in self {
            item.put(w);
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        // Pushed one by one: a length never reserves memory the bytes do not hold.
        let mut items = Vec::new();
        r.list(&mut |r| items.push(T::get(r)));
        items
    }
}

impl<T: Codec> Codec for Option<T> {
    fn put(&self, w: &mut Vec<u8>) {
        self.is_some().put(w);
        if let Some(v) = self {
            v.put(w);
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        bool::get(r).then(|| T::get(r))
    }
}

impl<T: Codec> Codec for Box<T> {
    fn put(&self, w: &mut Vec<u8>) {
        T::put(self, w);
    }
    fn get(r: &mut Input<'_>) -> Self {
        Box::new(T::get(r))
    }
}

impl<A: Codec, B: Codec> Codec for (A, B) {
    fn put(&self, w: &mut Vec<u8>) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut Input<'_>) -> Self {
        (A::get(r), B::get(r))
    }
}

/// A struct: its fields in order. The destructuring fails to compile when a field is added.
macro_rules! record {
    ($($t:ident { $($f:ident),+ $(,)? })+) => {$(
        impl Codec for $t {
            fn put(&self, w: &mut Vec<u8>) {
                let $t { $($f),+ } = self;
                $($f.put(w);)+
            }
            fn get(r: &mut Input<'_>) -> Self {
                // Struct expression fields are evaluated in the order written.
                $t { $($f: get(r)),+ }
            }
        }
    )+};
}

/// An enum without fields: one tag byte per variant.
macro_rules! choice {
    ($($t:ident [$($v:ident),+ $(,)?])+) => {$(
        impl Codec for $t {
            fn put(&self, w: &mut Vec<u8>) {
                // The variants in tag order; the match fails to compile when one is missing.
                const ALL: &[$t] = &[$($t::$v),+];
                match self {
                    $($t::$v)|+ => w.push(ALL.iter().position(|v| v == self).unwrap_or(0) as u8),
                }
            }
            fn get(r: &mut Input<'_>) -> Self {
                const ALL: &[$t] = &[$($t::$v),+];
                ALL[usize::from(r.tag(ALL.len() as u8))]
            }
        }
    )+};
}

/// An enum whose variants all have named fields: a tag byte, then the fields in order. The
/// first variant stands in for an unknown tag (after noting the problem).
macro_rules! tagged {
    ($t:ident { $v0:ident { $($f0:ident),+ } $(, $tag:literal => $v:ident { $($f:ident),+ })+ $(,)? }) => {
        impl Codec for $t {
            fn put(&self, w: &mut Vec<u8>) {
                match self {
                    $t::$v0 { $($f0),+ } => {
                        w.push(0);
                        $($f0.put(w);)+
                    }
                    $($t::$v { $($f),+ } => {
                        w.push($tag);
                        $($f.put(w);)+
                    })+
                }
            }
            fn get(r: &mut Input<'_>) -> Self {
                match r.byte() {
                    $($tag => $t::$v { $($f: get(r)),+ },)+
                    tag => {
                        if tag != 0 {
                            r.fail(BAD_TAG);
                        }
                        $t::$v0 { $($f0: get(r)),+ }
                    }
                }
            }
        }
    };
}

record! {
    Playbook {
        id, locales, metrics, plans, add_ons, milestones, activation, events, counters,
        counters_by_event, offers, guardrails, caps, ownership, holdout, warnings, readiness,
    }
    Plan { id, name, order, price, limits, features }
    AddOn { id, name, price, features }
    Milestone { id, needs }
    Activation { milestones, all }
    Holdout { percent, salt }
    EventSpec { name, properties }
    PropSpec { name, kind, required }
    CounterSpec { event, filters, distinct_of, width, slots }
    Offer { id, motion, target, removes, discount, audience, trigger, copy, placement, owner, url, watch }
    Discount { percent }
    Watch { counter, at_least, within }
    Leaf { label, test }
    OfferCopy { control, variants }
    CopySet { title, body, cta, ask_admin, talk_to_us }
    Template { source, message }
    Message { parts }
    Plural { name, offset, exact, categories, other }
    Select { name, cases, other }
    Guardrails {
        usage_falling, champion_quiet, basic_tickets_at_most, health_at_least, discount_health_at_least,
        quiet_after_purchase, idle_seats_at_most, cannot_buy,
    }
    UsageFalling { counter, within, drop, min_count }
    Caps { per_offer, per_offer_within, per_day, per_week, dismiss_cooldown, snooze, one_at_a_time, active_for }
    OwnershipRule { motions, acv_at_least, acv_below, owner, ui }
}

choice! {
    PropKind [Text, Number, Any, Metric, Milestone, Bool]
    Motion [Seat, Usage, FeatureTier, Support, Outcome, AddOn, AdjacentProduct, Integration, RoleExpansion]
    Owner [Product, Lifecycle, Cs, Sales]
    RoutedUi [TalkToUs, Nothing]
    CannotBuy [AskAdmin, Nothing]
    Severity [Error, Warning]
    NumberStyle [Plain, Integer, Percent]
    PluralCategory [Zero, One, Two, Few, Many, Other]
}

tagged!(Test {
    Count { counter, at_least, within, metric },
    1 => Usage { metric, at_least },
    2 => Distinct { counter, at_least, within },
    3 => Concentration { counter, top, share_at_least, min_count, within },
    4 => Trend { counter, within, rising, by_at_least, min_count },
    5 => Since { counter, at_most, at_least },
    6 => Seats { used_at_least },
    7 => Health { at_least },
    8 => Renewal { within },
});

/// Writes an enum variant's tag byte, then its one field.
fn put_tagged<T: Codec>(w: &mut Vec<u8>, tag: u8, field: &T) {
    w.push(tag);
    field.put(w);
}

impl Codec for Value {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Value::Null => w.push(0),
            Value::Bool(b) => put_tagged(w, 1, b),
            Value::Number(n) => put_tagged(w, 2, n),
            Value::String(s) => put_tagged(w, 3, s),
            Value::Array(items) => put_tagged(w, 4, items),
            Value::Object(members) => put_tagged(w, 5, members),
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        match r.tag(6) {
            0 => Value::Null,
            1 => Value::Bool(get(r)),
            2 => Value::Number(get(r)),
            3 => Value::String(get(r)),
            4 => Value::Array(r.nested()),
            _ => Value::Object(r.nested()),
        }
    }
}

impl Codec for Trigger {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Trigger::All(parts) => put_tagged(w, 0, parts),
            Trigger::Any(parts) => put_tagged(w, 1, parts),
            Trigger::Not(part) => put_tagged(w, 2, part),
            Trigger::Leaf(leaf) => put_tagged(w, 3, leaf),
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        match r.tag(4) {
            0 => Trigger::All(r.nested()),
            1 => Trigger::Any(r.nested()),
            2 => Trigger::Not(r.nested()),
            _ => Trigger::Leaf(get(r)),
        }
    }
}

impl Codec for Part {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Part::Text(text) => put_tagged(w, 0, text),
            Part::Pound => w.push(1),
            Part::Simple(name) => put_tagged(w, 2, name),
            Part::Number(name, style) => {
                w.push(3);
                name.put(w);
                style.put(w);
            }
            Part::Plural(plural) => put_tagged(w, 4, plural),
            Part::Select(select) => put_tagged(w, 5, select),
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        match r.tag(6) {
            0 => Part::Text(get(r)),
            1 => Part::Pound,
            2 => Part::Simple(get(r)),
            3 => Part::Number(get(r), get(r)),
            4 => Part::Plural(r.nested()),
            _ => Part::Select(r.nested()),
        }
    }
}

impl Codec for Target {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Target::Plan(i) => put_tagged(w, 0, i),
            Target::AddOn(i) => put_tagged(w, 1, i),
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        match r.tag(2) {
            0 => Target::Plan(get(r)),
            _ => Target::AddOn(get(r)),
        }
    }
}

impl Codec for Removes {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Removes::Limit(metric) => put_tagged(w, 0, metric),
            Removes::Seats => w.push(1),
            Removes::Workaround(kind) => put_tagged(w, 2, kind),
            Removes::Workflow(event) => put_tagged(w, 3, event),
            Removes::Integration(name) => put_tagged(w, 4, name),
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        match r.tag(5) {
            0 => Removes::Limit(get(r)),
            1 => Removes::Seats,
            2 => Removes::Workaround(get(r)),
            3 => Removes::Workflow(get(r)),
            _ => Removes::Integration(get(r)),
        }
    }
}

impl Codec for Placement {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Placement::Inline(slot) => put_tagged(w, 0, slot),
            Placement::Banner => w.push(1),
            Placement::Modal => w.push(2),
            Placement::Toast => w.push(3),
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        match r.tag(4) {
            0 => Placement::Inline(get(r)),
            1 => Placement::Banner,
            2 => Placement::Modal,
            _ => Placement::Toast,
        }
    }
}

/// A warning's code is `&'static str`: it is stored as text and read back as the linter's own.
impl Codec for Problem {
    fn put(&self, w: &mut Vec<u8>) {
        let Problem { path, severity, code, reason } = self;
        path.put(w);
        severity.put(w);
        put_str(w, code);
        reason.put(w);
    }
    fn get(r: &mut Input<'_>) -> Self {
        let path = get(r);
        let severity = get(r);
        let code = get_string(r);
        let code = WARNING_CODES.iter().find(|c| **c == code).copied().unwrap_or_else(|| {
            r.fail("a warning with an unknown code");
            ""
        });
        Problem { path, severity, code, reason: get(r) }
    }
}

impl Codec for Readiness {
    fn put(&self, w: &mut Vec<u8>) {
        let Readiness { offer, answers } = self;
        offer.put(w);
        for answer in answers {
            answer.put(w);
        }
    }
    fn get(r: &mut Input<'_>) -> Self {
        Readiness { offer: get(r), answers: [get(r), get(r), get(r), get(r), get(r)] }
    }
}
