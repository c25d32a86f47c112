// A page without a framework: <earned-prompt slot="reports"> shows the prompt of that placement.
import { createEngine } from "../../dist/earned.js";
import playbook from "./playbook.json" with { type: "json" };

const engine = await createEngine({
  playbook,
  account: { id: "acme", plan: "free", milestones: ["first_report"] },
  user: { id: "u-42" },
  onUpgrade: (prompt) => document.body.setAttribute("data-upgrade", prompt.url),
});
window.earned = engine; // for the console (and the end-to-end test)
document.body.dataset.engine = "ready";
