# earned — every command a developer or CI runs. `.ci/run` calls `make test`.
SHELL := /bin/bash
PORT ?= 8080
CARGO ?= cargo
CHROMEDRIVER ?= /usr/bin/chromedriver
# binaryen's wasm-opt from npm (pinned in package.json): Debian's v108 breaks wasm-bindgen
# 0.2.130's externref table when run after wasm-bindgen, and shrinks less.
WASM_OPT ?= node_modules/.bin/wasm-opt
# The features rustc's wasm32 target uses, spelled out for wasm-opt.
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	--enable-mutable-globals --enable-reference-types --enable-multivalue

.PHONY: test lint lint-wasm fmt-check test-native test-wasm test-js build size size-detail size-budget \
	setup-rust setup-wasm setup-browser setup-node

## test: everything — lint, format check, native tests, wasm tests (Node and headless Chromium), JS tests, end to end, the bench agreement check, the size budget
test: lint lint-wasm fmt-check test-native test-wasm test-js test-e2e size-budget

setup-rust:
	@scripts/setup.sh rust
setup-wasm:
	@scripts/setup.sh wasm
setup-browser:
	@scripts/setup.sh browser
setup-node:
	@scripts/setup.sh node

## lint: clippy with warnings as errors
lint: setup-rust
	$(CARGO) clippy --all-targets -- -D warnings

## lint-wasm: clippy of the wasm builds (boundary, UI, their tests; the runtime build) with warnings as errors
lint-wasm: setup-rust setup-wasm
	$(CARGO) clippy --target wasm32-unknown-unknown --lib --test web --test ui -- -D warnings
	$(CARGO) clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings

## fmt-check: rustfmt, checking only
fmt-check: setup-rust
	$(CARGO) fmt --check

## test-native: the pure core (unit tests, GrowthBook conformance, scenario fixtures)
test-native:
	$(CARGO) test

## build: the wasm package in pkg/ (what `wasm-pack build --target web` makes, smaller).
# `cargo rustc --crate-type cdylib` rather than `wasm-pack build`: cargo skips LTO for a library
# whose crate types include rlib (which the tests need), and LTO is worth ~13%. wasm-opt runs
# twice: before wasm-bindgen (less for it to read) and after it and the short names (on what
# ships; `--flatten --rereloop` first restructures control flow, ~0.4 KB gzip smaller than -Oz).
#
# The standard library is rebuilt with the `immediate-abort` panic strategy: a panic (which no
# input should reach) then traps without formatting a message, so no panic-message machinery
# ships (~10 KB gzip). Both are still unstable in Rust 1.95; RUSTC_BOOTSTRAP=1 lets this stable
# toolchain use them for this one build (tests, clippy and native builds do not). `rust-src` is
# the standard library's source, installed by `scripts/setup.sh wasm`. Should rebuilding std fail,
# the build goes on with the prebuilt one and says so; `make size-budget` then fails.
#
# It links through scripts/link-wasm.mjs, which drops the describe exports of the js-sys and
# web-sys imports the module does not call, so their closure shims are not kept (~0.25 KB gzip).
RUST_LLD = $(shell rustc --print sysroot)/lib/rustlib/$(shell rustc -vV | sed -n 's/^host: //p')/bin/rust-lld
SHIP = RUSTC_BOOTSTRAP=1 EARNED_LLD=$(RUST_LLD) \
	RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Clinker=$(CURDIR)/scripts/link-wasm.mjs"
SHIP_TARGET := target/ship/wasm32-unknown-unknown/release
# Two builds of the same crate: `pkg/` (the loader included: reads playbook JSON, lints,
# compiles) and `pkg-runtime/` (`--no-default-features`: compiled playbooks only, what
# production pages load). Each is linked, shrunk by wasm-opt, and given its wasm-bindgen glue.
build: setup-wasm setup-node
	@$(MAKE) --no-print-directory wasm-build OUT=pkg FEATURES=
	@$(MAKE) --no-print-directory wasm-build OUT=pkg-runtime FEATURES=--no-default-features
	@# What hosts import: js/index.js (and js/runtime.js) with its glue as one minified module
	@# each (the wasm stays in pkg/ and pkg-runtime/), and the stylesheet minified.
	npx esbuild js/index.js js/runtime.js --bundle --minify --format=esm --target=es2022 \
		--legal-comments=none --log-level=warning --outdir=dist --entry-names=[name]
	@mv dist/index.js dist/earned.js
	npx esbuild js/earned.css --minify --log-level=warning --outfile=dist/earned.css

