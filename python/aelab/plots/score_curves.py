"""The mean validation score of normal and of anomalous images after every epoch, with the
threshold: how training separates the two populations. One panel per run."""
import numpy as np

from . import plot_kind
from ..plot_context import legend_beside
from ..style import PALETTE, epoch_axis, figure, line_marker, panel_title


@plot_kind("score_curves", "per-epoch validation scores of normal and anomalous images")
def draw(context):
    chosen = context.runs_with(
        lambda run: "score_normal" in run.history.get("val", {}),
        "with per-epoch scores (trained models of experiment=anomaly have them)")
    fig, axes = figure(len(chosen), columns=min(len(chosen), 3), panel_height=2.0)
    for ax, (label, run) in zip(axes, chosen):
        val = run.history["val"]
        epochs = np.arange(1, len(val["score_normal"]) + 1)
        marker = line_marker(len(epochs))
        ax.plot(epochs, val["score_normal"], color=PALETTE[0], label="normal", **marker)
        if "score_anomalous" in val and np.isfinite(val["score_anomalous"]).any():
            ax.plot(epochs, val["score_anomalous"], color=PALETTE[3], label="anomalous", **marker)
        threshold = run.metrics["test"].get("threshold")
        if threshold is not None:
            ax.axhline(threshold, color="#000000", linewidth=1.0, linestyle=":",
                       label="threshold")
        panel_title(ax, label)
        epoch_axis(ax, len(epochs))
        ax.set_ylabel("mean validation score")
    legend_beside(fig, axes)  # not over the first panel's curves
    return fig
