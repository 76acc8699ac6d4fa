# storecrm — `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= ./data/storecrm.db
PORT ?= 8080
STORECRM := $(BUILD)/storecrm

.PHONY: all deps web build run test test-unit test-api test-e2e bench clean

all: build

deps:
	@bash scripts/install-deps.sh

# The web app: npm ci only when the lock file changed, Vite only when a source changed.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/package.json -type f 2>/dev/null)
web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build
	@touch $@

web: deps web/dist/index.html

build: deps web
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@ninja -C $(BUILD) -j$(JOBS)

run: build
	@bash scripts/run-demo.sh "$(STORECRM)" "$(DB)" "$(PORT)"

tests/node_modules/.package-lock.json: tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund
	@touch $@

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Every API test runs twice: on SQLite, then on a throwaway PostgreSQL cluster.
test-api: build tests/node_modules/.package-lock.json
	STORECRM_BIN=$(abspath $(STORECRM)) node --test --test-concurrency=1 tests/api/
	STORECRM_BIN=$(abspath $(STORECRM)) bash scripts/with-postgres.sh node --test --test-concurrency=1 tests/api/

# Browser tests on the embedded default (SQLite), then once on PostgreSQL.
test-e2e: build tests/node_modules/.package-lock.json
	STORECRM_BIN=$(abspath $(STORECRM)) node --test --test-concurrency=1 tests/e2e/
	STORECRM_BIN=$(abspath $(STORECRM)) bash scripts/with-postgres.sh node --test --test-concurrency=1 tests/e2e/

test: test-unit test-api test-e2e

bench: build
	@bash bench/run.sh "$(BUILD)"
	@bash bench/run_checkout.sh "$(BUILD)"
	@bash bench/run_analytics.sh "$(BUILD)"
	@bash bench/run_marketing.sh "$(BUILD)"

clean:
	rm -rf $(BUILD) web/dist
