"""Test codes in the plane, coloured by class: the codes themselves when the code size is 2,
else their first two principal components. One panel per run."""
import numpy as np

from . import plot_kind
from ._classes import class_label, class_names
from ..plot_context import legend_beside
from ..style import figure, panel_title

# Ten classes that stay distinct for colour-blind readers: the Okabe-Ito colours, then darker
# and lighter companions (black, grey, and a brown that black does not swallow).
CLASS_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                 "#000000", "#999999", "#8C564B"]


def class_colours(count):
    """`count` distinct colours: the ten above, then tab20b's and tab20c's, then a ramp past those
    (no palette keeps 26 letters apart for every reader, but none repeats)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex, to_rgb
    colours = list(CLASS_COLOURS)
    if count > len(colours):  # those that no reader would tell from one taken (tab20c's greys)
        for colour in (c for name in ("tab20b", "tab20c") for c in colormaps[name].colors):
            if min(np.linalg.norm(np.subtract(to_rgb(colour), to_rgb(taken)))
                   for taken in colours) > 0.12:
                colours.append(to_hex(colour))
    if count > len(colours):
        colours = [to_hex(c) for c in colormaps["turbo"](np.linspace(0.05, 0.95, count))]
    return colours


def _plane(codes):
    if codes.shape[1] <= 2:
        return codes if codes.shape[1] == 2 else np.column_stack([codes[:, 0], 0 * codes[:, 0]]), \
            ("code 1", "code 2" if codes.shape[1] == 2 else "")
    centred = codes - codes.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T, ("PC 1 of the codes", "PC 2")


@plot_kind("latent", "test codes in 2-D coloured by class (PCA of the codes when k > 2)")
def draw(context):
    chosen = context.runs_with(
        lambda run: "test_codes" in run.arrays and "test_code_labels" in run.arrays
        and len(np.unique(run.arrays["test_code_labels"])) > 1,
        "with saved test codes of several classes (reconstruction runs on labelled data)")
    fig, axes = figure(len(chosen), panel_height=2.4)
    named = [class_names(run, int(run.arrays["test_code_labels"].max()) + 1) for _, run in chosen]
    # Runs on data that names its classes otherwise (two folders: labels 0..9 and 1..26) share
    # the legend by name: a colour per name, one no other class of its panel has, and one no
    # other name has while there are some left.
    palette = class_colours(max(len({n for names in named for n in names}),
                                max(len(names) for names in named)))
    by_name = {}
    if any(names != named[0] for names in named):
        for names in named:
            taken = {by_name[name] for name in names if name in by_name}
            for name in names:
                if name in by_name:
                    continue
                free = [c for c in palette if c not in taken]
                unused = [c for c in free if c not in by_name.values()]
                by_name[name] = (unused or free or palette)[0]
                taken.add(by_name[name])
    for ax, (label, run), names in zip(axes, chosen, named):
        points, (xlabel, ylabel) = _plane(run.arrays["test_codes"])
        classes = run.arrays["test_code_labels"].astype(int)
        for c in np.unique(classes):
            mask = classes == c
            ax.scatter(points[mask, 0], points[mask, 1], s=2, alpha=0.6, linewidths=0,
                       color=by_name.get(names[c], palette[c % len(palette)]),
                       label=names[c] if by_name else class_label(c, names[c]),
                       rasterized=True)
        panel_title(ax, label)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    # In an empty slot of the grid where there is one: beside the last panel of a short row it
    # would widen its column, opening a gap in the rows above.
    legend = legend_beside(fig, axes, inside_one_panel=False, title="class", markerscale=3)
    for handle in legend.legend_handles if hasattr(legend, "legend_handles") else \
            legend.legendHandles:
        handle.set_alpha(1.0)
    return fig
