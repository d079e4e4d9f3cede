#!/usr/bin/env bash
# Runs every test layer, keeps going when one fails, and ends with one line:
# "N passed, M failed". Exits non-zero when anything failed.
#   checks:  rustfmt, clippy (native and wasm32), the build, tsc on the typed usage example
#   tests:   native cargo tests, wasm-bindgen tests in headless Chromium, Node package tests,
#            Playwright end-to-end tests
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/test-logs
passed=0
failed=0
failures=()

# A check counts as one test.
check() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

# A suite counts its own tests, read from its summary lines.
count_cargo() { # log file → adds "test result: ... N passed; M failed"
  local p f
  p=$(grep -Eo '[0-9]+ passed' "$1" | awk '{ s += $1 } END { print s + 0 }')
  f=$(grep -Eo '[0-9]+ failed' "$1" | awk '{ s += $1 } END { print s + 0 }')
  echo "$p $f"
}
count_tap() { # TAP file → "# pass N" / "# fail M"
  local p f
  p=$(awk '/^# pass / { s += $3 } END { print s + 0 }' "$1")
  f=$(awk '/^# fail / { s += $3 } END { print s + 0 }' "$1")
  echo "$p $f"
}
suite() {
  local name=$1 counter=$2 log=$3
  shift 3
  echo "== $name"
  "$@"
  local status=$?
  read -r p f < <($counter "$log")
  # A suite that failed without reporting a failed test (a crash, a build error) counts as one.
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -gt 0 ] && failures+=("$name")
}

node_tests() { # dir, tap file
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$2" "$1"
}

link_package() {
  for dir in tests/node tests/types; do
    mkdir -p "$dir/node_modules"
    ln -sfn ../../../pkg "$dir/node_modules/hearth-sdk"
  done
}

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

check "cargo fmt --check" cargo fmt --check
check "clippy (native)" cargo clippy --quiet --workspace --all-targets -- -D warnings
check "clippy (wasm32)" cargo clippy --quiet --target wasm32-unknown-unknown --workspace --lib --tests -- -D warnings
suite "native tests" count_cargo target/test-logs/native.log \
  bash -c 'cargo test --workspace 2>&1 | tee target/test-logs/native.log'
check "build pkg/ and dist/" bash scripts/build.sh
check "build the Vite example" bash scripts/build-spa.sh
suite "browser tests (wasm-bindgen-test, Chromium)" count_cargo target/test-logs/browser.log \
  bash -c 'cargo test --target wasm32-unknown-unknown -p hearth 2>&1 | tee target/test-logs/browser.log'
link_package
# The public types compile without skipLibCheck: lib esnext (nodenext), and lib es2020 with
# moduleResolution bundler and node16.
for config in tests/types/tsconfig*.json; do
  check "types: tsc --strict on tests/types/usage.ts ($(basename "$config"))" node_modules/.bin/tsc -p "$config"
done
suite "package tests (Node)" count_tap target/test-logs/node.tap node_tests tests/node target/test-logs/node.tap
suite "end-to-end tests (Playwright, Chromium)" count_tap target/test-logs/e2e.tap node_tests tests/e2e target/test-logs/e2e.tap

echo
[ "${#failures[@]}" -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
