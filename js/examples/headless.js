import { createEngine } from "earned";
import playbook from "./playbook.json" with { type: "json" };

// Headless: earned decides, your own UI renders. `render` stands in for your component's state.
const render = (prompt) => console.log(prompt ? `${prompt.title} | ${prompt.cta}` : "(no prompt)");
const settled = () => new Promise((resolve) => setTimeout(resolve)); // new decisions arrive once per task

const engine = await createEngine({
  playbook,
  account: { id: "acme", plan: "free", milestones: ["first_report"] },
  user: { id: "u-42" },
});
const stop = engine.subscribe((decision) => render(decision.show ? decision.prompt : null));
for (let i = 0; i < 3; i++) engine.track({ type: "limit_hit", metric: "reports" });
await settled();
const { id } = engine.decision.prompt;
engine.outcome(id, "shown"); // your UI reports what happens to the prompt it rendered
engine.outcome(id, "dismissed"); // "Not now": the cooldown starts and subscribers hear it
await settled();
stop();
