#!/usr/bin/env node
// The playbook tools on the command line, for the people who write playbooks and for their CI.
//
// `earned check [--strict] [--quiet] <playbook.json>...`: each file is loaded exactly as
// `createEngine` loads it; every error and warning is printed with its JSON path, then the five
// pre-pitch questions per offer.
//
// `earned compile [--strict] <playbook.json> [-o <out.json>]`: checks the playbook as `check` does
// (problems go to stderr), then writes its compiled form as a JSON string (`"earned:1:..."`) to
// the file or stdout: what `earned/runtime`, the smaller build for production pages, loads.
//
// Exit status: 1 when a playbook has an error (with --strict, a warning too), 2 for bad usage,
// 0 otherwise.
import { readFileSync, writeFileSync } from "node:fs";
import { compile, createEngine } from "../dist/earned.js";

const USAGE = `usage: earned check [--strict] [--quiet] <playbook.json>...
       earned compile [--strict] <playbook.json> [-o <out.json>]
  --strict  warnings fail too
  --quiet   print problems only, not the readiness of each offer
  -o FILE   where the compiled playbook goes (default: stdout)`;

const [command, ...args] = process.argv.slice(2);
const outAt = args.indexOf("-o");
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const rest = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
const flags = new Set(rest.filter((a) => a.startsWith("--")));
const files = rest.filter((a) => !a.startsWith("--"));
const known = command === "compile" ? ["--strict"] : ["--strict", "--quiet"];
const unknown = [...flags].filter((f) => !known.includes(f));
const usable =
  command === "check"
    ? files.length > 0 && outAt < 0
    : command === "compile" && files.length === 1 && (outAt < 0 || out !== undefined);
if (!usable || unknown.length > 0) {
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
    const result = { problems: engine.warnings(), readiness: engine.readiness(), playbook };
    engine.destroy();
    return result;
  } catch (e) {
    if (e.name !== "EarnedPlaybookError") throw e;
    return { problems: e.problems };
  }
}

if (command === "compile") {
  const [file] = files;
  const { problems, playbook } = await check(file);
  const errors = problems.filter((p) => p.severity === "error").length;
  for (const p of problems) console.error(`${file}:${row(p)}`);
  if (errors > 0 || (flags.has("--strict") && problems.length > 0)) {
    console.error(`${file}: not compiled (${plural(errors, "error")}, ${plural(problems.length - errors, "warning")})`);
    process.exit(1);
  }
  const text = `${JSON.stringify(await compile(playbook))}\n`;
  if (out === undefined) process.stdout.write(text);
  else {
    writeFileSync(out, text);
    console.error(`${file}: compiled to ${out} (${text.length} bytes)`);
  }
  process.exit(0);
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
