#!/usr/bin/python3
"""The plain PyTorch peer of aelab's VAE: pytorch/examples' vae/main.py (784-400-20-400-784,
Bernoulli likelihood, standard normal prior, Adam 1e-3, batch 128), then the importance-sampled
negative log-likelihood (the IWAE bound of Burda et al. 2016) of test images, image by image.

Usage: /usr/bin/python3 vae.py [--epochs 2] [--nll-images 1000] [--is-samples 1000] [--threads 1]
"""
import argparse
import math

import torch
from torch import nn
from torch.nn import functional as F

from peer_common import DATA, DeviceClock, batches, emit, images


class VAE(nn.Module):
    def __init__(self, latent):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, latent)
        self.fc22 = nn.Linear(400, latent)
        self.fc3 = nn.Linear(latent, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def log_normal(z, mean, logvar):
    return (-0.5 * (math.log(2 * math.pi) + logvar + (z - mean) ** 2 / logvar.exp())).sum(-1)


def importance_sampled_nll(model, x_test, samples):
    total = 0.0
    for x in x_test:
        mu, logvar = model.encode(x.unsqueeze(0))
        z = mu + torch.randn(samples, mu.shape[1], device=mu.device) * torch.exp(0.5 * logvar)
        recon = model.decode(z)
        log_px_z = -F.binary_cross_entropy(recon, x.expand_as(recon), reduction="none").sum(1)
        log_w = log_px_z + log_normal(z, torch.zeros_like(z), torch.zeros_like(z)) \
            - log_normal(z, mu, logvar)
        total -= (torch.logsumexp(log_w.double(), 0) - math.log(samples)).item()
    return total / len(x_test)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--latent", type=int, default=20)
    ap.add_argument("--nll-images", type=int, default=1000)
    ap.add_argument("--is-samples", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    device = torch.device(a.device)
    x_train = images("train", a.data).to(device)
    x_test = images("t10k", a.data, a.nll_images).to(device)
    model = VAE(a.latent).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    clock = DeviceClock(device)
    for epoch in range(a.epochs):
        model.train()
        clock.start()
        for x in batches(x_train, a.batch, device):
            opt.zero_grad()
            recon, mu, logvar = model(x)
            loss = loss_function(recon, x, mu, logvar)
            loss.backward()
            opt.step()
        emit(workload="vae", epoch=epoch + 1, seconds=clock.seconds(), timing=clock.method)
    model.eval()
    with torch.no_grad():
        clock.start()
        nll = importance_sampled_nll(model, x_test, a.is_samples)
        emit(workload="is_nll", seconds=clock.seconds(), images=len(x_test),
             samples=a.is_samples, nll=nll, timing=clock.method)


if __name__ == "__main__":
    main()
