#!/usr/bin/python3
"""`make bench`: every workload against its peer, side by side in one run, in one table.

Each workload runs as aelab (bench/aelab_bench) and as its peer (plain PyTorch or scikit-learn,
bench/peers/ and ../shared/bench/), alternating which goes first, `--reps` times. A row gives
the median time of each side, the ratio aelab / peer (the median of the pairs' ratios: below 1
is faster), and the fraction of the arithmetic floor aelab reached: the workload's FLOPs at
the float32 GEMM rate this suite measures at start-up, over aelab's time. Results are appended
to results/bench/history.jsonl with the commit and machine, and each workload is compared
with the last earlier run that measured it.

Usage: /usr/bin/python3 bench/run_bench.py [--build build] [--reps 3] [--only mlp,pca,...]
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.join(HERE, "peers")
SHARED_PEER = os.path.join(ROOT, "..", "shared", "bench", "peer_pytorch_ae.py")
PYTHON = "/usr/bin/python3"
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
TRAIN_IMAGES, CONV_IMAGES, NLL_IMAGES, IS_SAMPLES = 60000, 4000, 1000, 1000


def linear_macs(widths):
    return sum(a * b for a, b in zip(widths, widths[1:]))


def mlp_macs(hidden, latent):
    side = [784] + hidden + [latent]
    return linear_macs(side) + linear_macs(side[::-1])


# Multiply-accumulates per image of aelab's default conv autoencoder (28x28 input, latent 32):
# two 3x3 stages (1->32 at 28x28, 32->64 at 14x14), 3136-256-32-256-3136 dense layers, then
# 3x3 convolutions 64->32 at 14x14, 32->32 and 32->1 at 28x28.
CONV_MACS = (28 * 28 * 32 * 9 + 14 * 14 * 64 * 32 * 9 + 3136 * 256 + 256 * 32 + 32 * 256
             + 256 * 3136 + 14 * 14 * 32 * 64 * 9 + 28 * 28 * 32 * 32 * 9 + 28 * 28 * 32 * 9)
VAE_MACS = 784 * 400 + 400 * 40 + 20 * 400 + 400 * 784
TRAIN_STEP = 6  # FLOPs per multiply-accumulate of a training step: 2 forward, 4 backward


class Pair:
    """One workload: the two commands, and the rows (JSON `workload` names) their output gives."""

    def __init__(self, key, ours, peer, rows, peer_env=ONE_THREAD):
        self.key, self.ours, self.peer, self.rows, self.peer_env = key, ours, peer, rows, peer_env


def pairs(bench, shared_peer=SHARED_PEER):
    mlp = lambda hidden, latent: (
        [bench, "mlp", "--hidden", ",".join(map(str, hidden)), "--latent", str(latent)],
        [PYTHON, shared_peer, "--epochs", "2", "--threads", "1", "--hidden",
         ",".join(map(str, hidden)), "--latent", str(latent)])
    big, small = mlp([512, 256], 32), mlp([64], 8)
    return [
        Pair("mlp", *big, [("mlp", "MLP AE epoch 784-512-256-32",
                            TRAIN_STEP * TRAIN_IMAGES * mlp_macs([512, 256], 32), "test_sse")]),
        Pair("mlp_small", *small, [("mlp", "MLP AE epoch 784-64-8",
                                    TRAIN_STEP * TRAIN_IMAGES * mlp_macs([64], 8), "test_sse")]),
        Pair("conv", [bench, "conv", "--images", str(CONV_IMAGES)],
             [PYTHON, os.path.join(PEERS, "conv_ae.py"), "--images", str(CONV_IMAGES)],
             [("conv", f"conv AE epoch ({CONV_IMAGES} images)",
               TRAIN_STEP * CONV_IMAGES * CONV_MACS, "test_sse")]),
        Pair("vae", [bench, "vae", "--latent", "20", "--nll-images", str(NLL_IMAGES),
                     "--is-samples", str(IS_SAMPLES)],
             [PYTHON, os.path.join(PEERS, "vae.py"), "--nll-images", str(NLL_IMAGES),
              "--is-samples", str(IS_SAMPLES)],
             [("vae", "VAE epoch 784-400-20", TRAIN_STEP * TRAIN_IMAGES * VAE_MACS, None),
              ("is_nll", f"VAE IS-NLL ({NLL_IMAGES} images x {IS_SAMPLES} samples)",
               2 * NLL_IMAGES * IS_SAMPLES * (20 * 400 + 400 * 784), "nll")]),
        Pair("pca", [bench, "pca"], [PYTHON, os.path.join(PEERS, "pca.py")],
             [("pca", "PCA fit k=32 (60000 images) vs scikit-learn", None, "test_sse"),
              ("load", "Fashion-MNIST load (aelab: decoded cache)", None, None)]),
    ]


def missing_peers(chosen):
    """The peer scripts the chosen workloads would run that do not exist."""
    return [word for pair in chosen for word in pair.peer
            if word.endswith(".py") and not os.path.isfile(word)]


def missing_modules(chosen, sweep):
    """The Python packages the chosen peers import that Debian's python3 lacks: python3-torch for
    every peer but scikit-learn's, which needs python3-sklearn (and numpy, which it brings)."""
    needed = {"torch"} if sweep or any(pair.key != "pca" for pair in chosen) else set()
    if any(pair.key == "pca" for pair in chosen):
        needed.add("sklearn")
    return sorted(module for module in needed
                  if subprocess.run([PYTHON, "-c", f"import {module}"],
                                    capture_output=True).returncode != 0)


