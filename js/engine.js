// earned — what both entry points share: js/index.js (the full build: playbook JSON or compiled)
// and js/runtime.js (the runtime build: compiled playbooks only, smaller). A thin layer over the
// wasm `Engine` class: it loads the wasm once, keeps `track` from ever throwing, calls the host's
// callbacks, feeds headless subscribers and the <earned-prompt> element. It makes no network
// request of its own (the only fetch is of the package's own .wasm file, from where it is served).

/**
 * The API over one build's wasm-bindgen glue: `init` and `Engine` from it, and `wasmUrl()`, the
 * URL of its .wasm file (each entry point writes its own `new URL(..., import.meta.url)` so
 * bundlers see it).
 */
export function entry(init, Engine, wasmUrl) {
  let loading;

  /** Loads the wasm once. `wasm`: bytes, a WebAssembly.Module, a URL or a Response (optional). */
  function load(wasm) {
    if (!loading) {
      loading = (async () => {
        let source = wasm;
        if (source === undefined) {
          const url = wasmUrl();
          if (url.protocol === "file:") {
            // Node (tests, SSR): read the file. `process.getBuiltinModule` (Node >= 20.16) rather
            // than `import("node:fs/promises")`, which bundlers would try to resolve for the browser.
            source = await process.getBuiltinModule("node:fs/promises").readFile(url);
          } else {
            source = url;
          }
        }
        await init({ module_or_path: source });
      })();
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  }

  /**
   * Creates an engine. Throws (rejects) an `EarnedPlaybookError` naming the JSON path when the
   * playbook does not load, and an `EarnedAccountError` / `EarnedUserError` for bad facts.
   */
  async function createEngine(options = {}) {
    await load(options.wasm);
    return start(Engine, options);
  }

  return { load, createEngine };
}

/** Throws `error` where nobody catches it, so a host exception is not lost nor wrapped. */
function rethrowLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}

