#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz and runs each for a fixed
# time, starting from the corpus kept in fuzz/corpus (new finds go to a scratch folder; a
# crash leaves its input in build-fuzz/ and fails the run).
# With FUZZ_RUNS=N each target instead runs N inputs from a fixed seed, so a run is the same on
# every machine: make test uses that, so CI fails only for a change in the code, never by luck.
set -euo pipefail
seconds=${1:-20}
if [[ -n ${FUZZ_RUNS:-} ]]; then
  budget=(-runs="$FUZZ_RUNS" -seed=1) shown="${FUZZ_RUNS} runs"
else
  budget=(-max_total_time="$seconds") shown="${seconds} s"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
CXX=clang++ cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j"$(nproc)" >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '%-14s %12s %10s %8s  %s\n' target budget runs seconds result
for target in json_body spreadsheet member_query; do
  mkdir -p "$scratch/$target"
  log="$build/fuzz_$target.log"
  started=$SECONDS
  if (cd "$build" && "./fuzz_$target" "${budget[@]}" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 "$scratch/$target" "$root/fuzz/corpus/$target" >"$log" 2>&1); then
    result=held
  else
    result="FAILED (see $log)"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  printf '%-14s %12s %10s %8s  %s\n' "$target" "$shown" "$runs" "$((SECONDS - started))" "$result"
  [[ $result == held ]] || { tail -40 "$log"; exit 1; }
done
