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
//! `f64` as 8 little-endian bytes, lists length first, text as its char count and then each
//! code point as a varint, enums as a tag byte and their fields), then a 4-byte FNV-1a checksum
//! of them. The same playbook always compiles to the same text.
//!
//! Decoding never panics, whatever the input: every read checks the bytes left, nesting is
//! bounded, and every index the engine later uses to index a list is checked to be in range as
//! it is read (each list an index points into comes before it in the bytes).

use std::sync::Arc;

use super::lint::WARNING_CODES;
use super::{Activation, AddOn, Holdout, Milestone, Plan, Playbook, Readiness};
use crate::copy::{CopySet, Message, NumberStyle, OfferCopy, Part, Plural, PluralCategory, Select, Template};
use crate::guardrails::{CannotBuy, Guardrails, UsageFalling};
use crate::offers::{Discount, Motion, Offer, Owner, OwnershipRule, Placement, Removes, RoutedUi, Target, Watch};
use crate::outcomes::Caps;
use crate::problem::{Problem, Severity};
use crate::read::{push_uint, DAY, HOUR};
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

/// Why decoding failed, in a few words: one message per kind of problem, with the byte offset.
type Bad = &'static str;

const BAD_TAG: Bad = "an unknown tag";
const OUT_OF_RANGE: Bad = "a number out of range";
const TOO_SOON: Bad = "the bytes end too soon";

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
        let reason = match base64_decode(body) {
            None => "the text after `earned:1:` is not base64url",
            Some(bytes) => match bytes.split_last_chunk::<4>() {
                None => "too short to hold a playbook",
                Some((payload, sum)) if fnv1a(payload).to_le_bytes() == *sum => return decode(payload),
                Some(_) => "the checksum does not match: the text was changed or cut short",
            },
        };
        Err(corrupt(reason))
    }
}

/// Decodes and checks the bytes inside a compiled playbook (checksum removed).
fn decode(payload: &[u8]) -> Result<Playbook, Problem> {
    let mut input = Input::new(payload);
    let playbook = Playbook::get(&mut input);
    if !input.rest.is_empty() {
        input.fail("bytes left over after the playbook");
    }
    let Some((what, at)) = input.problem else {
        return Ok(playbook);
    };
    let mut reason = [what, " at byte "].concat();
    push_uint(&mut reason, at as u64, 0);
    Err(corrupt(&reason))
}

fn corrupt(what: &str) -> Problem {
    Problem::error("$", "compiled_corrupt", ["corrupt compiled playbook: ", what].concat())
}

fn wrong_prefix(text: &str) -> Problem {
    let version = text
        .strip_prefix("earned:")
        .and_then(|rest| rest.split_once(':'))
        .map(|(v, _)| v)
        .filter(|v| !v.is_empty() && v.len() <= 9 && v.bytes().all(|b| b.is_ascii_digit()));
    let reason = match version {
        Some(v) => {
            ["compiled by a different version of earned (format ", v, "); compile it again with `earned compile`"]
                .concat()
        }
        None => ["not a compiled playbook: expected text starting `", PREFIX, "`"].concat(),
    };
    Problem::error("$", "compiled_prefix", reason)
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
    // The bits read and not yet written out: the low `bits` bits of `pending`.
    let (mut pending, mut bits) = (0u32, 0);
    for c in text.bytes() {
        pending = pending << 6 | sextet(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((pending >> bits) as u8);
        }
    }
    // A length that encodes bytes leaves 0, 2 or 4 bits over (6 after a lone char).
    (bits < 6 && pending & ((1 << bits) - 1) == 0).then_some(out)
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

/// The lists of a playbook that the engine indexes with numbers from the playbook. Each is
/// decoded before any index into it.
#[derive(Clone, Copy)]
enum List {
    Metrics,
    Plans,
    AddOns,
    Milestones,
    Events,
    Counters,
}

/// The bytes still to decode, how deeply the value being decoded nests, the first problem, and
/// the length of each [`List`] decoded so far.
struct Input<'a> {
    rest: &'a [u8],
    /// The length of the whole payload, to say where a problem is.
    len: usize,
    depth: u32,
    problem: Option<(Bad, usize)>,
    /// Per [`List`], in its order.
    lens: [usize; 6],
}

