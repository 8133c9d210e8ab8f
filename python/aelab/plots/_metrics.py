"""Which metrics are better low or high, and how to name them on an axis (shared by kinds and
the reproduction reports)."""
import pathlib
import re


def _directions():
    """{metric name: "lower" | "higher" | "none"} from framework/results/metric_directions.def,
    the list make_table bolds by, so a figure's axis says what a table's bold says."""
    listed = pathlib.Path(__file__).resolve().parents[3] / "framework" / "results" / \
        "metric_directions.def"
    entry = re.compile(r'^AELAB_METRIC\((lower|higher|none), "([^"]+)", '
                       r'(ratio|count|dB|nats|points)\)')
    return {m.group(2): m.group(1) for m in map(entry.match, listed.read_text().splitlines()) if m}


DIRECTIONS = _directions()


def direction(metric):
    """"lower", "higher" or None: which end of `metric` (`test/sse` or `sse`) is better."""
    name = metric.split("/")[-1]
    better = DIRECTIONS.get(name, "higher" if name.startswith("iou_") else "none")
    return None if better == "none" else better


NAMES = {"psnr": "PSNR (dB)",
         "nll_is": "NLL (nats, IS)", "elbo": "ELBO (nats)", "kl": "KL (nats)", "auroc": "AUROC",
         "accuracy": "accuracy", "miou": "mean IoU", "loss": "loss",
         "cluster_accuracy": "cluster accuracy", "denoise_psnr": "PSNR of the output (dB)"}
# SSE sums over one sample's values and MSE averages them: what a sample and a value are.
LONGEST = 36  # characters of an axis label on one line: `test SSE per image (lower is better)`
UNITS = {"images": ("image", "pixel"), "points": ("point", "coordinate"),
         None: ("sample", "value")}


def axis_label(metric, samples="images"):
    """`test/sse` -> `test SSE per image (lower is better)`, `baseline/pca/test/sse` -> `pca
    baseline's test SSE per image (...)`; `samples`: `images`, `points` or
    None (unknown or mixed), as PlotContext.samples tells."""
    parts = metric.split("/")
    name = parts[-1]
    sample, value = UNITS[samples]
    names = dict(NAMES, sse=f"SSE per {sample}", mse=f"MSE per {value}")
    words = names.get(name, name.replace("_", " "))
    better = direction(name)
    direction_text = f" ({better} is better)" if better else ""
    split = parts[-2] if len(parts) > 1 else ""
    label = f"{split} {words}".strip()
    # A baseline each run records beside its model (baseline/pca/test/sse): whose value it is.
    if len(parts) > 3 and parts[0] == "baseline":
        label = f"{parts[1]} baseline's {label}"
    # Longer than a panel of a two-column figure is high: the direction goes on a line of its own.
    if len(label + direction_text) > LONGEST:
        return f"{label}\n{direction_text.strip()}"
    return label + direction_text
