// earned/runtime — the build production pages load: the same API as `earned`, without the
// playbook loader (JSON reader, validation, linter, ICU parser), so it takes only playbooks
// compiled ahead of time by `earned compile` (or `compile()` from `earned`).
// The build bundles this file with its glue (pkg-runtime/earned.js) into dist/runtime.js.
import init, { Engine } from "../pkg-runtime/earned.js";
import { entry } from "./engine.js";

export const { load, createEngine } = entry(init, Engine, () => new URL("../pkg-runtime/earned_bg.wasm", import.meta.url));
export { safeUrl } from "./engine.js";
export { Engine };
