#!/usr/bin/env bash
# Analytics bench: the engine's reports on BENCH_ANALYTICS_MEMBERS members and BENCH_ANALYTICS_LINES
# sale lines beside the same queries as SQLite SQL (bench_analytics), then as DuckDB SQL
# (bench/duckdb, the npm package @duckdb/node-api, installed here only). Figures are printed,
# never asserted; the DuckDB part never fails the bench: without node or the npm registry it says
# so and is skipped.
set -euo pipefail
build=${1:-build}
members=${BENCH_ANALYTICS_MEMBERS:-1000000}
lines=${BENCH_ANALYTICS_LINES:-10000000}
db="$build/bench_lines.db"  # bench_analytics writes $db.sales.csv, .lines.csv and .queries.tsv beside it
here=$(cd "$(dirname "$0")" && pwd)

"$build/bench/bench_analytics" "$members" "$lines" "$db"

duckdb() {
  local dir="$here/duckdb"
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "duckdb: node/npm not found; skipping the DuckDB figures"
    return 0
  fi
  # npm ci only when node_modules is missing or the lock file changed since the last install.
  if [[ ! -f $dir/node_modules/.package-lock.json || $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    if ! (cd "$dir" && timeout 600 npm ci --no-audit --no-fund >"$dir/npm-ci.log" 2>&1); then
      echo "duckdb: 'npm ci' in bench/duckdb failed (is the npm registry reachable? see bench/duckdb/npm-ci.log);" \
        "skipping the DuckDB figures"
      return 0
    fi
    touch "$dir/node_modules/.package-lock.json"
  fi
  node "$dir/duckdb_bench.mjs" "$db" || echo "duckdb: the DuckDB bench failed; figures above are without it"
}
duckdb || true
