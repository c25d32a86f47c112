// The package's TypeScript types as a host uses them, checked by `tsc --strict` in `make test-js`
// (js/test/tsconfig.json): a wrong or missing type in js/index.d.ts or pkg/earned.d.ts fails it.
import { compile, createEngine, load, type CompiledPlaybook, type Decision, type EarnedError, type Playbook, type Trace } from "earned";
import { createEngine as createRuntimeEngine } from "earned/runtime";

export async function embed(playbook: Playbook, root: HTMLElement): Promise<void> {
  await load();
  const engine = await createEngine({
    playbook,
    account: { id: "acme", plan: "free", milestones: ["first_report"], health: 80, seats: { paid: 5, active: 5 } },
    user: { id: "u-42", locale: "en-US", can_buy: true },
    storage: "memory",
    now: () => Date.now(),
    onRoute: (route) => console.log(`tell ${route.owner} about ${route.offer}`),
    onError: (error: EarnedError) => console.warn(error.name, error.path, error.problems[0]?.code),
    onOutcome: (o) => console.log(o.offer, o.outcome, o.report?.atLeast),
    onUpgrade: (prompt) => console.log(prompt.url),
  });
  engine.track({ type: "limit_hit", metric: "reports" });
  engine.trackBatch([{ type: "usage", metric: "reports", value: 4 }]);
  const d: Decision = engine.decide();
  if (d.show && d.prompt) {
    const { title, body, cta, ctaKind, placement } = d.prompt;
    root.textContent = `${title} ${body} ${cta} ${ctaKind} ${placement.kind} ${placement.slot ?? ""}`;
    engine.outcome(d.prompt.id, "dismissed");
  } else if (d.reason) {
    console.log(d.reason.code, d.reason.message);
  }
  const trace: Trace | null = d.trace;
  for (const offer of trace?.offers ?? []) console.log(offer.offer, offer.verdict, offer.guardrail?.code);
  console.log(engine.explain(), engine.warnings()[0]?.path, engine.readiness()[0]?.ready);
  const stop = engine.subscribe((next) => console.log(next.show));
  stop();
  engine.updateAccount({ id: "acme", plan: "pro" });
  engine.mount({ root });
  engine.unmount();
  engine.destroy();
}

// Compiled playbooks: `compile` from `earned`, loaded by `earned/runtime`, which takes nothing else.

export async function production(playbook: Playbook): Promise<Decision> {
  const compiled: CompiledPlaybook = await compile(playbook);
  const engine = await createRuntimeEngine({ playbook: compiled, account: { id: "acme" }, user: { id: "u" } });
  // @ts-expect-error the runtime build takes compiled playbooks only
  await createRuntimeEngine({ playbook, account: { id: "acme" }, user: { id: "u" } });
  // @ts-expect-error the linter's output stays with `earned` and `earned compile`
  engine.warnings();
  // @ts-expect-error nor is it on the wasm engine underneath
  engine.engine.readiness();
  return engine.decide();
}
