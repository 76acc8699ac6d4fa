#!/usr/bin/env bash
# Member bench: fills (once) a database with BENCH_MEMBERS generated members, serves it with
# BENCH_INSTANCES instances (a list such as "1 2" runs each), and runs the HTTP load beside the raw SQLite limits.
# BENCH_BACKEND=postgres runs it on a throwaway PostgreSQL cluster instead (no raw column).
# Figures are printed, never asserted.
set -euo pipefail
build=${1:-build}
members=${BENCH_MEMBERS:-1000000}
seconds=${BENCH_SECONDS:-5}
dir=${BENCH_DIR:-/tmp/storecrm-bench}
port=${BENCH_PORT:-18480}
instances=${BENCH_INSTANCES:-1}
backend=${BENCH_BACKEND:-sqlite}
here=$(cd "$(dirname "$0")" && pwd)

if [[ $backend == postgres && -z ${STORECRM_TEST_PG:-} ]]; then
  exec bash "$here/../scripts/with-postgres.sh" bash "$0" "$@"
fi
mkdir -p "$dir"
db="$dir/bench.db"
if [[ $backend == postgres ]]; then
  psql "$STORECRM_TEST_PG" -qc "CREATE DATABASE bench" 2>/dev/null || true
  db="${STORECRM_TEST_PG%/*}/bench"
fi
"$build/bench/bench_fill" "$db" "$dir/storecrm.key" "$members" "$dir/token"
# BENCH_INSTANCES may list several counts ("1 2"): each is served and measured in turn.
for count in $instances; do
  servers=() ports=()
  for i in $(seq 0 $((count - 1))); do
    p=$((port + i))
    "$build/storecrm" serve --db "$db" --key-file "$dir/storecrm.key" --port "$p" --address 127.0.0.1 \
      >"$dir/server-$i.log" 2>&1 &
    servers+=($!) ports+=("$p")
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.2; done
  done
  "$build/bench/bench_members_http" "$(IFS=,; echo "${ports[*]}")" "$dir/token" "$db" "$dir/storecrm.key" \
    "$members" "$seconds" 64 || true
  kill "${servers[@]}" 2>/dev/null; wait "${servers[@]}" 2>/dev/null || true
done
