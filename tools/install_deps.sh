#!/usr/bin/env bash
# Installs aelab's build and run dependencies from Debian's archive; safe to run repeatedly.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  libtorch-dev libopenblas0-openmp
  libyaml-cpp-dev libhdf5-dev libfmt-dev libboost-program-options-dev
  libgtest-dev zlib1g-dev
  dataset-fashion-mnist
  python3-h5py python3-numpy python3-yaml python3-matplotlib python3-pandas
  slurmctld slurmd slurm-client munge  # the Slurm launcher's test runs a one-node cluster
)

# `make bench` also runs the peers: plain PyTorch on the same LibTorch, and scikit-learn.
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-torch python3-sklearn)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: installing ${missing[*]} needs root or sudo" >&2; exit 2; }
  sudo="sudo"
fi
echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
