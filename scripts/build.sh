#!/usr/bin/env bash
# Builds both outputs from the Rust crate:
#   pkg/   the npm package `hearth-sdk` (wasm-bindgen --target web glue + pkg-template/)
#   dist/  the script-tag build: hearth.js (classic script) + hearth_bg.wasm
#          (+ hearth-stub.min.js, the loader stub to paste inline before it;
#           + hearth-banner.js / .css, the optional consent banner; in pkg/ as banner.*)
set -euo pipefail
cd "$(dirname "$0")/.."

bindgen_dir=build/bindgen
cargo build --release --target wasm32-unknown-unknown -p hearth --lib --quiet
rm -rf "$bindgen_dir" pkg dist
wasm-bindgen --target web --out-dir "$bindgen_dir" target/wasm32-unknown-unknown/release/hearth.wasm

# A copy with its name section, for `make size`'s per-symbol report (wasm-opt strips names).
cp "$bindgen_dir/hearth_bg.wasm" build/hearth_bg.names.wasm
# wasm-opt reads the target_features section, so strip only as part of this last step.
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  "$bindgen_dir/hearth_bg.wasm" -o "$bindgen_dir/hearth_bg.wasm"

mkdir -p pkg dist
cp "$bindgen_dir"/hearth.js "$bindgen_dir"/hearth.d.ts "$bindgen_dir"/hearth_bg.wasm "$bindgen_dir"/hearth_bg.wasm.d.ts pkg/
cp pkg-template/* pkg/

node_modules/.bin/esbuild pkg/script-tag.js --bundle --minify --format=iife --target=es2020 \
  --log-override:empty-import-meta=silent --outfile=dist/hearth.js --log-level=warning
cp pkg/hearth_bg.wasm dist/hearth_bg.wasm
# The loader stub, minified without a trailing newline: its sha256 is what a CSP allows inline.
node_modules/.bin/esbuild loader/stub.js --minify --target=es2017 --log-level=warning |
  tr -d '\n' > dist/hearth-stub.min.js

# The optional consent banner (banner/): a separate module, outside the SDK's size budget.
cp banner/banner.js banner/banner.css banner/banner.d.ts pkg/
node_modules/.bin/esbuild banner/script-tag.js --bundle --minify --format=iife --target=es2020 \
  --log-override:empty-import-meta=silent --outfile=dist/hearth-banner.js --log-level=warning
node_modules/.bin/esbuild banner/banner.css --minify --outfile=dist/hearth-banner.css --log-level=warning

sri=$(openssl dgst -sha384 -binary dist/hearth.js | openssl base64 -A)
echo "built pkg/ and dist/"
echo "dist/hearth.js integrity: sha384-$sri"
echo "dist/hearth-banner.js integrity: sha384-$(openssl dgst -sha384 -binary dist/hearth-banner.js | openssl base64 -A)"
echo "dist/hearth-stub.min.js ($(wc -c < dist/hearth-stub.min.js) bytes) inline, CSP: 'sha256-$(openssl dgst -sha256 -binary dist/hearth-stub.min.js | openssl base64 -A)'"
