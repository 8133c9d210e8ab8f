"""One-class anomaly detection on Fashion-MNIST (Golan and El-Yaniv 2018's protocol)."""
import re

from . import Comparison, Report, count, layers, notes, reproduction, setting
from ..plots._classes import FASHION as CLASSES

# Golan and El-Yaniv (2018), table 1, Fashion-MNIST: mean AUROC (%) over the ten classes.
PUBLISHED_MEANS = {"RAW-OC-SVM": 92.8, "CAE-OC-SVM": 91.7, "DSEBM": 86.6}


@reproduction("one_class")
def build(df):
    runs = df.sort_values("anomaly.normal_classes")
    lines = ["| normal class | aelab MLP AE | aelab PCA |", "|---|---:|---:|"]
    for _, row in runs.iterrows():
        c = int(row["anomaly.normal_classes"])
        lines.append(f"| {c} {CLASSES[c]} | {100 * row['test/auroc']:.1f} | "
                     f"{100 * row['baseline/pca/test/auroc']:.1f} |")
    ae = 100 * runs["test/auroc"].mean()
    pca = 100 * runs["baseline/pca/test/auroc"].mean()
    lines.append(f"| **mean** | {ae:.1f} | {pca:.1f} |")
    comparisons = [Comparison(f"mean AUROC (%), MLP autoencoder vs {m}", v, ae,
                              lower_is_better=False, versus=m) for m, v in PUBLISHED_MEANS.items()]
    k = setting(df, "model.latent_dim")
    # What the runs themselves say they trained on and how they set thresholds.
    seen = [int(m.group(1)) for m in (re.match(r"(\d+) normal", n) for n in
                                      notes(runs, "train_normal")) if m]
    seen_text = (f"{min(seen):,}" if min(seen) == max(seen) else
                 f"{min(seen):,} to {max(seen):,}") if seen else "a number not recorded of"
    thresholds = sorted(set(notes(runs, "threshold")) - {""})
    comparisons.append(Comparison(f"mean AUROC (%), PCA detector at k={k} vs RAW-OC-SVM",
                                  PUBLISHED_MEANS["RAW-OC-SVM"], pca, lower_is_better=False,
                                  versus="RAW-OC-SVM"))
    # A detector below chance ranks anomalies as more normal than the normal class: say where.
    below = [f"{int(row['anomaly.normal_classes'])} {CLASSES[int(row['anomaly.normal_classes'])]}"
             f" ({100 * row['test/auroc']:.1f})" for _, row in runs.iterrows()
             if row["test/auroc"] < 0.5]
    chance = ([f"**Below chance**: the MLP autoencoder's AUROC is under 50% for normal class "
               f"{', '.join(below)}: there it reconstructs the other classes better than the "
               "normal one, so its scores rank anomalies as normal (plot_results anomalies "
               "shows its reconstructions)."] if below else [])
    return Report(
        title="One-class anomaly detection on Fashion-MNIST",
        citation="I. Golan and R. El-Yaniv, Deep anomaly detection using geometric "
                 "transformations, NeurIPS 2018, table 1 (baselines RAW-OC-SVM, CAE-OC-SVM, "
                 "DSEBM on Fashion-MNIST)",
        comparisons=comparisons,
        tables=[("AUROC (%) per normal class", "\n".join(lines))],
        settings=[
            f"Detector: the reconstruction error (SSE) of an MLP autoencoder {layers(df)} "
            f"trained for {count(df, 'trainer.epochs', 'epoch')} "
            "on the normal class's training images; the paper's "
            "baselines are one-class SVMs on raw pixels or on convolutional autoencoder codes, "
            "and a deep structured energy-based model.",
            f"Models train on {seen_text} images of the normal class (Fashion-MNIST has 6,000 "
            "per class; a share is held out for validation), as each run records; all 10,000 "
            "test images are scored. Thresholds: "
            + ("; ".join(thresholds) if thresholds else "not recorded") + ".",
            f"PCA: the same detector with {setting(df, 'model.latent_dim')} components fitted "
            "on the same images.",
        ] + chance,
        figure=("roc", [], None),
        full_budget="trainer.epochs=200",
    )
