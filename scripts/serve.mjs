#!/usr/bin/env node
// A tiny static server for the demo and the end-to-end tests: serves the repository root on
// 127.0.0.1 only, with the MIME types browsers insist on (application/wasm for streaming
// compilation, text/javascript for ES modules). No directory listings, no traversal.
//
//   node scripts/serve.mjs [--port 8080]      (--port 0 picks a free port)
//
// It prints `earned demo: http://127.0.0.1:<port>/demo/` once listening; the tests read that line.
import { createServer } from "node:http";
import { stat, readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

function parsePort(argv) {
  const i = argv.indexOf("--port");
  const raw = i >= 0 ? argv[i + 1] : process.env.PORT;
  if (raw === undefined || raw === "") return 8080;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`serve.mjs: --port wants a number from 0 to 65535, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

/** The file a URL path names, or null when it would leave its root. */
function resolvePath(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const base = root;
  const file = normalize(join(base, decoded));
  if (file !== base && !file.startsWith(base + sep)) return null;
  // Nothing hidden (.git, .env ...) and no dependencies' internals.
  const parts = file.slice(base.length).split(sep);
  if (parts.some((p) => p.startsWith(".") || p === "node_modules" || p === "target")) return null;
  return file;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers });
  res.end(body);
}

const server = createServer(async (req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed\n", { Allow: "GET, HEAD" });
  let url;
  try {
    url = new URL(req.url, "http://127.0.0.1");
  } catch {
    return send(res, 400, "bad request\n");
  }
  if (url.pathname === "/") return send(res, 302, "", { Location: "/demo/" });
  let file = resolvePath(url.pathname);
  if (!file) return send(res, 404, "not found\n");
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      if (!url.pathname.endsWith("/")) return send(res, 301, "", { Location: url.pathname + "/" + url.search });
      file = join(file, "index.html");
      info = await stat(file);
    }
    if (!info.isFile()) return send(res, 404, "not found\n");
    const type = TYPES[extname(file).toLowerCase()] || "application/octet-stream";
    const body = req.method === "HEAD" ? null : await readFile(file);
    res.writeHead(200, {
      "Content-Type": type,
      "Content-Length": info.size,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(body);
  } catch {
    send(res, 404, "not found\n");
  }
});

server.on("error", (e) => {
  console.error(`serve.mjs: ${e.code === "EADDRINUSE" ? "that port is taken; try make demo PORT=8081" : e.message}`);
  process.exit(1);
});

server.listen(parsePort(process.argv), "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`earned demo: http://127.0.0.1:${port}/demo/`);
  console.log("(serving the repository root on 127.0.0.1 only; Ctrl-C stops it)");
});

for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
