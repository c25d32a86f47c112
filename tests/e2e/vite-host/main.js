// A host app as a frontend team writes it for production: earned installed as a package, its
// playbook compiled by `earned compile` (the test writes playbook.compiled.json), the runtime
// build bundled by Vite, which copies the wasm and the stylesheet into its output
// (tests/e2e/bundler.test.mjs).
import { createEngine } from "earned/runtime";
import "earned/earned.css";
import playbook from "./playbook.compiled.json";

const engine = await createEngine({
  playbook,
  account: { id: "acme", plan: "free", milestones: ["first_report"] },
  user: { id: "u1" },
  storage: "memory",
});
engine.mount();
for (let i = 0; i < 3; i++) engine.track({ type: "limit_hit", metric: "reports" });
window.earned = engine;
document.body.dataset.engine = "ready";
