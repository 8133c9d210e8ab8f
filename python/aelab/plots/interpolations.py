"""Images decoded along the straight line between the codes of two test images: one panel per
run, one row per pair, each row between the two test images themselves (where the run saved
them: the interpolated pairs are its first test images, 0 and 1, 2 and 3, ...)."""
import numpy as np

from . import plot_kind
from ._images import show, tile
from ..style import figure, panel_title


@plot_kind("interpolations", "decoded codes between pairs of test images, one panel per run")
def draw(context):
    chosen = context.runs_with(lambda run: "interpolations" in run.images,
                               "saved interpolations (reconstruction runs of models with a latent "
                               "space save them)")
    fig, axes = figure(len(chosen), columns=min(len(chosen), 2), panel_height=1.6)
    framed = False  # some panel shows its test images at the ends of its rows
    for ax, (label, run) in zip(axes, chosen):
        path = run.images["interpolations"]  # [pairs, steps, C, H, W]
        pairs, steps = path.shape[:2]
        inputs = run.images.get("inputs")
        ends = inputs is not None and len(inputs) >= 2 * pairs \
            and inputs.shape[1:] == path.shape[2:]
        if ends:  # each row: test image, the decoded path, test image
            path = np.concatenate([inputs[0:2 * pairs:2, None], path, inputs[1:2 * pairs:2, None]],
                                  axis=1)
        columns = path.shape[1]
        show(ax, tile(np.reshape(path, (pairs * columns,) + path.shape[2:]), columns))
        if ends:  # rules between the test images and what the model decodes between them
            width = path.shape[-1] + 1
            for x in (width - 1, width * (columns - 1) - 1):
                ax.axvline(x, color="#D55E00", linewidth=1.2)
            framed = True
        panel_title(ax, label)
    if framed:  # once, under the figure
        fig.supxlabel("test image | decoded along the line between their codes | test image",
                      fontsize="x-small")
    return fig
