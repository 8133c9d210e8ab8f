#!/usr/bin/python3
"""Runs every run_sweep command in the README's sh blocks with --dry-run, from the project root:
each must compose and pass a run's checks of folders, launcher and devices (exit 0). Lines with
'...' are patterns, not commands. The Slurm command is checked as on a login node: an sbatch
that fails if called is on PATH, and a dry run only looks it up."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

root, run_sweep = sys.argv[1], sys.argv[2]
text = open(f"{root}/README.md").read()
commands = []
for block in re.findall(r"```sh\n(.*?)```", text, re.S):
    block = re.sub(r"\\\n\s*", " ", block)  # join continued lines
    for line in block.splitlines():
        line = re.sub(r"\s+#.*$", "", line.strip())
        for part in line.split("&&"):
            words = shlex.split(part.strip())
            if words and words[0] in ("run_sweep", "build/bin/run_sweep") and "..." not in part:
                commands.append(words[1:])
login_node = tempfile.mkdtemp()
with open(f"{login_node}/sbatch", "w") as sbatch:
    sbatch.write("#!/bin/sh\necho 'a dry run called sbatch' >&2\nexit 1\n")
os.chmod(f"{login_node}/sbatch", 0o755)
environment = dict(os.environ, PATH=f"{login_node}:{os.environ['PATH']}")
failures = 0
for arguments in commands:
    if not {"--list", "--parse", "--dry-run"} & set(arguments):
        arguments = arguments + ["--dry-run"]
    result = subprocess.run([run_sweep, *arguments], cwd=root, capture_output=True, text=True,
                            env=environment)
    shown = "run_sweep " + " ".join(shlex.quote(a) for a in arguments)
    if result.returncode != 0:
        failures += 1
        print(f"FAILED ({result.returncode}): {shown}\n{result.stderr.strip()}")
    else:
        print(f"ok: {shown}")
shutil.rmtree(login_node, ignore_errors=True)
print(f"{len(commands)} README commands, {failures} failed")
sys.exit(1 if failures or not commands else 0)
