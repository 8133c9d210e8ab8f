"""ROC curves of anomaly detectors: one panel per set of normal classes, a curve per model and
seed, PCA's detector dashed, and in the legend each model's AUROC (the mean ± std over its seeds,
as make_table gives it)."""
import re

import numpy as np

from . import plot_kind
from ._classes import normal_classes_title
from ..plot_context import label_colours, natural_order
from ..style import ONE_COLUMN, PCA_STYLE, TWO_COLUMN, figure


def _panel_key(run):
    return normal_classes_title(run)


def _auroc_text(values):
    """`0.8031` for one run (or seeds that agree), `0.9799±0.0007` (mean and sample std) over
    several seeds: as make_table prints one value, four significant digits and a spread to the
    same decimals, or to its first significant digit where those would round it to 0."""
    mean = float(np.mean(values))
    if not np.isfinite(mean):  # a run whose scores were NaN
        return f"{mean}"
    decimals = max(0, 3 - int(np.floor(np.log10(abs(mean))))) if mean else 4
    if len(values) == 1 or np.ptp(values) == 0:  # no spread: as make_table shows it, no ±0
        return f"{mean:.{decimals}f}"
    std = float(np.std(values, ddof=1))
    spread = decimals if round(std, decimals) else -int(np.floor(np.log10(std)))
    return f"{mean:.{decimals}f}±{std:.{spread}f}"


def _seed_curves(ax, curves, aurocs, name, style):
    """One curve per seed in one style; the legend names them once, with their AUROC."""
    for i, curve in enumerate(curves):
        ax.plot(curve[:, 0], curve[:, 1], alpha=0.8, **style,
                label=f"{name} {_auroc_text(aurocs)}" if i == 0 else None)


def _same_curves(drawn):
    """The pairs of (name, curves) drawn in one panel whose every seed's curve is the other's,
    point for point: the later one covers the earlier."""
    def same(a, b):
        return len(a) == len(b) and all(x.shape == y.shape and np.allclose(x, y, atol=1e-6)
                                        for x, y in zip(a, b))
    return [(drawn[i][0], drawn[j][0]) for i in range(len(drawn)) for j in range(i + 1, len(drawn))
            if same(drawn[i][1], drawn[j][1])]


@plot_kind("roc", "ROC curves of anomaly runs (one per seed), mean AUROC in the legend, PCA dashed",
           test_metrics=True)
def draw(context):
    chosen = context.runs_with(lambda run: "roc" in run.arrays,
                               "with an ROC curve (experiment=anomaly runs have one)",
                               every_seed=True)
    panels = {}
    for label, runs in chosen:
        panels.setdefault(_panel_key(runs[0]), []).append((label, runs))
    columns = min(len(panels), 4)
    # Each panel's legend goes under it (the curves may fill every corner): about 0.13 inch of
    # height per legend line, its title and PCA's included.
    entries = max(len(labelled) + 1 for labelled in panels.values())
    square = 2.0 if len(panels) > 1 else 2.6
    height = square + 0.13 * (entries + 1)
    # Square panels: a figure as wide as they need, so that no gap opens between them.
    fig, axes = figure(len(panels), columns=columns, panel_height=height,
                       width=min(TWO_COLUMN, ONE_COLUMN if columns == 1 else
                                 0.6 + columns * (square + 0.35)))
    ordered = sorted(panels.items(), key=lambda item: natural_order(item[0]))
    for _, labelled in ordered:  # the models first, PCA's detector last, as in its legend
        labelled.sort(key=lambda item: item[1][0].family == "pca")
    def name_of(label):  # the panel's title says the normal class
        return re.sub(r" ?normal=\S+( \([^)]*\))?", "", label)
    colours = label_colours(context, [name_of(label) for label, _ in chosen])
    several = any(len(runs) > 1 for _, runs in chosen)
    for index, (ax, (normal, labelled)) in enumerate(zip(axes, ordered)):
        pca_drawn = any(runs[0].family == "pca" for _, runs in labelled)  # drawn as a model
        drawn = []  # (name, its seeds' curves) of the panel
        for label, runs in labelled:
            name = name_of(label)
            style = {"color": colours[name], "linestyle": "--" if runs[0].family == "pca" else "-"}
            drawn.append((name, [run.arrays["roc"] for run in runs]))
            _seed_curves(ax, drawn[-1][1], [run.metrics["test"]["auroc"] for run in runs], name,
                         style)
        # PCA's detector, recorded beside a model's runs, after the models (last in the legend).
        with_pca = [runs for _, runs in labelled if "pca_roc" in runs[0].arrays]
        if not pca_drawn and with_pca:
            runs = with_pca[0]
            drawn.append(("pca", [run.arrays["pca_roc"] for run in runs]))
            _seed_curves(ax, drawn[-1][1], [run.baselines["pca"]["test"]["auroc"] for run in runs],
                         "pca", PCA_STYLE)
        for first, second in _same_curves(drawn):
            context.note(f"roc: {first} and {second} draw the same curves"
                         + (f" ({normal})" if len(panels) > 1 else "")
                         + ", one over the other")
        ax.plot([0, 1], [0, 1], color="#bbbbbb", linewidth=0.8, zorder=0)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.set_aspect("equal")
        ax.set_title(normal)  # one panel alone says so too: the file must tell its normal class
        ax.set_xlabel("false positive rate")
        ax.set_ylabel("true positive rate" if index % columns == 0 else "")
        # Small, under the panel: a model worse than chance runs through the lower right.
        seeds = {len(runs) for _, runs in labelled}
        ax.legend(title="AUROC" + (f", {'/'.join(map(str, sorted(seeds)))} seeds"
                                   if several else ""),
                  # Below the x label: 0.54 inch under the panel, whatever its size
                  loc="upper center", bbox_to_anchor=(0.5, -0.54 / square), fontsize="x-small",
                  title_fontsize="x-small", handlelength=1.2, borderaxespad=0,
                  labelspacing=0.25)
    return fig
