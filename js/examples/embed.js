import { createEngine } from "earned";
import playbook from "./playbook.json" with { type: "json" };

const engine = await createEngine({
  playbook,
  account: { id: "acme", plan: "free", milestones: ["first_report"] }, // facts from your server
  user: { id: "u-42", locale: "en-US" },
  onRoute: (route) => console.log(`tell ${route.owner} about ${route.offer}`),
  onError: (error) => console.warn(error.name, error.path, error.message),
});
for (let i = 0; i < 3; i++) engine.track({ type: "limit_hit", metric: "reports" }); // never throws
const decision = engine.decide();
if (decision.show) console.log(decision.prompt.title); // plain text: render with textContent
console.log(engine.explain()); // why it did or did not show
