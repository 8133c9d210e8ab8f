"""Images decoded along the straight line between the codes of two test images: one panel per
run, one row per pair."""
import numpy as np

from . import plot_kind
from ._images import show, tile
from ..style import figure


@plot_kind("interpolations", "decoded codes between pairs of test images, one panel per run")
def draw(context):
    chosen = context.runs_with(lambda run: "interpolations" in run.images,
                               "saved interpolations (runs of models with a latent space do)")
    fig, axes = figure(len(chosen), columns=min(len(chosen), 2), panel_height=1.6)
    for ax, (label, run) in zip(axes, chosen):
        path = run.images["interpolations"]  # [pairs, steps, C, H, W]
        pairs, steps = path.shape[:2]
        show(ax, tile(np.reshape(path, (pairs * steps,) + path.shape[2:]), steps))
        ax.set_title(label)
    return fig
