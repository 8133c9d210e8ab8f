"""Test originals above their reconstructions: one row per model or per code size, PCA's rows
included. For denoising runs, each run's corrupted inputs above what it made of them."""
from . import NothingToDraw, plot_kind
from ._images import image_rows
from ..plot_context import natural_order

COLUMNS = 10
MAX_ROWS = 14


@plot_kind("recons", "test originals above each model's reconstructions, PCA's rows included")
def draw(context):
    chosen = context.runs_with(lambda run: "reconstructions" in run.images,
                               "saved reconstructions (reconstruction runs on images do)")
    chosen.sort(key=lambda item: natural_order(item[0]))
    has_pca_runs = any(run.family == "pca" for _, run in chosen)
    rows, labels = [], []
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
        pca_done = set()
        for label, run in runs:
            if "denoised" in run.images:  # a noise model: its corrupted inputs, then the outputs
                rows += [run.images["noisy_inputs"][:COLUMNS], run.images["denoised"][:COLUMNS]]
                labels += [f"{label}\ninput", f"{label}\noutput"]
                continue
            rows.append(run.images["reconstructions"][:COLUMNS])
            labels.append(label)
            k = run.config.get("model", {}).get("latent_dim")
            if not has_pca_runs and "pca_reconstructions" in run.images and k not in pca_done:
                pca_done.add(k)
                rows.append(run.images["pca_reconstructions"][:COLUMNS])
                labels.append(f"pca k={k}")
    if len(rows) > MAX_ROWS:
        context.note(f"showing {MAX_ROWS - 1} of {len(rows) - 1} rows; choose with --where")
        rows, labels = rows[:MAX_ROWS], labels[:MAX_ROWS]
    if len(rows) < 2:
        raise NothingToDraw("no reconstructions to show")
    return image_rows(rows, min(COLUMNS, len(rows[0])), labels)
