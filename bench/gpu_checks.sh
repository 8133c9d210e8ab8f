#!/usr/bin/env bash
# The standing GPU checks in one device run (../shared/gpu/README.md says how to build there):
#   bash .gpu/build_on_device.sh && SKIP=ctest bash bench/gpu_checks.sh build-gpu "$OUT"
# then, in a second call while the machine is warm (ctest alone takes minutes):
#   bash .gpu/build_on_device.sh && ONLY=ctest bash bench/gpu_checks.sh build-gpu "$OUT"
# Each check is timed, bounded by its own time limit, and logged to OUT/gpu_checks.log, with one
# table row in OUT/gpu_checks.md (results and caches stay in WORK, /tmp/aelab-gpu-work); a failing
# check does not stop the others. The checks come in the order of what the issue needs most, so
# that a run cut short still brings back the first ones. What it runs, all with device=$DEVICE:
#   ctest_data: the tests that read gzip and HDF5 files, which crashed on the first GPU machine;
#   suite: the `make bench` epochs, each workload and its plain PyTorch peer on the device
#     (aelab_bench --device, bench/peers/*.py --device), one after the other; per-epoch times in
#     OUT/suite.jsonl and a table of the epochs after the first (warm-up) in gpu_checks.md;
#   stacked, processes, peer_sequential: 64 variants 784-64-k (k = 2..65) stacked in one worker,
#     as 8 processes on the device, and as sequential runs of the plain PyTorch peer on the same
#     54,000 training images (one run in PEER_EVERY, 8 by default, the total scaled to 64 runs);
#   stacked_epochs: the same 64 variants' epochs in aelab_bench (no sweep around them);
#   demo: the demo's sweep; precision: trainer.precision bf16 against fp32; jobs_per_device: a
#     sweep with launcher.jobs_per_device=4 whose run files must say cuda:0; ctest (SKIP it where a
#     second run builds and runs the tests).
# DEVICE=cpu SMALL=1 runs the same plumbing on a CPU, on small data, to check the script itself;
# SKIP="ctest demo" leaves checks out; ONLY="ctest" runs those alone.
set -uo pipefail
cd "$(dirname "$0")/.."
# build_on_device.sh writes the library path and the dataset's folder here; each device call
# carries .gpu afresh, so the file exists only once that script has run in the same call.
if [ -f .gpu/env.sh ]; then . .gpu/env.sh; fi
build=${1:-build-gpu}
out=$(realpath -m "${2:-${OUT:-/tmp/aelab-gpu-checks}}")
work=${WORK:-/tmp/aelab-gpu-work}
device=${DEVICE:-cuda}
data=${AELAB_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
python=${PYTHON:-python3}
peer_every=${PEER_EVERY:-8}
mkdir -p "$out" "$work"
log=$out/gpu_checks.log
summary=$out/gpu_checks.md
suite=$out/suite.jsonl
: >"$log"
: >"$suite"
# Each run's sweeps start empty (a sweep would skip runs done before); the caches stay.
rm -rf "$work"/{stacked,processes,demo,precision,per_device}
sweep=("$build/bin/run_sweep" "data.root=$data" "device=$device" "--cache-dir=$work/cache")
small=()
epochs=2
last=65  # the variants' code sizes: 2..last
images=0          # training images of the suite's workloads (0: all)
peer_images=54000 # the sequential peer's: those a sweep's runs train on (data.val_fraction 0.1)
if [ -n "${SMALL:-}" ]; then
  small=("data.subset=2000"); epochs=1; last=9; images=2000; peer_images=1800
fi

printf '| check | exit | seconds | result |\n|---|---:|---:|---|\n' >"$summary"
check() {  # check NAME LIMIT-SECONDS RESULT-COMMAND -- COMMAND...: runs COMMAND, then the row
  local name=$1 limit=$2 result=$3
  shift 4
  [[ " ${SKIP:-} " == *" $name "* ]] && return
  [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]] && return
  echo "== $name (limit ${limit} s): $*" >>"$log"
  local start end code
  start=$(date +%s.%N)
  timeout -k 10 "$limit" "$@" >>"$log" 2>&1
  code=$?
  end=$(date +%s.%N)
  local seconds
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')  # no bc on the GPU machine
  printf '| %s | %d | %.1f | %s |\n' "$name" "$code" "$seconds" \
    "$(eval "$result" 2>/dev/null | tr '\n' ' ')" >>"$summary"
}
last_line() { grep -E "$1" "$log" | tail -1; }

