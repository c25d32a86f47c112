#!/usr/bin/env node
// `node scripts/shorten-names.mjs pkg` — gives the wasm's imports and exports one- or two-letter
// names, in the .wasm and in its wasm-bindgen glue (earned.js, earned_bg.wasm.d.ts) alike.
//
// wasm-bindgen names each import `__wbg_<function>_<16 hex digits>` and each export after its
// Rust item (`engine_decide`). Those names are in the wasm and again in the glue, and the hex
// digits do not compress: ~1.5 KB gzip of what the browser loads. binaryen's
// `--minify-imports-and-exports` does the renaming but re-encodes the module larger, and leaves
// the glue to us anyway, so this script edits the two sections itself: it rewrites names only,
// and every other byte of the module is copied as is.
import { readFileSync, writeFileSync } from "node:fs";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: shorten-names.mjs <wasm-bindgen out dir>");
  process.exit(2);
}
const wasmFile = `${dir}/earned_bg.wasm`;
const glueFile = `${dir}/earned.js`;
const typesFile = `${dir}/earned_bg.wasm.d.ts`;
const bytes = readFileSync(wasmFile);
let glue = readFileSync(glueFile, "utf8");
let types = readFileSync(typesFile, "utf8");

/** Reads an unsigned LEB128 at `at`: `[value, next offset]`. */
function leb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
    shift += 7;
  }
}
/** Encodes an unsigned LEB128. */
function toLeb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const name = (s) => {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([toLeb(b.length), b]);
};

/** Short names: a ... z, A ... Z, then two letters (aa, ab ...). */
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
let next = 0;
const short = () => {
  const n = next++;
  return n < LETTERS.length ? LETTERS[n] : LETTERS[Math.floor(n / LETTERS.length) - 1] + LETTERS[n % LETTERS.length];
};

// In the glue an import is a key of the import object (`__wbg_now_463ac581d2fc7ea3: function`) and
// an export is read as `wasm.<name>`.
const escape = (id) => id.replace(/\$/g, "\\$");
const asKey = (id) => new RegExp(`(?<![\\w$])${escape(id)}(?=\\s*:)`, "g");
const asExport = (id) => new RegExp(`(?<=\\bwasm\\.)${escape(id)}(?![\\w$])`, "g");
const renamed = []; // [pattern, new name]
const rename = (pattern) => {
  if (!pattern.test(glue)) return undefined;
  const now = short();
  renamed.push([pattern, now]);
  return now;
};

// The import section (id 2): module and field of each; the rest of each entry is kept.
function imports(payload) {
  let [count, at] = leb(payload, 0);
  const parts = [toLeb(count)];
  while (count--) {
    const [mlen, m0] = leb(payload, at);
    const module = payload.toString("utf8", m0, m0 + mlen);
    const [flen, f0] = leb(payload, m0 + mlen);
    const field = payload.toString("utf8", f0, f0 + flen);
    at = f0 + flen;
    const start = at;
    const kind = payload[at++];
    if (kind === 0) at = leb(payload, at)[1];
    else if (kind === 1) at = limits(payload, at + 1);
    else if (kind === 2) at = limits(payload, at);
    else if (kind === 3) at += 2;
    else throw new Error(`import ${module}.${field}: unknown kind ${kind}`);
    const shortModule = module === "./earned_bg.js" ? "w" : module;
    const shortField = rename(asKey(field)) ?? field;
    parts.push(name(shortModule), name(shortField), payload.subarray(start, at));
  }
  return Buffer.concat(parts);
}
function limits(payload, at) {
  const flags = payload[at++];
  at = leb(payload, at)[1];
  return flags & 1 ? leb(payload, at)[1] : at;
}

// The export section (id 7): each name; kind and index are kept. An export the glue never reads
// (wasm-bindgen's `__abort_handler`, `__instance_terminated`, js-sys's JSPI task poll) is
// dropped, so the wasm-opt pass after this one can remove what only it kept alive.
const dropped = [];
function exports(payload) {
  let [count, at] = leb(payload, 0);
  const parts = [];
  let kept = 0;
  while (count--) {
    const [len, n0] = leb(payload, at);
    const field = payload.toString("utf8", n0, n0 + len);
    at = n0 + len;
    const start = at;
    at = leb(payload, at + 1)[1];
    const now = rename(asExport(field));
    if (!now) {
      dropped.push(field);
      types = types.replace(new RegExp(`^export const ${escape(field)}:.*\\n`, "m"), "");
      continue;
    }
    types = types.replace(new RegExp(`(?<=export const )${escape(field)}(?=:)`), now);
    parts.push(name(now), payload.subarray(start, at));
    kept++;
  }
  return Buffer.concat([toLeb(kept), ...parts]);
}

const out = [bytes.subarray(0, 8)];
for (let at = 8; at < bytes.length; ) {
  const id = bytes[at];
  const [size, p0] = leb(bytes, at + 1);
  const payload = bytes.subarray(p0, p0 + size);
  const edited = id === 2 ? imports(payload) : id === 7 ? exports(payload) : undefined;
  out.push(edited ? Buffer.concat([Buffer.from([id]), toLeb(edited.length), edited]) : bytes.subarray(at, p0 + size));
  at = p0 + size;
}

// The glue: the import object's keys and module name, and `wasm.<export>`.
glue = glue.replace(/(["'])\.\/earned_bg\.js\1/g, '"w"');
for (const [pattern, now] of renamed) glue = glue.replace(pattern, now);
writeFileSync(wasmFile, Buffer.concat(out));
writeFileSync(glueFile, glue);
writeFileSync(typesFile, types);
console.log(`shorten-names: ${renamed.length} imports and exports of ${wasmFile} renamed; unused exports dropped: ${dropped.join(", ") || "none"}`);
