"""Segmentation maps: each saved test input, its true map and each run's predicted map, in a
fixed 11-class palette with a legend."""
import numpy as np
from matplotlib.patches import Patch

from . import plot_kind
from ._classes import class_names
from ._images import image_rows

# Background light grey, then ten items that stay apart for colour-blind readers.
PALETTE = ["#EEEEEE", "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
           "#F0E442", "#000000", "#882255", "#999933"]
COLUMNS = 6


def _coloured(maps):
    """[n, H, W] class indices -> [n, 3, H, W] uint8 pictures in PALETTE."""
    rgb = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in PALETTE], dtype=np.uint8)
    pictures = rgb[np.clip(maps.astype(int), 0, len(PALETTE) - 1)]
    return np.transpose(pictures, (0, 3, 1, 2))


@plot_kind("segmentation", "input, true map and predicted maps in a fixed 11-class palette")
def draw(context):
    chosen = context.runs_with(lambda run: "predicted_maps" in run.arrays,
                               "with predicted maps (experiment=segmentation runs have them)")
    first = chosen[0][1]
    rows = [first.images["inputs"][:COLUMNS], _coloured(first.arrays["true_maps"][:COLUMNS])]
    labels = ["input", "truth"]
    for label, run in chosen:
        rows.append(_coloured(run.arrays["predicted_maps"][:COLUMNS]))
        labels.append(f"{label}\nmIoU {run.metrics['test']['miou']:.3f}")
    fig = image_rows(rows, min(COLUMNS, len(rows[0])), labels)
    names = class_names(first, len(PALETTE))
    fig.legend([Patch(facecolor=c, edgecolor="#666666", linewidth=0.4) for c in PALETTE], names,
               loc="upper center", bbox_to_anchor=(0.5, 0.1), ncol=6, frameon=False)
    return fig
