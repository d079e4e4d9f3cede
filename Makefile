# Hearth: the only entry points. Each target installs what it needs first (idempotently).
#   make demo   build, then serve www/ on http://127.0.0.1:$(PORT) until Ctrl-C
#   make test   every test layer; the last line says how many passed and failed
#   make size   raw / gzip / brotli bytes of what a site ships
#   make bench  benchmarks (headless Chromium and Node), table + target/bench/results.json
PORT ?= 8080

.PHONY: setup setup-browser build spa demo test size bench clean

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

clean:
	rm -rf target build pkg dist www/spa/dist
