#!/usr/bin/python3
"""`run_sweep --parse` against the cases of Hydra's own override-parser tests
(hydra_override_cases.json, made by tools/hydra_override_cases.py from Hydra's
tests/test_overrides_parser.py): each override must parse to what Hydra gives, or fail where
Hydra fails. Prints each disagreement and the count; `--report` lists them without failing.
Usage: hydra_agreement_test.py RUN_SWEEP [--report]"""
import json
import math
import os
import subprocess
import sys

run_sweep = sys.argv[1]
report_only = "--report" in sys.argv
cases = json.load(open(os.path.join(os.path.dirname(__file__), "hydra_override_cases.json")))
cases = [case for case in cases if "skip" not in case]
result = subprocess.run([run_sweep, "--parse", "--", *[c["override"] for c in cases]],
                        capture_output=True, text=True)
lines = result.stdout.splitlines()
if len(lines) != len(cases):
    print(f"run_sweep --parse printed {len(lines)} lines for {len(cases)} overrides")
    print(result.stderr[-2000:])
    sys.exit(1)


def same(ours, theirs):
    if isinstance(theirs, dict) and set(theirs) == {"float"}:
        return isinstance(ours, (float, str)) and str(ours).lower().lstrip("+") in (
            theirs["float"], "infinity" if theirs["float"] == "inf" else theirs["float"])
    if isinstance(theirs, float) and isinstance(ours, (int, float)) and not isinstance(ours, bool):
        return isinstance(ours, float) and (ours == theirs or math.isnan(ours) and math.isnan(theirs))
    if isinstance(theirs, bool) or isinstance(ours, bool):
        return type(ours) is type(theirs) and ours == theirs
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(
            same(a, b) for a, b in zip(ours, theirs))
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and set(ours) == set(theirs) and all(
            same(ours[k], theirs[k]) for k in theirs)
    return type(ours) is type(theirs) and ours == theirs


disagreements = []
for case, line in zip(cases, lines):
    ours = json.loads(line)
    if case.get("error"):
        if "error" not in ours:
            disagreements.append((case, "Hydra refuses it; we parse it as " + line))
        continue
    if "error" in ours:
        disagreements.append((case, "we refuse it: " + ours["error"]))
        continue
    expected = dict(case["expected"])
    if "values_any_order" in expected:
        theirs = sorted(map(json.dumps, expected.pop("values_any_order")))
        if sorted(map(json.dumps, ours.get("values", []))) != theirs:
            disagreements.append((case, "shuffled values differ: " + line))
            continue
        ours = {k: v for k, v in ours.items() if k != "values"}
    problems = [key for key in expected if not same(ours.get(key), expected[key])]
    if problems:
        disagreements.append((case, f"{', '.join(problems)}: expected "
                                    f"{json.dumps({k: expected[k] for k in problems})}, got {line}"))
for case, why in disagreements:
    print(f"{case['test']}[{case['id']}] {case['override']!r}: {why}")
print(f"{len(cases) - len(disagreements)} of {len(cases)} cases of Hydra's override-parser tests "
      "agree")
sys.exit(0 if report_only or not disagreements else 1)
