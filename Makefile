# storecrm — `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= ./data/storecrm.db
PORT ?= 8080
STORECRM := $(BUILD)/storecrm

.PHONY: all deps web build run test test-unit test-api test-reliability test-fuzz test-e2e reliability sanitize bench soak clean

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

# The reliability suite (kill -9 during checkouts, SQLite vs PostgreSQL, full disk, the permission
# matrix) at its small size, on SQLite then on PostgreSQL like the API tests.
test-reliability: build tests/node_modules/.package-lock.json
	STORECRM_BIN=$(abspath $(STORECRM)) node --test --test-concurrency=1 tests/reliability/
	STORECRM_BIN=$(abspath $(STORECRM)) bash scripts/with-postgres.sh node --test --test-concurrency=1 tests/reliability/

# The same at full size (20 kill rounds, 50,000 differential operations), plus the campaign
# crash test at 100,000 members; long, not part of `make test`.
reliability: build sanitize tests/node_modules/.package-lock.json
	bash scripts/fuzz.sh 300
	STORECRM_RELIABILITY=full STORECRM_BIN=$(abspath $(STORECRM)) node --test --test-concurrency=1 tests/reliability/
	STORECRM_RELIABILITY=full STORECRM_BIN=$(abspath $(STORECRM)) bash scripts/with-postgres.sh node --test --test-concurrency=1 tests/reliability/
	STORECRM_CAMPAIGN_MEMBERS=100000 STORECRM_BIN=$(abspath $(STORECRM)) node --test --test-concurrency=1 tests/api/campaign_crash.test.mjs
	STORECRM_CAMPAIGN_MEMBERS=100000 STORECRM_BIN=$(abspath $(STORECRM)) bash scripts/with-postgres.sh node --test --test-concurrency=1 tests/api/campaign_crash.test.mjs

# Browser tests on the embedded default (SQLite), then once on PostgreSQL.
test-e2e: build tests/node_modules/.package-lock.json
	STORECRM_BIN=$(abspath $(STORECRM)) node --test --test-concurrency=1 tests/e2e/
	STORECRM_BIN=$(abspath $(STORECRM)) bash scripts/with-postgres.sh node --test --test-concurrency=1 tests/e2e/

# libFuzzer (clang, ASan + UBSan) on the JSON reader, the CSV/Excel readers and the member
# query parser: here 20000 inputs each from a fixed seed (the same run on every machine, so CI
# goes red only for a change in the code); 5 minutes each of fresh inputs in `make reliability`.
test-fuzz: deps
	FUZZ_RUNS=20000 bash scripts/fuzz.sh

# The unit suite under ASan + UBSan, and again under TSan (its Concurrent… tests run the shared
# state from many threads), each in a build folder of its own.
sanitize: deps web
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTORECRM_BENCH=OFF -DSTORECRM_SANITIZE=address,undefined >/dev/null
	ninja -C build-asan -j$(JOBS)
	cd build-asan && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j$(JOBS)
	cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTORECRM_BENCH=OFF -DSTORECRM_SANITIZE=thread >/dev/null
	ninja -C build-tsan -j$(JOBS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j$(JOBS)

test: test-unit test-api test-reliability test-fuzz test-e2e

bench: build
	@bash bench/run.sh "$(BUILD)"
	@bash bench/run_checkout.sh "$(BUILD)"
	@bash bench/run_analytics.sh "$(BUILD)"
	@bash bench/run_marketing.sh "$(BUILD)"

# Half an hour of mixed till and staff traffic (~50 requests/s) on a fresh demo chain: memory,
# descriptors, errors and latency over time (bench/soak/run.sh). Not in `make bench`: it is long.
# SOAK_MINUTES=2 make soak for a quick look; SOAK_BACKEND=postgres, SOAK_RATE to vary it.
soak: build
	@bash bench/soak/run.sh "$(BUILD)"

clean:
	rm -rf $(BUILD) build-fuzz build-asan build-tsan web/dist
