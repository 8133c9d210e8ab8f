"""A metric against the code size: one line per model family, PCA dashed, error bars over
seeds. The figure every bottleneck study starts with. Runs that denoise or colourize draw the
output's PSNR, with the corrupted input's own dotted beside it."""
import itertools
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


def _series(label):
    """`mlp k=4 noise=gaussian` -> `mlp noise=gaussian`: a label without its code size."""
    return re.sub(r" ?k=\S+", "", label)


def _setting(series):
    """`mlp noise=gaussian` -> `noise=gaussian`: what a series sets besides its family."""
    return series.split(" ", 1)[1] if " " in series else ""


def _draw_pca(ax, runs, models, metric):
    """PCA dashed: its own runs, else the baseline every run records; one line per setting
    (noise=gaussian, noise=masking) where the runs have several, never pooled across them."""
    baseline = f"baseline/pca/{metric}"
    pca_runs = runs[runs["family"] == "pca"].copy()
    if len(pca_runs):
        pca_runs["setting"] = [_setting(_series(label)) for label in pca_runs["label"]]
        column, source = metric, pca_runs
    elif baseline in models.columns and models[baseline].notna().any():
        source = models[models[baseline].notna()].copy()
        source["setting"] = [_setting(series) for series in source["series"]]
        column = baseline
    else:
        return
    for (setting, (mean, std)), marker in zip(_distinct_lines(source, column),
                                              itertools.cycle("sD^v<>")):
        ax.errorbar(mean.index, mean.values, yerr=std.values, marker=marker, capsize=2,
                    label=f"pca {setting}".strip(), **PCA_STYLE)


def _distinct_lines(source, column):
    """PCA's line of each setting, those that are the same line merged into one named by the
    words their settings share: PCA reads no prior nor learning rate, so a sweep of those has one
    PCA line, `pca`, and a sweep of noise models one per noise model."""
    lines = []  # [settings, mean, std]
    for setting, frame in sorted(source.groupby("setting"), key=lambda item: natural_order(item[0])):
        mean, std = _mean_std(frame, column)
        same = next((line for line in lines if line[1].index.equals(mean.index) and
                     np.allclose(line[1].values, mean.values, rtol=1e-9, atol=0)), None)
        if same:
            same[0].append(setting)
        else:
            lines.append([[setting], mean, std])
    for settings, mean, std in lines:
        shared = [word for word in settings[0].split() if all(word in s.split() for s in settings)]
        yield " ".join(shared), (mean, std)


def _draw_input_psnr(ax, models, metric):
    """Beside the output's PSNR, the corrupted input's own (`noisy_psnr`: no model's doing),
    grey and dotted: one line per setting of the runs (noise=gaussian, noise=masking)."""
    if not metric.endswith("/denoise_psnr"):
        return
    column = metric[:-len("denoise_psnr")] + "noisy_psnr"
    if column not in models.columns or models[column].isna().all():
        return
    frame = models[models[column].notna()].copy()
    frame["setting"] = [_setting(series) for series in frame["series"]]
    styles = itertools.cycle([":", (0, (1, 3)), (0, (3, 2, 1, 2))])
    for setting, runs in sorted(frame.groupby("setting"), key=lambda item: natural_order(item[0])):
        noise = runs["noise.name"].dropna().unique() if "noise.name" in runs.columns else []
        given = ("grey input" if list(noise) == ["grayscale"] else
                 f"input with {noise[0]} noise" if len(noise) == 1 else "noisy input")
        others = " ".join(word for word in setting.split()
                          if not (len(noise) == 1 and word == f"noise={noise[0]}"))
        ax.axhline(runs[column].mean(), color="#777777", linestyle=next(styles),
                   label=f"{given}{', ' + others if others else ''} (no model)")


@plot_kind("bottleneck", "a metric against model.latent_dim, one line per family, PCA dashed")
def draw(context):
    runs = context.with_column("model.latent_dim", "the code size")
    if runs["model.latent_dim"].nunique() < 2:
        raise NothingToDraw("every run has the same model.latent_dim; a bottleneck figure needs "
                            "several")
    metric = _metric(context)
    runs = context.with_column(metric, "the metric to draw")
    fig, (ax,) = figure(1)
    models = runs[runs["family"] != "pca"].copy()
    # One line per label without its code size: a family, or a family and what else was swept.
    models["series"] = [_series(label) for label in models["label"]]
    colours = label_colours(context, models["series"])
    for series, frame in sorted(models.groupby("series"), key=lambda item: natural_order(item[0])):
        mean, std = _mean_std(frame, metric)
        ax.errorbar(mean.index, mean.values, yerr=std.values, marker="o", capsize=2,
                    color=colours[series], label=series)
    _draw_pca(ax, runs, models, metric)
    _draw_input_psnr(ax, models, metric)
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
