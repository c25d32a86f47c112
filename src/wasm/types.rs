//! TypeScript types of the domain objects that cross the boundary, written on purpose.
//!
//! Playbooks, events and facts are snake_case JSON (written by growth people and the host's
//! server); the objects the engine hands back (Decision, Prompt, Trace) are camelCase.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A playbook: plans, triggers, guardrails, offers and copy (snake_case JSON). See the README. */
export interface Playbook {
  id: string;
  locales: string[];
  metrics?: string[];
  plans: Array<{ id: string; name?: string; order?: number; price?: number; limits?: Record<string, number>; features?: string[] }>;
  add_ons?: Array<{ id: string; name?: string; price?: number; features?: string[] }>;
  milestones?: Record<string, { needs?: string[] }>;
  activation?: { all?: string[]; any?: string[] };
  events?: Record<string, unknown>;
  offers: Array<Record<string, unknown>>;
  guardrails?: Record<string, unknown>;
  caps?: Record<string, unknown>;
  ownership?: Array<Record<string, unknown>>;
  holdout?: { percent: number; salt?: string };
  [key: string]: unknown;
}

/** A product event: a built-in type (`limit_hit`, `usage`, `seat_invited`, `workaround`,
 * `feature_used`, `department_active`, `integration_requested`, `milestone`, `support_ticket`,
 * `session`) or one the playbook declares, with its properties. `at` defaults to now (ms). */
export interface Event {
  type: string;
  at?: number;
  [property: string]: string | number | boolean | null | undefined;
}

/** Account facts from the host's server (snake_case). Times are ms or ISO dates. */
export interface Account {
  id: string;
  plan?: string;
  acv?: number;
  seats?: { paid?: number; active?: number };
  health?: number;
  renewal_date?: number | string;
  last_purchase?: number | string;
  champion_last_active?: number | string;
  tickets?: Array<{ topic: string; open?: number; basic?: boolean }>;
  cs_hold?: boolean;
  milestones?: string[];
  add_ons?: string[];
  attributes?: Record<string, unknown>;
}

/** The signed-in user. */
export interface User {
  id: string;
  can_buy?: boolean;
  locale?: string;
  role?: string;
  attributes?: Record<string, unknown>;
}

/** What happened to a prompt. */
export type Outcome = "shown" | "dismissed" | "snoozed" | "clicked" | "converted";

/** One problem in an input, located by its JSON path. */
export interface Problem {
  path: string;
  code: string;
  reason: string;
  severity: "error" | "warning";
}

/** An `Error` the engine throws or reports, with a stable `name`. */
export interface EarnedError extends Error {
  name:
    | "EarnedPlaybookError" | "EarnedEventError" | "EarnedAccountError" | "EarnedUserError"
    | "EarnedOutcomeError" | "EarnedStateError" | "EarnedStorageError" | "EarnedOptionsError";
  problems: Problem[];
  path?: string;
  code?: string;
  cause?: unknown;
}

/** Values a firing trigger proves, quoted by the copy: `{ count: 3, days: 30, limit: 5 }`. */
export type Evidence = Record<string, number | string>;

/** The prompt to show. All text is plain text: set it with `textContent`, never as HTML. */
export interface Prompt {
  /** The offer id: what `outcome(id, kind)` takes. */
  id: string;
  offer: string;
  motion: string;
  owner: "product" | "lifecycle" | "cs" | "sales";
  placement: { kind: "inline" | "banner" | "modal" | "toast"; slot?: string };
  title: string;
  body: string;
  cta: string;
  ctaKind: "upgrade" | "ask_admin" | "talk_to_us";
  url?: string;
  locale: string;
  variant: string;
  evidence: Evidence;
}

/** A named reason and whether it came from local events or account facts. */
export interface Why {
  code: string;
  reason: string;
  source: "events" | "facts";
}

/** One measured part of a trigger. */
export interface Measure {
  what: string;
  measured: number;
  threshold: number;
  holds: boolean;
  source: "events" | "facts";
}

/** What became of one offer. */
export interface OfferTrace {
  offer: string;
  motion: string;
  fired: boolean;
  strength: number;
  measures: Measure[];
  audience: boolean | null;
  guardrail: Why | null;
  cap: Why | null;
  verdict: "not_triggered" | "outside_audience" | "vetoed" | "capped" | "outranked" | "held_out" | "routed" | "shown";
}

/** Why a prompt did or did not show, offer by offer. */
export interface Trace {
  at: number;
  playbook: string;
  account: string;
  activated: boolean;
  missingMilestones: string[];
  accountVeto: Why | null;
  holdout: boolean;
  eventsSeen: number;
  offers: OfferTrace[];
  picked: string | null;
  wouldHaveShown: Prompt | null;
}

/** The engine's answer. */
export interface Decision {
  show: boolean;
  prompt?: Prompt;
  reason?: { code: string; message: string };
  /** An offer a person owns (CS or sales): the host routes it. */
  route?: { offer: string; owner: "cs" | "sales"; evidence: Evidence };
  /** Every offer considered and why. Read lazily from the engine on first access (through
   * `createEngine`); `null` if read after eight newer decisions. */
  trace: Trace | null;
}

/** The five pre-pitch questions, answered per offer. */
export interface Readiness {
  offer: string;
  ready: boolean;
  answers: Array<{ question: string; ok: boolean; answer: string }>;
}

/** A post-expansion verdict. */
export interface WatchReport {
  offer: string;
  outcome: "expansion_realized" | "expansion_at_risk";
  count: number;
  atLeast: number;
  started: number;
  ended: number;
}

/** A Storage-like object (`localStorage`, or your own). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of `new Engine(playbook, options)`. */
export interface EngineOptions {
  account?: Account;
  user?: User;
  storage?: "local" | "memory" | StorageLike;
  now?: () => number;
  tab?: string;
  onError?: (error: EarnedError) => void;
  /** Another tab changed the state: decide again. */
  onChange?: () => void;
  /** An outcome the default UI recorded (shown, clicked, dismissed, snoozed). */
  onOutcome?: (offerId: string, outcome: Outcome) => void;
}

/** Options of `mount()`. */
export interface MountOptions {
  root?: Element;
  labels?: { dismiss?: string; snooze?: string | null; close?: string };
}
"#;
