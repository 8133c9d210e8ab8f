#!/usr/bin/python3
"""The plain PyTorch peer of one MLP autoencoder run on a device (a GPU where one is lent): the
training set kept on the device and batched by a shuffled index (the fast way a PyTorch user
trains on MNIST-sized data), Adam 1e-3, the mean squared error, then the test SSE per image.
Each epoch's time is printed once the device has finished it.
bench/gpu_checks.sh runs it once per variant, one after another, as Hydra's basic launcher would.

Usage: python3 mlp_device.py [--latent 8] [--hidden 64] [--epochs 2] [--batch 128]
       [--images 0 (all)] [--device cuda] [--data DIR]
"""
import argparse
import time

import torch
from torch import nn

from peer_common import DATA, DeviceClock, emit, images


def autoencoder(hidden, latent):
    widths = [784] + hidden
    layers = []
    for i, o in zip(widths, widths[1:]):
        layers += [nn.Linear(i, o), nn.ReLU()]
    layers.append(nn.Linear(widths[-1], latent))
    back = [latent] + widths[::-1]
    for i, o in zip(back, back[1:]):
        layers += [nn.Linear(i, o), nn.ReLU()]
    layers[-1] = nn.Sigmoid()
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--latent", type=int, default=8)
    ap.add_argument("--hidden", default="64")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--images", type=int, default=0)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--data", default=DATA)
    a = ap.parse_args()
    start = time.perf_counter()
    torch.manual_seed(0)
    device = torch.device(a.device)
    x_train = images("train", a.data, a.images).to(device)
    x_test = images("t10k", a.data).to(device)
    model = autoencoder([int(w) for w in a.hidden.split(",") if w], a.latent).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    clock = DeviceClock(device)
    for epoch in range(a.epochs):
        clock.start()
        for batch in torch.randperm(len(x_train), device=device).split(a.batch):
            x = x_train[batch]
            opt.zero_grad()
            nn.functional.mse_loss(model(x), x).backward()
            opt.step()
        emit(workload="mlp_device", latent=a.latent, epoch=epoch + 1, seconds=clock.seconds(),
             timing=clock.method)
    with torch.no_grad():
        sse = ((model(x_test) - x_test) ** 2).sum(1).mean().item()
    emit(workload="mlp_device", latent=a.latent, test_sse=sse,
         seconds=time.perf_counter() - start)


if __name__ == "__main__":
    main()
