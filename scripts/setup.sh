#!/usr/bin/env bash
# Installs what building (and, with `--browser`, testing) needs, skipping whatever is already
# there, so it is safe to run on every `make`. Needs: rustup/cargo, node/npm, and apt for
# Chromium (run as root, or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
wanted=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
installed=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$installed" != "$wanted" ]; then
  log "installing wasm-bindgen-cli $wanted (found: ${installed:-none}); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "$wanted" --force
fi

# npm dev dependencies from the committed lockfiles; re-run only when a lockfile changes.
npm_ci() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.hearth-installed" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.hearth-installed" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules/.hearth-installed"
  fi
}
npm_ci .

# Vowpal Wabbit, to check that exported decision logs are real DSJSON (tests only).
if [ "${1:-}" = "--browser" ] && ! python3 -c 'import vowpalwabbit' 2>/dev/null; then
  log "installing the vowpalwabbit Python package"
  python3 -m pip install --quiet --disable-pip-version-check vowpalwabbit==9.11.9
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian chromium and chromium-driver"
    sudo_if_needed=""
    [ "$(id -u)" -ne 0 ] && sudo_if_needed="sudo"
    $sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq chromium chromium-driver
  fi
fi
