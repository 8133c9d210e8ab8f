"""A metric against the code size: one line per model family, PCA dashed, error bars over
seeds. The figure every bottleneck study starts with. Runs that denoise or colourize draw the
output's PSNR, with the corrupted input's own dotted beside it."""
import itertools

import numpy as np
import pandas as pd

from . import NothingToDraw, plot_kind
from ._metrics import axis_label
from ..plot_context import label_colours, legend_beside, natural_order, series_label
from ..style import PCA_STYLE, figure

DEFAULT_METRICS = ("test/sse", "test/mse", "test/nll_is", "test/auroc", "test/accuracy",
                   "test/miou")


def metric_to_draw(context):
    """--metric, else the output's PSNR of runs that denoise, else the first of DEFAULT_METRICS
    the runs have."""
    if context.metric:
        return context.metric
    # Runs that denoise or colourize: the output's PSNR, where every trained run has it.
    trained = context.runs[context.runs["family"] != "pca"]
    denoising = trained["test/denoise_psnr"].notna() if "test/denoise_psnr" in trained.columns \
        else []
    if len(trained) and len(denoising) and denoising.all():
        return "test/denoise_psnr"
    for metric in DEFAULT_METRICS:
        if metric in context.runs.columns and context.runs[metric].notna().any():
            if len(denoising) and denoising.any():
                context.note(f"{metric} of the clean inputs: {int((~denoising).sum())} of "
                             f"{len(trained)} runs do not denoise, so not test/denoise_psnr "
                             f"(--metric test/denoise_psnr draws the runs that do)")
            return metric
    raise NothingToDraw(f"no completed run has {', '.join(DEFAULT_METRICS[:-1])} or "
                        f"{DEFAULT_METRICS[-1]}; name one with --metric")


def mean_std(frame, column, x="model.latent_dim"):
    """The mean and std over seeds of `column` at each value of `x`."""
    grouped = frame.groupby(x)[column]
    return grouped.mean(), grouped.std().fillna(0.0)


def setting_of(series):
    """`mlp noise=gaussian` -> `noise=gaussian`: what a series sets besides its family."""
    return series.split(" ", 1)[1] if " " in series else ""


def _draw_pca(ax, runs, models, metric, setting_colours):
    """PCA dashed: its own runs, else the baseline every run records; one line per setting
    (noise=gaussian, noise=masking) where the runs have several, never pooled across them, each
    in the colour of the one model line of its setting where there is one (else black)."""
    baseline = f"baseline/pca/{metric}"
    pca_runs = runs[runs["family"] == "pca"].copy()
    if len(pca_runs):
        pca_runs["setting"] = [setting_of(series_label(label)) for label in pca_runs["label"]]
        column, source = metric, _with_recorded_pca(pca_runs, models, metric)
    elif baseline in models.columns and models[baseline].notna().any():
        source = models[models[baseline].notna()].copy()
        source["setting"] = [setting_of(series) for series in source["series"]]
        column = baseline
    else:
        return
    lines = list(distinct_lines(source, column))
    for (setting, (mean, std)), marker in zip(lines, itertools.cycle("sD^v<>")):
        style = dict(PCA_STYLE)
        if len(lines) > 1 and setting in setting_colours:
            style["color"] = setting_colours[setting]
        ax.errorbar(mean.index, mean.values, yerr=std.values, marker=marker, capsize=2,
                    label=f"pca {setting}".strip(), **style)


def _with_recorded_pca(pca_runs, models, metric, x="model.latent_dim"):
    """PCA's own runs, and at each code size none of them has, the PCA every model run records
    beside it (a folder of VAEs at k=32 drawn with one whose PCA runs stop at k=8): the figure
    has every PCA point make_table --baseline pca has. Where PCA's runs have one setting, the
    recorded ones join its line."""
    baseline = f"baseline/pca/{metric}"
    if baseline not in models.columns:
        return pca_runs
    extra = models[models[baseline].notna() & ~models[x].isin(set(pca_runs[x]))]
    # One PCA per seed and k, as make_table counts it: every family beside it recorded the same.
    extra = extra.drop_duplicates([x, "seed", baseline]).copy()
    if not len(extra):
        return pca_runs
    extra[metric] = extra[baseline]
    settings = set(pca_runs["setting"])
    extra["setting"] = [next(iter(settings)) if len(settings) == 1 else setting_of(series)
                        for series in extra["series"]]
    return pd.concat([pca_runs, extra[list(pca_runs.columns)]], ignore_index=True)


def distinct_lines(source, column, x="model.latent_dim"):
    """PCA's line of each setting, those that are the same line merged into one named by the
    words their settings share: PCA reads no prior nor learning rate, so a sweep of those has one
    PCA line, `pca`, and a sweep of noise models one per noise model."""
    lines = []  # [settings, mean, std]
    for setting, frame in sorted(source.groupby("setting"), key=lambda item: natural_order(item[0])):
        mean, std = mean_std(frame, column, x)
        same = next((line for line in lines if line[1].index.equals(mean.index) and
                     np.allclose(line[1].values, mean.values, rtol=1e-9, atol=0)), None)
        if same:
            same[0].append(setting)
        else:
            lines.append([[setting], mean, std])
    for settings, mean, std in lines:
        shared = [word for word in settings[0].split() if all(word in s.split() for s in settings)]
        yield " ".join(shared), (mean, std)


