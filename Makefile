# Keystone's commands. `make run` and `make test` work on a fresh machine: each installs what is
# missing first (scripts/setup), then builds.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# Where `make run` keeps its database, and how big its demo is.
DATABASE_URL ?= sqlite://data/keystone.db
DEMO_ACCOUNTS ?= 1000
# The end-to-end tests' own database and address, apart from the demo's.
E2E_DB := target/e2e/keystone.db
E2E_ADDR := 127.0.0.1:3917
# Scale of `make bench` (the issues' performance targets are stated at 100k accounts).
BENCH_ACCOUNTS ?= 100000

.PHONY: run test build setup unit-test e2e lint bench clean

## run: install what is missing, build the release site, create the demo database if needed, serve.
run: build
	@if [ ! -f data/keystone.db ] && [ "$(DATABASE_URL)" = "sqlite://data/keystone.db" ]; then \
	  target/release/keystone demo --accounts $(DEMO_ACCOUNTS) --seed 1; fi
	@echo
	@echo "Keystone: http://127.0.0.1:3000   (Ctrl-C stops it)"
	@echo "Demo users, all with the password keystone-demo-2026 (demo database only):"
	@echo "  admin@keystone.demo, leader@keystone.demo, csm@keystone.demo, pilot@keystone.demo, viewer@keystone.demo"
	@echo
	DATABASE_URL=$(DATABASE_URL) target/release/keystone serve

## test: install what is missing, then run unit, integration and end-to-end tests.
test: unit-test e2e

setup:
	scripts/setup

build: setup
	cargo leptos build --release

## unit-test: rules and components (unit) and the router over real HTTP on fresh SQLite files.
unit-test: setup
	cargo test -p app -p server

## e2e: Playwright in Debian's Chromium against the release build, JavaScript on and off.
e2e: build
	scripts/setup --browser
	rm -f $(E2E_DB) $(E2E_DB)-wal $(E2E_DB)-shm
	target/release/keystone --database-url sqlite://$(E2E_DB) demo --accounts 300 --seed 7 --today 2026-12-04 >/dev/null
	rm -f end2end/test-results/results.json
	E2E_DB=$(E2E_DB) E2E_ADDR=$(E2E_ADDR) playwright test --config end2end/playwright.config.ts || status=$$?; \
	  node -e 'try { const s = require("./end2end/test-results/results.json").stats; console.log(`e2e: $${s.expected} passed, $${s.unexpected} failed, $${s.skipped} skipped`) } catch { console.log("e2e: Playwright produced no results") }'; \
	  exit $${status:-0}

## lint: formatting and clippy for both halves of the app.
lint: setup
	cargo fmt --all --check
	cargo clippy -p app -p server --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

## bench: performance figures on generated data (see bench/README in the code tour).
bench: build
	scripts/bench $(BENCH_ACCOUNTS)

clean:
	cargo clean
	rm -rf data target/e2e node_modules public/vendor
