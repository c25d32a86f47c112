// earned against JS rule engines + mustache doing the same job, in one Node process.
//
//   node benches/js/run.mjs            the full benchmark (100k events, 100 decisions, both playbooks)
//   node benches/js/run.mjs --smoke    agreement only, on ~2k events (part of `make test`)
//   options: --runs N (timed runs, default 5), --repeat N (decides per point, default 10),
//            --only fifty-offers|support-desk
//
// First every contender replays the same workload and must pick the same offer (or none), for
// the same reason, with the same copy, at every decision point: if not, it prints the diff and
// exits 1, and nothing is timed. Then each contender is timed over warm-up + N runs.

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PEERS, REFERENCE } from "./peers.mjs";
import { earned } from "./earned.mjs";
import { generate } from "./workload.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, d) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : d;
};
const SMOKE = flag("--smoke");
// The smoke test also runs the timing code once (1 run, 2 decides per point, 1 cold start),
// so `make bench`'s whole path is exercised; its numbers mean nothing.
const RUNS = Number(opt("--runs", SMOKE ? 1 : 5));
const REPEAT = Number(opt("--repeat", SMOKE ? 2 : 10));
const COLD_SAMPLES = SMOKE ? 1 : 5;
const ONLY = opt("--only", null);

/** The playbooks: the native bench's 50 offers and the support-desk example. */
const PLAYBOOKS = [
  ["fifty-offers", path.join(root, "benches/fixtures/fifty-offers.json")],
  ["support-desk", path.join(root, "examples/playbooks/support-desk.json")],
].filter(([n]) => !ONLY || n === ONLY);

// ---------------------------------------------------------------- contenders

/** A peer assembly in the same shape as `earned` (see earned.mjs). */
function peerContender(name, make) {
  let peer;
  return {
    name,
    setup(playbook) {
      peer = make(playbook);
      this.async = !!peer.async;
    },
    state: (playbook, account, user) => peer.state(account, user),
    track(st, events, now) {
      for (const e of events) st.track(e, now);
    },
    update: (st, account, user) => st.update(account, user),
    decide: (st, now) => peer.decide(st, now),
    normalize: (d) => d,
    outcome: (st, offer, kind, now) => st.outcome(offer, kind, now),
    destroy() {},
  };
}
const contenders = [
  Object.assign(earned, { setup() {}, async: false }),
  ...Object.entries(PEERS).map(([n, m]) => peerContender(n, m)),
  ...Object.entries(REFERENCE).map(([n, m]) => peerContender(n, m)),
];
const PEER_NAMES = Object.keys(PEERS);

// ---------------------------------------------------------------- replay

/**
 * Replays the workload through one contender. At each point: track the slice of events,
 * update facts when they change, decide (`repeat` times, each timed), then apply what the
 * user does with the prompt. Returns decisions, per-call decide times (ns) and track time.
 */
async function replay(c, playbook, wl, repeat) {
  const first = wl.points[0];
  const st = await c.state(playbook, first.account, first.user, wl.start);
  let account = first.account;
  let user = first.user;
  const decisions = [];
  const samples = [];
  let trackNs = 0;
  for (const p of wl.points) {
    const slice = wl.slices[decisions.length];
    let t0 = process.hrtime.bigint();
    c.track(st, slice, p.now);
    trackNs += Number(process.hrtime.bigint() - t0);
    if (p.account !== account || p.user !== user) {
      c.update(st, p.account, p.user);
      account = p.account;
      user = p.user;
    }
    let d;
    if (c.async) {
      for (let r = 0; r < repeat; r++) {
        t0 = process.hrtime.bigint();
        d = await c.decide(st, p.now);
        samples.push(Number(process.hrtime.bigint() - t0));
      }
    } else {
      for (let r = 0; r < repeat; r++) {
        t0 = process.hrtime.bigint();
        d = c.decide(st, p.now);
        samples.push(Number(process.hrtime.bigint() - t0));
      }
    }
    const n = c.normalize(d);
    decisions.push(n);
    if (n.show && p.action !== "none") {
      c.outcome(st, n.offer, "shown", p.now);
      if (p.action !== "shown") c.outcome(st, n.offer, p.action, p.now + 30_000);
    }
  }
  c.destroy(st);
  return { decisions, samples, trackNs, events: wl.events.length };
}

