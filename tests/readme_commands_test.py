#!/usr/bin/python3
"""Runs every run_sweep command in the README's sh blocks with --dry-run, from the project root:
each must compose and validate (exit 0). Lines with '...' are patterns, not commands."""
import re
import shlex
import subprocess
import sys

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
failures = 0
for arguments in commands:
    if not {"--list", "--parse", "--dry-run"} & set(arguments):
        arguments = arguments + ["--dry-run"]
    result = subprocess.run([run_sweep, *arguments], cwd=root, capture_output=True, text=True)
    shown = "run_sweep " + " ".join(shlex.quote(a) for a in arguments)
    if result.returncode != 0:
        failures += 1
        print(f"FAILED ({result.returncode}): {shown}\n{result.stderr.strip()}")
    else:
        print(f"ok: {shown}")
print(f"{len(commands)} README commands, {failures} failed")
sys.exit(1 if failures or not commands else 0)
