#!/usr/bin/python3
"""The figures' axis labels read every entry of framework/results/metric_directions.def, the
list make_table bolds by (an entry written so that the C++ preprocessor takes it and Python's
reader misses it would make a table and a figure disagree), and say its direction.
Usage: metric_directions_test.py SOURCE_DIR"""
import os
import re
import sys

source = sys.argv[1]
sys.path.insert(0, os.path.join(source, "python"))
from aelab.plots._metrics import DIRECTIONS, axis_label, direction  # noqa: E402

failures = []
listed = open(os.path.join(source, "framework", "results", "metric_directions.def")).read()
entries = re.findall(r"^\s*AELAB_METRIC\s*\(", listed, re.MULTILINE)
if len(entries) != len(DIRECTIONS):
    failures.append(f"metric_directions.def has {len(entries)} entries, Python read "
                    f"{len(DIRECTIONS)}: write each as AELAB_METRIC(lower, \"name\", ratio)")
for metric, says in (("test/sse", "(lower is better)"), ("baseline/pca/test/auroc",
                                                         "(higher is better)"),
                     ("test/accuracy_frozen", "(higher is better)"),
                     ("test/iou_3", "(higher is better)"), ("val/score_normal",
                                                            "(lower is better)")):
    if not axis_label(metric).endswith(says):
        failures.append(f"{metric}: axis label {axis_label(metric)!r}, expected {says}")
for metric in ("test/kl", "test/noisy_psnr", "test/active_units", "test/unheard_of"):
    if direction(metric) is not None or "better" in axis_label(metric):
        failures.append(f"{metric} has no better end, yet: {axis_label(metric)!r}")
for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