def parse(output):
    """{workload: {"seconds": last epoch or the timed step, other fields...}} from JSON lines
    (and the shared MLP peer's `epoch N: S s, test sse E` lines)."""
    found = {}
    for line in output.splitlines():
        line = line.strip()
        shared = re.match(r"epoch (\d+): ([0-9.]+) s, test sse ([0-9.]+)", line)
        if shared:
            found["mlp"] = {"seconds": float(shared[2]), "test_sse": float(shared[3])}
        elif line.startswith("{"):
            fields = json.loads(line)
            found.setdefault(fields.pop("workload"), {}).update(fields)
    return found


def run(command, env=None, cwd=None):
    merged = dict(os.environ, **(env or {}))
    done = subprocess.run(command, env=merged, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.exit(f"error: {' '.join(command)} exited with {done.returncode}:\n{done.stdout[-2000:]}")
    return done.stdout


# Prints the OpenBLAS that `import torch` loaded (found in the process's maps), as aelab's run
# files name it, or nothing when torch loaded none.
PEER_BLAS_PROBE = """
import ctypes, os, torch
paths = {line.split()[-1] for line in open("/proc/self/maps") if "libopenblas" in line}
if paths:
    blas = ctypes.CDLL(sorted(paths)[0])
    blas.openblas_get_config.restype = blas.openblas_get_corename.restype = ctypes.c_char_p
    words = blas.openblas_get_config().decode().split()
    version = words[1] + " " if len(words) > 1 and words[1][:1].isdigit() else ""
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    note = f" (OPENBLAS_CORETYPE={coretype})" if coretype and "DYNAMIC_ARCH" in words else ""
    print(f"OpenBLAS {version}{blas.openblas_get_corename().decode()}{note}")
"""


def peer_blas():
    """The BLAS kernels the peers' PyTorch runs with: "OpenBLAS 0.3.21 Haswell"."""
    done = subprocess.run([PYTHON, "-c", PEER_BLAS_PROBE], capture_output=True, text=True)
    found = done.stdout.strip() if done.returncode == 0 else ""
    return found or "unknown BLAS"


def measure_pair(pair, reps, say):
    ours, peer = [], []
    for rep in range(reps):
        sides = [("aelab", pair.ours, ONE_THREAD, ours), ("peer", pair.peer, pair.peer_env, peer)]
        for name, command, env, into in sides if rep % 2 == 0 else sides[::-1]:
            into.append(parse(run(command, env)))
        say(f"{pair.key} pair {rep + 1}/{reps}: " + ", ".join(
            f"{row}: aelab {ours[-1][row]['seconds']:.2f} s, peer {peer[-1][row]['seconds']:.2f} s"
            for row, *_ in pair.rows))
    return ours, peer


def sweep_pair(build, reps, say):
    """The demo's 18 jobs: `run_sweep -c sweeps/bottleneck` (every core, a fresh cache, so the
    decode and the PCA fit count) against bench/peers/sweep.py (one job after another)."""
    ours, peer = [], []
    for rep in range(reps):
        work = tempfile.mkdtemp(prefix="aelab-bench-sweep-")
        try:
            sides = [
                ("aelab", [os.path.join(build, "bin", "run_sweep"), "-c", "sweeps/bottleneck",
                           "--quiet", "--out", f"{work}/aelab", f"--cache-dir={work}/cache"], ours),
                ("peer", [PYTHON, os.path.join(PEERS, "sweep.py"), "--out", f"{work}/peer"], peer)]
            for name, command, into in sides if rep % 2 == 0 else sides[::-1]:
                start = time.perf_counter()
                run(command, {"AELAB_CACHE_DIR": f"{work}/cache"}, cwd=ROOT)
                into.append({"sweep": {"seconds": time.perf_counter() - start}})
        finally:
            shutil.rmtree(work, ignore_errors=True)
        say(f"sweep pair {rep + 1}/{reps}: aelab {ours[-1]['sweep']['seconds']:.0f} s, "
            f"peer {peer[-1]['sweep']['seconds']:.0f} s")
    return ours, peer


def row_of(label, key, ours, peer, flops, quality, gemm):
    """One table row from the pairs. Floors use the GEMM rate each aelab run measured right after
    its timed part (`gemm_gflops`), else the suite's start-up rate `gemm`; each is the median of
    the runs' own fractions."""
    ratios = [o[key]["seconds"] / p[key]["seconds"] for o, p in zip(ours, peer)]
    ours_s = statistics.median(o[key]["seconds"] for o in ours)
    row = {"label": label, "aelab_s": ours_s,
           "peer_s": statistics.median(p[key]["seconds"] for p in peer),
           "ratio": statistics.median(ratios), "ratios": ratios}
    rates = [o[key].get("gemm_gflops", gemm) * 1e9 for o in ours]
    if any("gemm_gflops" in o[key] for o in ours):
        row["gemm_rates"] = [rate / 1e9 for rate in rates]

    def fraction(flop_count, seconds):  # the median over the runs of FLOPs at their rate / time
        return statistics.median(flop_count / rate / s for rate, s in zip(rates, seconds))

    if flops:
        row["floor"] = fraction(flops, [o[key]["seconds"] for o in ours])
        if all("gemms_seconds" in o[key] for o in ours):  # the GEMMs alone, at the same shapes
            gemms = [o[key]["gemms_seconds"] for o in ours]
            row["gemms_s"] = statistics.median(gemms)
            row["gemm_bound"] = fraction(flops, gemms)
            if all("adam_traffic_seconds" in o[key] for o in ours):  # and Adam's least traffic
                traffic = [o[key]["adam_traffic_seconds"] for o in ours]
                row["adam_s"] = statistics.median(o[key]["adam_seconds"] for o in ours)
                row["adam_traffic_s"] = statistics.median(traffic)
                row["step_bound"] = fraction(flops, [g + t for g, t in zip(gemms, traffic)])
    if all("eval_seconds" in o[key] for o in ours):  # the per-split metrics on the test set
        row["eval_s"] = statistics.median(o[key]["eval_seconds"] for o in ours)
        row["eval_floor"] = fraction(ours[-1][key]["eval_flops"],
                                     [o[key]["eval_seconds"] for o in ours])
    if quality:
        row["aelab_" + quality] = ours[-1][key][quality]
        row["peer_" + quality] = peer[-1][key][quality]
    return row


def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"host": platform.node(), "cpu": model, "cores": os.cpu_count()}