# One wasm build: `make wasm-build OUT=pkg FEATURES=...` (called by `build`).
.PHONY: wasm-build
wasm-build:
	export CARGO_TARGET_DIR=target/ship; \
	$(SHIP) $(CARGO) rustc --release --target wasm32-unknown-unknown --lib --crate-type cdylib $(FEATURES) \
		-Z build-std=std,panic_abort \
	|| { echo "build: WARNING: rebuilding std failed; using the prebuilt std (~10 KB gzip larger)" >&2; \
		$(CARGO) rustc --release --target wasm32-unknown-unknown --lib --crate-type cdylib $(FEATURES); }
	$(WASM_OPT) -Oz $(WASM_FEATURES) $(SHIP_TARGET)/earned.wasm -o target/$(OUT).opt.wasm
	wasm-bindgen --remove-name-section --remove-producers-section --omit-default-module-path \
		--target web --out-dir $(OUT) --out-name earned target/$(OUT).opt.wasm
	@# `[Symbol.dispose]` in the class types needs TypeScript's esnext lib in every host that
	@# type-checks libraries; the method is still there at run time where the platform has it.
	sed -i '/\[Symbol.dispose\](): void;/d' $(OUT)/earned.d.ts
	@# Short names for the wasm's imports and exports, in the wasm and its glue (~3 KB gzip).
	node scripts/shorten-names.mjs $(OUT)
	$(WASM_OPT) --flatten --rereloop -Oz -Oz --strip-target-features $(WASM_FEATURES) \
		$(OUT)/earned_bg.wasm -o $(OUT)/earned_bg.wasm

## size-budget: fails when a build grows past its budget, SIZE_BUDGET (runtime) or SIZE_BUDGET_FULL (part of `make test`)
# The runtime build's budget is the product's hard ceiling, 60 KB gzip (PRODUCT.md); the full
# build's is a ratchet just above its size. Lower them whenever the bundle shrinks.
SIZE_BUDGET ?= 60000
SIZE_BUDGET_FULL ?= 94500
size-budget: build
	@node scripts/size.mjs --budget $(SIZE_BUDGET) --budget-full $(SIZE_BUDGET_FULL)

## size: what the browser loads, part by part, then `size_gzip_bytes: N` (gzip -9)
size: build
	@node scripts/size.mjs

## size-detail: as size, plus the runtime build's wasm by module (a build with names, read by
## twiggy); `make size-detail DETAIL=` for the full build
DETAIL ?= --no-default-features
size-detail: build
	@scripts/setup.sh size
	$(SHIP) CARGO_PROFILE_RELEASE_STRIP=false CARGO_TARGET_DIR=target/size $(CARGO) rustc --release \
		--target wasm32-unknown-unknown --lib --crate-type cdylib $(DETAIL) -Z build-std=std,panic_abort
	wasm-bindgen --keep-debug --target web --out-dir target/size/pkg \
		target/size/wasm32-unknown-unknown/release/earned.wasm
	twiggy top -n 100000 -f csv target/size/pkg/earned_bg.wasm > target/size/twiggy.csv
	@node scripts/size.mjs --detail target/size/twiggy.csv

## test-wasm: the boundary under wasm-bindgen-test, in Node and in headless Chromium (UI tests too)
# What `wasm-pack test --node` / `--headless --chrome` run, minus their `cargo build --tests`,
# which would also build the native-only test files (they read playbooks with serde_json).
WASM_TEST := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	$(CARGO) test --target wasm32-unknown-unknown
test-wasm: setup-wasm setup-browser
	WASM_BINDGEN_TEST_ONLY_NODE=1 $(WASM_TEST) --test web
	WASM_BINDGEN_TEST_ONLY_WEB=1 WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=$(CHROMEDRIVER) $(WASM_TEST) --test web --test ui

## test-js: the npm package as hosts use it (node --test against the built pkg/), README example included,
## and its TypeScript types under tsc --strict
test-js: build setup-node
	node --test js/test/
	npx tsc -p js/test/tsconfig.json

# ---- demo and end-to-end tests (demo/, scripts/serve.mjs, tests/e2e/)
.PHONY: demo test-e2e

## demo: Helpwise, a support desk that embeds earned, with the inspector, on http://127.0.0.1:$(PORT)/ (make demo PORT=8081)
demo: setup-node build
	node scripts/serve.mjs --port $(PORT)

## test-e2e: the demo through Debian's Chromium (playwright-core, axe-core); screenshots in test-results/e2e/
test-e2e: setup-node setup-browser build
	@mkdir -p test-results/e2e
	@status=0; node --test tests/e2e/ || status=$$?; \
	echo "e2e screenshots: $(CURDIR)/test-results/e2e/"; ls test-results/e2e/; exit $$status

# ---- benchmarks (benches/js pins its own peers: json-rules-engine, json-logic-js,
# json-logic-engine, GrowthBook, mustache). `make bench` is not part of `make test`.
.PHONY: bench bench-js bench-js-deps test-bench-smoke
test: test-bench-smoke

bench-js-deps: setup-node benches/js/node_modules/.package-lock.json
benches/js/node_modules/.package-lock.json: benches/js/package.json benches/js/package-lock.json
	cd benches/js && npm ci --no-audit --no-fund

## bench: the native criterion bench, then earned (wasm through dist/earned.js) against JS rule
## engines doing the same job in one Node process; ends with `name: value` lines
bench: build bench-js-deps
	$(CARGO) bench --bench core
	node benches/js/run.mjs

## bench-js: only the JS side of `make bench`
bench-js: build bench-js-deps
	node benches/js/run.mjs

## test-bench-smoke: the JS bench harness runs and every contender agrees, on ~2k events
test-bench-smoke: build bench-js-deps
	node benches/js/run.mjs --smoke
