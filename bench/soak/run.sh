#!/usr/bin/env bash
# Soak test (bench/soak/soak.mjs): serves a fresh demo chain and drives ~50 requests/s of mixed
# till and staff traffic for SOAK_MINUTES (default 30), sampling the server's memory, threads and
# descriptors; prints memory per minute, errors and latency by kind, and writes the raw samples
# as JSON. SOAK_RATE changes the request rate, SOAK_BACKEND=postgres runs it on a throwaway
# PostgreSQL cluster, SOAK_DIR is where the JSON and server log go, SOAK_OPS=a,b keeps only some
# kinds of traffic (to find which one a growth comes with). Figures are printed, never asserted:
# memory growth prints a WARNING, not a failure.
set -euo pipefail
build=${1:-build}
[[ $# -gt 0 ]] && shift   # anything further goes to soak.mjs (--minutes, --rate, ...)
here=$(cd "$(dirname "$0")" && pwd)

if [[ ${SOAK_BACKEND:-sqlite} == postgres && -z ${STORECRM_TEST_PG:-} ]]; then
  exec bash "$here/../../scripts/with-postgres.sh" bash "$0" "$build" "$@"
fi
export STORECRM_BIN=${STORECRM_BIN:-$(realpath "$build")/storecrm}
exec node "$here/soak.mjs" "$@"
