#!/usr/bin/python3
"""Checks the PCA one-class detector of a fashion_one_class results folder against an
independent computation: the same protocol (training images of one class after aelab's seeded
validation split, Fashion-MNIST from Debian), numpy only, AUROC by the Mann-Whitney U statistic.

usage: /usr/bin/python3 tools/check_pca_one_class.py results/fashion_one_class
"""
import gzip, sys, glob
import numpy as np
import h5py, yaml

ROOT = "/usr/share/datasets/fashion-mnist"

def idx(name):
    with gzip.open(f"{ROOT}/{name}.gz") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)

class MT64:
    """std::mt19937_64, which draws aelab's validation split."""
    def __init__(self, seed):
        self.mt = [0] * 312; self.i = 312; self.mt[0] = seed & (2**64 - 1)
        for i in range(1, 312):
            self.mt[i] = (6364136223846793005 * (self.mt[i-1] ^ (self.mt[i-1] >> 62)) + i) & (2**64 - 1)
    def __call__(self):
        if self.i >= 312:
            for i in range(312):
                x = (self.mt[i] & 0xFFFFFFFF80000000) | (self.mt[(i + 1) % 312] & 0x7FFFFFFF)
                xa = x >> 1
                if x & 1: xa ^= 0xB5026F5AA96619E9
                self.mt[i] = self.mt[(i + 156) % 312] ^ xa
            self.i = 0
        x = self.mt[self.i]; self.i += 1
        x ^= (x >> 29) & 0x5555555555555555
        x ^= (x << 17) & 0x71D67FFFEDA60000
        x ^= (x << 37) & 0xFFF7EEE000000000
        x ^= x >> 43
        return x & (2**64 - 1)

def auroc(scores, labels):  # Mann-Whitney U with average ranks for ties
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores)); s = scores[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]: j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1; i = j + 1
    pos = labels == 1; n1 = pos.sum(); n0 = len(labels) - n1
    return (ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)

train_x = idx("train-images-idx3-ubyte").reshape(60000, -1).astype(np.float64) / 255
train_y = idx("train-labels-idx1-ubyte").astype(np.int64)
test_x = idx("t10k-images-idx3-ubyte").reshape(10000, -1).astype(np.float64) / 255
test_y = idx("t10k-labels-idx1-ubyte").astype(np.int64)
recorded = {}
for path in glob.glob(sys.argv[1] + "/runs/*.h5"):
    with h5py.File(path) as f:
        config = yaml.safe_load(f.attrs["config_yaml"])
        if f.attrs["status"] != "completed": continue
        c = config["anomaly"]["normal_classes"]
        recorded.setdefault(c, set()).add(round(float(f["baseline/pca/test/auroc"][()]), 6))
        k = config["model"]["latent_dim"]
if not recorded:
    sys.exit(f"error: {sys.argv[1]}: no completed run files")
data = config["data"]
if data["name"] != "fashion_mnist" or data["subset"] is not None:
    sys.exit("error: the check needs runs on all of Fashion-MNIST (data=fashion_mnist, no subset)")
# aelab's validation split: Fisher-Yates on std::mt19937_64(split_seed), round(fraction * N) held out.
n = len(train_x)
order = list(range(n))
generator = MT64(data["split_seed"])
for i in range(n - 1, 0, -1):
    j = generator() % (i + 1)
    order[i], order[j] = order[j], order[i]
train_index = np.sort(np.array(order[int(round(data["val_fraction"] * n)):]))
x, y = train_x[train_index], train_y[train_index]
print(f"k = {k}; class: independent AUROC, aelab's recorded baseline/pca/test/auroc")
mean = []
for c in range(10):
    normal = x[y == c]
    mu = normal.mean(0)
    _, _, vt = np.linalg.svd(normal - mu, full_matrices=False)
    basis = vt[:k]
    centred = test_x - mu
    recon = centred @ basis.T @ basis
    scores = ((centred - recon) ** 2).sum(1)
    a = auroc(scores, (test_y != c).astype(int))
    mean.append(a)
    print(f"{c}: {a:.6f}  aelab {sorted(recorded.get(c, []))}  ({len(normal)} training images)")
print(f"mean: {np.mean(mean):.6f}")
