// Cold start, run in a fresh process by run.mjs: with the wasm bytes and the playbook already
// in memory, the time from importing earned (dist/earned.js) to the first decision: import,
// instantiate, createEngine (playbook in, linted), decide. Prints milliseconds.
import fs from "node:fs";
import { performance } from "node:perf_hooks";

const [file, json, mode] = process.argv.slice(2);
const { account, user, now } = JSON.parse(json);
const bytes = fs.readFileSync(new URL("../../pkg/earned_bg.wasm", import.meta.url));
const playbook = JSON.parse(fs.readFileSync(file, "utf8"));

// "platform-warm": what a browser page already has loaded — Node's fetch `Response` (which
// wasm-bindgen's loader probes, pulling in undici) and ICU's number and plural data (Intl).
if (mode === "platform-warm") {
  void globalThis.Response;
  new Intl.NumberFormat("en").format(1);
  new Intl.PluralRules("en").select(1);
}
const t0 = performance.now();
const { createEngine, load } = await import("../../dist/earned.js");
await load(bytes);
const engine = await createEngine({ playbook, account, user, storage: "memory", now: () => now });
engine.decide();
const t1 = performance.now();
process.stdout.write(`${(t1 - t0).toFixed(3)}\n`);
