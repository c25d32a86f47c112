#!/usr/bin/env node
// Prints what the browser loads, part by part (raw and gzip -9), for each build: `earned/runtime`
// (compiled playbooks; what production pages load) and `earned` (the playbook loader too). Then
// `size_gzip_bytes: N` (the runtime build's total) and `size_gzip_bytes_full: N`.
// With --detail FILE.csv (a `twiggy top -f csv` of a build with names), also the wasm code by
// module, so the biggest parts can be found and cut. With --budget N (and --budget-full N), exits 1
// when a total is over N bytes.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const builds = [
  ["earned/runtime: a compiled playbook (what production pages load)", ["pkg-runtime/earned_bg.wasm", "dist/runtime.js", "dist/earned.css"]],
  ["earned: playbook JSON read, validated and linted in the browser", ["pkg/earned_bg.wasm", "dist/earned.js", "dist/earned.css"]],
];
const gzip = (file) => execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 1 << 26 }).length;
const pad = (s, n) => String(s).padStart(n);

const totals = [];
for (const [title, parts] of builds) {
  let total = 0;
  console.log(`${title}\n  ${"part".padEnd(28)}${pad("bytes", 10)}${pad("gzip -9", 10)}`);
  for (const file of parts) {
    const raw = readFileSync(file).length;
    const gz = gzip(file);
    total += gz;
    console.log(`  ${file.padEnd(28)}${pad(raw, 10)}${pad(gz, 10)}`);
  }
  console.log(`  ${"total".padEnd(38)}${pad(total, 10)}\n`);
  totals.push(total);
}
const [total, full] = totals;

const detail = process.argv.indexOf("--detail");
if (detail > 0) {
  const rows = readFileSync(process.argv[detail + 1], "utf8").trim().split("\n").slice(1);
  const by = new Map();
  for (const row of rows) {
    const m = row.match(/^"?(.*?)"?,(\d+),/);
    if (!m || m[1].startsWith("custom section") || m[1].includes("function names")) continue;
    const name = m[1].replace(/\[[0-9a-f]+\]/g, "").replace(/^<+(impl )?/, "");
    const key = (name.match(/^([a-z_0-9]+::[a-zA-Z_0-9]+)/) || [, name.slice(0, 30)])[1];
    by.set(key, (by.get(key) || 0) + Number(m[2]));
  }
  console.log("\nwasm code and data by module (bytes before gzip, generics counted where inlined):");
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pad(v, 10)}  ${k}`);
}
console.log(`size_gzip_bytes: ${total}`);
console.log(`size_gzip_bytes_full: ${full}`);

for (const [flag, size, name] of [["--budget", total, "SIZE_BUDGET"], ["--budget-full", full, "SIZE_BUDGET_FULL"]]) {
  const at = process.argv.indexOf(flag);
  if (at < 0) continue;
  const max = Number(process.argv[at + 1]);
  if (!(size <= max)) {
    console.error(`size: ${size} bytes gzip is over the budget of ${max} (${name} in the Makefile)`);
    process.exitCode = 1;
  } else console.log(`${flag.slice(2)}: within ${max} bytes`);
}
