#!/usr/bin/env bash
# make reproduce [NAME=name] [OVERRIDES='key=value ...']: runs the reproductions of published
# results in configs/reproduce/ (all, or NAME) and writes results/reproduce/<name>.md beside
# each results folder: aelab's numbers next to the published ones, the settings, the gap and
# the figure. A finished reproduction is not rerun (run_sweep skips completed runs).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD:-$here/build}"
out_root="${REPRO_OUT:-results/reproduce}"
names=("${NAME:-}")
if [ -z "${NAME:-}" ]; then
  names=()
  for f in "$here"/configs/reproduce/*.yaml; do names+=("$(basename "$f" .yaml)"); done
fi
# Word splitting of OVERRIDES is wanted: several overrides, separated by spaces.
read -r -a overrides <<< "${OVERRIDES:-}"
suffix=""
if [ ${#overrides[@]} -gt 0 ]; then
  suffix="-$(printf '%s' "${overrides[*]}" | sha256sum | cut -c1-8)"
fi
for name in "${names[@]}"; do
  config="$here/configs/reproduce/$name.yaml"
  if [ ! -f "$config" ]; then
    known=$(cd "$here/configs/reproduce" && ls *.yaml | sed 's/\.yaml$//' | tr '\n' ' ')
    echo "error: NAME=$name: no configs/reproduce/$name.yaml (reproductions: $known)" >&2
    exit 2
  fi
  if grep -qE '(^|[ ,:])mnist([ ,]|$)' "$config"; then bash "$here/tools/fetch_mnist.sh"; fi
  results="$out_root/$name$suffix"
  echo "reproduce: $name -> $results"
  start=$(date +%s)
  "$build/bin/run_sweep" -c "reproduce/$name" --out "$results" --quiet "${overrides[@]}"
  elapsed=$(( $(date +%s) - start ))
  # The wall time of the sweep when it ran its jobs here (not a rerun that found them done).
  [ -f "$results/wall_seconds" ] || echo "$elapsed" > "$results/wall_seconds"
  /usr/bin/python3 "$here/python/aelab/write_report.py" "$name" "$results" \
    -o "$out_root/$name$suffix.md" --overrides "${OVERRIDES:-}"
done
