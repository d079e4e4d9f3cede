# Hearth: the only entry points. Each target installs what it needs first (idempotently).
#   make demo   build, then serve www/ on http://127.0.0.1:$(PORT) until Ctrl-C
#   make test   every test layer; the last line says how many passed and failed
#   make size   raw / gzip / brotli bytes of what a site ships, and where the wasm's bytes are
#   make bench  benchmarks (headless Chromium and Node), table + target/bench/results.json
#   make fuzz   fuzz the TC-string decoder (nightly; not part of `make test`)
PORT ?= 8080
FUZZ_SECONDS ?= 60

.PHONY: setup setup-browser build spa demo test size bench fuzz clean

setup:
	@bash scripts/setup.sh

setup-browser:
	@bash scripts/setup.sh --browser

build: setup
	@bash scripts/build.sh

spa: build
	@bash scripts/build-spa.sh

demo: spa
	@PORT=$(PORT) node scripts/serve.mjs

test: setup-browser
	@bash scripts/test-all.sh

size: build
	@node scripts/size.mjs

bench: setup-browser spa
	@node bench/run.mjs

fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
	cd fuzz && cargo +nightly fuzz run tcf_decode -- -max_total_time=$(FUZZ_SECONDS)

clean:
	rm -rf target build pkg dist www/spa/dist www/webpack/dist
