#!/usr/bin/python3
"""launcher=slurm against a real one-node Slurm cluster on localhost, started and stopped by this
test: a 4-job sweep is submitted as one job array and returns at once; submitted again while
the array is queued, it submits nothing; every run completes; one
task sent SIGUSR1 mid-run (as Slurm does before a time limit, or `scancel --signal=USR1`)
checkpoints, requeues itself and resumes from its checkpoint; `--status` names the array job.
Skipped (exit 77) where Slurm cannot be started: not root, or slurmctld/slurmd/munged missing.
Usage: slurm_launcher_test.py SOURCE RUN_SWEEP"""
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import h5py

source, run_sweep = sys.argv[1], sys.argv[2]
SKIP = 77
failures = []


def skip(why):
    print(f"skipped: {why}")
    sys.exit(SKIP)


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAILED:", message)


if os.geteuid() != 0:
    skip("a test Slurm cluster needs root (SlurmUser=root)")
for tool in ("slurmctld", "slurmd", "munged", "mungekey", "sbatch", "squeue", "scontrol",
             "scancel"):
    if not shutil.which(tool, path=os.environ["PATH"] + ":/usr/sbin:/sbin"):
        skip(f"{tool} is not installed (tools/install_deps.sh installs slurm-wlm and munge)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


work = tempfile.mkdtemp(prefix="aelab-slurm-test-")
os.chmod(work, 0o700)
for sub in ("munge", "state", "spool", "results"):
    os.makedirs(f"{work}/{sub}", mode=0o700)
host = socket.gethostname().split(".")[0]
cpus = os.cpu_count()
conf = f"{work}/slurm.conf"
with open(conf, "w") as f:
    f.write(f"""ClusterName=aelabtest
SlurmctldHost={host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={work}/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
StateSaveLocation={work}/state
SlurmdSpoolDir={work}/spool
SlurmctldPidFile={work}/slurmctld.pid
SlurmdPidFile={work}/slurmd.pid
SlurmctldLogFile={work}/slurmctld.log
SlurmdLogFile={work}/slurmd.log
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
KillWait=30
MinJobAge=600
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP
""")
env = dict(os.environ, SLURM_CONF=conf, PATH=os.environ["PATH"] + ":/usr/sbin:/sbin")
started = []  # (name, pid file) of the daemons this test started


def daemon(name, *command, pid_file):
    result = subprocess.run(list(command), env=env, capture_output=True, text=True)
    if result.returncode != 0:
        stop_daemons()
        skip(f"{name} did not start: {(result.stderr or result.stdout).strip()[:300]}")
    for _ in range(50):
        if os.path.exists(pid_file):
            break
        time.sleep(0.1)
    started.append((name, pid_file))


def stop_daemons(only=None):
    for name, pid_file in reversed(started):
        if only and name != only:
            continue
        try:
            pid = int(open(pid_file).read().split()[0])
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (OSError, ValueError):
            pass
    started[:] = [daemon for daemon in started if only and daemon[0] != only]


subprocess.run(["mungekey", "--create", f"--keyfile={work}/munge/munge.key"], check=True,
               capture_output=True)
daemon("munged", "munged", "--force", f"--socket={work}/munge/munge.socket",
       f"--key-file={work}/munge/munge.key", f"--pid-file={work}/munge/munged.pid",
       f"--log-file={work}/munge/munged.log", f"--seed-file={work}/munge/munged.seed",
       pid_file=f"{work}/munge/munged.pid")
daemon("slurmctld", "slurmctld", "-f", conf, pid_file=f"{work}/slurmctld.pid")
daemon("slurmd", "slurmd", "-f", conf, "-N", host, pid_file=f"{work}/slurmd.pid")


def sh(*command):
    return subprocess.run(list(command), env=env, capture_output=True, text=True)


def wait_for(condition, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    check(False, f"timed out after {seconds} s waiting for {what}")
    return False


try:
    wait_for(lambda: "idle" in sh("sinfo", "-h", "-o", "%t").stdout, 30, "the node to be idle")
    results = f"{work}/results/sweep"
    # --dry-run shows the script sbatch would get, and writes nothing.
    sweep = [run_sweep, "-c", "sweeps/bottleneck", "model=mlp_ae", "model.latent_dim=2,3,4,5",
             "data.subset=2000", "launcher=slurm", f"--cache-dir={work}/cache"]
    dry = subprocess.run([*sweep, "--dry-run", f"--out={work}/results/dry"], cwd=source,
                         env=env, capture_output=True, text=True)
    check(dry.returncode == 0 and "#   #SBATCH --array=0-3\n" in dry.stdout and
          not os.path.exists(f"{work}/results/dry/slurm"),
          f"--dry-run does not show the script:\n{dry.stdout}{dry.stderr}")
    # A submission sbatch refuses: one error line with sbatch's reason, and the results folder
    # it made is gone again.
    refused = subprocess.run([*sweep, "launcher.partition=nosuch", f"--out={work}/results/bad"],
                             cwd=source, env=env, capture_output=True, text=True)
    check(refused.returncode == 2 and refused.stderr.count("\n") == 1 and
          refused.stderr.startswith("error: launcher=slurm: sbatch submitted nothing") and
          "partition" in refused.stderr and not os.path.exists(f"{work}/results/bad"),
          f"a refused submission:\n{refused.stdout}{refused.stderr}")
    # The sweep the rest submits: job #1 trains long enough (60 epochs) to be interrupted.
    def long_sweep(*extra, ks="2,3,4,5"):
        return subprocess.run(
            [run_sweep, "-c", "sweeps/bottleneck", "model=mlp_ae", f"model.latent_dim={ks}",
             "data.subset=2000", "trainer.epochs=60", "launcher=slurm",
             "launcher.cpus_per_task=1", "launcher.time_minutes=10", f"--out={results}",
             f"--cache-dir={work}/cache", *extra], cwd=source, env=env, capture_output=True,
            text=True)

    started_at = time.time()
    submit = long_sweep()
    submit_seconds = time.time() - started_at
    print(submit.stdout, submit.stderr)
    check(submit.returncode == 0, f"submission failed: {submit.stderr}")
    match = re.search(r"submitted Slurm array job (\d+) \(4 task", submit.stdout)
    check(match is not None, f"no array job id in: {submit.stdout}")
    if match is None:
        raise SystemExit
    array = match.group(1)
    check(submit_seconds < 60, f"submitting took {submit_seconds:.0f} s: it should not wait")
    script = open(f"{results}/slurm/submission-1.sh").read()
    check("#SBATCH --array=0-3" in script and "--requeue" in script and
          "--signal=B:USR1@" in script, f"the array script lacks its settings:\n{script}")
    # The same sweep again while the array is queued or running submits nothing: each job is
    # named with the task that holds it. One more k adds a one-task array for that job alone.
    again = long_sweep()
    check(again.returncode == 0 and "none to submit" in again.stdout and
          len(re.findall(rf"submitted earlier: Slurm array job {array}_[0-3], ", again.stdout))
          == 4 and not os.path.exists(f"{results}/slurm/submission-2.sh"),
          f"resubmitting a queued sweep:\n{again.stdout}{again.stderr}")
    # --status asks squeue too: a job no task has started is `queued`, with its task.
    early = subprocess.run([run_sweep, "--status", results], env=env, capture_output=True,
                           text=True)
    states = re.findall(r"^#\d+ +(\w+)", early.stdout, re.M)
    check(len(states) == 4 and set(states) <= {"queued", "running"} and
          all(f"Slurm array job {array}_" in line for line in early.stdout.splitlines()
              if re.match(r"#\d+ +queued", line)),
          f"--status of a queued array:\n{early.stdout}{early.stderr}")
    more = long_sweep("--dry-run", ks="2,3,4,5,6")
    check(more.returncode == 0 and "#   #SBATCH --array=0-0\n" in more.stdout and
          "1 job(s) to run, 0 skipped, 4 queued or running from an earlier submission" in
          more.stdout, f"a dry run of one more k beside a queued array:\n{more.stdout}")

    # Interrupt a task once it has trained a few epochs: it checkpoints and requeues itself.
    # (Slurm 22.05's scancel does not signal the task that carries the array's own job id, so
    # the test picks another one and names it by its job id.)
    def task_epoch(task):
        for claim in glob.glob(f"{results}/claims/*.claim"):
            text = open(claim).read()
            if f"slurm_job {array}_{task}\n" in text:
                return int(re.search(r"epoch (\d+)", text).group(1))
        return 0

    target = {}

    def trained_task():
        for line in sh("squeue", "-h", "-j", array, "-o", "%A %K %t").stdout.splitlines():
            job_id, task, state = line.split()
            # Trained a few epochs, with time left to interrupt it on a busy machine.
            if job_id != array and state == "R" and task.isdigit() and \
                    3 <= task_epoch(task) <= 20:
                target.update(job_id=job_id, task=task)
                return True
        return False
    wait_for(trained_task, 240, "a task to train 3 epochs")
    task = target.get("task", "1")
    status = subprocess.run([run_sweep, "--status", results], env=env, capture_output=True,
                            text=True)
    check(re.search(rf"running +.*epoch \d+/60 on .*Slurm {array}_{task}", status.stdout)
          is not None and f"Slurm array job {array}" in status.stdout and
          status.stdout.count("\n#") == 4,
          f"--status does not show task {task} running:\n{status.stdout}{status.stderr}")
    interrupted_at = task_epoch(task)
    # scancel delivers the signal, then may retry and report "Job can not be altered now" for
    # the steps it already signalled: the requeue below is what counts.
    try:
        subprocess.run(["scancel", "--signal=USR1", "--full", target.get("job_id", array)],
                       env=env, capture_output=True, timeout=5)
    except subprocess.TimeoutExpired:
        pass

    # Slurm holds a requeued job for about two minutes (its BeginTime); let it start now.
    def requeued():
        return "BeginTime" in sh("squeue", "-h", "-j", f"{array}_{task}", "-o", "%r").stdout
    if wait_for(requeued, 120, f"task {task} to be requeued"):
        # Give slurmd time to clean up the task's first run: started at once, on a busy machine
        # it may refuse the launch ("Job N already killed, do not launch batch job").
        time.sleep(5)
        sh("scontrol", "update", f"JobId={array}_{task}", "StartTime=now")

    def array_done():
        return sh("squeue", "-h", "-j", array).stdout.strip() == ""
    wait_for(array_done, 600, "the array job to finish")
    resumed_log = None  # the log of the run that resumed the task, where not its own
    submissions = 1
    # Where slurmd refused the requeued launch all the same, the task's job is left interrupted,
    # as it would be for a user: the same command submits it again, and it resumes there.
    if "do not launch batch job" in open(f"{work}/slurmd.log").read():
        print("slurmd refused to launch the requeued task: submitting the sweep again")
        again = long_sweep()
        resubmitted = re.search(r"submitted Slurm array job (\d+)", again.stdout)
        check(resubmitted is not None, f"resubmission: {again.stdout}{again.stderr}")
        if resubmitted:
            wait_for(lambda: sh("squeue", "-h", "-j", resubmitted.group(1)).stdout.strip() == "",
                     600, "the resubmitted array to finish")
            resumed_log = f"{results}/slurm/{resubmitted.group(1)}_0.out"
            submissions += 1

    runs = sorted(glob.glob(f"{results}/runs/*.h5"))
    check(len(runs) == 4, f"expected 4 run files, found {len(runs)}")
    for path in runs:
        with h5py.File(path, "r") as f:
            check(f.attrs["status"] == "completed", f"{path}: {f.attrs['status']}")
            check(len(f["history/train/loss"][()]) == 60, f"{path}: history is not 60 epochs")
    with h5py.File(f"{results}/summary.h5", "r") as f:
        check(f.attrs["run_count"] == 4, "summary.h5 does not list the 4 runs")
    log = open(glob.glob(f"{results}/slurm/{array}_{task}.out")[0]).read()
    check("requeueing" in log, f"task {task} did not requeue itself:\n{log[-3000:]}")
    if resumed_log:
        log = open(resumed_log).read()
    resumed = re.search(r"resuming from the checkpoint of epoch (\d+)", log)
    check(resumed is not None and int(resumed.group(1)) >= max(1, interrupted_at),
          f"task {task} did not resume from its checkpoint (interrupted after epoch "
          f"{interrupted_at}):\n{log[-3000:]}")
    if resumed:
        print(f"task {task}: interrupted after epoch {interrupted_at}, requeued, resumed from "
              f"the checkpoint of epoch {resumed.group(1)}")
    check(not glob.glob(f"{results}/checkpoints/*.pt"), "checkpoints were left after completion")
    status = subprocess.run([run_sweep, "--status", results], env=env, capture_output=True,
                            text=True)
    check("4 completed" in status.stdout, f"--status after the array:\n{status.stdout}")
    # A second submission of the same sweep submits nothing: every job is done.
    again = long_sweep()
    check(again.returncode == 0 and "every run is done" in again.stdout and
          not os.path.exists(f"{results}/slurm/submission-{submissions + 1}.sh"),
          f"resubmitting a finished sweep:\n{again.stdout}{again.stderr}")
    # With the controller down (munge still up), the cluster is out of reach: not the sweep's
    # fault, exit code 1.
    stop_daemons(only="slurmctld")
    started_at = time.time()
    unreachable = subprocess.run([*sweep, f"--out={work}/results/unreachable"], cwd=source,
                                 env=env, capture_output=True, text=True)
    check(unreachable.returncode == 1 and unreachable.stderr.count("\n") == 1 and
          "sbatch submitted nothing" in unreachable.stderr and
          "check that this machine reaches the cluster's controller" in unreachable.stderr and
          not os.path.exists(f"{work}/results/unreachable"),
          f"a submission to a stopped controller:\n{unreachable.stdout}{unreachable.stderr}")
    print(f"a stopped controller, {time.time() - started_at:.1f} s: {unreachable.stderr.strip()}")
finally:
    stop_daemons()
    if failures:
        for name in ("slurmctld.log", "slurmd.log"):
            if os.path.exists(f"{work}/{name}"):
                print(f"--- {name} (tail)\n" + open(f"{work}/{name}").read()[-2000:])
    else:
        shutil.rmtree(work, ignore_errors=True)

print(f"{len(failures)} failure(s)" if failures else "slurm launcher: all checks passed")
sys.exit(1 if failures else 0)