impl<'a> Input<'a> {
    /// The linter's output, the playbook's last two fields. The runtime build, which does not
    /// report it, stops reading there (the checksum has covered those bytes too).
    #[cfg(feature = "loader")]
    fn lint<T: Codec>(&mut self) -> Vec<T> {
        get(self)
    }
    #[cfg(not(feature = "loader"))]
    fn lint<T>(&mut self) -> Vec<T> {
        self.rest = &[];
        Vec::new()
    }

    fn new(bytes: &'a [u8]) -> Self {
        Input { rest: bytes, len: bytes.len(), depth: 0, problem: None, lens: [0; 6] }
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
            self.fail(TOO_SOON);
            return 0;
        };
        self.rest = rest;
        *first
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let Some((taken, rest)) = self.rest.split_at_checked(n) else {
            self.fail(TOO_SOON);
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
        let mut shift = 0;
        while shift < 64 {
            let b = self.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return n;
            }
            shift += 7;
        }
        self.fail(OUT_OF_RANGE);
        0
    }

    /// A length: each item takes at least one byte, so it is at most the bytes left.
    fn len(&mut self) -> usize {
        let n = self.uint();
        if n > self.rest.len() as u64 {
            self.fail(TOO_SOON);
            return 0;
        }
        n as usize
    }

    /// A varint below `end`.
    fn below(&mut self, end: u64) -> u64 {
        let n = self.uint();
        if n < end {
            return n;
        }
        self.fail(OUT_OF_RANGE);
        0
    }

    /// Notes a problem unless `ok`: for a number that is not one the engine can use.
    fn check(&mut self, ok: bool) {
        if !ok {
            self.fail(OUT_OF_RANGE);
        }
    }

    /// An index into `list` (decoded already).
    fn index(&mut self, list: List) -> usize {
        self.below(self.lens[list as usize] as u64) as usize
    }

    /// An event type: an index into the event types that fits the `u16` it is kept in.
    fn event(&mut self) -> u16 {
        self.below(self.lens[List::Events as usize].min(1 << 16) as u64) as u16
    }

    /// A list the engine indexes, noting its length for the indices decoded after it.
    fn noted<T: Codec>(&mut self, list: List) -> Vec<T> {
        let items: Vec<T> = get(self);
        self.lens[list as usize] = items.len();
        items
    }

    /// A list with one item per entry of `list`.
    fn one_per<T>(&mut self, list: List, item: impl Fn(&mut Input<'_>) -> T) -> Vec<T> {
        let items = self.items(item);
        self.check(items.len() == self.lens[list as usize]);
        items
    }

    /// A list: its length, then each item read by `item`.
    fn items<T>(&mut self, item: impl Fn(&mut Input<'_>) -> T) -> Vec<T> {
        let mut list = ReadWith(Vec::new(), item);
        self.each(&mut list);
        list.0
    }

    /// Reads a length, then reads that many items into `list` (fewer if a problem ends the
    /// bytes). Items are pushed one by one, so a length never reserves memory the bytes do not
    /// hold. Not generic, so one loop serves every kind of list.
    fn each(&mut self, list: &mut dyn Items) {
        for _ in 0..self.len() {
            if self.problem.is_some() {
                break;
            }
            list.read_one(self);
        }
    }

    /// Starts reading a node of a recursive value (a JSON value, a trigger, a message part),
    /// inside as many others as are entered and not left. JSON never nests deeper than
    /// `MAX_DEPTH` (counting containers), so nothing a playbook loads does. Past the limit the
    /// input is dropped, so what is read is empty and recurses no further.
    fn enter(&mut self) {
        if self.depth > MAX_DEPTH {
            self.fail("values nest too deeply");
        }
        self.depth += 1;
    }

    /// Ends reading a node [`Input::enter`] started.
    fn leave(&mut self) {
        self.depth -= 1;
    }
}

fn put_uint(w: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        w.push((n as u8) | 0x80);
        n >>= 7;
    }
    w.push(n as u8);
}

/// Text as its number of chars, then each char's code point as a varint (ASCII takes a byte,
/// as in UTF-8). Decoding builds the text char by char, so it needs no UTF-8 validation.
fn put_str(w: &mut Vec<u8>, s: &str) {
    put_uint(w, s.chars().count() as u64);
    for c in s.chars() {
        put_uint(w, u64::from(c));
    }
}

