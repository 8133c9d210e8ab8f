#!/usr/bin/python3
"""run_sweep --reproduce: a run of a small sweep reruns bit for bit (exit 0, every metric
`identical`, a -dirty build's too, though its rule is a tolerance, here 0); a transfer run's
classifier checkpoint that an interrupted reproduction left is not resumed; a run file whose
metric was changed is caught (exit 1, `DIFFERS`); one recorded with other BLAS kernels is
compared within the tolerance, naming both; a file that is not a run is refused with one error
line (exit 2). Usage: reproduce_run_test.py SOURCE RUN_SWEEP"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py

source, run_sweep = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="aelab-reproduce-test-")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAILED:", message)


def run(*arguments):
    return subprocess.run([run_sweep, *arguments], capture_output=True, text=True, cwd=source)


sweep = run("-c", "sweeps/bottleneck", "model=mlp_ae,pca", "model.latent_dim=4",
            "trainer.epochs=1", "data.subset=300", "--quiet", f"--out={work}/demo",
            f"--cache-dir={work}/cache")
check(sweep.returncode == 0, f"the sweep failed: {sweep.stderr}")
for path in sorted(glob.glob(f"{work}/demo/runs/*.h5")):
    result = run("--reproduce", path, "--quiet", f"--cache-dir={work}/cache", "--tolerance=0")
    lines = result.stdout.splitlines()
    check(result.returncode == 0 and "REPRODUCED" in result.stdout,
          f"--reproduce {path}: exit {result.returncode}\n{result.stdout}{result.stderr}")
    check(all(line.endswith("identical") for line in lines[1:-2])
          and len(lines) > 4,
          f"--reproduce {path}: not every metric identical:\n{result.stdout}")
    check(not result.stderr or "this build is" in result.stderr,
          f"--reproduce {path} warned: {result.stderr}")

# A checkpoint that an interrupted reproduction of a transfer run left, of its classifier's
# training, is not resumed: the rerun starts from nothing, as the recorded run did.
sweep = run("-c", "sweeps/transfer", "model=mlp_ae", "encoder=mlp", "trainer.epochs=1",
            "transfer.frozen_epochs=1", "transfer.finetune_epochs=1",
            "transfer.labels_per_class=10", "transfer.baselines=[raw]", "data.subset=300",
            "--quiet", f"--out={work}/transfer", f"--cache-dir={work}/cache")
check(sweep.returncode == 0, f"the transfer sweep failed: {sweep.stderr}")
for path in glob.glob(f"{work}/transfer/runs/*.h5"):
    run_id = os.path.basename(path)[:-len(".h5")]
    os.makedirs(f"{work}/transfer/reproduced/checkpoints", exist_ok=True)
    with open(f"{work}/transfer/reproduced/checkpoints/{run_id}.classifier.pt", "w") as f:
        f.write("left by an interrupted reproduction")
    result = run("--reproduce", path, "--quiet", f"--cache-dir={work}/cache", "--tolerance=0")
    check(result.returncode == 0 and "REPRODUCED" in result.stdout,
          f"--reproduce after an interrupted one: exit {result.returncode}\n{result.stdout}")

# A run recorded with other BLAS kernels is compared within the tolerance, and the verdict says
# why (their products round otherwise).
path = sorted(glob.glob(f"{work}/demo/runs/*.h5"))[0]
with h5py.File(path, "r+") as f:
    ours = f.attrs["blas"]
    ours = ours.decode() if isinstance(ours, bytes) else str(ours)
    check(ours.startswith(("OpenBLAS ", "MKL")), f"the run records its BLAS as {ours!r}")
    f.attrs["blas"] = "OpenBLAS 0.0 Elsewhere"
result = run("--reproduce", path, "--quiet", f"--cache-dir={work}/cache", "--tolerance=1e-4")
check(result.returncode == 0 and f"BLAS {ours} vs OpenBLAS 0.0 Elsewhere" in result.stdout
      and "bit for bit" not in result.stdout,
      f"other recorded kernels: exit {result.returncode}\n{result.stdout}{result.stderr}")

# Another thread count is compared within the tolerance, and the verdict names it (threads split
# a sum otherwise), with the count to rerun with where some metric differs.
path = sorted(glob.glob(f"{work}/demo/runs/*.h5"))[1]
with h5py.File(path, "r") as f:
    threads = int(f.attrs["threads"])
result = run("--reproduce", path, "--quiet", f"--cache-dir={work}/cache", "--tolerance=0",
             f"--threads={threads + 1}")
check(f"threads {threads + 1} vs {threads})" in result.stdout and "bit for bit" not in result.stdout
      and (result.returncode == 0 or f"--threads {threads} reruns it" in result.stdout),
      f"another thread count: exit {result.returncode}\n{result.stdout}{result.stderr}")

# A run whose data have changed since (its recorded hash is another) says so beside the verdict.
path = sorted(glob.glob(f"{work}/demo/runs/*.h5"))[1]
with h5py.File(path, "r+") as f:
    recorded = f.attrs["data_hash"]
    recorded = recorded.decode() if isinstance(recorded, bytes) else str(recorded)
    check(re.fullmatch(r"[0-9a-f]{16}", recorded) is not None,
          f"the run records its data as {recorded!r}")
    f.attrs["data_hash"] = "00000000000000ff"
result = run("--reproduce", path, "--quiet", f"--cache-dir={work}/cache", "--tolerance=0")
check(f"the data differ from the run's: its samples and labels hashed 00000000000000ff, these "
      f"{recorded} (the files under data.root were replaced" in result.stdout,
      f"changed data were not named: exit {result.returncode}\n{result.stdout}")

# A recorded metric changed after the fact is found.
path = sorted(glob.glob(f"{work}/demo/runs/*.h5"))[0]
with h5py.File(path, "r+") as f:
    f["metrics/test/sse"][()] = f["metrics/test/sse"][()] * 1.001
result = run("--reproduce", path, "--quiet", f"--cache-dir={work}/cache", "--tolerance=0")
check(result.returncode == 1 and "DIFFERS" in result.stdout and "NOT REPRODUCED" in result.stdout,
      f"a changed metric was not caught: exit {result.returncode}\n{result.stdout}")

# Not a run file: one error line, exit 2.
open(f"{work}/junk.h5", "w").write("not hdf5")
run_file = sorted(glob.glob(f"{work}/demo/runs/*.h5"))[1]
for arguments, words in (([f"{work}/junk.h5"], "give a run file, results/<name>/runs/"),
                         ([f"{work}/missing.h5"], "no such run file"),
                         ([f"{work}/demo/summary.h5"],
                          f"a sweep's summary, not a run file (give one of its runs, "
                          f"{work}/demo/runs/<run_id>.h5)"),
                         # a folder it cannot write is refused before any training
                         ([run_file, f"--out={work}/junk.h5/again"], "reproduction folder")):
    result = run("--reproduce", *arguments)
    check(result.returncode == 2 and result.stderr.startswith("error: ") and
          len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
          and "epoch" not in result.stdout,
          f"--reproduce {arguments}: exit {result.returncode}, stderr {result.stderr!r}")

shutil.rmtree(work)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
