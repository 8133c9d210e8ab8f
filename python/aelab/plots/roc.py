"""ROC curves of anomaly detectors with their AUROC in the legend: one panel per set of normal
classes, one line per model, PCA's detector dashed."""
import re

from . import plot_kind
from ._classes import normal_classes_title
from ..plot_context import label_colours, natural_order
from ..style import ONE_COLUMN, PCA_STYLE, TWO_COLUMN, figure


def _panel_key(run):
    return normal_classes_title(run.config)


@plot_kind("roc", "ROC curves of anomaly runs, AUROC in the legend, PCA dashed")
def draw(context):
    chosen = context.runs_with(lambda run: "roc" in run.arrays,
                               "with an ROC curve (experiment=anomaly runs have one)")
    panels = {}
    for label, run in chosen:
        panels.setdefault(_panel_key(run), []).append((label, run))
    columns = min(len(panels), 4)
    height = 2.0 if len(panels) > 1 else 2.6
    # Square panels: a figure as wide as they need, so that no gap opens between them.
    fig, axes = figure(len(panels), columns=columns, panel_height=height,
                       width=min(TWO_COLUMN, ONE_COLUMN if columns == 1 else
                                 0.4 + columns * (height + 0.7)))
    ordered = sorted(panels.items(), key=lambda item: natural_order(item[0]))
    def name_of(label):  # the panel's title says the normal class
        return re.sub(r" ?normal=\S+", "", label)
    colours = label_colours(context, [name_of(label) for label, _ in chosen])
    for index, (ax, (normal, runs)) in enumerate(zip(axes, ordered)):
        pca_drawn = any(run.family == "pca" for _, run in runs)  # its own run: drawn below
        for label, run in runs:
            roc = run.arrays["roc"]
            name = name_of(label)
            ax.plot(roc[:, 0], roc[:, 1], color=colours[name],
                    linestyle="--" if run.family == "pca" else "-",
                    label=f"{name} {run.metrics['test']['auroc']:.3f}")
            if not pca_drawn and "pca_roc" in run.arrays:
                pca_roc = run.arrays["pca_roc"]
                ax.plot(pca_roc[:, 0], pca_roc[:, 1],
                        label=f"pca {run.baselines['pca']['test']['auroc']:.3f}", **PCA_STYLE)
                pca_drawn = True
        ax.plot([0, 1], [0, 1], color="#bbbbbb", linewidth=0.8, zorder=0)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.set_aspect("equal")
        ax.set_title(normal if len(panels) > 1 else "")
        ax.set_xlabel("false positive rate")
        ax.set_ylabel("true positive rate" if index % columns == 0 else "")
        ax.legend(title="AUROC", loc="best")  # where no curve runs (below chance: top left)
    return fig