def checks(row):
    """What each side computed, and how far apart: `test_sse 11.872 vs 11.872 (rel 2e-07)`."""
    found = []
    for key in row:
        if key.startswith("aelab_") and key != "aelab_s":
            name = key[len("aelab_"):]
            ours, peer = row[key], row["peer_" + name]
            relative = abs(ours - peer) / max(abs(peer), 1e-300)
            found.append(f"{name} {ours:.5g} vs {peer:.5g} (rel {relative:.1g})")
    if "gemm_bound" in row:
        found.append(f"its GEMMs alone {row['gemms_s']:.2f} s: floor at most "
                     f"{100 * row['gemm_bound']:.0f}%")
    if "step_bound" in row:
        found.append(f"Adam {row['adam_s']:.2f} s, its memory traffic alone "
                     f"{row['adam_traffic_s']:.2f} s: with the GEMMs, floor at most "
                     f"{100 * row['step_bound']:.0f}%")
    if "eval_floor" in row:
        found.append(f"test-set metrics {row['eval_s']:.2f} s: floor "
                     f"{100 * row['eval_floor']:.0f}%")
    return found + ([row["note"]] if "note" in row else [])


def print_table(rows, gemm, blas):
    width = max(len(row["label"]) for row in rows)
    measured = [rate for row in rows for rate in row.get("gemm_rates", [])]
    during = (f"; {min(measured):.1f} to {max(measured):.1f} right after the workloads' timed "
              "runs, which their floors use" if measured else "")
    print(f"\nfloat32 GEMM rate, one thread: {gemm:.1f} GFLOP/s at start-up{during}")
    print(f"BLAS kernels: aelab {blas['aelab']}; peer {blas['peer']}\n")
    print(f"| {'workload':<{width}} | {'aelab':>8} | {'peer':>8} | {'ratio':>6} | {'floor':>5} | check")
    print(f"|{'-' * (width + 2)}|{'-' * 10}|{'-' * 10}|{'-' * 8}|{'-' * 7}|------")
    for row in rows:
        floor = f"{100 * row['floor']:.0f}%" if "floor" in row else "-"
        print(f"| {row['label']:<{width}} | {row['aelab_s']:7.2f}s | {row['peer_s']:7.2f}s | "
              f"{row['ratio']:5.2f}x | {floor:>5} | {'; '.join(checks(row))}")
    print("\nratio: aelab's time over the peer's (median of the pairs' ratios; below 1 is faster); "
          "floor: the FLOPs at the GEMM rate over aelab's time")


