#!/usr/bin/env bash
# `make bench`: aelab's trainer against the plain-PyTorch peer (../shared/bench), same workload
# (784-512-256-32 MLP autoencoder, batch 128, 1 thread, Fashion-MNIST), side by side in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=../shared/bench/peer_pytorch_ae.py
epochs=${EPOCHS:-2}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "bench: installing python3-torch for the peer"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq python3-torch >/dev/null; else sudo apt-get install -y -qq python3-torch >/dev/null; fi
fi
echo "== peer (PyTorch, Python) =="
peer_out=$(/usr/bin/python3 "$peer" --epochs "$epochs" --threads 1)
echo "$peer_out"
echo "== aelab (bench_trainer) =="
ours_out=$(build/bin/bench_trainer --epochs "$epochs" --threads 1)
echo "$ours_out"
# Compare the last epoch of each (the first includes warm-up).
peer_s=$(echo "$peer_out" | tail -1 | sed -E 's/.*: ([0-9.]+) s,.*/\1/')
ours_s=$(echo "$ours_out" | tail -1 | sed -E 's/.*: ([0-9.]+) s,.*/\1/')
awk -v p="$peer_s" -v o="$ours_s" 'BEGIN { printf "seconds per epoch: peer %.2f, aelab %.2f; aelab is %.2fx the peer'"'"'s speed\n", p, o, p / o }'
