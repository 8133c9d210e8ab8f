#!/usr/bin/env bash
# The standing GPU checks in one device run (../shared/gpu/README.md says how to build there):
#   bash .gpu/build_on_device.sh && . .gpu/env.sh && bash bench/gpu_checks.sh build-gpu "$OUT"
# Each check is timed and logged to OUT/gpu_checks.log, with one table row in OUT/gpu_checks.md
# (results and caches stay in WORK, /tmp/aelab-gpu-work); a failing check does not stop the
# others. What it runs, all with device=$DEVICE:
#   ctest; the demo's sweep; a sweep with launcher.jobs_per_device=4 whose run files must say
#   cuda:0; trainer.precision bf16 against fp32; 64 variants 784-64-k (k = 2..65) stacked in one
#   worker, as processes per device, and as 64 sequential runs of the plain PyTorch peer.
# DEVICE=cpu SMALL=1 runs the same plumbing on a CPU, on small data, to check the script itself;
# SKIP="ctest demo" leaves checks out.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-gpu}
out=$(realpath -m "${2:-${OUT:-/tmp/aelab-gpu-checks}}")
work=${WORK:-/tmp/aelab-gpu-work}
device=${DEVICE:-cuda}
data=${AELAB_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
python=${PYTHON:-python3}
mkdir -p "$out" "$work"
log=$out/gpu_checks.log
summary=$out/gpu_checks.md
sweep=("$build/bin/run_sweep" "data.root=$data" "device=$device" "--cache-dir=$work/cache")
small=()
epochs=2
last=65  # the variants' code sizes: 2..last
if [ -n "${SMALL:-}" ]; then small=("data.subset=2000"); epochs=1; last=9; fi
peer_images=$([ -n "${SMALL:-}" ] && echo 2000 || echo 0)

printf '| check | exit | seconds | result |\n|---|---:|---:|---|\n' >"$summary"
check() {  # check NAME RESULT-COMMAND -- COMMAND...: runs COMMAND, then RESULT-COMMAND for the row
  local name=$1 result=$2
  shift 3
  [[ " ${SKIP:-} " == *" $name "* ]] && return
  echo "== $name: $*" >>"$log"
  local start end code
  start=$(date +%s.%N)
  "$@" >>"$log" 2>&1
  code=$?
  end=$(date +%s.%N)
  printf '| %s | %d | %.1f | %s |\n' "$name" "$code" "$(echo "$end - $start" | bc)" \
    "$(eval "$result" 2>/dev/null | tr '\n' ' ')" >>"$summary"
}
last_line() { grep -E "$1" "$log" | tail -1; }

check device "last_line 'cuda (True|False)'; nvidia-smi -L 2>/dev/null | head -1" -- \
  "$python" -c "import torch; print(torch.__version__, 'cuda', torch.cuda.is_available())"
check ctest "last_line 'tests passed'" -- \
  bash -c "cd '$build' && ctest -j$(nproc) --timeout 300 --output-on-failure"
check demo "last_line 'job\\(s\\): '" -- \
  "${sweep[@]}" -c sweeps/bottleneck "${small[@]}" --quiet "--out=$work/demo"
check jobs_per_device "echo \$(grep -l 'cuda:0' $work/per_device/runs/*.h5 | wc -l) of 8 run files say cuda:0" -- \
  "${sweep[@]}" model=mlp_ae "model.latent_dim=2,3,4,5,6,7,8,9" "trainer.epochs=$epochs" \
  "${small[@]}" launcher.jobs_per_device=4 --quiet "--out=$work/per_device"
check precision "grep -h '\\] completed' $log | tail -2" -- \
  "${sweep[@]}" model=mlp_ae "trainer.precision=fp32,bf16" "trainer.epochs=$epochs" \
  "${small[@]}" --jobs 1 "--out=$work/precision"
variants=("${sweep[@]}" model=mlp_ae "encoder.hidden=[64]" "decoder.hidden=[64]"
  "model.latent_dim=range(2,$((last + 1)))" "trainer.epochs=$epochs" "${small[@]}" --quiet)
check stacked "last_line 'job\\(s\\): '" -- \
  "${variants[@]}" launcher.stack=64 --jobs 1 "--out=$work/stacked"
check processes "last_line 'job\\(s\\): '" -- \
  "${variants[@]}" launcher.jobs_per_device=8 --jobs 8 "--out=$work/processes"
check peer_sequential "echo \$(grep -c '\"workload\": \"mlp_device\"' $log) runs" -- bash -c "
  for k in \$(seq 2 $last); do
    $python bench/peers/mlp_device.py --latent \$k --hidden 64 --epochs $epochs \
      --images $peer_images --device $device --data '$data' || exit 1
  done"
seconds_of() { awk -F'|' -v name=" $1 " '$2 == name { print $4 + 0 }' "$summary"; }
peer=$(seconds_of peer_sequential)
for way in stacked processes; do
  mine=$(seconds_of "$way")
  [ -n "$mine" ] && [ -n "$peer" ] && awk -v m="$mine" -v p="$peer" -v w="$way" -v n=$((last - 1)) \
    'BEGIN { if (m > 0) printf "%d variants %s: %.2fx the jobs per hour of the sequential peer\n", n, w, p / m }' |
    tee -a "$summary"
done
cat "$summary"
echo "log: $log"
