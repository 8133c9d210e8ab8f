"""A metric against a config key the sweep varies (--x KEY): one line per run label without
that key, error bars over seeds, PCA and the other baselines the runs record dashed. A
denoising study's figure (the output's PSNR against noise.sigma, the corrupted input's own
dotted beside it), accuracy against transfer.labels_per_class, AUROC against the learning
rate. A key whose values name things (prior.name, the normal class of a one-class run) gets a
point per run label at each value, side by side, and each baseline a dash across them."""
import itertools

from . import NothingToDraw, plot_kind
from ._categories import category, dodge, names_things, places, tick_labels
from ._metrics import axis_label
from .bottleneck import distinct_lines, mean_std, metric_to_draw, setting_of
from ..plot_context import label_colours, legend_beside, natural_order, run_labels, varying_keys
from ..results import absent
from ..style import PCA_STYLE, figure

MOST_TICKS = 8  # x values each labelled; more, and matplotlib's own ticks


def _x_key(context):
    """--x, checked; else the one numeric key the sweep varies besides the code size, else the
    one key of named values (prior.name)."""
    runs = context.runs
    if context.x:
        runs = context.with_column(context.x, "the --x key")
        if runs[context.x][~runs[context.x].map(absent)].map(category).nunique() < 2:
            raise NothingToDraw(f"--x {context.x}: every run has the same value")
        return context.x
    varied = [key for key in varying_keys(runs) if key != "model.latent_dim"]
    numeric = [key for key in varied if not names_things(key, runs[key])]
    named = [key for key in varied if names_things(key, runs[key])]
    for keys in (numeric, named):
        if len(keys) == 1:
            return keys[0]
        if keys:
            raise NothingToDraw(f"the runs vary {', '.join(keys)}: name the one for the x axis "
                                f"with --x (the others make a line each)")
    k_varies = "model.latent_dim" in runs.columns and runs["model.latent_dim"].nunique() > 1
    raise NothingToDraw("the runs vary no key" + (
        " besides model.latent_dim (the bottleneck figure draws that one)" if k_varies
        else "") + "; name a key with --x")


# The baselines besides PCA's (raw pixels, a model trained from scratch, ...), in turn.
OTHER_BASELINES = [{"color": "#777777", "linestyle": "-."}, {"color": "#AAAAAA", "linestyle": "--"},
                   {"color": "#555555", "linestyle": (0, (5, 2, 1, 2, 1, 2))}]


def _draw_references(ax, models, metric, x, colours, pca_drawn, place_of=None):
    """Each baseline the runs record dashed (PCA's black), and beside the output's PSNR the
    corrupted input's own dotted: one line per model line (`colours`: series -> colour), those
    that are the same drawn once, named by the words their series share (a baseline trained
    from scratch differs with the model, raw pixels do not). A line of one model line takes its
    colour; of one family, it drops the family's name. Where `place_of` (value -> place) gives
    the x of named values, a dash across each place instead. Returns the names of those drawn."""
    drawn = set()
    names = sorted({column.split("/")[1] for column in models.columns
                    if column.startswith("baseline/") and column.endswith("/" + metric)} -
                   ({"pca"} if pca_drawn else set()),  # PCA's own runs drawn already
                   key=lambda name: (name != "pca", name))
    others = iter(OTHER_BASELINES * len(names))
    references = [(f"baseline/{name}/{metric}", PCA_STYLE if name == "pca" else next(others), name)
                  for name in names]
    if metric.endswith("/denoise_psnr"):
        references.append((metric[:-len("denoise_psnr")] + "noisy_psnr",
                           {"color": "#777777", "linestyle": ":"}, "input"))
    for column, style, name in references:
        if column not in models.columns or models[column].isna().all():
            continue
        source = models[models[column].notna()].copy()
        source["setting"] = source["series"]
        lines = list(distinct_lines(source, column, x))
        one_family = source["family"].nunique() == 1
        for series, (mean, std) in lines:
            line_style = dict(style)
            if len(lines) > 1 and series in colours:  # one model line's own: in its colour
                line_style["color"] = colours[series]
            shown = setting_of(series) if one_family else series
            label = f"{name} {shown}".strip() + (" (no model)" if name == "input" else "")
            if place_of:
                at = [place_of[value] for value in mean.index]
                ax.hlines(mean.values, [p - 0.4 for p in at], [p + 0.4 for p in at],
                          colors=line_style["color"], linestyles=line_style["linestyle"],
                          label=label)
            else:
                ax.errorbar(mean.index, mean.values, yerr=std.values, marker="s", capsize=2,
                            markersize=3, label=label, **line_style)
            drawn.add(name)
    return drawn


