"""Points that are not images (the parabola) and each model's reconstructions of them in the
plane: PCA and linear models can only keep a line, a non-linear one follows the curve."""
from . import plot_kind
from ..style import figure


@plot_kind("manifold", "2-D test points and each model's reconstructions in the plane")
def draw(context):
    chosen = context.runs_with(
        lambda run: "test_points" in run.arrays and run.arrays["test_points"].shape[1] == 2,
        "with saved 2-D test points (reconstruction runs on data=parabola have them)")
    fig, axes = figure(len(chosen), panel_height=2.3, sharex=True, sharey=True)
    for ax, (label, run) in zip(axes, chosen):
        points, recon = run.arrays["test_points"], run.arrays["test_reconstructions"]
        ax.scatter(points[:, 0], points[:, 1], s=3, color="#BBBBBB", linewidths=0,
                   label="test points", rasterized=True)
        ax.scatter(recon[:, 0], recon[:, 1], s=3, color=context.colours(run.family),
                   linewidths=0, label="reconstructions", rasterized=True)
        mse = run.metrics.get("test", {}).get("mse")
        ax.set_title(label + (f"  (test MSE {mse:.3g})" if mse is not None else ""))
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
    # Each panel's reconstructions are in its family's colour: the legend's swatch is none of them.
    from matplotlib.lines import Line2D
    swatches = [Line2D([], [], marker="o", markersize=3, linestyle="none", color=colour,
                       label=label)
                for colour, label in (("#BBBBBB", "test points"),
                                      ("#444444", "reconstructions (the model's colour)"))]
    # Above the panels: inside one it would cover the curve.
    fig.legend(handles=swatches, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    return fig