/** `url` resolved against the page, if it is http(s): a playbook's `javascript:` URL never runs. */
export function safeUrl(url) {
  if (!url || typeof location === "undefined") return undefined;
  try {
    const u = new URL(url, location.href);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const isEarned = (e) => e instanceof Error && typeof e.name === "string" && e.name.startsWith("Earned");

/** Engines alive, newest last: <earned-prompt> elements render the newest one's prompts. */
const engines = [];

/** The engine API over a wasm `Engine` class whose module is loaded. */
function start(Engine, options) {
  const {
    playbook,
    account,
    user,
    storage,
    now,
    tab,
    onError = (e) => console.warn(e),
    onOutcome,
    onRoute,
    onUpgrade = (prompt) => {
      const url = safeUrl(prompt.url);
      if (url) location.assign(url);
    },
  } = options;

  const subscribers = new Set();
  let last; // the latest decision
  let lastKey = "";
  let lastRoute = "";
  let mounted = false;
  let destroyed = false;
  let scheduled = false;
  let pendingShown;

  /** Hands an error to onError; an exception onError throws is rethrown, unwrapped, later. */
  const fail = (error) => {
    if (!isEarned(error)) return rethrowLater(error);
    try {
      onError(error);
    } catch (thrown) {
      rethrowLater(thrown);
    }
  };

  const emitOutcome = (offer, outcome, extra) => {
    if (onOutcome) onOutcome({ offer, outcome, at: Date.now(), ...extra });
  };

  const inner = new Engine(playbook, {
    account,
    user,
    storage,
    now,
    tab,
    onError: fail,
    onChange: () => changed(),
    onOutcome: (offer, outcome) => {
      // The default UI records `shown` while decide() runs: tell the host once the decision is out.
      if (outcome === "shown") return void (pendingShown = offer);
      const prompt = last && last.prompt && last.prompt.id === offer ? last.prompt : undefined;
      emitOutcome(offer, outcome, prompt ? { prompt } : undefined);
      if (outcome === "clicked" && prompt) {
        if (prompt.ctaKind === "upgrade") onUpgrade(prompt);
        else if (prompt.ctaKind === "talk_to_us" && onRoute && last.route) onRoute(last.route, last);
      }
      changed();
    },
  });

  /** A decision came out: its lazy trace, then reports, routes and subscribers. */
  const publish = (decision) => {
    // The trace crosses from wasm only when read: building it as JS objects on every decision
    // would cost far more than deciding. The engine keeps the last eight decisions' traces.
    const n = inner.decisions;
    Object.defineProperty(decision, "trace", {
      enumerable: true,
      configurable: true,
      get() {
        const trace = inner.trace(n);
        Object.defineProperty(decision, "trace", { value: trace, enumerable: true });
        return trace;
      },
    });
    last = decision;
    if (pendingShown !== undefined) {
      const offer = pendingShown;
      pendingShown = undefined;
      const prompt = decision.prompt && decision.prompt.id === offer ? decision.prompt : undefined;
      emitOutcome(offer, "shown", prompt ? { prompt } : undefined);
    }
    const reports = decision.reports; // post-expansion verdicts that came due, once each
    if (reports) {
      delete decision.reports;
      for (const report of reports) emitOutcome(report.offer, report.outcome, { report });
    }
    const route = decision.route ? decision.route.offer : "";
    if (route && route !== lastRoute && onRoute) onRoute(decision.route, decision);
    lastRoute = route;
    const p = decision.prompt;
    const key = p ? `${p.id}\u0000${p.title}\u0000${p.body}\u0000${p.cta}` : `-${decision.reason && decision.reason.code}`;
    if (key !== lastKey) {
      lastKey = key;
      for (const fn of subscribers) fn(decision);
    }
    return decision;
  };

  const refresh = () => {
    scheduled = false;
    if (destroyed || (!mounted && subscribers.size === 0)) return;
    try {
      publish(inner.decide());
    } catch (e) {
      fail(e);
    }
  };

  /** Something changed: decide again soon (once per task), for subscribers and the UI. */
  const changed = () => {
    if (!scheduled && !destroyed) {
      scheduled = true;
      queueMicrotask(refresh);
    }
  };

  /** Events were recorded: write them to storage once, at the end of this task. */
  let flushing = false;
  const recorded = () => {
    if (!flushing && !destroyed) {
      flushing = true;
      queueMicrotask(() => {
        flushing = false;
        if (destroyed) return;
        try {
          inner.flush();
        } catch (e) {
          fail(e);
        }
      });
    }
    changed();
  };

  const api = {
    /** Records a product event. Never throws: a bad event goes to onError, naming the field. */
    track(event) {
      try {
        inner.track(event);
        recorded();
      } catch (e) {
        fail(e);
      }
    },
    /** Records many events; returns how many were accepted (the others go to onError). */
    trackBatch(events) {
      try {
        const n = inner.trackBatch(events);
        if (n > 0) recorded();
        return n;
      } catch (e) {
        fail(e);
        return 0;
      }
    },
    /** Decides now: `{ show, prompt?, reason?, route?, trace }` (`trace` is read lazily). */
    decide() {
      return publish(inner.decide());
    },
    /** Records what happened to a prompt (`shown`, `dismissed`, `snoozed`, `clicked`, `converted`). */
    outcome(offerId, kind) {
      inner.outcome(offerId, kind);
      emitOutcome(offerId, kind);
      changed();
    },
    /** Replaces the account facts. */
    updateAccount(next) {
      inner.updateAccount(next);
      changed();
    },
    /** Replaces the user facts. */
    updateUser(next) {
      inner.updateUser(next);
      changed();
    },
    /** The latest decision's trace as readable text. */
    explain() {
      return inner.explain();
    },
    /** Shows prompts with the default UI (inline ones in `[data-earned-slot]` / <earned-prompt>). */
    mount(mountOptions) {
      mounted = true;
      return publish(inner.mount(mountOptions));
    },
    /** Removes the default UI. */
    unmount() {
      mounted = false;
      inner.unmount();
    },
    /** Headless rendering: `onDecision` gets the current decision now and each new one. */
    subscribe(onDecision) {
      const current = last && !scheduled ? last : publish(inner.decide());
      subscribers.add(onDecision);
      onDecision(current);
      return () => subscribers.delete(onDecision);
    },
    /** Stops the engine and frees the screen; later calls throw an EarnedStateError (track does not). */
    destroy() {
      if (destroyed) return;
      destroyed = true;
      mounted = false;
      subscribers.clear();
      const i = engines.indexOf(api);
      if (i >= 0) engines.splice(i, 1);
      inner.destroy();
    },
    /** The last decision, if any. */
    get decision() {
      return last;
    },
    /** The wasm engine underneath. */
    get engine() {
      return inner;
    },
    /** Whether the default UI is mounted. */
    get mounted() {
      return mounted;
    },
  };

  // The linter's warnings and the five pre-pitch questions per offer: `earned` only. For
  // `earned/runtime` they come from the tools, `earned compile` (warnings) and `earned check`.
  if (inner.warnings) {
    api.warnings = () => inner.warnings();
    api.readiness = () => inner.readiness();
  }
  engines.push(api);
  attachElements();
  return api;
}

/** Mounts the newest engine when <earned-prompt> elements are on the page. */
function attachElements() {
  const api = engines[engines.length - 1];
  if (!api || api.mounted || typeof document === "undefined") return;
  if (!document.querySelector("earned-prompt")) return;
  try {
    api.mount();
  } catch (e) {
    rethrowLater(e);
  }
}

if (typeof customElements !== "undefined" && typeof HTMLElement !== "undefined" && !customElements.get("earned-prompt")) {
  /**
   * `<earned-prompt slot="reports"></earned-prompt>`: a place for the prompt of that inline
   * placement, for pages without a framework. The newest engine renders into it (text only).
   */
  class EarnedPrompt extends HTMLElement {
    static get observedAttributes() {
      return ["slot"];
    }
    connectedCallback() {
      this.setAttribute("data-earned-slot", this.getAttribute("slot") || "");
      const api = engines[engines.length - 1];
      if (api && api.mounted) {
        try {
          api.decide();
        } catch (e) {
          rethrowLater(e);
        }
      } else attachElements();
    }
    attributeChangedCallback() {
      if (this.isConnected) this.setAttribute("data-earned-slot", this.getAttribute("slot") || "");
    }
  }
  customElements.define("earned-prompt", EarnedPrompt);
}

