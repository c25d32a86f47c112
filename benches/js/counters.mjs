// The ONE shared JS implementation of bucketed counters every peer assembly uses: what a
// frontend team would write next to a rules engine. It mirrors earned's src/signals (rings of
// per-bucket counts, day buckets unless a window is not whole days, then hour buckets).

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const MAX_DISTINCT = 32;
const FUTURE_SLACK = 5 * MINUTE;
const MAX_AGE = 400 * DAY;

/** "14d", "12h", "30m", "2w", "45s" → milliseconds. */
export function duration(s) {
  const m = /^(\d+)\s*([smhdw])$/.exec(String(s).trim());
  if (!m) throw new Error(`bad duration ${s}`);
  const unit = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY }[m[2]];
  return Number(m[1]) * unit;
}

const floorDiv = (a, b) => Math.floor(a / b);
const mod = (a, b) => ((a % b) + b) % b;

/** A ring of per-bucket counts (earned's `Buckets`). */
export class Buckets {
  constructor(width, slots) {
    this.width = Math.max(1, width);
    this.counts = new Uint32Array(Math.max(1, slots));
    this.head = null;
  }
  add(at, n) {
    const len = this.counts.length;
    const b = floorDiv(at, this.width);
    if (this.head === null) this.head = b;
    else if (b > this.head) {
      const gap = Math.min(b - this.head, len);
      for (let k = 1; k <= gap; k++) this.counts[mod(this.head + k, len)] = 0;
      this.head = b;
    } else if (b <= this.head - len) return false;
    this.counts[mod(b, len)] += n;
    return true;
  }
  sum(first, last) {
    if (this.head === null) return 0;
    const len = this.counts.length;
    first = Math.max(first, this.head - len + 1);
    last = Math.min(last, this.head);
    let s = 0;
    for (let b = first; b <= last; b++) s += this.counts[mod(b, len)];
    return s;
  }
  span(window) {
    return Math.max(1, Math.trunc(window / this.width));
  }
  /** The bucket holding `now` and the ones before it, window/width buckets in all. */
  within(now, window) {
    const last = floorDiv(now, this.width);
    return this.sum(last - this.span(window) + 1, last);
  }
  /** The window of the same length just before `within`'s. */
  previous(now, window) {
    const last = floorDiv(now, this.width) - this.span(window);
    return this.sum(last - this.span(window) + 1, last);
  }
}

/** The text of a scalar property, for distinct counting (earned's `scalar_text`). */
function scalarText(v) {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** One counter: a ring, the last time it matched, and distinct values with sparse counts. */
export class Counter {
  constructor(spec) {
    this.spec = spec;
    this.buckets = new Buckets(spec.width, spec.slots);
    this.last = null;
    this.seen = [];
  }
  record(event) {
    const spec = this.spec;
    if (!this.buckets.add(event.at, 1)) return;
    this.last = this.last === null ? event.at : Math.max(this.last, event.at);
    if (!spec.distinctOf) return;
    const text = scalarText(event[spec.distinctOf]);
    if (text === undefined) return;
    const bucket = floorDiv(event.at, spec.width);
    const oldest = bucket - spec.slots + 1;
    let s = this.seen.find((x) => x.value === text);
    if (!s) {
      if (this.seen.length >= MAX_DISTINCT) {
        let stalest = 0;
        for (let i = 1; i < this.seen.length; i++) if (this.seen[i].last < this.seen[stalest].last) stalest = i;
        this.seen.splice(stalest, 1);
      }
      s = { value: text, last: event.at, buckets: [] };
      this.seen.push(s);
    }
    s.last = Math.max(s.last, event.at);
    if (s.buckets.length && s.buckets[0][0] < oldest) s.buckets = s.buckets.filter(([b]) => b >= oldest);
    const found = s.buckets.find((p) => p[0] === bucket);
    if (found) found[1]++;
    else {
      s.buckets.push([bucket, 1]);
      s.buckets.sort((a, b) => a[0] - b[0]);
    }
  }
  /** Each remembered value's count within `window` ending at `now` (zeros included). */
  countsWithin(now, window) {
    const w = this.spec.width;
    const to = floorDiv(now, w);
    const from = to - Math.max(1, Math.trunc(window / w)) + 1;
    return this.seen.map((s) => {
      let n = 0;
      for (const [b, c] of s.buckets) if (b >= from && b <= to) n += c;
      return n;
    });
  }
  /** Values seen within the window, most frequent first (ties: most recently seen first). */
  distinctWithin(now, window) {
    const counts = this.countsWithin(now, window);
    return this.seen
      .map((s, i) => [s.value, counts[i], s.last])
      .filter((x) => x[1] > 0)
      .sort((a, b) => b[1] - a[1] || b[2] - a[2])
      .map((x) => [x[0], x[1]]);
  }
}

/** Moves a timestamp into [now - MAX_AGE, now + slack]; a future one to now. */
export function clamp(at, now) {
  if (at > now + FUTURE_SLACK) return now;
  return Math.min(Math.max(at, now - MAX_AGE), now + FUTURE_SLACK);
}

/** Everything seen locally: counters, latest usage per metric, milestones reached. */
export class Signals {
  constructor(compiled) {
    this.c = compiled;
    this.counters = compiled.counters.map((spec) => new Counter(spec));
    this.usage = compiled.metrics.map(() => null);
    this.milestones = new Set();
    this.events = 0;
  }
  /** Records one event object `{ type, at, ...props }`, as earned's `track` does (no validation). */
  track(event, now) {
    const at = clamp(event.at ?? now, now);
    const e = at === event.at ? event : { ...event, at };
    this.events++;
    const interested = this.c.countersByType.get(e.type);
    if (interested) {
      for (const i of interested) {
        const spec = this.c.counters[i];
        let match = true;
        for (const [k, v] of spec.filters) if (e[k] !== v) { match = false; break; }
        if (match) this.counters[i].record(e);
      }
    }
    if (e.type === "usage") {
      const m = this.c.metrics.indexOf(e.metric);
      if (m >= 0 && (this.usage[m] === null || this.usage[m].at <= e.at)) {
        this.usage[m] = { value: typeof e.value === "number" ? e.value : 0, limit: typeof e.limit === "number" ? e.limit : null, at: e.at };
      }
    } else if (e.type === "milestone") {
      this.milestones.add(e.milestone);
    }
  }
}
