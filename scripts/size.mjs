#!/usr/bin/env node
// Prints what the browser loads, part by part (raw and gzip -9), then `size_gzip_bytes: N`.
// With --detail FILE.csv (a `twiggy top -f csv` of a build with names), also the wasm code by
// module, so the biggest parts can be found and cut. With --budget N, exits 1 when the total is
// over N bytes.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const parts = ["pkg/earned_bg.wasm", "dist/earned.js", "js/earned.css"];
const gzip = (file) => execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 1 << 26 }).length;
const pad = (s, n) => String(s).padStart(n);

let total = 0;
console.log(`${"part".padEnd(22)}${pad("bytes", 10)}${pad("gzip -9", 10)}`);
for (const file of parts) {
  const raw = readFileSync(file).length;
  const gz = gzip(file);
  total += gz;
  console.log(`${file.padEnd(22)}${pad(raw, 10)}${pad(gz, 10)}`);
}

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

const budget = process.argv.indexOf("--budget");
if (budget > 0) {
  const max = Number(process.argv[budget + 1]);
  if (!(total <= max)) {
    console.error(`size: ${total} bytes gzip is over the budget of ${max} (SIZE_BUDGET in the Makefile)`);
    process.exit(1);
  }
  console.log(`within the budget of ${max} bytes`);
}
