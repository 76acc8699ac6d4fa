#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz and runs each for a fixed
# time, starting from the corpus kept in fuzz/corpus (new finds go to a scratch folder; a
# crash leaves its input in build-fuzz/ and fails the run).
set -euo pipefail
seconds=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
CXX=clang++ cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j"$(nproc)" >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '%-14s %8s %10s  %s\n' target seconds runs result
for target in json_body spreadsheet member_query; do
  mkdir -p "$scratch/$target"
  log="$build/fuzz_$target.log"
  if (cd "$build" && "./fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 "$scratch/$target" "$root/fuzz/corpus/$target" >"$log" 2>&1); then
    result=held
  else
    result="FAILED (see $log)"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  printf '%-14s %8s %10s  %s\n' "$target" "$seconds" "$runs" "$result"
  [[ $result == held ]] || { tail -40 "$log"; exit 1; }
done