fn get_string(r: &mut Input<'_>) -> String {
    // Most text is ASCII, a byte per char: as many bytes as chars (at most the bytes left).
    let n = r.len();
    let mut text = String::with_capacity(n);
    for _ in 0..n {
        match u32::try_from(r.uint()).ok().and_then(char::from_u32) {
            Some(c) => text.push(c),
            None => r.fail(OUT_OF_RANGE),
        }
    }
    text
}

/// A varint that must fit `T`.
fn get_uint<T: TryFrom<u64> + Default>(r: &mut Input<'_>) -> T {
    T::try_from(r.uint()).unwrap_or_else(|_| {
        r.fail(OUT_OF_RANGE);
        T::default()
    })
}

/// Reads a field with `read` rather than its type's [`Codec::get`]: what the field-reader
/// closures in [`record!`] and [`tagged!`] are called with.
fn read_with<'a, T>(r: &mut Input<'a>, read: impl FnOnce(&mut Input<'a>) -> T) -> T {
    read(r)
}

/// A list being decoded, as [`Input::each`] sees it: it reads one more item and keeps it.
trait Items {
    fn read_one(&mut self, r: &mut Input<'_>);
}

/// Items read with their type's [`Codec::get`]: the list itself is all [`Input::each`] needs.
impl<T: Codec> Items for Vec<T> {
    fn read_one(&mut self, r: &mut Input<'_>) {
        self.push(T::get(r));
    }
}

/// Items read with a reader of their own (an index, say), kept in the `Vec`.
struct ReadWith<T, F>(Vec<T>, F);

impl<T, F: Fn(&mut Input<'_>) -> T> Items for ReadWith<T, F> {
    fn read_one(&mut self, r: &mut Input<'_>) {
        self.0.push((self.1)(r));
    }
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
        r.tag(2) == 1
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
            r.fail(OUT_OF_RANGE);
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
        let mut items = Vec::new();
        r.each(&mut items);
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

/// Reads one field of a [`record!`] or [`tagged!`]: with its type's `get`, or with the reader
/// named after it.
macro_rules! field {
    ($r:ident) => {
        get($r)
    };
    ($r:ident $read:expr) => {
        read_with($r, $read)
    };
}

/// A struct: its fields in order. The destructuring fails to compile when a field is added.
/// A field the engine uses as an index, or that sizes an allocation or a loop, names the reader
/// that checks it (`counter: |r| r.index(List::Counters)`).
macro_rules! record {
    ($($t:ident { $($f:ident $(: $read:expr)?),+ $(,)? })+) => {$(
        impl Codec for $t {
            fn put(&self, w: &mut Vec<u8>) {
                let $t { $($f),+ } = self;
                $($f.put(w);)+
            }
            fn get(r: &mut Input<'_>) -> Self {
                // Struct expression fields are evaluated in the order written.
                $t { $($f: field!(r $($read)?)),+ }
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
                // The tag counted down variant by variant, which compiles to less wasm than
                // indexing `ALL`. `tag` keeps it in range, so the end is never reached.
                let mut tag = r.tag(ALL.len() as u8);
                $(
                    if tag == 0 {
                        return $t::$v;
                    }
                    tag -= 1;
                )+
                ALL[0]
            }
        }
    )+};
}

/// An enum whose variants all have named fields: a tag byte, then the fields in order. The
/// first variant stands in for an unknown tag (after noting the problem).
macro_rules! tagged {
    ($t:ident {
        $v0:ident { $($f0:ident $(: $read0:expr)?),+ $(,)? }
        $(, $tag:literal => $v:ident { $($f:ident $(: $read:expr)?),+ $(,)? })+ $(,)?
    }) => {
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
                    $($tag => $t::$v { $($f: field!(r $($read)?)),+ },)+
                    tag => {
                        if tag != 0 {
                            r.fail(BAD_TAG);
                        }
                        $t::$v0 { $($f0: field!(r $($read0)?)),+ }
                    }
                }
            }
        }
    };
}

