#!/usr/bin/env bash
# Member bench: fills (once) a database with BENCH_MEMBERS generated members, serves it, and
# runs the HTTP load beside the raw SQLite limits. Figures are printed, never asserted.
set -euo pipefail
build=${1:-build}
members=${BENCH_MEMBERS:-1000000}
seconds=${BENCH_SECONDS:-5}
dir=${BENCH_DIR:-/tmp/storecrm-bench}
port=${BENCH_PORT:-18480}
mkdir -p "$dir"
"$build/bench/bench_fill" "$dir/bench.db" "$dir/storecrm.key" "$members" "$dir/token"
"$build/storecrm" serve --db "$dir/bench.db" --key-file "$dir/storecrm.key" --port "$port" --address 127.0.0.1 \
  >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
"$build/bench/bench_members_http" "$port" "$dir/token" "$dir/bench.db" "$dir/storecrm.key" "$members" "$seconds" 64
