// scripts/serve.mjs: what browsers need (MIME types, the redirect) and what it must refuse.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as H from "./helpers.mjs";

let server;
before(async () => {
  server = await H.serve();
});
after(() => server?.stop());

const get = (path, init) => fetch(server.url + path, { redirect: "manual", ...init });

test("listens on 127.0.0.1 only and redirects / to /demo/", async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const r = await get("/");
  assert.equal(r.status, 302);
  assert.equal(r.headers.get("location"), "/demo/");
});

test("serves each file type with the MIME type browsers insist on", async () => {
  const cases = [
    ["/demo/", "text/html"],
    ["/demo/app.js", "text/javascript"],
    ["/js/index.js", "text/javascript"],
    ["/dist/earned.js", "text/javascript"],
    ["/js/earned.css", "text/css"],
    ["/pkg/earned_bg.wasm", "application/wasm"],
    ["/examples/playbooks/support-desk.json", "application/json"],
    ["/demo/favicon.svg", "image/svg+xml"],
    ["/package.json", "application/json"],
  ];
  for (const [path, type] of cases) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers.get("content-type").split(";")[0], type, path);
    await r.arrayBuffer();
  }
});

test("refuses traversal, dotfiles, dependencies and other methods", async () => {
  for (const path of ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/demo/..%2f..%2f..%2fetc%2fpasswd", "/.git/HEAD", "/node_modules/axe-core/package.json", "/examples/..%2f..%2f..%2fetc/passwd", "/demo/%00"]) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.doesNotMatch(await r.text(), /root:/, path);
  }
  const r = await get("/demo/", { method: "POST" });
  assert.equal(r.status, 405);
});
