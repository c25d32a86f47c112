// Types of `earned/runtime`: the API of `earned`, for compiled playbooks only.
import type { CompiledPlaybook, CreateEngineOptions, EarnedEngine, Engine } from "./index.js";

export type * from "./index.js";
export { Engine, safeUrl, load } from "./index.js";

/** Options of `createEngine` in `earned/runtime`: the playbook comes compiled. */
export interface RuntimeEngineOptions extends Omit<CreateEngineOptions, "playbook"> {
  /** A playbook compiled by `earned compile` (or `compile()` from `earned`). */
  playbook: CompiledPlaybook;
}

/**
 * An engine of `earned/runtime`: that of `earned` without `warnings()` and `readiness()`, the
 * linter's output, which `earned compile` prints when it compiles the playbook.
 */
export type RuntimeEngine = Omit<EarnedEngine, "warnings" | "readiness" | "engine"> & {
  /** The wasm engine underneath (the runtime build's: no `warnings()`, `readiness()`). */
  readonly engine: Omit<Engine, "warnings" | "readiness">;
};

/** Creates an engine; rejects with an EarnedPlaybookError when the compiled playbook is damaged. */
export function createEngine(options: RuntimeEngineOptions): Promise<RuntimeEngine>;
