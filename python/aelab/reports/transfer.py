"""Transfer learning from an autoencoder's encoder against raw-pixel classifiers."""
from . import Comparison, Report, count, reproduction, setting, training_images


def _head(row):
    return "linear" if len(row["transfer.head_hidden"]) == 0 else "MLP " + "-".join(
        str(w) for w in row["transfer.head_hidden"])


@reproduction("transfer")
def build(df):
    rows = {_head(r): r for _, r in df.iterrows()}
    linear, mlp = rows.get("linear"), rows.get("MLP 256")
    lines = ["| head | encoder frozen | encoder fine-tuned | raw pixels | PCA codes (k=32) |",
             "|---|---:|---:|---:|---:|"]
    for name, r in sorted(rows.items()):
        lines.append(f"| {name} | {r['test/accuracy_frozen']:.4f} | {r['test/accuracy']:.4f} | "
                     f"{r['baseline/raw/test/accuracy']:.4f} | "
                     f"{r['baseline/pca/test/accuracy']:.4f} |")
    return Report(
        title="Transfer learning from a convolutional autoencoder's encoder",
        citation="H. Xiao, K. Rasul and R. Vollgraf, Fashion-MNIST: a novel image dataset for "
                 "benchmarking machine learning algorithms, arXiv:1708.07747, 2017 (benchmark "
                 "of scikit-learn classifiers on raw pixels)",
        comparisons=[
            Comparison("logistic regression on raw pixels vs aelab's linear head on raw pixels",
                       0.842, linear["baseline/raw/test/accuracy"] if linear is not None else
                       None, False),
            Comparison("MLP on raw pixels vs aelab's MLP head (256) on raw pixels", 0.871,
                       mlp["baseline/raw/test/accuracy"] if mlp is not None else None, False),
            Comparison("SVC on raw pixels vs aelab's fine-tuned conv encoder, linear head",
                       0.897, linear["test/accuracy"] if linear is not None else None, False),
            Comparison("SVC on raw pixels vs aelab's fine-tuned conv encoder, MLP head", 0.897,
                       mlp["test/accuracy"] if mlp is not None else None, False),
        ],
        tables=[("Test accuracy with every label", "\n".join(lines))],
        settings=[
            "The paper's classifiers are scikit-learn models on raw pixels with tuned "
            "hyper-parameters; aelab's raw-pixel baselines are the same heads as on the "
            "encoder (linear, or one hidden layer of 256), trained with Adam on the same "
            f"schedule ({setting(df, 'transfer.frozen_epochs')} + "
            f"{count(df, 'transfer.finetune_epochs', 'epoch')}).",
            f"Encoder: aelab's default conv encoder (code size {setting(df, 'model.latent_dim')}),"
            f" pretrained as an autoencoder for {count(df, 'trainer.epochs', 'epoch')} on the "
            f"unlabelled training images, then the head for "
            f"{count(df, 'transfer.frozen_epochs', 'epoch')} on the frozen encoder (lr "
            f"{setting(df, 'transfer.lr')}) and everything for "
            f"{count(df, 'transfer.finetune_epochs', 'epoch')} (lr "
            f"{setting(df, 'transfer.finetune_lr')}).",
            "Training on "
            + training_images(df, "54,000 labelled images (6,000 held out for validation)")
            + ", testing on the 10,000 test images, as the benchmark does.",
        ],
        figure=("confusion", [], None),
        full_budget="trainer.epochs=50",
    )
