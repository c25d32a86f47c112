#!/usr/bin/env bash
# Installs what `make test`, `make demo`, `make size` and `make bench` need, and only what is
# missing. Every step is idempotent and quick when already done.
#
# Usage: scripts/setup.sh [rust|wasm|size|browser|node|all]...
set -euo pipefail
cd "$(dirname "$0")/.."

# The wasm-bindgen CLI must match the `wasm-bindgen = "=V"` pin in Cargo.toml exactly.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { *version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml | head -n1)
TWIGGY_VERSION=0.8.0

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

apt_updated=""
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    $sudo apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# cargo_install CRATE BINARY VERSION: installs CRATE@VERSION unless BINARY --version says VERSION.
cargo_install() {
  local crate=$1 bin=$2 version=$3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q " $version"; then
    return 0
  fi
  say "cargo install $crate@$version (a few minutes, once)"
  # The registry mirror here can lack a version a crate's lock file names; then resolve afresh.
  cargo install --locked --quiet "$crate" --version "$version" \
    || cargo install --quiet "$crate" --version "$version"
}

setup_rust() {
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
}

setup_wasm() {
  rustup target list --installed | grep -q '^wasm32-unknown-unknown$' \
    || rustup target add wasm32-unknown-unknown
  # The shipped build rebuilds the standard library (see `build` in the Makefile).
  rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
  # wasm-opt comes from the npm package binaryen (`setup_node`; GitHub downloads cannot work
  # here). The build calls cargo, wasm-opt and wasm-bindgen itself (see the Makefile), so
  # wasm-pack is not needed.
  cargo_install wasm-bindgen-cli wasm-bindgen "$WASM_BINDGEN_VERSION"
}

# twiggy, for `make size-detail` only.
setup_size() {
  cargo_install twiggy twiggy "$TWIGGY_VERSION"
}

setup_browser() {
  apt_install chromium chromium-driver
}

setup_node() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

[ $# -eq 0 ] && set -- all
for part in "$@"; do
  case "$part" in
    rust) setup_rust ;;
    wasm) setup_wasm ;;
    size) setup_size ;;
    browser) setup_browser ;;
    node) setup_node ;;
    all) setup_rust; setup_wasm; setup_browser; setup_node ;;
    *) echo "setup: unknown part '$part'" >&2; exit 2 ;;
  esac
done
