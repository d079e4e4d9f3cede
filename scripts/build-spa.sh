#!/usr/bin/env bash
# Builds the Vite example in www/spa/, which depends on pkg/ as the npm package `hearth-sdk`
# (a `file:` dependency). Needs `scripts/build.sh` first.
set -euo pipefail
cd "$(dirname "$0")/../www/spa"
if [ ! -f node_modules/.hearth-installed ] || [ package-lock.json -nt node_modules/.hearth-installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.hearth-installed
fi
../../node_modules/.bin/vite build --logLevel warn
