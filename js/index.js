// earned — the ES module hosts import: the full build, which loads playbook JSON (validating and
// linting it) as well as compiled playbooks, and compiles them. For production pages,
// `earned/runtime` (js/runtime.js) is the smaller build that takes compiled playbooks only.
// The build bundles this file with its glue (pkg/earned.js), minified, into dist/earned.js.
import init, { Engine, compile as compileLoaded } from "../pkg/earned.js";
import { entry } from "./engine.js";

export const { load, createEngine } = entry(init, Engine, () => new URL("../pkg/earned_bg.wasm", import.meta.url));
export { safeUrl } from "./engine.js";
export { Engine };

/**
 * Validates and lints a playbook (an object or JSON text), then resolves to its compiled form,
 * `"earned:1:..."`: what `earned/runtime` loads. Rejects with an `EarnedPlaybookError` naming
 * the JSON path, as `createEngine` does.
 */
export async function compile(playbook, wasm) {
  await load(wasm);
  return compileLoaded(playbook);
}
