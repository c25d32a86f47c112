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
