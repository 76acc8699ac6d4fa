#!/usr/bin/env bash
# Marketing bench: segment counts and a campaign's enqueue rate on BENCH_MEMBERS members (the
# member bench's database, filled once, copied so the campaign it sends leaves it untouched).
# Figures are printed, never asserted.
# BENCH_BACKEND=postgres runs both on a throwaway PostgreSQL cluster (fsync off: the cluster
# lives for one run, so its figures are the engine's, not the disk's).
set -euo pipefail
build=${1:-build}
members=${BENCH_MEMBERS:-1000000}
dir=${BENCH_DIR:-/tmp/storecrm-bench}
mkdir -p "$dir"
if [[ ${BENCH_BACKEND:-sqlite} == postgres ]]; then
  if [[ -z ${STORECRM_TEST_PG:-} ]]; then
    exec bash "$(dirname "$0")/../scripts/with-postgres.sh" bash "$0" "$@"
  fi
  "$build/bench/bench_fill" "$STORECRM_TEST_PG" "$dir/storecrm.key" "$members" "$dir/token-pg"
  "$build/bench/bench_marketing" "$STORECRM_TEST_PG" "$dir/storecrm.key" || true
  exit 0
fi
"$build/bench/bench_fill" "$dir/bench.db" "$dir/storecrm.key" "$members" "$dir/token"
cp "$dir/bench.db" "$dir/bench-marketing.db"
rm -f "$dir/bench-marketing.db-wal" "$dir/bench-marketing.db-shm"
"$build/bench/bench_marketing" "$dir/bench-marketing.db" "$dir/storecrm.key" || true
rm -f "$dir"/bench-marketing.db*
