"""The test images an anomaly run finds most normal and most anomalous, each above the model's
reconstruction of it: what the score sees. Four rows per run."""
from . import plot_kind
from ._images import image_rows

COLUMNS = 10
RUNS = 3  # four rows each: a figure of at most twelve rows

KEYS = ("lowest_scores", "lowest_reconstructions", "highest_scores", "highest_reconstructions")


@plot_kind("anomalies", "the test images scored most normal and most anomalous, above their "
                        "reconstructions (anomaly detection)")
def draw(context):
    chosen = context.runs_with(lambda run: all(key in run.images for key in KEYS),
                               "with saved extreme-score images (experiment=anomaly runs on "
                               "images have them, unless anomaly.saved_images=0)", limit=RUNS)
    rows, labels = [], []
    for label, run in chosen:
        for key, words in zip(KEYS, ("most normal", "reconstructed", "most anomalous",
                                     "reconstructed")):
            rows.append(run.images[key][:COLUMNS])
            labels.append(f"{label}\n{words}")
    return image_rows(rows, min(COLUMNS, min(len(row) for row in rows)), labels)
