# earned — every command a developer or CI runs. `.ci/run` calls `make test`.
SHELL := /bin/bash
PORT ?= 8080
CARGO ?= cargo

.PHONY: test lint fmt-check test-native setup-rust

## test: everything — lint, format check, native tests (wasm, JS and end-to-end join as they land)
test: lint fmt-check test-native

setup-rust:
	@scripts/setup.sh rust

## lint: clippy with warnings as errors
lint: setup-rust
	$(CARGO) clippy --all-targets -- -D warnings

## fmt-check: rustfmt, checking only
fmt-check: setup-rust
	$(CARGO) fmt --check

## test-native: the pure core (unit tests, GrowthBook conformance, scenario fixtures)
test-native:
	$(CARGO) test

# ---- benchmarks (benches/js owns its pinned peers: json-rules-engine, json-logic-js,
# json-logic-engine, GrowthBook, mustache). `make bench` is not part of `make test`.
.PHONY: bench bench-js bench-js-deps bench-wasm test-bench-smoke
test: test-bench-smoke

bench-js-deps: benches/js/node_modules/.package-lock.json
benches/js/node_modules/.package-lock.json: benches/js/package.json benches/js/package-lock.json
	cd benches/js && npm ci --no-audit --no-fund

# The wasm package, built by the boundary's `build` target when the Makefile has one.
bench-wasm:
	@if $(MAKE) -n build >/dev/null 2>&1; then $(MAKE) --no-print-directory build; \
	else test -f pkg/earned_bg.wasm || { echo "pkg/ is missing: build the wasm package first"; exit 1; }; fi

## bench: native criterion bench, then earned (wasm, via js/index.js) against JS rule engines
bench: bench-wasm bench-js-deps
	$(CARGO) bench --bench core
	node benches/js/run.mjs

## bench-js: only the JS side of `make bench`
bench-js: bench-wasm bench-js-deps
	node benches/js/run.mjs

## test-bench-smoke: the JS bench harness runs and every contender agrees, on ~2k events
test-bench-smoke: bench-wasm bench-js-deps
	node benches/js/run.mjs --smoke
