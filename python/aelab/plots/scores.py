"""Histograms of the anomaly scores of normal and anomalous test images, with the threshold
the run used: one panel per run."""
import numpy as np

from . import plot_kind
from ..plot_context import legend_beside
from ..style import PALETTE, figure, panel_title


@plot_kind("scores", "test score histograms of normal and anomalous images, threshold marked",
           test_metrics=True)
def draw(context):
    chosen = context.runs_with(lambda run: "score_histogram_edges" in run.arrays,
                               "with score histograms (experiment=anomaly runs have them)")
    fig, axes = figure(len(chosen), columns=min(len(chosen), 3), panel_height=2.0)
    for ax, (label, run) in zip(axes, chosen):
        edges = run.arrays["score_histogram_edges"]
        widths = np.diff(edges)
        for name, colour in (("normal", PALETTE[0]), ("anomalous", PALETTE[3])):
            counts = run.arrays[f"score_histogram_{name}"]
            density = counts / max(counts.sum(), 1) / widths
            ax.stairs(density, edges, fill=True, alpha=0.45, color=colour, label=name)
        threshold = run.metrics["test"].get("threshold")
        if threshold is not None:
            ax.axvline(threshold, color="#000000", linewidth=1.0, linestyle=":",
                       label="threshold")
        panel_title(ax, label)
        ax.set_xlabel(f"score ({run.config.get('anomaly', {}).get('score', 'sse')})")
        ax.set_ylabel("density")
    legend_beside(fig, axes)  # not over the first panel's bars
    return fig
