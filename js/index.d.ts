// Types of the `earned` package: createEngine and the objects it hands back.
import type {
  Account,
  Decision,
  EarnedError,
  Event,
  Outcome,
  Playbook,
  Problem,
  Prompt,
  Readiness,
  StorageLike,
  User,
  WatchReport,
  MountOptions,
  Engine,
} from "../pkg/earned.js";

export type {
  Account,
  Decision,
  EarnedError,
  Event,
  Evidence,
  Measure,
  OfferTrace,
  Outcome,
  Playbook,
  Problem,
  Prompt,
  Readiness,
  StorageLike,
  Trace,
  User,
  WatchReport,
  Why,
  MountOptions,
} from "../pkg/earned.js";
export { Engine } from "../pkg/earned.js";

/** What `onOutcome` receives: every outcome, including post-expansion verdicts. */
export interface OutcomeEvent {
  offer: string;
  outcome: Outcome | "expansion_realized" | "expansion_at_risk";
  /** When the host was told (ms). */
  at: number;
  /** The prompt, for outcomes of the default UI. */
  prompt?: Prompt;
  /** The verdict, for `expansion_realized` / `expansion_at_risk`. */
  report?: WatchReport;
}

/** A playbook compiled by `earned compile` or `compile()`: what `earned/runtime` loads. */
export type CompiledPlaybook = `earned:${string}`;

/** Options of `createEngine`. */
export interface CreateEngineOptions {
  /** The playbook: an object, JSON text, or compiled (`earned/runtime` takes compiled ones only). */
  playbook: Playbook | string;
  account?: Account;
  user?: User;
  /** Where state persists: `"local"` (default), `"memory"`, or your own Storage-like object. */
  storage?: "local" | "memory" | StorageLike;
  /** The clock in ms (default `Date.now`). */
  now?: () => number;
  /** This tab's id (default: random). */
  tab?: string;
  /** The wasm to load: bytes, a `WebAssembly.Module`, a URL or a Response (default: pkg/earned_bg.wasm next to this module). */
  wasm?: BufferSource | WebAssembly.Module | URL | string | Response;
  /** Every outcome, for the host's analytics. */
  onOutcome?: (event: OutcomeEvent) => void;
  /** An offer a person owns (CS or sales): route it. */
  onRoute?: (route: NonNullable<Decision["route"]>, decision: Decision) => void;
  /** The self-serve CTA was clicked (default: `location.assign(prompt.url)`). */
  onUpgrade?: (prompt: Prompt) => void;
  /** Errors that are not thrown: bad events, storage trouble, corrupt stored state (default: console.warn). */
  onError?: (error: EarnedError) => void;
}

/** The engine a host uses. */
export interface EarnedEngine {
  /** Records a product event. Never throws: a bad event goes to onError, naming the field. */
  track(event: Event): void;
  /** Records many events; returns how many were accepted. */
  trackBatch(events: Event[]): number;
  /** Decides now. */
  decide(): Decision;
  /** Records what happened to a prompt. Throws an EarnedOutcomeError for an unknown offer. */
  outcome(offerId: string, kind: Outcome): void;
  /** Replaces the account facts. Throws an EarnedAccountError naming the field. */
  updateAccount(account: Account): void;
  /** Replaces the user facts. Throws an EarnedUserError naming the field. */
  updateUser(user: User): void;
  /** The latest decision's trace as readable text. */
  explain(): string;
  /** The playbook linter's warnings. */
  warnings(): Problem[];
  /** The five pre-pitch questions per offer. */
  readiness(): Readiness[];
  /** Shows prompts with the default UI. */
  mount(options?: MountOptions): Decision;
  /** Removes the default UI. */
  unmount(): void;
  /** Headless rendering: called now with the current decision and with each new one. Returns unsubscribe. */
  subscribe(onDecision: (decision: Decision) => void): () => void;
  /** Stops the engine and frees the screen. */
  destroy(): void;
  /** The latest decision. */
  readonly decision: Decision | undefined;
  /** The wasm engine underneath. */
  readonly engine: Engine;
  /** Whether the default UI is mounted. */
  readonly mounted: boolean;
}

/** `url` resolved against the page if it is http(s), else undefined (what the default onUpgrade follows). */
export function safeUrl(url: string | undefined): string | undefined;

/** Loads the wasm once (createEngine does it for you). */
export function load(wasm?: CreateEngineOptions["wasm"]): Promise<void>;

/** Creates an engine; rejects with an EarnedPlaybookError naming the JSON path when the playbook does not load. */
export function createEngine(options: CreateEngineOptions): Promise<EarnedEngine>;

/**
 * Validates and lints a playbook, then resolves to its compiled form (what `earned/runtime`
 * loads); rejects with an EarnedPlaybookError naming the JSON path, as createEngine does.
 */
export function compile(playbook: Playbook | string, wasm?: CreateEngineOptions["wasm"]): Promise<CompiledPlaybook>;
