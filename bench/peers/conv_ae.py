#!/usr/bin/python3
"""The plain PyTorch peer of aelab's default convolutional autoencoder (configs/encoder/conv.yaml,
configs/decoder/conv.yaml): the same layers and initialization (PyTorch's defaults, as LibTorch's),
Adam 1e-3, the mean squared error, a shuffling DataLoader.

Usage: /usr/bin/python3 conv_ae.py [--images N] [--test-images 1000] [--epochs 2] [--batch 128]
       [--latent 32] [--threads 1]
"""
import argparse

import torch
from torch import nn

from peer_common import DATA, DeviceClock, batches, emit, images


def block(c_in, c_out):
    return [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]


def conv_autoencoder(latent):
    encoder = nn.Sequential(*block(1, 32), nn.MaxPool2d(2), *block(32, 64), nn.MaxPool2d(2),
                            nn.Flatten(), nn.Linear(64 * 7 * 7, 256), nn.ReLU(),
                            nn.Linear(256, latent))
    decoder = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 64 * 7 * 7),
                            nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                            nn.Upsample(scale_factor=2, mode="nearest"), *block(64, 32),
                            nn.Upsample(scale_factor=2, mode="nearest"), *block(32, 32),
                            nn.Conv2d(32, 1, 3, padding=1), nn.Sigmoid())
    return nn.Sequential(encoder, decoder)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=0)
    ap.add_argument("--test-images", type=int, default=1000)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--latent", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    device = torch.device(a.device)
    x_train = images("train", a.data, a.images, flat=False).to(device)
    x_test = images("t10k", a.data, a.test_images, flat=False).to(device)
    model = conv_autoencoder(a.latent).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    clock = DeviceClock(device)
    for epoch in range(a.epochs):
        model.train()
        clock.start()
        for x in batches(x_train, a.batch, device):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), x)
            loss.backward()
            opt.step()
        emit(workload="conv", epoch=epoch + 1, seconds=clock.seconds(), timing=clock.method)
    model.eval()
    with torch.no_grad():
        sse = sum(((model(x) - x) ** 2).sum().item() for x in x_test.split(2000)) / len(x_test)
    emit(workload="conv", test_sse=sse)


if __name__ == "__main__":
    main()
