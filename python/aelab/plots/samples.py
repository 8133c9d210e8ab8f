"""Decoded draws from each VAE's prior, one panel per run."""
import math

from . import plot_kind
from ._images import show, tile
from ..style import figure, panel_title


@plot_kind("samples", "decoded draws from each VAE's prior, one panel per run")
def draw(context):
    chosen = context.runs_with(lambda run: "samples" in run.images,
                               "saved prior samples (VAE reconstruction runs do)")
    fig, axes = figure(len(chosen), panel_height=2.2)
    for ax, (label, run) in zip(axes, chosen):
        samples = run.images["samples"]
        show(ax, tile(samples, int(math.ceil(math.sqrt(len(samples))))))
        panel_title(ax, label)
    return fig
