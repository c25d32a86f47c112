// earned as a host uses it: the public JS API (dist/earned.js `createEngine`), in-memory storage
// and a clock the harness controls. The wasm is built by `make build` into pkg/.

import { createEngine, load } from "../../dist/earned.js";

export const earned = {
  name: "earned",
  load,
  async state(playbook, account, user, start) {
    const st = { clock: start };
    st.engine = await createEngine({ playbook, account, user, storage: "memory", now: () => st.clock });
    return st;
  },
  /** Tracks a slice of events: trackBatch when the boundary offers it, else track one by one. */
  track(st, events, now) {
    st.clock = now;
    if (typeof st.engine.trackBatch === "function") {
      const n = st.engine.trackBatch(events);
      if (n !== events.length) throw new Error(`earned accepted ${n} of ${events.length} events`);
    } else for (const e of events) st.engine.track(e);
  },
  update(st, account, user) {
    st.engine.updateAccount(account);
    st.engine.updateUser(user);
  },
  decide(st, now) {
    st.clock = now;
    return st.engine.decide();
  },
  /** The decision in the shape every contender is compared in. */
  normalize(d) {
    const p = d.prompt;
    return p
      ? { show: true, offer: p.id, reason: null, title: p.title, body: p.body, cta: p.cta }
      : { show: false, offer: null, reason: d.reason ? d.reason.code : null };
  },
  outcome(st, offer, kind, now) {
    st.clock = now;
    st.engine.outcome(offer, kind);
  },
  destroy(st) {
    st.engine.destroy?.();
  },
};