def compare(history, rows, blas):
    """Each row against the last earlier run that measured the same workload; its BLAS kernels
    are named when they differ from this run's (`blas`)."""
    before = {}
    for record in history:
        for row in record["rows"]:
            before[row["label"]] = (record, row)
    lines = []
    for row in rows:
        if row["label"] in before:
            record, was = before[row["label"]]
            then = record.get("blas", {}).get("aelab", "not recorded")
            kernels = f", BLAS {then} -> {blas['aelab']}" if then != blas["aelab"] else ""
            lines.append(f"  {row['label']}: ratio {was['ratio']:.2f}x -> {row['ratio']:.2f}x, "
                         f"aelab {was['aelab_s']:.2f} s -> {row['aelab_s']:.2f} s "
                         f"(then: {record['date']}, commit {record['commit'][:10]}{kernels})")
    print("\nagainst earlier runs:\n" + "\n".join(lines) if lines
          else "\nno earlier run measured these workloads: nothing to compare with")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sweep-reps", type=int, default=1)
    ap.add_argument("--only", default="", help="comma-separated: mlp,mlp_small,conv,vae,pca,sweep")
    ap.add_argument("--shared-peer", default=SHARED_PEER,
                    help="the shared MLP peer, peer_pytorch_ae.py (default: ../shared/bench/)")
    ap.add_argument("--history", default=os.path.join(ROOT, "results", "bench", "history.jsonl"))
    ap.add_argument("--blas-core", default="",
                    help="OPENBLAS_CORETYPE for both sides: a core (Haswell, SkylakeX, ...), or "
                         "auto for OpenBLAS's own choice (default: as the environment says)")
    a = ap.parse_args()
    if a.blas_core == "auto":
        os.environ.pop("OPENBLAS_CORETYPE", None)
    elif a.blas_core:
        os.environ["OPENBLAS_CORETYPE"] = a.blas_core
    bench = os.path.join(os.path.abspath(a.build), "bin", "aelab_bench")
    if not os.access(bench, os.X_OK):
        sys.exit(f"error: {bench} is not built; run `make bench` (or `make build` first)")
    wanted = set(filter(None, a.only.split(",")))
    known = [pair.key for pair in pairs(bench)] + ["sweep"]
    unknown = sorted(wanted - set(known))
    if unknown or a.reps < 1 or a.sweep_reps < 1:
        what = (f"--only: no workload {unknown[0]!r}; choose from {','.join(known)}" if unknown
                else "--reps and --sweep-reps: give at least 1")
        print(f"error: {what}", file=sys.stderr)
        sys.exit(2)
    chosen = [pair for pair in pairs(bench, a.shared_peer) if not wanted or pair.key in wanted]
    missing = missing_peers(chosen)
    if missing:  # before anything runs, not half-way through the suite
        print(f"error: the peer script {missing[0]} is not there; the MLP peer comes beside the "
              "project in ../shared/bench/ (give another with --shared-peer PATH, or "
              "SHARED_PEER=PATH to make), or leave its workloads out with ONLY=", file=sys.stderr)
        sys.exit(2)
    modules = missing_modules(chosen, not wanted or "sweep" in wanted)
    if modules:
        packages = ", ".join({"torch": "python3-torch", "sklearn": "python3-sklearn"}[m]
                             for m in modules)
        print(f"error: the peers need Python's {', '.join(modules)} in {PYTHON}, which it lacks "
              f"(make bench installs {packages}; or run bash tools/install_deps.sh --bench)",
              file=sys.stderr)
        sys.exit(2)
    say = lambda line: print(f"[{datetime.datetime.now():%H:%M:%S}] {line}", flush=True)
    start = parse(run([bench, "gemm"], ONE_THREAD))["gemm"]
    gemm = start["gflops"]
    blas = {"aelab": start.get("blas") or "unknown BLAS", "peer": peer_blas()}
    say(f"GEMM rate {gemm:.1f} GFLOP/s (float32, one thread); BLAS kernels: aelab "
        f"{blas['aelab']}; peer {blas['peer']}")
    rows = []
    for pair in chosen:
        ours, peer = measure_pair(pair, a.reps, say)
        rows += [row_of(label, key, ours, peer, flops, quality, gemm)
                 for key, label, flops, quality in pair.rows]
    if not wanted or "sweep" in wanted:
        ours, peer = sweep_pair(os.path.abspath(a.build), a.sweep_reps, say)
        row = row_of("demo sweep, 18 jobs, all cores", "sweep",
                     ours, peer, None, None, gemm)
        row["note"] = f"{1 / row['ratio']:.2f}x the peer's jobs per hour"
        rows.append(row)
    print_table(rows, gemm, blas)
    history = []
    if os.path.exists(a.history):
        with open(a.history) as f:
            history = [json.loads(line) for line in f if line.strip()]
    compare(history, rows, blas)
    record = {"date": f"{datetime.datetime.now():%Y-%m-%d %H:%M}", "commit": git("rev-parse", "HEAD"),
              "modified": bool(git("status", "--porcelain", "--untracked-files=no")),
              "machine": machine(), "gemm_gflops": gemm, "blas": blas, "reps": a.reps, "rows": rows}
    os.makedirs(os.path.dirname(a.history), exist_ok=True)
    with open(a.history, "a") as f:
        f.write(json.dumps(record) + "\n")
    print(f"\nappended to {a.history}")


if __name__ == "__main__":
    main()
