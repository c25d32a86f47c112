#!/usr/bin/env node
// wasm-ld for the shipped build (see `build` in the Makefile), in two passes. rustc exports a
// describe function for every import js-sys and web-sys declare (~2,800), which keeps closure
// shims for the unused ones alive in the function table after wasm-bindgen drops the describes
// (wasm-bindgen issue #2535). The first link shows which imports the module really calls; the
// second exports only their describe functions, so the rest is collected before wasm-bindgen.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const lld = process.env.EARNED_LLD;
if (!lld) {
  console.error("link-wasm: EARNED_LLD must name rust-lld (the Makefile sets it)");
  process.exit(2);
}
const args = process.argv.slice(2);
const link = (a) => execFileSync(lld, a, { stdio: "inherit" });
link(args);
const out = args[args.indexOf("-o") + 1];

// The names of the module's function imports (the import section, id 2).
function imports(bytes) {
  let p = 8;
  const leb = () => {
    let r = 0, s = 0, x;
    do { x = bytes[p++]; r |= (x & 127) << s; s += 7; } while (x & 128);
    return r >>> 0;
  };
  const name = () => { const n = leb(); p += n; return bytes.toString("utf8", p - n, p); };
  const names = new Set();
  while (p < bytes.length) {
    const id = bytes[p++], end = leb() + p;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        name();
        const field = name(), kind = bytes[p++];
        if (kind === 0) { leb(); names.add(field); }
        else if (kind === 1) { p++; if (bytes[p++] & 1) leb(); leb(); }
        else if (kind === 2) { if (bytes[p++] & 1) leb(); leb(); }
        else p += 2;
      }
    }
    p = end;
  }
  return names;
}

const used = imports(readFileSync(out));
const prefix = "__wbindgen_describe_";
const kept = [];
for (let i = 0; i < args.length; i++) {
  const name = args[i] === "--export" ? args[i + 1] : "";
  if (name.startsWith(prefix + "__wbg_") && !used.has(name.slice(prefix.length))) i++;
  else kept.push(args[i]);
}
if (kept.length < args.length) link(kept);
