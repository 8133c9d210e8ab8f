"""Training and validation curves per epoch: one panel per metric, one line per run, or per
cell (the mean over seeds with a band from the lowest to the highest seed)."""
import numpy as np

from . import NothingToDraw, plot_kind
from ._metrics import axis_label
from ..plot_context import natural_order, label_colours, legend_beside
from ..style import epoch_axis, figure, line_marker

VARIATIONAL = ("train/loss", "val/elbo", "val/kl", "val/sse")
PREFERRED = ("train/loss", "val/denoise_psnr", "val/sse", "val/mse", "val/elbo", "val/accuracy",
             "val/miou", "val/score_normal", "pretrain_train/loss")

# The autoencoder's pretraining in a transfer or segmentation run, on the axis labels.
SPLIT_WORDS = {"pretrain_train": "pretraining", "pretrain_val": "pretraining val"}


def _same_curves(histories, metric, other):
    """Whether every history that has both metrics has them equal, and some history has both."""
    def curve(h, m):
        split, name = m.split("/", 1)
        return h.get(split, {}).get(name)
    both = [(curve(h, metric), curve(h, other)) for h in histories
            if curve(h, metric) is not None and curve(h, other) is not None]
    return bool(both) and all(np.shape(a) == np.shape(b) and np.allclose(a, b, equal_nan=True)
                              for a, b in both)


def _panels(context, histories):
    if context.metric:
        return [context.metric]
    present = {f"{split}/{name}" for h in histories for split in h for name in h[split]}
    every = set.intersection(*({f"{split}/{name}" for split in h for name in h[split]}
                               for h in histories))
    # VAEs alone (a priors comparison): the training loss, and the bound and its KL term, which
    # a prior changes, on the validation set.
    if set(VARIATIONAL) <= every:
        chosen = list(VARIATIONAL)
    else:
        # The mean squared error per pixel is the SSE per image over the pixel count: the same
        # curve, drawn once.
        candidates = [m for m in PREFERRED if m in present and
                      not (m == "val/mse" and "val/sse" in present)]
        # A curve the same as one chosen in every run that has both (an anomaly run's normal
        # score is its SSE where anomaly.score=sse) is drawn once.
        chosen = []
        for metric in candidates:
            if not any(_same_curves(histories, metric, other) for other in chosen):
                chosen.append(metric)
        chosen = chosen[:3]
    if not chosen:
        raise NothingToDraw("no run has a per-epoch history (only trained models have one)")
    return chosen


def _loss_kind(run, split):
    """What a run's `loss` history of `split` measures: a classifier's cross-entropy (transfer
    and segmentation runs; their autoencoder's pretraining is `pretrain_train`), a VAE's negative
    ELBO, or its objective's loss."""
    experiment = (run.config.get("experiment") or {}).get("name")
    if experiment in ("transfer", "segmentation") and split in ("train", "val"):
        return "cross-entropy"
    if (run.config.get("model") or {}).get("name") == "vae":
        return "negative ELBO (nats)"
    if experiment == "segmentation":
        # A segmenter's encoder pretrains on the reconstruction objective's default loss
        # (experiments/segmentation.cpp); the run's config keeps no objective section.
        return "mse"
    objective = run.config.get("objective") or {}
    return str(objective.get("loss") or objective.get("name") or "loss")


def _split_losses(metrics, runs):
    """(metric, kind) per panel: a loss panel per kind of loss (an MLP's mse beside a VAE's
    hundreds of nats would flatten the MLP's lines); kind None for other metrics."""
    panels = []
    for metric in metrics:
        split, name = metric.split("/", 1)
        kinds = sorted({_loss_kind(run, split) for _, run in runs
                        if name == "loss" and name in run.history.get(split, {})})
        panels += [(metric, kind) for kind in kinds] if kinds else [(metric, None)]
    return panels