# suite_run LABEL SIDE COMMAND...: the command's JSON lines, tagged, into suite.jsonl.
suite_run() {
  local label=$1 side=$2
  shift 2
  "$@" | sed -u "s/^{/{\"label\": \"$label\", \"side\": \"$side\", /" | tee -a "$suite"
}
run_suite() {  # fails when any of its runs fails
  set -o pipefail
  local bench=("$build/bin/aelab_bench" --device "$device" --data "$data" --epochs 3)
  local peers=bench/peers nll=() failed=0
  [ -n "${SMALL:-}" ] && nll=(--nll-images 20 --is-samples 100)
  for widths in "512,256 32 mlp" "64 8 mlp_small"; do
    set -- $widths
    suite_run "$3" aelab "${bench[@]}" mlp --hidden "$1" --latent "$2" --images "$images" ||
      failed=1
    suite_run "$3" peer "$python" $peers/mlp_device.py --hidden "$1" --latent "$2" --epochs 3 \
      --images "$images" --device "$device" --data "$data" || failed=1
  done
  suite_run conv aelab "${bench[@]}" conv --images "$images" || failed=1
  suite_run conv peer "$python" $peers/conv_ae.py --epochs 3 --images "$images" \
    --device "$device" --data "$data" || failed=1
  suite_run vae aelab "${bench[@]}" vae "${nll[@]}" || failed=1
  suite_run vae peer "$python" $peers/vae.py --epochs 3 "${nll[@]}" --device "$device" \
    --data "$data" || failed=1
  return $failed
}
suite_table() {  # the mean epoch after the first, and IS-NLL, of each side
  "$python" - "$suite" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
def pick(label, side, workload):
    return [r for r in rows if r["label"] == label and r["side"] == side and "seconds" in r
            and (r.get("workload") == "is_nll") == (workload == "is_nll")]
def seconds(label, side, workload):
    picked = [r["seconds"] for r in pick(label, side, workload)
              if workload == "is_nll" or r.get("epoch", 1) > 1]
    return sum(picked) / len(picked) if picked else None
def timing(label, side, workload):
    return "/".join(sorted({r["timing"] for r in pick(label, side, workload) if "timing" in r}))
def check(label, side, workload):
    key = "nll" if workload == "is_nll" else "test_sse"
    values = [r[key] for r in rows if r["label"] == label and r["side"] == side and key in r]
    return f"{key} {values[-1]:.3f}" if values else ""
for label, workload in [("mlp", "epoch"), ("mlp_small", "epoch"), ("conv", "epoch"),
                        ("vae", "epoch"), ("vae", "is_nll")]:
    mine, peer = seconds(label, "aelab", workload), seconds(label, "peer", workload)
    if mine and peer:
        name = "is_nll" if workload == "is_nll" else label
        print(f"{name}: {mine:.3f} s vs {peer:.3f} s ({mine / peer:.2f}x; "
              f"{check(label, 'aelab', workload)} vs {check(label, 'peer', workload)}; "
              f"{timing(label, 'aelab', workload)} vs {timing(label, 'peer', workload)});")
PY
}

export -f suite_run run_suite
export build device data python images suite
check device 60 "last_line 'cuda (True|False)'; nvidia-smi -L 2>/dev/null | head -1" -- \
  "$python" -c "import torch; print(torch.__version__, 'cuda', torch.cuda.is_available())"
check ctest_data 90 "last_line 'tests passed'" -- \
  bash -c "cd '$build' && bin/test_data --gtest_filter='IdxFile.*:DecodedCache.*' &&
    bin/test_models --gtest_filter='Pca.*' && echo 'data tests passed'"
check suite 150 suite_table -- bash -c run_suite
variants=("${sweep[@]}" model=mlp_ae "encoder.hidden=[64]" "decoder.hidden=[64]"
  "model.latent_dim=range(2,$((last + 1)))" "trainer.epochs=$epochs" "${small[@]}" --quiet)
check stacked 120 "last_line 'job\\(s\\): '" -- \
  "${variants[@]}" launcher.stack=64 --jobs 1 "--out=$work/stacked"
check processes 120 "last_line 'job\\(s\\): '" -- \
  "${variants[@]}" launcher.jobs_per_device=8 --jobs 8 "--out=$work/processes"
peer_runs=$(seq 2 "$peer_every" "$last" | wc -l)
peer_count="sed -n '/^== peer_sequential/,\$p' $log | grep -c '\"test_sse\"'"
check peer_sequential 120 "echo \$($peer_count) of $peer_runs runs" -- bash -c "
  for k in \$(seq 2 $peer_every $last); do
    $python bench/peers/mlp_device.py --latent \$k --hidden 64 --epochs $epochs \
      --images $peer_images --device $device --data '$data' || exit 1
  done"
check stacked_epochs 90 "grep '\"workload\": \"stacked\", \"epoch\"' $log | tail -2" -- \
  "$build/bin/aelab_bench" stacked --variants $((last - 1)) --hidden 64 --epochs 3 \
  --images "$images" --device "$device" --data "$data"
check demo 120 "last_line 'job\\(s\\): '" -- \
  "${sweep[@]}" -c sweeps/bottleneck "${small[@]}" --quiet "--out=$work/demo"
check precision 60 "grep -h '\\] completed' $log | tail -2" -- \
  "${sweep[@]}" model=mlp_ae "trainer.precision=fp32,bf16" "trainer.epochs=$epochs" \
  "${small[@]}" --jobs 1 "--out=$work/precision"
on_gpu0="grep -l 'cuda:0' $work/per_device/runs/*.h5 | wc -l"
check jobs_per_device 60 "echo \$($on_gpu0) of 8 run files say cuda:0" -- \
  "${sweep[@]}" model=mlp_ae "model.latent_dim=2,3,4,5,6,7,8,9" "trainer.epochs=$epochs" \
  "${small[@]}" launcher.jobs_per_device=4 --quiet "--out=$work/per_device"
check ctest 400 "last_line 'tests passed'" -- \
  bash -c "cd '$build' && ctest -j$(nproc) --timeout 300 --output-on-failure"

seconds_of() { awk -F'|' -v name=" $1 " '$2 == name { print $4 + 0 }' "$summary"; }
peer=$(seconds_of peer_sequential)
for way in stacked processes; do
  mine=$(seconds_of "$way")
  [ -n "$mine" ] && [ -n "$peer" ] &&
    awk -v m="$mine" -v p="$peer" -v w="$way" -v n=$((last - 1)) -v runs="$peer_runs" 'BEGIN {
      if (m > 0) printf "%d variants %s: %.1f s; the sequential peer, %d runs scaled to %d: " \
        "%.1f s; %.2fx its jobs per hour\n", n, w, m, runs, n, p * n / runs, p * n / runs / m }' |
    tee -a "$summary"
done
cat "$summary"
echo "log: $log"
