#!/usr/bin/env bash
# make reproduce [NAME=name] [OVERRIDES='key=value ...']: runs the reproductions of published
# results in configs/reproduce/ (all, or NAME) and writes results/reproduce/<name>.md beside
# each results folder: aelab's numbers next to the published ones, the settings, the gap and
# the figure. A reproduction is configs/reproduce/<name>.yaml, or a folder <name>/ of configs
# whose sweeps share one results folder. Finished runs are not rerun (run_sweep skips them).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD:-$here/build}"
out_root="${REPRO_OUT:-results/reproduce}"
names=("${NAME:-}")
if [ -z "${NAME:-}" ]; then
  names=()
  for f in "$here"/configs/reproduce/*; do names+=("$(basename "$f" .yaml)"); done
fi
# Word splitting of OVERRIDES is wanted: several overrides, separated by spaces.
read -r -a overrides <<< "${OVERRIDES:-}"
suffix=""
if [ ${#overrides[@]} -gt 0 ]; then
  suffix="-$(printf '%s' "${overrides[*]}" | sha256sum | cut -c1-8)"
fi
failed=()
for name in "${names[@]}"; do
  configs=()
  if [ -f "$here/configs/reproduce/$name.yaml" ]; then configs=("reproduce/$name")
  elif [ -d "$here/configs/reproduce/$name" ]; then
    for f in "$here/configs/reproduce/$name"/*.yaml; do
      configs+=("reproduce/$name/$(basename "$f" .yaml)")
    done
  else
    known=$(cd "$here/configs/reproduce" && ls | sed 's/\.yaml$//' | tr '\n' ' ')
    echo "error: NAME=$name: no configs/reproduce/$name.yaml (reproductions: $known)" >&2
    exit 2
  fi
  if [ ! -f "$here/python/aelab/reports/$name.py" ]; then
    echo "error: NAME=$name: no report python/aelab/reports/$name.py to write its results up" >&2
    exit 2
  fi
  results="$out_root/$name$suffix"
  start=$(date +%s)
  ok=1
  for config in "${configs[@]}"; do
    if grep -qE '(^|[ ,:/])mnist([ ,]|$)' "$here/configs/$config.yaml"; then
      bash "$here/tools/fetch_mnist.sh"
    fi
    echo "reproduce: $config -> $results"
    # A failed run (exit 1) leaves the others' results; the next reproduction still runs.
    "$build/bin/run_sweep" -c "$config" --out "$results" --quiet "${overrides[@]}" || ok=0
  done
  if [ "$ok" = 0 ]; then
    failed+=("$name")
    echo "reproduce: $name had failed runs (see above); no report" >&2
    continue
  fi
  elapsed=$(( $(date +%s) - start ))
  # The wall time of the sweep when it ran its jobs here (not a rerun that found them done).
  [ -f "$results/wall_seconds" ] || echo "$elapsed" > "$results/wall_seconds"
  /usr/bin/python3 "$here/python/aelab/write_report.py" "$name" "$results" \
    -o "$out_root/$name$suffix.md" --overrides "${OVERRIDES:-}"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "reproduce: no report for ${failed[*]}: some runs failed;" \
    "make reproduce again reruns them" >&2
  exit 1
fi