def _finetuning_starts(runs):
    """The epochs after which transfer runs' classifiers start to fine-tune their encoder (the
    frozen phase before them)."""
    starts = set()
    for _, run in runs:
        transfer = run.config.get("transfer") or {}
        if transfer.get("frozen_epochs") and transfer.get("finetune_epochs"):
            starts.add(transfer["frozen_epochs"])
    return sorted(starts)


def _mark_finetuning(ax, starts):
    """A dotted line where fine-tuning starts, named at the top of the panel."""
    for start in starts:
        ax.axvline(start + 0.5, color="#999999", linestyle=":", linewidth=1)
        ax.text(start + 0.5, 1, " fine-tuning", transform=ax.get_xaxis_transform(),
                fontsize="x-small", color="#777777", va="top")


@plot_kind("curves", "training and validation curves per epoch, one line per run or cell")
def draw(context):
    runs = [(row["label"], context.run(row["run_id"]))
            for _, row in context.runs.sort_values(["family", "label"]).iterrows()]
    runs = [(label, run) for label, run in runs if run is not None and run.history]
    if not runs:
        raise NothingToDraw("no completed run has a per-epoch history (PCA is fitted, not "
                            "trained)")
    panels = _split_losses(_panels(context, [run.history for _, run in runs]), runs)
    fig, axes = figure(len(panels), columns=2 if len(panels) == 4 else None)  # 2 x 2, not 3 + 1
    colours = label_colours(context, list(dict.fromkeys(label for label, _ in runs)))  # all panels
    finetuning_starts = _finetuning_starts(runs)
    for ax, (metric, kind) in zip(axes, panels):
        split, name = metric.split("/", 1)
        cells = {}
        for label, run in runs:
            if kind is not None and _loss_kind(run, split) != kind:
                continue
            values = run.history.get(split, {}).get(name)
            if values is not None and len(values):
                cells.setdefault(label, []).append(values)
        if not cells:
            raise NothingToDraw(f"no run has the history {metric}")
        longest = 0
        drawn = []  # each line's values, to tell lines drawn over one another
        for label, curves in sorted(cells.items(), key=lambda item: natural_order(item[0])):
            length = min(len(c) for c in curves)
            longest = max(longest, length)
            stack = np.stack([c[:length] for c in curves])
            epochs = np.arange(1, length + 1)
            colour = colours[label]
            line_style = "--" if label.startswith("pca") else "-"
            drawn.append(stack.mean(axis=0))
            ax.plot(epochs, stack.mean(axis=0), color=colour, linestyle=line_style,
                    label=label if len(curves) == 1 else f"{label} (n={len(curves)})",
                    **line_marker(length))
            if len(curves) > 1:
                ax.fill_between(epochs, stack.min(axis=0), stack.max(axis=0), color=colour,
                                alpha=0.2, linewidth=0)
        distinct = len({line.tobytes() for line in drawn})
        if split.startswith("pretrain") and distinct < len(drawn):
            # Runs that differ only after pretraining reuse one cached pretraining: one line.
            runs_drawn = sum(len(curves) for curves in cells.values())
            ax.set_title(f"{runs_drawn} runs, one pretraining" if distinct == 1
                         else "some runs share a pretraining", fontsize="small")
        epoch_axis(ax, longest)
        if not split.startswith("pretrain"):
            _mark_finetuning(ax, finetuning_starts)
        label = axis_label(metric, context.samples) if kind is None else \
            f"{SPLIT_WORDS.get(split, split)} loss: {kind}\n(lower is better)"
        # A denoiser is validated on the clean inputs, not on the corrupted ones it trains on.
        if split == "val" and kind is None and not name.startswith("denoise_") and any(
                (run.config.get("noise") or {}).get("name") not in (None, "none")
                for _, run in runs):
            head, _, direction = label.partition("(")  # `(lower is better)` on a line of its own
            label = head.rstrip() + ", clean inputs" + (f"\n({direction}" if direction else "")
        ax.set_ylabel(label)
    legend_beside(fig, axes)
    return fig
