#!/usr/bin/python3
"""make reproduce (tools/reproduce.sh) on mistakes: an option given as an override, an override
run_sweep refuses and an unknown NAME each end with run_sweep's or the script's one error line
and exit 2, not as runs that failed, and write no report. Usage: reproduce_script_test.py SOURCE
BUILD_DIR"""
import os
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
for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
