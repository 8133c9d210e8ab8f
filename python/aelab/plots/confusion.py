"""The transfer classifier's confusion matrix on the test set, each row (true class)
normalized: one panel per run."""
import numpy as np

from . import plot_kind
from ._classes import class_names
from ..style import figure


@plot_kind("confusion", "the transfer classifier's row-normalized test confusion matrix",
           test_metrics=True)
def draw(context):
    chosen = context.runs_with(lambda run: "confusion" in run.arrays,
                               "with a confusion matrix (experiment=transfer runs have one)")
    if len(chosen) > 4:
        context.note(f"showing 4 of {len(chosen)} runs; choose with --where KEY=VALUE")
        chosen = chosen[:4]
    fig, axes = figure(len(chosen), columns=min(len(chosen), 2), panel_height=3.3,
                       width=3.6 if len(chosen) == 1 else 7.0)
    for ax, (label, run) in zip(axes, chosen):
        counts = run.arrays["confusion"]
        rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        image = ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
        names = class_names(run, len(counts))
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=60, ha="right")
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels(names)
        for i in range(len(names)):
            for j in range(len(names)):
                if rates[i, j] >= 0.05:
                    ax.text(j, i, f"{rates[i, j]:.2f}"[1:] if round(rates[i, j], 2) < 1 else "1",
                            ha="center", va="center", fontsize=5,
                            color="white" if rates[i, j] > 0.6 else "black")
        ax.set_xlabel("predicted class")
        ax.set_ylabel("true class")
        ax.set_title(f"{label}  (accuracy {run.metrics['test']['accuracy']:.4f})")
    fig.colorbar(image, ax=axes, shrink=0.8, label="fraction of the true class")
    return fig
