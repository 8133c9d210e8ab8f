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
for word in "${overrides[@]}"; do
  if [[ "$word" == -* ]]; then
    echo "error: OVERRIDES: '$word' is an option of run_sweep, not an override (OVERRIDES takes" \
      "key=value words, such as OVERRIDES='trainer.epochs=1 data.subset=2000')" >&2
    exit 2
  fi
done
# Overrides that change what the runs compute get a results folder of their own; the launcher's
# (where and how many at once, not launcher.stack) share the reproduction's, whose runs they are.
computing=()
for word in "${overrides[@]}"; do
  key="${word%%=*}"
  while [[ "$key" == [+~]* ]]; do key="${key:1}"; done
  if [ "$key" = launcher.stack ] || { [ "$key" != launcher ] && [[ "$key" != launcher.* ]]; }; then
    computing+=("$word")
  fi
done
suffix=""
if [ ${#computing[@]} -gt 0 ]; then
  suffix="-$(printf '%s' "${computing[*]}" | sha256sum | cut -c1-8)"
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
    known=$(cd "$here/configs/reproduce" && ls | sed 's/\.yaml$//')
    # The name a file or path was given for (one_class.yaml, configs/reproduce/one_class), or
    # the closest to a typo.
    guess=$(/usr/bin/python3 - "$name" $known <<'PY'
import difflib, os, sys
name, known = os.path.basename(sys.argv[1].rstrip("/")), sys.argv[2:]
name = name[:-len(".yaml")] if name.endswith(".yaml") else name
print(name if name in known else next(iter(difflib.get_close_matches(name, known, n=1)), ""))
PY
)
    hint=""
    if [ -n "$guess" ]; then hint="did you mean NAME=$guess? "; fi
    echo "error: NAME=$name: no such reproduction (${hint}those in configs/reproduce/:" \
      "$(echo $known | sed 's/ /, /g'))" >&2
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
    # A failed run (exit 1) leaves the others' results; the next reproduction still runs. A
    # mistake in the overrides (exit 2, said by run_sweep) or a Ctrl-C (3) ends them all.
    code=0
    if [ "${#configs[@]}" -gt 1 ]; then
      # Its configs share one results folder on purpose: run_sweep's warning that the folder
      # holds runs of another config is no news here.
      "$build/bin/run_sweep" -c "$config" --out "$results" --quiet "${overrides[@]}" \
        2> >(grep -v "run(s) of no job of this sweep" >&2) || code=$?
    else
      "$build/bin/run_sweep" -c "$config" --out "$results" --quiet "${overrides[@]}" || code=$?
    fi
    if [ "$code" = 2 ]; then exit 2; fi
    if [ "$code" != 0 ]; then ok=0; fi
    if [ "$code" -gt 2 ]; then
      # The time it ran counts once it is resumed: the report gives the sweep's whole time.
      echo $(( $(date +%s) - start )) >> "$results/wall_seconds.attempts"
      echo "reproduce: $name stopped (exit $code); make reproduce again resumes it" >&2
      exit "$code"
    fi
  done
  if [ "$ok" = 0 ]; then
    failed+=("$name")
    echo "reproduce: $name had failed runs (see above); no report" >&2
    continue
  fi
  elapsed=$(( $(date +%s) - start ))
  # The wall time of the sweep when it ran its jobs here, with the attempts a Ctrl-C ended (not
  # a rerun that found them done).
  if [ ! -f "$results/wall_seconds" ]; then
    earlier=0
    if [ -f "$results/wall_seconds.attempts" ]; then
      earlier=$(awk '{ s += $1 } END { print s + 0 }' "$results/wall_seconds.attempts")
    fi
    echo $(( elapsed + earlier )) > "$results/wall_seconds"
    rm -f "$results/wall_seconds.attempts"
  fi
  /usr/bin/python3 "$here/python/aelab/write_report.py" "$name" "$results" \
    -o "$out_root/$name$suffix.md" --overrides "${OVERRIDES:-}" --repro-out "$out_root"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "reproduce: no report for ${failed[*]}: some runs failed;" \
    "make reproduce again reruns them" >&2
  exit 1
fi