// ---------------------------------------------------------------- statistics

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${Math.round(ns)} ns`);

// ---------------------------------------------------------------- agreement

function agreement(name, results) {
  const ref = results.earned.decisions;
  const diffs = [];
  for (const [who, r] of Object.entries(results)) {
    if (who === "earned") continue;
    r.decisions.forEach((d, k) => {
      const a = JSON.stringify(ref[k]);
      const b = JSON.stringify(d);
      if (a !== b) diffs.push(`  ${name} point ${k}: earned ${a}\n  ${" ".repeat(name.length)} ${" ".repeat(String(k).length + 6)} ${who} ${b}`);
    });
  }
  const shown = ref.filter((d) => d.show);
  const reasons = {};
  for (const d of ref) reasons[d.reason ?? `shown:${d.offer}`] = (reasons[d.reason ?? `shown:${d.offer}`] ?? 0) + 1;
  console.log(
    `${name}: ${ref.length} decision points, ${shown.length} prompts (${new Set(shown.map((d) => d.offer)).size} offers); ` +
      `outcomes: ${Object.entries(reasons).map(([k, v]) => `${k} ${v}`).join(", ")}`,
  );
  if (diffs.length) {
    console.error(`DISAGREEMENT on ${name}: ${diffs.length} decision(s) differ from earned; the benchmark is void.`);
    console.error(diffs.slice(0, 12).join("\n"));
    if (diffs.length > 12) console.error(`  ... and ${diffs.length - 12} more`);
    return false;
  }
  console.log(`${name}: all ${Object.keys(results).length} contenders agree on all ${ref.length} decisions (offer, reason and copy)`);
  return true;
}

// ---------------------------------------------------------------- cold start

/** Cold start in a fresh process: wasm bytes in memory → first decision. Median of 5. */
function coldStart(playbookFile, wl, mode = "strict") {
  const p = wl.points[0];
  const times = [];
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const facts = JSON.stringify({ account: p.account, user: p.user, now: p.now });
    const r = spawnSync(process.execPath, [path.join(here, "cold.mjs"), playbookFile, facts, mode], {
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`cold start failed: ${r.stderr}`);
    times.push(Number(r.stdout.trim()));
  }
  return median(times);
}

// ---------------------------------------------------------------- main

async function main() {
  await earned.load();
  const summary = {};
  let ok = true;
  for (const [name, file] of PLAYBOOKS) {
    const playbook = JSON.parse(fs.readFileSync(file, "utf8"));
    const wl = SMOKE ? generate(playbook, { events: 2000, every: 100 }) : generate(playbook);
    wl.slices = wl.points.map((p, k) => wl.events.slice(k === 0 ? 0 : wl.points[k - 1].after, p.after));
    console.log(`${name}: ${path.relative(root, file)}, ${playbook.offers.length} offers, ${wl.events.length} events over 90 days, account ${wl.accountId}`);
    for (const c of contenders) c.setup(playbook);

    // 1. Agreement.
    const results = {};
    for (const c of contenders) results[c.name] = await replay(c, playbook, wl, 1);
    if (!agreement(name, results)) {
      ok = false;
      continue;
    }

    // 2. Timing: one warm-up run, then RUNS runs, contenders interleaved.
    const runs = Object.fromEntries(contenders.map((c) => [c.name, []]));
    for (let run = 0; run <= RUNS; run++) {
      for (const c of contenders) {
        const r = await replay(c, playbook, wl, REPEAT);
        if (run > 0) runs[c.name].push(r);
      }
    }
    const rows = contenders.map((c) => {
      const rs = runs[c.name];
      const all = rs.flatMap((r) => r.samples);
      return {
        name: c.name,
        perDecide: median(rs.map((r) => mean(r.samples))),
        p50: quantile(all, 0.5),
        p99: quantile(all, 0.99),
        trackPerS: median(rs.map((r) => r.events / (r.trackNs / 1e9))),
      };
    });
    const e = rows[0];
    const cold = coldStart(file, wl);
    const warm = coldStart(file, wl, "platform-warm");
    summary[name] = { rows, cold };
    console.log(`\n${name} (${playbook.offers.length} offers, ${wl.points.length} decision points × ${REPEAT} decides, median of ${RUNS} runs after a warm-up)`);
    console.log("| contender | decide mean | decide p50 | decide p99 | peer time / earned time | track (events/s) |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const r of rows) {
      const track = r.name === "earned" ? `${Math.round(r.trackPerS).toLocaleString("en")} (trackBatch)` : `${Math.round(r.trackPerS).toLocaleString("en")} (shared JS counters)`;
      const label = r.name in REFERENCE ? `${r.name} (reference, no rules library)` : r.name;
      console.log(`| ${label} | ${fmtNs(r.perDecide)} | ${fmtNs(r.p50)} | ${fmtNs(r.p99)} | ${r.name === "earned" ? "1" : (r.perDecide / e.perDecide).toFixed(2)} | ${track} |`);
    }
    console.log(`cold start (wasm bytes in memory → first decision, fresh process, median of 5): ${cold.toFixed(2)} ms; ` +
      `with Node's fetch Response and Intl data already loaded, as on a browser page: ${warm.toFixed(2)} ms`);
  }
  if (!ok) process.exit(1);
  // The headline lines: the 50-offer playbook when it ran, else the first.
  const head = summary["fifty-offers"] ?? Object.values(summary)[0];
  const headName = summary["fifty-offers"] ? "fifty-offers" : Object.keys(summary)[0];
  const e = head.rows[0];
  // Smoke numbers are printed as `smoke.name: value`, so nothing mistakes them for results.
  const P = SMOKE ? "smoke." : "";
  console.log(`\nheadline: ${headName}`);
  console.log(`${P}decide_p50_ns: ${Math.round(e.p50)}`);
  console.log(`${P}decide_p99_ns: ${Math.round(e.p99)}`);
  console.log(`${P}track_events_per_s: ${Math.round(e.trackPerS)}`);
  console.log(`${P}cold_start_ms: ${head.cold.toFixed(2)}`);
  for (const r of head.rows) if (PEER_NAMES.includes(r.name)) console.log(`${P}ratio_vs_${r.name}: ${(r.perDecide / e.perDecide).toFixed(2)}`);
  for (const [n, s] of Object.entries(summary)) {
    if (n === headName) continue;
    const x = s.rows[0];
    console.log(`${P}${n}.decide_p50_ns: ${Math.round(x.p50)}`);
    for (const r of s.rows) if (PEER_NAMES.includes(r.name)) console.log(`${P}${n}.ratio_vs_${r.name}: ${(r.perDecide / x.perDecide).toFixed(2)}`);
  }
  if (SMOKE) console.log("bench smoke: ok (agreement checked; the timings above come from a tiny workload and mean nothing)");
}

await main();
