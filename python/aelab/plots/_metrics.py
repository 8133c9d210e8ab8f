"""Which metrics are better low or high, and how to name them on an axis (shared by kinds and
the reproduction reports)."""

# No better end: the KL term (a low KL is also a posterior that collapsed onto the prior), the
# corrupted input's own noisy_* (no model made it) and active_units (a count, not a score).
NO_DIRECTION = ("kl", "noisy_mse", "noisy_sse", "noisy_psnr", "active_units")
LOWER_IS_BETTER = ("mse", "sse", "nll_is", "recon", "cross_entropy", "loss",
                   "false_positive_rate", "cluster_inertia", "score_normal")
HIGHER_IS_BETTER = ("psnr", "elbo", "auroc", "auprc", "accuracy", "miou", "pixel_accuracy",
                    "precision", "recall", "f1", "nmi", "ari")

NAMES = {"psnr": "PSNR (dB)",
         "nll_is": "NLL (nats, IS)", "elbo": "ELBO (nats)", "kl": "KL (nats)", "auroc": "AUROC",
         "accuracy": "accuracy", "miou": "mean IoU", "loss": "loss",
         "cluster_accuracy": "cluster accuracy", "denoise_psnr": "PSNR of the output (dB)"}
# SSE sums over one sample's values and MSE averages them: what a sample and a value are.
LONGEST = 36  # characters of an axis label on one line: `test SSE per image (lower is better)`
UNITS = {"images": ("image", "pixel"), "points": ("point", "coordinate"),
         None: ("sample", "value")}


def axis_label(metric, samples="images"):
    """`test/sse` -> `test SSE per image (lower is better)`; `samples`: `images`, `points` or
    None (unknown or mixed), as PlotContext.samples tells."""
    parts = metric.split("/")
    name = parts[-1]
    sample, value = UNITS[samples]
    names = dict(NAMES, sse=f"SSE per {sample}", mse=f"MSE per {value}")
    words = names.get(name, name.replace("_", " "))
    direction = ""
    if name in NO_DIRECTION:
        pass
    elif name.endswith(LOWER_IS_BETTER):
        direction = " (lower is better)"
    elif name.endswith(HIGHER_IS_BETTER):
        direction = " (higher is better)"
    split = parts[-2] if len(parts) > 1 else ""
    label = f"{split} {words}".strip()
    # Longer than a panel of a two-column figure is high: the direction goes on a line of its own.
    if len(label + direction) > LONGEST:
        return f"{label}\n{direction.strip()}"
    return label + direction
