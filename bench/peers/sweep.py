#!/usr/bin/python3
"""The plain PyTorch peer of the demo sweep (configs/sweeps/bottleneck.yaml): its 18 jobs (PCA,
linear and MLP autoencoders at k = 2..64 on Fashion-MNIST) run one after another in one process,
the way Hydra's default launcher runs a multirun, each job loading its data, training 10 epochs
(Adam 3e-3, cosine decay, batch 128, 10% validation) and writing its metrics to a JSON file.

Usage: /usr/bin/python3 sweep.py --out DIR [--epochs 10] [--threads 0 (PyTorch's default)]
"""
import argparse
import json
import os
import time

import torch
from sklearn.decomposition import PCA
from torch import nn

from peer_common import DATA, emit, images

FAMILIES = ("pca", "linear_ae", "mlp_ae")
LATENT_DIMS = (2, 4, 8, 16, 32, 64)


def autoencoder(family, k):
    if family == "linear_ae":
        return nn.Sequential(nn.Linear(784, k), nn.Linear(k, 784))
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                         nn.Linear(256, k), nn.Linear(k, 256), nn.ReLU(), nn.Linear(256, 512),
                         nn.ReLU(), nn.Linear(512, 784), nn.Sigmoid())


def sse(reconstruct, x):
    with torch.no_grad():
        return sum(((reconstruct(b) - b) ** 2).sum().item() for b in x.split(2000)) / len(x)


def run_job(family, k, epochs, data):
    torch.manual_seed(0)
    x, x_test = images("train", data), images("t10k", data)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    n_val = len(x) // 10
    x_val, x_train = x[order[:n_val]], x[order[n_val:]]
    history = []
    if family == "pca":
        pca = PCA(n_components=k, svd_solver="full").fit(x_train.numpy())
        reconstruct = lambda b: torch.from_numpy(pca.inverse_transform(pca.transform(b.numpy())))
    else:
        model = autoencoder(family, k)
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train),
                                             batch_size=128, shuffle=True)
        for _ in range(epochs):
            model.train()
            for (b,) in loader:
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(b), b)
                loss.backward()
                opt.step()
            schedule.step()
            model.eval()
            history.append(sse(model, x_val))
        reconstruct = model
    return {"train/sse": sse(reconstruct, x_train), "val/sse": sse(reconstruct, x_val),
            "test/sse": sse(reconstruct, x_test), "val/sse_history": history}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--data", default=DATA)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    start = time.perf_counter()
    jobs = [(family, k) for family in FAMILIES for k in LATENT_DIMS]
    for index, (family, k) in enumerate(jobs):
        job_dir = os.path.join(a.out, str(index))
        os.makedirs(job_dir, exist_ok=True)
        metrics = run_job(family, k, a.epochs, a.data)
        with open(os.path.join(job_dir, "metrics.json"), "w") as f:
            json.dump({"model": family, "latent_dim": k, **metrics}, f)
    emit(workload="sweep", seconds=time.perf_counter() - start, jobs=len(jobs))


if __name__ == "__main__":
    main()
