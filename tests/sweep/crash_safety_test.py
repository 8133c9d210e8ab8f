#!/usr/bin/python3
"""Crash safety of run_sweep on one results folder:
- two runners started at once on the same sweep finish it, every job run exactly once; also
  when one runs in a pid namespace of its own (a container with the same host name);
- `kill -9` of the runner or of a job at 20 random moments, each followed by the same command:
  completed runs are kept and not redone, every file stays readable, and the sweep completes;
- Ctrl-C: the runner stops starting jobs, running ones checkpoint and end as `interrupted`
  (exit 3); `--status` showed them running with their epoch, host and pid; the same command
  resumes them from their checkpoints; a second Ctrl-C ends everything at once; one in the
  evaluation after the last epoch stops it too, and the resumed run matches one never stopped;
- `--max-failures`, `--shard`;
- the output's reader gone (`| head`): a stop, as by Ctrl-C, that the same command resumes.
The runners' checks and the signals' (kills, Ctrl-C) run as two tests, beside the others.
Usage: crash_safety_test.py SOURCE RUN_SWEEP runners|signals"""
import glob
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import yaml

source, run_sweep, part = sys.argv[1], sys.argv[2], sys.argv[3]
work = tempfile.mkdtemp(prefix="aelab-crash-test-")
failures = []
random.seed(int(os.environ.get("AELAB_TEST_SEED", "7")))


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAILED:", message)


SWEEP = ["-c", "sweeps/bottleneck", "model=mlp_ae", "data.subset=500", "--quiet",
         f"--cache-dir={work}/cache"]


def command(out, *extra):
    return [run_sweep, *SWEEP, f"--out={out}", *extra]


def start(out, *extra, **kwargs):
    return subprocess.Popen(command(out, *extra), cwd=source, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kwargs)


def run(out, *extra):
    return subprocess.run(command(out, *extra), cwd=source, capture_output=True, text=True)


def statuses(out):
    found = {}
    for path in glob.glob(f"{out}/runs/*.h5"):
        with h5py.File(path, "r") as f:
            found[path] = f.attrs["status"]
    return found


def every_file_readable(out):
    for path in glob.glob(f"{out}/**/*.h5", recursive=True):
        try:
            with h5py.File(path, "r") as f:
                f.attrs.get("status")
        except OSError as error:
            check(False, f"{path} is unreadable: {error}")
    for path in glob.glob(f"{out}/jobs/*.yaml"):
        with open(path) as f:
            check(yaml.safe_load(f) is not None, f"{path} is empty")


def children_of(runner_pid):
    """(pid, name) of each child process of the runner."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
                if int(stat[stat.rindex(")") + 2:].split()[1]) == runner_pid:
                    children.append((int(entry), stat[stat.index("(") + 1:stat.rindex(")")]))
            except (OSError, ValueError):
                pass
    return children


def workers_of(runner_pid):
    """The runner's worker processes: its children but the idle copy that forks them."""
    return [pid for pid, name in children_of(runner_pid) if name != "aelab-forker"]


def forkers_of(runner_pid):
    return [pid for pid, name in children_of(runner_pid) if name == "aelab-forker"]


def finish(runner, seconds):
    """The runner's output once it ends; killed (and so failing the checks) after `seconds`."""
    try:
        return runner.communicate(timeout=seconds)[0]
    except subprocess.TimeoutExpired:
        runner.kill()
        return runner.communicate()[0] + f"\n(killed after {seconds} s)"


