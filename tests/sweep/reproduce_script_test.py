#!/usr/bin/python3
"""make reproduce (tools/reproduce.sh) on mistakes: an option given as an override, an override
run_sweep refuses and an unknown NAME each end with run_sweep's or the script's one error line
and exit 2, not as runs that failed, and write no report; launcher settings added to a small
run's OVERRIDES reuse its results folder. Usage: reproduce_script_test.py SOURCE
BUILD_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

source, build = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="aelab-reproduce-script-test-")
failures = []


def reproduce(name, overrides):
    environment = dict(os.environ, BUILD=build, REPRO_OUT=work, NAME=name, OVERRIDES=overrides)
    return subprocess.run(["bash", os.path.join(source, "tools", "reproduce.sh")],
                          capture_output=True, text=True, cwd=source, env=environment)


for name, overrides, says in (
        ("denoising", "trainer.epochs=1 --dry-run",
         "error: OVERRIDES: '--dry-run' is an option of run_sweep, not an override"),
        ("denoising", "trainer.epochz=1",
         "error: override 'trainer.epochz=1': trainer.epochz: no such key in the config (did "
         "you mean 'trainer.epochs'?)"),
        ("denoisin", "", "error: NAME=denoisin: no such reproduction (did you mean NAME=denoising? "
                         "those in configs/reproduce/: denoising, hinton2006, one_class,"),
        ("one_class.yaml", "", "error: NAME=one_class.yaml: no such reproduction (did you mean "
                               "NAME=one_class? ")):
    result = reproduce(name, overrides)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    if result.returncode != 2 or len(errors) != 1 or not errors[0].startswith(says):
        failures.append(f"NAME={name} OVERRIDES='{overrides}': exit {result.returncode}, "
                        f"stderr {result.stderr!r}")
reports = [f for f in os.listdir(work) if f.endswith(".md")]
if reports:
    failures.append(f"a report was written despite the errors: {reports}")

# A small run of a reproduction gets a results folder of its own; the same with launcher
# settings added (how the runs are launched, not what they compute) reuses it: nothing reruns.
small = "trainer.epochs=1 data.subset=600 anomaly.normal_classes=0"
first = reproduce("one_class", small)
again = reproduce("one_class", small + " launcher.jobs=1")
folders = sorted(f for f in os.listdir(work) if os.path.isdir(os.path.join(work, f)))
if first.returncode != 0 or again.returncode != 0 or len(folders) != 1 or \
        "1 job(s): every run is done" not in again.stdout + again.stderr:
    failures.append(f"launcher settings in OVERRIDES: exit {first.returncode}, "
                    f"{again.returncode}, folders {folders}:\n{again.stdout}{again.stderr}")
for failure in failures:
    print("FAILED:", failure)
if failures:
    print(f"its files are kept in {work}")
else:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failures else 0)
