#!/usr/bin/python3
"""The one_class report names each normal class whose AUROC is below chance, with its AUROC, and
says nothing of chance where every class is above it. Runs the report's builder on a table of
made-up runs; no training. Usage: one_class_report_test.py SOURCE_DIR"""
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.join(sys.argv[1], "python"))
from aelab.reports import one_class  # noqa: E402

# The builder reads two notes from each run's file; these runs have none, so give them here.
NOTES = {"train_normal": "5400 normal images", "threshold": ""}
one_class.notes = lambda df, name: [NOTES[name]] * len(df)
failures = []


def runs(aurocs):
    """A results table of one-class runs with the given AUROC per normal class."""
    return pd.DataFrame({
        "anomaly.normal_classes": list(aurocs), "test/auroc": list(aurocs.values()),
        "baseline/pca/test/auroc": [0.8] * len(aurocs), "model.latent_dim": [8] * len(aurocs),
        "trainer.epochs": [2] * len(aurocs), "encoder.hidden": [[64]] * len(aurocs),
        "input_shape": [[1, 28, 28]] * len(aurocs), "path": ["unused"] * len(aurocs)})


def chance_lines(report):
    return [line for line in report.settings if "Below chance" in line]


below = chance_lines(one_class.build(runs({0: 0.9, 2: 0.41, 5: 0.62, 8: 0.495})))
if len(below) != 1 or "normal class 2 Pullover (41.0), 8 Bag (49.5):" not in below[0]:
    failures.append(f"classes 2 and 8 below chance, the report says {below}")
above = chance_lines(one_class.build(runs({0: 0.9, 5: 0.5, 9: 0.97})))
if above:
    failures.append(f"no class below chance, the report says {above}")
for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