def alive(pid):
    """Whether the process runs still: it exists and is not a zombie (it may end while we look).
    Its state is the first field after the name, which may hold spaces and parentheses."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        return stat[stat.rindex(")") + 2:].split()[0] != "Z"
    except (OSError, ValueError, IndexError):
        return False


def wait_gone(pids, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


# --- Two runners at once: every job exactly once.
def two_runners():
    both = f"{work}/both"
    grid = ["model.latent_dim=2,3,4,5,6,7", "trainer.epochs=2", "--jobs=1"]
    first, second = start(both, *grid), start(both, *grid)
    outputs = [first.communicate()[0], second.communicate()[0]]
    check(first.returncode == 0 and second.returncode == 0,
          f"two runners: exits {first.returncode}, {second.returncode}\n{outputs}")
    ran = [int(m) for text in outputs for m in re.findall(r"^\[#(\d+)\] completed  ", text, re.M)]
    check(sorted(ran) == list(range(6)), f"two runners: jobs run {sorted(ran)}, expected each once")
    check(list(statuses(both).values()).count("completed") == 6, "two runners: not 6 completed runs")


# --- The same, with the first runner in a pid namespace of its own (two containers sharing a
# host name and a kernel): its pids mean nothing outside, so the second must not take its jobs
# over for a pid that is dead (or another process) where it looks.
def pid_namespaces():
    unshare = next((form for form in (["unshare", "--pid", "--fork", "--mount-proc"],
                                      ["unshare", "--user", "--map-root-user", "--pid", "--fork",
                                       "--mount-proc"])
                    if subprocess.run([*form, "true"], capture_output=True).returncode == 0), None)
    if unshare is None:
        print("pid namespaces: skipped (unshare --pid needs root or user namespaces)")
    else:
        apart = f"{work}/apart"
        grid = ["model.latent_dim=2,3", "data.subset=2000", "trainer.epochs=6", "--jobs=1"]
        inside = subprocess.Popen([*unshare, *command(apart, *grid)],
                                  cwd=source, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
        deadline = time.time() + 60
        while time.time() < deadline and not glob.glob(f"{apart}/claims/*.claim"):
            time.sleep(0.1)
        outside = start(apart, *grid)
        outputs = [finish(inside, 300), finish(outside, 300)]
        ran = [int(m) for text in outputs for m in re.findall(r"^\[#(\d+)\] completed  ", text, re.M)]
        check(inside.returncode == 0 and outside.returncode == 0 and sorted(ran) == [0, 1],
              f"two pid namespaces: exits {inside.returncode}, {outside.returncode}, jobs run "
              f"{sorted(ran)}, expected each once\n{outputs}")


# --- kill -9 at 20 random moments, then the same command.
def kills():
    killed = f"{work}/killed"
    grid = ["model.latent_dim=2,3,4,5,6,7,8,9", "data.subset=1000", "trainer.epochs=20",
            "trainer.checkpoint_every=2", "--jobs=2"]
    hits = 0  # kills that found jobs running
    forked = 0  # kills that found the runner's forker
    for moment in range(20):
        before = {path: os.path.getmtime(path)
                  for path, status in statuses(killed).items() if status == "completed"}
        runner = start(killed, *grid)
        if moment % 2:  # half the kills while jobs run, however slow the start: after the first
            deadline = time.time() + 60  # worker shows, a random moment more
            while time.time() < deadline and runner.poll() is None and not workers_of(runner.pid):
                time.sleep(0.05)
            time.sleep(random.uniform(0.0, 2.0))
        else:  # the other half at any moment from the start
            time.sleep(random.uniform(0.3, 3.0))
        victims = workers_of(runner.pid)
        hits += bool(victims)
        forked += bool(forkers_of(runner.pid))
        if moment % 2 == 1 and victims:  # a job, then (the runner having recorded it as failed)...
            try:
                os.kill(random.choice(victims), signal.SIGKILL)
            except ProcessLookupError:  # the job ended while we looked
                pass
            time.sleep(random.uniform(0.1, 1.0))
        left = [pid for pid, _ in children_of(runner.pid)]
        os.kill(runner.pid, signal.SIGKILL)  # ... the runner
        runner.wait()
        # Its workers end (checkpointed) when it dies, and so does its forker.
        check(wait_gone(left), f"kill {moment}: processes left after the runner died: {left}")
        every_file_readable(killed)
        after = statuses(killed)
        for path, mtime in before.items():
            check(after.get(path) == "completed" and os.path.getmtime(path) == mtime,
                  f"kill {moment}: completed run {path} was redone or lost")
    final = run(killed, *grid)
    check(final.returncode == 0, f"after 20 kills the sweep did not complete:\n{final.stdout}")
    check(list(statuses(killed).values()).count("completed") == 8,
          f"after 20 kills: {statuses(killed)}")
    for path in glob.glob(f"{killed}/runs/*.h5"):
        with h5py.File(path, "r") as f:
            check(len(f["history/train/loss"][()]) == 20, f"{path}: history is not 20 epochs")
    check(hits >= 5, f"only {hits} of the 20 kills found jobs running")
    check(forked >= 10, f"only {forked} of the 20 kills found the runner's forker: workers executed?")
    check(not glob.glob(f"{killed}/checkpoints/*.pt"), "checkpoints left after the sweep completed")
    print(f"kill test: 20 kills ({hits} with jobs running), then:",
          next(line for line in final.stdout.splitlines() if " job(s): " in line))


# --- Ctrl-C: interrupted, status truthful, resumed from checkpoints.
def ctrl_c():
    stopped = f"{work}/stopped"
    EPOCHS = 30  # enough that Ctrl-C, sent at epoch 2, finds both jobs running
    grid = ["model.latent_dim=2,3,4", "data.subset=2000", f"trainer.epochs={EPOCHS}", "--jobs=2"]
    runner = start(stopped, *grid)

    def running_epochs():
        status = subprocess.run([run_sweep, "--status", stopped], capture_output=True, text=True)
        found = re.findall(rf"running +.* epoch (\d+)/{EPOCHS}", status.stdout)
        return status.stdout, [int(e) for e in found]


    deadline = time.time() + 120
    while time.time() < deadline and len([e for e in running_epochs()[1] if e >= 2]) < 2:
        time.sleep(0.2)
    text, epochs = running_epochs()
    pids = [int(p) for p in re.findall(r"running .* on [^:]+:(\d+)", text)]
    check(len(epochs) == 2 and sorted(pids) == sorted(workers_of(runner.pid)),
          f"--status does not show the two running workers {workers_of(runner.pid)}:\n{text}")
    # One Ctrl-C delivered twice, as `timeout -s INT` signals the runner and then its group
    # (here 20 ms apart, so that the runner surely takes the first before the second comes).
    runner.send_signal(signal.SIGINT)
    time.sleep(0.02)
    runner.send_signal(signal.SIGINT)
    output = finish(runner, 120)
    check(runner.returncode == 3, f"Ctrl-C: exit {runner.returncode}, expected 3\n{output}")
    check("interrupt: no new job starts, and running jobs save a checkpoint and stop (Ctrl-C "
          "again stops everything at once)" in output,
          f"Ctrl-C: the runner does not say at once what it does:\n{output}")
    check(output.count("interrupted") >= 2 and "not started" in output,
          f"Ctrl-C: the interrupted jobs and the job not started are not reported:\n{output}")
    check(list(statuses(stopped).values()).count("interrupted") == 2, "Ctrl-C: no interrupted runs")
    stopped_lines = [line for line in output.splitlines() if "] interrupted by " in line]
    check(len(stopped_lines) == 2 and all("SIGINT" in line and "done" not in line
                                          for line in stopped_lines)
          and "1 not started" in output,
          f"Ctrl-C: the interrupted jobs' lines should name SIGINT and count nothing as done:\n{output}")
    check(len(glob.glob(f"{stopped}/checkpoints/*.pt")) == 2, "Ctrl-C: no checkpoints written")
    resumed = run(stopped, *grid)
    check(resumed.returncode == 0 and list(statuses(stopped).values()).count("completed") == 3,
          f"after Ctrl-C the same command did not finish:\n{resumed.stdout}")
    for path in glob.glob(f"{stopped}/runs/*.h5"):
        with h5py.File(path, "r") as f:
            check(len(f["history/train/loss"][()]) == EPOCHS,
                  f"{path}: resumed history is not {EPOCHS} epochs")

    # Second Ctrl-C: everything ends at once.
    again = f"{work}/again"
    runner = start(again, *grid)
    deadline = time.time() + 60
    while time.time() < deadline and len(workers_of(runner.pid)) < 2:
        time.sleep(0.1)
    time.sleep(1.0)
    victims = workers_of(runner.pid)
    runner.send_signal(signal.SIGINT)
    # A second Ctrl-C, a person's (not the same one delivered twice): once the runner has said
    # what the first does, so that it surely took the first.
    heard = ""
    while "interrupt: " not in heard:
        line = runner.stdout.readline()
        if not line:
            break
        heard += line
    time.sleep(0.25)
    runner.send_signal(signal.SIGINT)
    output = heard + finish(runner, 20)
    check(runner.returncode == 130 and wait_gone(victims, 5),
          f"second Ctrl-C: exit {runner.returncode}, workers left: {victims}\n{output}")


# --- The reader of the output gone (`run_sweep ... | head`): a stop, as by Ctrl-C, not a crash
# that leaves the jobs failed and their claims behind.
def closed_output():
    closed = f"{work}/closed"
    grid = ["model.latent_dim=2,3,4", "data.subset=2000", "trainer.epochs=30", "--jobs=2",
            "--progress-every=1"]
    runner = subprocess.Popen([a for a in command(closed, *grid) if a != "--quiet"], cwd=source,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(re.findall(
            r"running +.* epoch ([2-9]|\d\d+)/30",
            subprocess.run([run_sweep, "--status", closed], capture_output=True,
                           text=True).stdout)) < 2:
        time.sleep(0.2)  # both jobs in their second epoch or later
    runner.stdout.close()  # as head does once it has its lines
    try:
        error = runner.communicate(timeout=120)[1]
    except subprocess.TimeoutExpired:
        runner.kill()
        error = runner.communicate()[1]
    check(runner.returncode == 3 and "the output's reader is gone (SIGPIPE, as after | head): no "
          "new job starts, and running jobs save a checkpoint and stop (the same command resumes "
          "them)" in error, f"closed output: exit {runner.returncode}\n{error}")
    check(sorted(statuses(closed).values()) == ["interrupted", "interrupted"]
          and not glob.glob(f"{closed}/claims/*.claim"),
          f"closed output: runs {sorted(statuses(closed).values())}, claims "
          f"{glob.glob(f'{closed}/claims/*.claim')}")
    resumed = run(closed, *[a for a in grid if not a.startswith("--progress-every")])  # quiet
    check(resumed.returncode == 0 and list(statuses(closed).values()).count("completed") == 3,
          f"after a closed output the same command did not finish:\n{resumed.stdout}")


# --- --max-failures: every job kills itself after its first checkpoint; 2 then stop.
def max_failures():
    failing = f"{work}/failing"
    env = dict(os.environ, AELAB_KILL_AFTER_CHECKPOINT="1")
    result = subprocess.run(command(failing, "model.latent_dim=2,3,4,5", "trainer.epochs=3",
                                    "trainer.checkpoint_every=1", "--jobs=1", "--max-failures=2"),
                            cwd=source, capture_output=True, text=True, env=env)
    check(result.returncode == 1 and "2 failed" in result.stdout and "2 not started" in result.stdout
          and result.stdout.count("  failed #") == 2,
          f"--max-failures 2: exit {result.returncode}\n{result.stdout}")


def interrupted_at(out, grid, pattern):
    """A sweep of `grid` into `out` sent SIGINT at its first output line that matches `pattern`:
    the runner, ended, and all it printed."""
    runner = subprocess.Popen([run_sweep, *grid, f"--out={out}"], cwd=source,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = ""
    for line in runner.stdout:
        seen += line
        if re.search(pattern, line):
            runner.send_signal(signal.SIGINT)
            break
    return runner, seen + finish(runner, 120)


# --- Ctrl-C while a job evaluates after its last epoch (a VAE's IS-NLL: minutes at full size):
# the evaluation stops too, and the same command resumes from the last epoch's checkpoint, to
# the numbers of a run never stopped.
def ctrl_c_in_evaluation():
    grid = ["model=vae", "model.latent_dim=2", "data.subset=500", "data.test_subset=300",
            "trainer.epochs=1", "eval.is_samples=2000", "--progress-every=1",
            f"--cache-dir={work}/cache"]
    stopped, whole = f"{work}/evaluating", f"{work}/evaluated"
    runner, output = interrupted_at(stopped, grid,
                                    r"estimating the test NLL .*: \d+ of 300 images")
    check(runner.returncode == 3 and "[#0] interrupted by SIGINT while estimating the test NLL"
          in output and len(glob.glob(f"{stopped}/checkpoints/*.pt")) == 1,
          f"Ctrl-C in the evaluation: exit {runner.returncode}, expected 3 and a checkpoint:\n"
          f"{output}")
    resumed = subprocess.run([run_sweep, *grid, f"--out={stopped}"], cwd=source,
                             capture_output=True, text=True)
    check(resumed.returncode == 0 and "resuming from the checkpoint of epoch 1" in resumed.stdout
          and not glob.glob(f"{stopped}/checkpoints/*.pt"),
          f"Ctrl-C in the evaluation: not resumed from the last epoch:\n{resumed.stdout}")
    subprocess.run([run_sweep, *grid[:-2], f"--out={whole}", "--quiet",
                    f"--cache-dir={work}/cache"], cwd=source, check=True)

    check(datasets(stopped) == datasets(whole),
          "Ctrl-C in the evaluation: the resumed run differs from one never stopped")


def datasets(out):
    """Every dataset of the one run file in `out`, as bytes: two runs equal to the bit."""
    found = {}

    def keep(name, item):
        if isinstance(item, h5py.Dataset):
            value = item[()]
            found[name] = value.tobytes() if hasattr(value, "tobytes") else value
    with h5py.File(glob.glob(f"{out}/runs/*.h5")[0], "r") as f:
        f.visititems(keep)
    return found


# --- Ctrl-C while a transfer run trains a baseline's classifier, after its own: the same command
# ends it with the numbers of a run never stopped (its own classifier's accuracy after the frozen
# phase too, which no checkpoint holds: classifiers train again from their start).
def ctrl_c_in_a_classifier():
    grid = ["-c", "sweeps/transfer", "model=mlp_ae", "encoder=mlp", "trainer.epochs=1",
            "transfer.frozen_epochs=3", "transfer.finetune_epochs=3",
            "transfer.labels_per_class=100", "transfer.baselines=[raw]", "data.subset=2000",
            f"--cache-dir={work}/cache"]
    stopped, whole = f"{work}/classifying", f"{work}/classified"
    runner, output = interrupted_at(stopped, grid, r"raw classifier epoch 2/6")
    check(runner.returncode == 3 and "interrupted by SIGINT in raw classifier epoch" in output,
          f"Ctrl-C in a baseline's classifier: exit {runner.returncode}:\n{output}")
    resumed = subprocess.run([run_sweep, *grid, f"--out={stopped}", "--quiet"], cwd=source,
                             capture_output=True, text=True)
    subprocess.run([run_sweep, *grid, f"--out={whole}", "--quiet"], cwd=source, check=True)
    check(resumed.returncode == 0 and datasets(stopped) == datasets(whole),
          f"Ctrl-C in a baseline's classifier: the resumed run differs from one never stopped:\n"
          f"{resumed.stdout}{resumed.stderr}")


# --- --shard i/N: each shard its jobs, together the whole sweep.
def shards():
    sharded = f"{work}/sharded"
    for shard in ("0/2", "1/2"):
        result = run(sharded, "model.latent_dim=2,3,4", "trainer.epochs=1", f"--shard={shard}")
        check(result.returncode == 0, f"--shard {shard}: {result.stdout}{result.stderr}")
    check(list(statuses(sharded).values()).count("completed") == 3, "two shards: not 3 runs")
    bad = run(sharded, "model.latent_dim=2", "--shard=2/2")
    check(bad.returncode == 2 and bad.stderr.startswith("error: --shard 2/2"),
          f"--shard 2/2: exit {bad.returncode} {bad.stderr!r}")


# --- A worker whose runner has died lists the run it writes in summary.h5, which the runner would
# have rewritten (a job that completes as its runner is killed).
def orphaned_worker():
    orphan = f"{work}/orphan"
    check(run(orphan, "model.latent_dim=2", "trainer.epochs=1").returncode == 0, "orphan: sweep")
    job = next(path for path in glob.glob(f"{orphan}/jobs/*.yaml")
               if not path.endswith("sweep.yaml"))
    for path in glob.glob(f"{orphan}/runs/*.h5") + [f"{orphan}/summary.h5"]:
        os.remove(path)
    # A runner pid that is not its parent: the worker was orphaned as it started.
    worker = subprocess.run([run_sweep, "--run-job", job, f"--out={orphan}", "--threads=1",
                             f"--cache-dir={work}/cache", "--label=[#0]"], cwd=source,
                            capture_output=True, text=True,
                            env={**os.environ, "AELAB_RUNNER_PID": str(2 ** 22 + 1)})
    with h5py.File(f"{orphan}/summary.h5", "r") as f:
        listed = sorted(f["runs"])
    written = sorted(os.path.basename(p)[:-3] for p in glob.glob(f"{orphan}/runs/*.h5"))
    check(len(written) == 1 and listed == written,
          f"an orphaned worker's run {written} is not in summary.h5 {listed}: {worker.stderr}")


PARTS = {"runners": [two_runners, pid_namespaces, max_failures, shards, closed_output,
                     orphaned_worker],
         "signals": [kills, ctrl_c, ctrl_c_in_evaluation, ctrl_c_in_a_classifier]}
# Make the dataset's PCA cache first, so each job is training, not set-up.
run(f"{work}/warm", "model.latent_dim=2", "trainer.epochs=1")
if part not in PARTS:
    print(__doc__.splitlines()[-1], file=sys.stderr)
    sys.exit(2)
for test in PARTS[part]:
    test()
if not failures:
    shutil.rmtree(work, ignore_errors=True)
print(f"{len(failures)} failure(s)" if failures else "crash safety: all checks passed")
sys.exit(1 if failures else 0)
