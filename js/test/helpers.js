// Shared fixtures of the JS tests: the minimal playbook, facts, and Storage-like objects.
import fs from "node:fs";

export const playbook = () => JSON.parse(fs.readFileSync(new URL("../../tests/fixtures/minimal.json", import.meta.url), "utf8"));
export const account = { id: "acme", plan: "free", milestones: ["first_report"] };
export const user = { id: "u1" };
export const T0 = 1_796_342_400_000;
export const DAY = 86_400_000;

/** A Storage-like object over a Map, shared by engines that play two tabs. */
export function memoryStorage(initial = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
  };
}

/** A clock tests move by hand. */
export function clock(t = T0) {
  const c = () => c.t;
  c.t = t;
  return c;
}

export const hit = { type: "limit_hit", metric: "reports" };
