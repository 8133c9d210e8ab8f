"""A metric against the code size: one line per model family, PCA dashed, error bars over
seeds. The figure every bottleneck study starts with. Runs that denoise or colourize draw the
output's PSNR, with the corrupted input's own dotted beside it."""
import re

import numpy as np

from . import NothingToDraw, plot_kind
from ._metrics import axis_label
from ..plot_context import label_colours, natural_order
from ..style import PCA_STYLE, figure

DEFAULT_METRICS = ("test/sse", "test/mse", "test/nll_is", "test/auroc", "test/accuracy")


def _metric(context):
    if context.metric:
        return context.metric
    # Runs that denoise or colourize: the output's PSNR, where every trained run has it.
    trained = context.runs[context.runs["family"] != "pca"]
    if len(trained) and "test/denoise_psnr" in trained.columns and \
            trained["test/denoise_psnr"].notna().all():
        return "test/denoise_psnr"
    for metric in DEFAULT_METRICS:
        if metric in context.runs.columns and context.runs[metric].notna().any():
            return metric
    raise NothingToDraw("no completed run has test/sse, test/mse, test/nll_is or test/auroc; "
                        "name one with --metric")


def _mean_std(frame, column):
    grouped = frame.groupby("model.latent_dim")[column]
    return grouped.mean(), grouped.std().fillna(0.0)


def _draw_input_psnr(ax, models, metric, colours):
    """Beside the output's PSNR, the corrupted input's own (`noisy_psnr`, no model's doing):
    one dotted line where every series was given the same inputs, else one per series."""
    if not metric.endswith("/denoise_psnr"):
        return
    column = metric[:-len("denoise_psnr")] + "noisy_psnr"
    if column not in models.columns or models[column].isna().all():
        return
    noise = models["noise.name"].dropna().unique() if "noise.name" in models.columns else []
    given = f"{noise[0]} input" if len(noise) == 1 else "input given"
    levels = models.groupby("series")[column].mean().dropna()
    if levels.max() - levels.min() < 0.01:
        ax.axhline(levels.mean(), color="black", linestyle=":", label=f"{given} (no model)")
        return
    for series, level in levels.items():
        ax.axhline(level, color=colours[series], linestyle=":", label=f"{series}: its input")


@plot_kind("bottleneck", "a metric against model.latent_dim, one line per family, PCA dashed")
def draw(context):
    runs = context.with_column("model.latent_dim", "the code size")
    if runs["model.latent_dim"].nunique() < 2:
        raise NothingToDraw("every run has the same model.latent_dim; a bottleneck figure needs "
                            "several")
    metric = _metric(context)
    runs = context.with_column(metric, "the metric to draw")
    fig, (ax,) = figure(1)
    pca_runs = runs[runs["family"] == "pca"]
    models = runs[runs["family"] != "pca"].copy()
    # One line per label without its code size: a family, or a family and what else was swept.
    models["series"] = [re.sub(r" ?k=\S+", "", label) for label in models["label"]]
    colours = label_colours(context, models["series"])
    for series, frame in sorted(models.groupby("series"), key=lambda item: natural_order(item[0])):
        mean, std = _mean_std(frame, metric)
        ax.errorbar(mean.index, mean.values, yerr=std.values, marker="o", capsize=2,
                    color=colours[series], label=series)
    baseline = f"baseline/pca/{metric}"
    if len(pca_runs):
        mean, std = _mean_std(pca_runs, metric)
    elif baseline in runs.columns and runs[baseline].notna().any():
        mean, std = _mean_std(runs[runs[baseline].notna()], baseline)
    else:
        mean = None
    if mean is not None:
        ax.errorbar(mean.index, mean.values, yerr=std.values, marker="s", capsize=2,
                    label="pca", **PCA_STYLE)
    _draw_input_psnr(ax, models, metric, colours)
    ks = sorted(runs["model.latent_dim"].unique())
    ax.set_xscale("log", base=2)
    ax.set_xticks(ks)
    ax.set_xticklabels([str(int(k)) for k in ks])
    ax.minorticks_off()
    ax.set_xlabel("code size k (log scale)")
    ax.set_ylabel(axis_label(metric, context.samples))
    if np.all(runs[metric] > 0) and runs[metric].max() / runs[metric].min() > 20:
        ax.set_yscale("log")
    ax.legend()
    return fig
