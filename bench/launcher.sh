#!/usr/bin/env bash
# Jobs per hour of a 12-job sweep on this machine's cores, measured in one run, each setting
# twice, alternating, into fresh results folders (the dataset and its PCA cache warmed first):
#   launcher.jobs=1 --threads 1   one job at a time, one thread (the sequential baseline)
#   launcher.jobs=1               one job at a time with every core (threads = cores / jobs)
#   launcher.jobs=2               two jobs at once, one thread each
# Usage: bench/launcher.sh [BUILD_DIR]   (EPOCHS=3 SUBSET=20000 change the workload)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
epochs=${EPOCHS:-3}
subset=${SUBSET:-20000}
work=$(mktemp -d /tmp/aelab-bench-launcher-XXXXXX)
trap 'rm -rf "$work"' EXIT
sweep=(-c sweeps/bottleneck "model=linear_ae,mlp_ae" "model.latent_dim=2,4,8,16,32,64"
       "data.subset=$subset" "trainer.epochs=$epochs" --quiet "--cache-dir=$work/cache")
"$build/bin/run_sweep" "${sweep[@]}" --out "$work/warm" --jobs 2 "model.latent_dim=2" \
  "trainer.epochs=1" >/dev/null
settings=("launcher.jobs=1 --threads=1" "launcher.jobs=1" "launcher.jobs=2")
declare -A total
for repeat in 1 2; do
  for i in "${!settings[@]}"; do
    read -r -a extra <<<"${settings[$i]}"
    start=$(date +%s%N)
    "$build/bin/run_sweep" "${sweep[@]}" --out "$work/r$repeat-$i" "${extra[@]}" \
      >"$work/r$repeat-$i.log"
    nanoseconds=$(($(date +%s%N) - start))
    grep -q "12 completed" "$work/r$repeat-$i.log" || { cat "$work/r$repeat-$i.log"; exit 1; }
    total[$i]=$((${total[$i]:-0} + nanoseconds))
    awk -v s="${settings[$i]}" -v r="$repeat" -v ns="$nanoseconds" 'BEGIN {
      printf "%-28s repeat %d: 12 jobs in %6.1f s (%5.0f jobs/hour)\n", s, r, ns / 1e9,
             12 * 3600 / (ns / 1e9) }'
  done
done
awk -v one="${total[0]}" -v all="${total[1]}" -v two="${total[2]}" -v cores="$(nproc)" 'BEGIN {
  printf "launcher.jobs=2: %.2fx the jobs per hour of launcher.jobs=1 at one thread, %.2fx of " \
         "launcher.jobs=1 with all %d cores\n", one / two, all / two, cores }'
