#!/usr/bin/python3
"""The scikit-learn peer of aelab's PCA fit: PCA(svd_solver="full") on the training images as
float32 in [0, 1], and the test SSE per image of the reconstruction at k components.

Usage: OMP_NUM_THREADS=1 /usr/bin/python3 pca.py [--components 32]
"""
import argparse
import time

import numpy as np
from sklearn.decomposition import PCA

from peer_common import DATA, emit, images


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--components", type=int, default=32)
    ap.add_argument("--data", default=DATA)
    a = ap.parse_args()
    start = time.perf_counter()
    x_train, x_test = images("train", a.data).numpy(), images("t10k", a.data).numpy()
    emit(workload="load", seconds=time.perf_counter() - start)
    start = time.perf_counter()
    pca = PCA(n_components=a.components, svd_solver="full").fit(x_train)
    seconds = time.perf_counter() - start
    recon = pca.inverse_transform(pca.transform(x_test)).astype(np.float64)
    sse = float(((recon - x_test.astype(np.float64)) ** 2).sum(1).mean())
    emit(workload="pca", seconds=seconds, components=a.components, test_sse=sse)


if __name__ == "__main__":
    main()