def _draw_input_psnr(ax, models, metric, setting_colours):
    """Beside the output's PSNR, the corrupted input's own (`noisy_psnr`: no model's doing),
    dotted: one line per setting of the runs (noise=gaussian, noise=masking), in the colour of
    the one model line of its setting where there is one, else grey in a style of its own.
    Returns whether it drew any."""
    if not metric.endswith("/denoise_psnr"):
        return False
    column = metric[:-len("denoise_psnr")] + "noisy_psnr"
    if column not in models.columns or models[column].isna().all():
        return False
    frame = models[models[column].notna()].copy()
    frame["setting"] = [setting_of(series) for series in frame["series"]]
    styles = itertools.cycle([":", (0, (1, 3)), (0, (3, 2, 1, 2))])
    for setting, runs in sorted(frame.groupby("setting"), key=lambda item: natural_order(item[0])):
        noise = runs["noise.name"].dropna().unique() if "noise.name" in runs.columns else []
        given = ("grey input" if list(noise) == ["grayscale"] else
                 f"input with {noise[0]} noise" if len(noise) == 1 else "noisy input")
        others = " ".join(word for word in setting.split()
                          if not (len(noise) == 1 and word == f"noise={noise[0]}"))
        coloured = setting in setting_colours
        ax.axhline(runs[column].mean(), color=setting_colours.get(setting, "#777777"),
                   linestyle=":" if coloured else next(styles), linewidth=1.2 if coloured else None,
                   label=f"{given}{', ' + others if others else ''} (no model)")
    return True


def _tick_values(ks):
    """The code sizes to label on the log axis: each, but one too close to the last labelled to
    be read beside it (30 beside 32 would print `3032`)."""
    kept = []
    for k in ks:
        if not kept or k / kept[-1] >= 1.25:
            kept.append(k)
    return kept


@plot_kind("bottleneck", "a metric against model.latent_dim, one line per family, PCA dashed",
           test_metrics=True)
def draw(context):
    runs = context.with_column("model.latent_dim", "the code size")
    if runs["model.latent_dim"].nunique() < 2:
        raise NothingToDraw("every run has the same model.latent_dim; a bottleneck figure needs "
                            "several")
    metric = metric_to_draw(context)
    runs = context.with_column(metric, "the metric to draw")
    fig, (ax,) = figure(1)
    models = runs[runs["family"] != "pca"].copy()
    # One line per label without its code size: a family, or a family and what else was swept.
    models["series"] = [series_label(label) for label in models["label"]]
    colours = label_colours(context, models["series"])
    ordered = sorted(models.groupby("series"), key=lambda item: natural_order(item[0]))
    # Error bars of several lines at one k would hide each other: each line's points are set a
    # little apart (a few percent of k, on the log axis), as a paper's figure dodges them.
    dodging = len(ordered) > 1 and models.groupby(["series", "model.latent_dim"]).size().max() > 1
    for place, (series, frame) in enumerate(ordered):
        mean, std = mean_std(frame, metric)
        shift = 1.04 ** (place - (len(ordered) - 1) / 2) if dodging else 1.0
        ax.errorbar(mean.index * shift, mean.values, yerr=std.values, marker="o", capsize=2,
                    color=colours[series], label=series)
    # Where the lines are of one family, a setting that one line has (noise=masking) lends its
    # colour to PCA's and the input's lines of it; beside other families, PCA's stay black.
    settings = [setting_of(series) for series in colours]
    one_family = len({series.split(" ", 1)[0] for series in colours}) == 1
    setting_colours = {setting_of(series): colour for series, colour in colours.items()
                       if one_family and setting_of(series) and
                       settings.count(setting_of(series)) == 1}
    _draw_pca(ax, runs, models, metric, setting_colours)
    references = _draw_input_psnr(ax, models, metric, setting_colours)
    ax.set_xscale("log", base=2)
    ks = _tick_values(sorted(runs["model.latent_dim"].unique()))
    ax.set_xticks(ks)
    ax.set_xticklabels([str(int(k)) for k in ks])
    ax.minorticks_off()
    ax.set_xlabel("code size k (log scale)")
    ax.set_ylabel(axis_label(metric, context.samples))
    if np.all(runs[metric] > 0) and runs[metric].max() / runs[metric].min() > 20:
        ax.set_yscale("log")
    # Beside the axes where lines cross the whole width or many lines need naming, in a figure
    # widened by about the longest name (7 pt text: some 0.055 inch a character).
    names = ax.get_legend_handles_labels()[1]
    inside = not references and len(names) <= 4
    if not inside:
        fig.set_size_inches(fig.get_figwidth() + 0.6 + 0.055 * max(map(len, names)),
                            fig.get_figheight())
    legend_beside(fig, [ax], inside_one_panel=inside,  # the models first, the inputs last
                  order=lambda name: (name.startswith("pca"), name.endswith("(no model)")))
    return fig
