"""Test originals above their reconstructions: one row per model or per code size, PCA's rows
included. For denoising runs, each run's corrupted inputs above what it made of them."""
from . import NothingToDraw, plot_kind
from ._images import image_rows
from ..plot_context import natural_order

COLUMNS = 10
MAX_ROWS = 14


def code_size(run):
    """The run's model.latent_dim; runs without one after every size."""
    k = run.config.get("model", {}).get("latent_dim")
    return k if isinstance(k, (int, float)) else float("inf")


def _whole_units(unit, limit):
    """How many of the rows to keep so that none of `unit`'s runs of equal values is cut (at most
    `limit`, more than the originals' row); None where the first one alone is longer."""
    kept = limit
    while kept > 1 and unit[kept] is not None and unit[kept] == unit[kept - 1]:
        kept -= 1
    return kept if kept > 1 and unit[kept - 1] is not None else None


@plot_kind("recons", "test originals above each model's reconstructions, PCA's rows included")
def draw(context):
    chosen = context.runs_with(lambda run: "reconstructions" in run.images,
                               "saved reconstructions (reconstruction runs on images do)",
                               limit=None)
    # By code size, then model: each size's models side by side, so a cut keeps them together.
    chosen.sort(key=lambda item: (code_size(item[1]), natural_order(item[0])))
    has_pca_runs = any(run.family == "pca" for _, run in chosen)
    rows, labels, groups = [], [], []  # groups: the code size of each row (None: originals)
    runs_of_rows = []  # which run each row shows (None: originals); PCA's rows go with the run
    # Runs on different data (MNIST and Fashion-MNIST in one folder) each under their originals.
    datasets = []
    for _, run in chosen:
        if run.config.get("data", {}).get("name") not in datasets:
            datasets.append(run.config.get("data", {}).get("name"))
    for dataset in datasets:
        runs = [(label, run) for label, run in chosen
                if run.config.get("data", {}).get("name") == dataset]
        rows.append(runs[0][1].images["inputs"][:COLUMNS])
        labels.append("original" if len(datasets) == 1 else f"{dataset}\noriginal")
        groups.append(None)
        runs_of_rows.append(None)
        pca_done = set()
        for index, (label, run) in enumerate(runs):
            k = run.config.get("model", {}).get("latent_dim")
            if "denoised" in run.images:  # a noise model: its corrupted inputs, then the outputs
                noisy = run.images["noisy_inputs"][:COLUMNS]
                rows += [noisy, run.images["denoised"][:COLUMNS]]
                labels += [f"{label}\ninput", f"{label}\noutput"]
                groups += [code_size(run)] * 2
                runs_of_rows += [id(run)] * 2
                # PCA at the same k from the same corrupted inputs, once per k and inputs.
                if not has_pca_runs and "pca_denoised" in run.images and \
                        (k, noisy.tobytes()) not in pca_done:
                    pca_done.add((k, noisy.tobytes()))
                    rows.append(run.images["pca_denoised"][:COLUMNS])
                    labels.append(f"pca k={k}\nfrom that input")
                    groups.append(groups[-1])
                    runs_of_rows.append(runs_of_rows[-1])
                continue
            rows.append(run.images["reconstructions"][:COLUMNS])
            labels.append(label)
            groups.append(code_size(run))
            runs_of_rows.append(id(run))
            # PCA at this k once, after the last model of the k: not among the models.
            last_of_k = index + 1 == len(runs) or \
                runs[index + 1][1].config.get("model", {}).get("latent_dim") != k
            if has_pca_runs or not last_of_k or k in pca_done:
                continue
            pca_of_k = next((other.images["pca_reconstructions"] for _, other in runs
                             if other.config.get("model", {}).get("latent_dim") == k
                             and "pca_reconstructions" in other.images), None)
            if pca_of_k is not None:
                pca_done.add(k)
                rows.append(pca_of_k[:COLUMNS])
                labels.append(f"pca k={k}")
                groups.append(groups[-1])
                runs_of_rows.append(runs_of_rows[-1])
    if len(rows) > MAX_ROWS:
        # Whole code sizes where at least one fits (a size's models are compared together), else
        # whole runs (a denoiser's input, output and PCA rows together), else the first rows.
        kept, by_size = MAX_ROWS, False
        for unit in (groups, runs_of_rows):
            cut = _whole_units(unit, MAX_ROWS)
            if cut:
                kept, by_size = cut, unit is groups
                break
        sizes = {group for group in groups if group is not None}
        which = "the smallest code sizes" if by_size and len(sizes) > 1 else \
            "the first in label order"
        context.note(f"showing {kept - len(datasets)} of {len(rows) - len(datasets)} rows "
                     f"({which}); choose with --where")
        rows, labels = rows[:kept], labels[:kept]
    if len(rows) < 2:
        raise NothingToDraw("no reconstructions to show")
    return image_rows(rows, min(COLUMNS, len(rows[0])), labels)
