#!/usr/bin/env node
// `earned check [--strict] [--quiet] <playbook.json>...`: the playbook linter on the command line,
// for the people who write playbooks and for their CI. Each file is loaded exactly as
// `createEngine` loads it; every error and warning is printed with its JSON path, then the five
// pre-pitch questions per offer. Exit status: 1 when a playbook has an error (with --strict, a
// warning too), 2 for bad usage, 0 otherwise.
import { readFileSync } from "node:fs";
import { createEngine } from "../dist/earned.js";

const USAGE = `usage: earned check [--strict] [--quiet] <playbook.json>...
  --strict  warnings fail the check too
  --quiet   print problems only, not the readiness of each offer`;

const [command, ...rest] = process.argv.slice(2);
const flags = new Set(rest.filter((a) => a.startsWith("--")));
const files = rest.filter((a) => !a.startsWith("--"));
const unknown = [...flags].filter((f) => f !== "--strict" && f !== "--quiet");
if (command !== "check" || files.length === 0 || unknown.length > 0) {
  if (unknown.length > 0) console.error(`earned: unknown option ${unknown.join(", ")}`);
  console.error(USAGE);
  process.exit(2);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const row = (p) => `  ${p.severity.padEnd(8)} ${p.path}  ${p.code}: ${p.reason}`;

/** Loads one playbook; returns its problems and, when it loads, each offer's readiness. */
async function check(file) {
  const refused = (code, reason) => ({ problems: [{ severity: "error", path: "$", code, reason }] });
  let playbook;
  try {
    playbook = readFileSync(file, "utf8");
  } catch (e) {
    return refused(e.code === "ENOENT" ? "not_found" : "unreadable", e.message);
  }
  try {
    JSON.parse(playbook);
  } catch (e) {
    return refused("not_json", e.message);
  }
  try {
    const who = { id: "earned-check" };
    const engine = await createEngine({ playbook, account: who, user: who, storage: "memory", onError() {} });
    const result = { problems: engine.warnings(), readiness: engine.readiness() };
    engine.destroy();
    return result;
  } catch (e) {
    if (e.name !== "EarnedPlaybookError") throw e;
    return { problems: e.problems };
  }
}

let failed = false;
for (const file of files) {
  const { problems, readiness } = await check(file);
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  const fails = errors > 0 || (flags.has("--strict") && warnings > 0);
  failed ||= fails;
  const summary = errors > 0 ? plural(errors, "error") : `loads: ${plural(readiness.length, "offer")}`;
  console.log(`${file}: ${summary}, ${plural(warnings, "warning")}`);
  for (const p of problems) console.log(row(p));
  if (readiness && !flags.has("--quiet")) {
    const width = Math.max(...readiness.map((r) => r.offer.length));
    for (const r of readiness) {
      const open = r.answers.filter((a) => !a.ok);
      const detail = open.map((a) => `${a.question} ${a.answer}`).join("; ");
      console.log(`  ${r.offer.padEnd(width)}  ${r.ready ? "ready" : `not ready: ${detail}`}`);
    }
  }
}
process.exit(failed ? 1 : 0);