def _log_scale(values):
    """Whether numeric `values` (sorted) span 20 times or more."""
    return values[0] > 0 and values[-1] / values[0] >= 20


def _place_of_all(values):
    """Where null (`transfer.labels_per_class: null`, all of them) sits beyond numeric `values`
    (sorted, several): one more of their mean steps, a factor on a log scale."""
    if _log_scale(values):
        return values[-1] * (values[-1] / values[0]) ** (1 / (len(values) - 1))
    return values[-1] + (values[-1] - values[0]) / (len(values) - 1)


def _numeric_axis(ax, values, all_at=None):
    """A log scale where the values span 20 times or more; each value a tick where few, the
    place of null (`all_at`) labelled `all`."""
    if _log_scale(values):
        ax.set_xscale("log")
    if len(values) <= MOST_TICKS or all_at is not None:
        ax.set_xticks(values)
        ax.set_xticklabels(["all" if v == all_at else f"{v:g}" for v in values])
        ax.minorticks_off()


@plot_kind("against", "a metric against a key the sweep varies (--x KEY), PCA dashed",
           test_metrics=True)
def draw(context):
    x = _x_key(context)
    metric = metric_to_draw(context)
    runs = context.with_column(metric, "the metric to draw")
    lacking = int(runs[x].map(absent).sum())
    if lacking:  # noise.fraction beside Gaussian noise's runs
        context.note(f"left out {lacking} run(s) without {x}")
    runs = runs[~runs[x].map(absent)].copy()
    # Numbers and null (all the labels, beside 10 and 100 per class): null a place past them.
    nulls = runs[x].map(lambda value: value is None)
    numbers = sorted(runs[x][~nulls].unique())
    all_at = None
    if nulls.any() and len(numbers) > 1 and not names_things(x, numbers):
        all_at = _place_of_all(numbers)
        runs[x] = runs[x].map(lambda value: all_at if value is None else value)
    place_of = None
    if names_things(x, runs[x]):  # values as categories, each at a place of the axis
        runs[x] = runs[x].map(category)
        place_of = places(runs[x])
    runs["series"] = run_labels(runs, leave_out=(x,))
    fig, (ax,) = figure(1)
    models = runs[runs["family"] != "pca"]
    colours = label_colours(context, models["series"])
    drawn = sorted(models.groupby("series"), key=lambda item: natural_order(item[0]))
    drawn += [(series, frame) for series, frame in runs[runs["family"] == "pca"].groupby("series")]
    pca_markers = itertools.cycle("sD^v<>")  # PCA's lines of several k, told apart
    for i, (series, frame) in enumerate(drawn):
        mean, std = mean_std(frame, metric, x)
        style = dict(PCA_STYLE, marker=next(pca_markers)) if frame["family"].eq("pca").all() \
            else {"color": colours[series], "marker": "o"}
        at = mean.index
        if place_of:  # side by side, each a point with its error bar
            at = [place_of[value] + dodge(i, len(drawn)) for value in mean.index]
            style["linestyle"] = "none"
        ax.errorbar(at, mean.values, yerr=std.values, capsize=2, label=series, **style)
    pca_runs = runs[runs["family"] == "pca"]
    references = _draw_references(ax, models, metric, x, colours, pca_drawn=len(pca_runs) > 0,
                                  place_of=place_of)
    if place_of:
        ax.set_xticks(range(len(place_of)))
        data_name = runs["data.name"].iloc[0] if "data.name" in runs.columns else None
        ax.set_xticklabels(tick_labels(x, place_of, data_name))
        ax.set_xlim(-0.6, len(place_of) - 0.4)
        ax.minorticks_off()
    else:
        _numeric_axis(ax, sorted(runs[x].unique()), all_at)
    ax.set_xlabel(x + (" (log scale)" if ax.get_xscale() == "log" else ""))
    ax.set_ylabel(axis_label(metric, context.samples))
    names = ax.get_legend_handles_labels()[1]
    inside = not references and len(names) <= 4
    legend_beside(fig, [ax], inside_one_panel=inside,  # the models, the baselines, the inputs
                  order=lambda name: (name.split(" ")[0] in references | {"pca"},
                                      name.endswith("(no model)")))
    return fig
