#!/usr/bin/env bash
# `make fuzz`: builds the fuzz targets with clang's libFuzzer (and ASan/UBSan) in build-fuzz/ and
# runs each for FUZZ_SECONDS (default 60) on a working copy of its seed corpus in fuzz/corpus/.
# FUZZ_RUNS=N runs each for N executions instead; FUZZ_TARGETS picks some (default: all);
# FUZZ_MAX_LEN caps the input size (default: libFuzzer's choice); FUZZ_SANITIZERS=OFF (with
# FUZZ_BUILD=another folder) builds without ASan/UBSan, for long runs at a few times the speed. Prints each target's executions; a crash stops with
# the failing input saved under build-fuzz/crashes/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build-fuzz}
for tool in clang clang++; do
  command -v $tool >/dev/null || { echo "error: $tool is missing; run tools/install_deps.sh" >&2; exit 2; }
done
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DAELAB_FUZZ=ON -DAELAB_FUZZ_SANITIZERS="${FUZZ_SANITIZERS:-ON}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
fi
cmake --build "$build" -j "${JOBS:-2}" >/dev/null
targets=${FUZZ_TARGETS:-$(cd fuzz && ls ./*_fuzzer.cpp | sed 's|^\./||; s|\.cpp$||')}
status=0
for target in $targets; do
  corpus="$build/corpus/$target"
  crashes="$build/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  cp -n fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  log="$build/$target.log"
  budget=(-max_total_time="$seconds")
  [ -n "${FUZZ_RUNS:-}" ] && budget=(-runs="$FUZZ_RUNS")
  [ -n "${FUZZ_MAX_LEN:-}" ] && budget+=(-max_len="$FUZZ_MAX_LEN")
  start=$(date +%s)
  if "$build/bin/$target" "$corpus" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$crashes/" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    echo "$target: $runs executions in $(( $(date +%s) - start ))s, no crash"
  else
    echo "$target: FAILED; the input is in $crashes/, the log in $log" >&2
    tail -n 30 "$log" >&2
    status=1
  fi
done
exit $status
