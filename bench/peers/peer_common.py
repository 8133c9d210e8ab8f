"""What every peer shares: the IDX reader a PyTorch user writes, and one JSON line per result."""
import gzip
import json
import time

import numpy as np
import torch

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path) as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def images(split, data=DATA, count=0, flat=True):
    """Images of `split` ("train" or "t10k") as float32 in [0, 1]: [N, 784], or [N, 1, 28, 28]."""
    x = torch.tensor(read_idx(f"{data}/{split}-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    if count:
        x = x[:count]
    return x.reshape(len(x), -1) if flat else x.unsqueeze(1)


def emit(**fields):
    print(json.dumps(fields), flush=True)


def batches(x, batch, device):
    """One epoch's shuffled minibatches of x: through a DataLoader on the CPU, as a PyTorch user
    writes it there; by a shuffled index on a GPU, where x already lives."""
    if device.type == "cpu":
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=batch,
                                             shuffle=True)
        return (b for (b,) in loader)
    return (x[i] for i in torch.randperm(len(x), device=device).split(batch))


class DeviceClock:
    """Times spans of work on `device`: with CUDA events on a GPU, as aelab_bench does; with the
    wall clock elsewhere."""

    def __init__(self, device):
        self.device = device
        self.cuda = device.type == "cuda"
        self.method = "cuda_events" if self.cuda else "steady_clock"
        if self.cuda:
            self.begin = torch.cuda.Event(enable_timing=True)
            self.end = torch.cuda.Event(enable_timing=True)

    def start(self):
        if self.cuda:
            self.begin.record(torch.cuda.current_stream(self.device))
        else:
            self.started = time.perf_counter()

    def seconds(self):
        """Seconds from start() to the end of the work queued so far (waits for it)."""
        if not self.cuda:
            return time.perf_counter() - self.started
        self.end.record(torch.cuda.current_stream(self.device))
        self.end.synchronize()
        return self.begin.elapsed_time(self.end) / 1000
