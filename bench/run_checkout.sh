#!/usr/bin/env bash
# Checkout bench on SQLite and on a throwaway PostgreSQL cluster: prepares a fixture (members
# with points, coupons, a tier, three products), serves it, posts checkouts at 1, 16 and 64
# concurrent clients, then measures the raw limit of the same database with the server stopped.
# BENCH_BACKENDS="sqlite postgres" (default both). Figures are printed, never asserted.
set -euo pipefail
build=${1:-build}
seconds=${BENCH_SECONDS:-5}
members=${BENCH_CHECKOUT_MEMBERS:-5000}
coupons=${BENCH_CHECKOUT_COUPONS:-40}
clients=${BENCH_CLIENTS:-1,16,64}
dir=${BENCH_DIR:-/tmp/storecrm-bench}/checkout
port=${BENCH_PORT:-18490}
backends=${BENCH_BACKENDS:-sqlite postgres}
here=$(cd "$(dirname "$0")" && pwd)

run_one() {  # $1 = database (file or URL)
  local db=$1
  "$build/bench/bench_checkout" prepare "$db" "$dir/storecrm.key" "$dir/token" "$members" "$coupons"
  "$build/storecrm" serve --db "$db" --key-file "$dir/storecrm.key" --port "$port" --address 127.0.0.1 \
    >"$dir/server.log" 2>&1 &
  local server=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  "$build/bench/bench_checkout" http "$port" "$dir/token" "$db" "$members" "$coupons" "$seconds" "$clients" || true
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  "$build/bench/bench_checkout" raw "$db" "$seconds" 4 || true
}

for backend in $backends; do
  if [[ $backend == postgres && -z ${STORECRM_TEST_PG:-} ]]; then
    BENCH_BACKENDS=postgres exec_pg=1 bash "$here/../scripts/with-postgres.sh" bash "$0" "$@"
    continue
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  echo "== checkout bench on $backend: $members members, ${seconds} s per run; client, server and database share this machine's cores"
  if [[ $backend == postgres ]]; then
    psql "$STORECRM_TEST_PG" -qc "CREATE DATABASE bench_checkout" 2>/dev/null || true
    run_one "${STORECRM_TEST_PG%/*}/bench_checkout"
  else
    run_one "$dir/bench.db"
  fi
done
