#!/usr/bin/env bash
# Builds the two bundler examples, which depend on pkg/ as the npm package `hearth-sdk` (a
# `file:` dependency): the Vite app in www/spa/ and the webpack 5 app in www/webpack/.
# Needs `scripts/build.sh` first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

install() {
  if [ ! -f node_modules/.hearth-installed ] || [ package-lock.json -nt node_modules/.hearth-installed ]; then
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules/.hearth-installed
  fi
}

cd "$root/www/spa"
install
"$root/node_modules/.bin/vite" build --logLevel warn

cd "$root/www/webpack"
install
"$root/node_modules/.bin/webpack" --config webpack.config.js --no-stats
cp index.html dist/index.html