record! {
    Playbook {
        id,
        locales,
        metrics: |r| r.noted(List::Metrics),
        plans: |r| r.noted(List::Plans),
        add_ons: |r| r.noted(List::AddOns),
        milestones: |r| r.noted(List::Milestones),
        activation,
        events: |r| r.noted(List::Events),
        counters: |r| r.noted(List::Counters),
        counters_by_event: |r| r.one_per(List::Events, |r| r.items(|r| r.index(List::Counters))),
        offers,
        guardrails,
        caps,
        ownership,
        holdout,
        warnings: Input::lint,
        readiness: Input::lint,
    }
    Plan { id, name, order, price, limits: |r| r.one_per(List::Metrics, get), features }
    AddOn { id, name, price, features }
    Milestone { id, needs }
    Activation { milestones: |r| r.items(|r| r.index(List::Milestones)), all }
    Holdout { percent, salt }
    EventSpec { name, properties }
    PropSpec { name, kind, required }
    CounterSpec {
        event: Input::event,
        filters,
        distinct_of,
        width: |r| {
            let width = get(r);
            r.check(width == HOUR || width == DAY);
            width
        },
        // The engine allocates this many buckets per counter.
        slots: |r| {
            let slots = r.below(MAX_SLOTS as u64 + 1) as usize;
            r.check(slots > 0);
            slots
        },
    }
    Offer { id, motion, target, removes, discount, audience, trigger, copy, placement, owner, url, watch }
    Discount { percent }
    Watch { counter: |r| r.index(List::Counters), at_least, within }
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
    UsageFalling { counter: |r| r.index(List::Counters), within, drop, min_count }
    Caps {
        per_offer: cap,
        per_offer_within,
        per_day: cap,
        per_week: cap,
        dismiss_cooldown,
        snooze,
        one_at_a_time,
        active_for,
    }
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

/// A show cap: at most [`MAX_CAP`].
fn cap(r: &mut Input<'_>) -> u32 {
    r.below(u64::from(MAX_CAP) + 1) as u32
}

tagged!(Test {
    Count {
        counter: |r| r.index(List::Counters),
        at_least,
        within,
        metric: |r| bool::get(r).then(|| r.index(List::Metrics)),
    },
    1 => Usage { metric: |r| r.index(List::Metrics), at_least },
    2 => Distinct { counter: |r| r.index(List::Counters), at_least, within },
    // `top` bounds a loop when the trigger is checked.
    3 => Concentration {
        counter: |r| r.index(List::Counters),
        top: |r| r.below(MAX_DISTINCT as u64 + 1) as u32,
        share_at_least,
        min_count,
        within,
    },
    4 => Trend { counter: |r| r.index(List::Counters), within, rising, by_at_least, min_count },
    5 => Since { counter: |r| r.index(List::Counters), at_most, at_least },
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
        r.enter();
        let value = match r.tag(6) {
            0 => Value::Null,
            1 => Value::Bool(get(r)),
            2 => Value::Number(get(r)),
            3 => Value::String(get(r)),
            4 => Value::Array(get(r)),
            _ => Value::Object(get(r)),
        };
        r.leave();
        value
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
        r.enter();
        let trigger = match r.tag(4) {
            0 => Trigger::All(get(r)),
            1 => Trigger::Any(get(r)),
            2 => Trigger::Not(get(r)),
            _ => Trigger::Leaf(get(r)),
        };
        r.leave();
        trigger
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
        r.enter();
        let part = match r.tag(6) {
            0 => Part::Text(get(r)),
            1 => Part::Pound,
            2 => Part::Simple(get(r)),
            3 => Part::Number(get(r), get(r)),
            4 => Part::Plural(get(r)),
            _ => Part::Select(get(r)),
        };
        r.leave();
        part
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
            0 => Target::Plan(r.index(List::Plans)),
            _ => Target::AddOn(r.index(List::AddOns)),
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
            0 => Removes::Limit(r.index(List::Metrics)),
            1 => Removes::Seats,
            2 => Removes::Workaround(get(r)),
            3 => Removes::Workflow(r.event()),
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

/// A warning's code is `&'static str`: it is stored as its index in the linter's
/// [`WARNING_CODES`] (a code not there as one past the end, which decoding refuses).
impl Codec for Problem {
    fn put(&self, w: &mut Vec<u8>) {
        let Problem { path, severity, code, reason } = self;
        path.put(w);
        severity.put(w);
        WARNING_CODES.iter().position(|c| c == code).unwrap_or(WARNING_CODES.len()).put(w);
        reason.put(w);
    }
    fn get(r: &mut Input<'_>) -> Self {
        let path = get(r);
        let severity = get(r);
        let code = r.below(WARNING_CODES.len() as u64) as usize;
        Problem { path, severity, code: WARNING_CODES.get(code).copied().unwrap_or_default(), reason: get(r) }
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
