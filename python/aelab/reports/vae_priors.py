"""VAE priors on Fashion-MNIST: standard normal, mixture of Gaussians and VampPrior."""
from . import Comparison, Report, count, layers, mean_of, reproduction, setting


@reproduction("vae_priors")
def build(df):
    nll = {p: mean_of(df, "test/nll_is", prior__name=p) for p in ("normal", "mog", "vamp")}
    lines = ["| prior | test NLL (IS, nats) | test ELBO | active units (of "
             f"{setting(df, 'model.latent_dim')}) |",
             "|---|---:|---:|---:|"]
    def text(value, digits):
        return "—" if value is None else f"{value:.{digits}f}"
    for prior in ("normal", "mog", "vamp"):
        lines.append(f"| {prior} | {text(nll[prior], 2)} | "
                     f"{text(mean_of(df, 'test/elbo', prior__name=prior), 2)} | "
                     f"{text(mean_of(df, 'test/active_units', prior__name=prior), 0)} |")
    gain = nll["normal"] - nll["vamp"] if nll["normal"] and nll["vamp"] else None
    return Report(
        title="VAE priors: standard normal, mixture of Gaussians, VampPrior",
        citation="J. M. Tomczak and M. Welling, VAE with a VampPrior, AISTATS 2018. The "
                 "published Fashion-MNIST values compared here (standard-normal VAE 228.70, "
                 "VampPrior 227.35 nats, with dynamic binarisation) are taken as quoted in "
                 "aelab's issue on VAE priors, without the table they come from",
        comparisons=[
            Comparison("test NLL (nats), standard-normal prior", 228.70, nll["normal"], True),
            Comparison("test NLL (nats), mixture of 10 Gaussians", None, nll["mog"], True),
            Comparison("test NLL (nats), VampPrior (500 pseudo-inputs)", 227.35, nll["vamp"],
                       True),
            Comparison("NLL gain of the VampPrior over the standard normal (nats)", 1.35, gain,
                       False, percent=False),
        ],
        tables=[("Test metrics per prior", "\n".join(lines))],
        settings=[
            "Likelihood: Bernoulli cross-entropy of the grey-level pixels, not of dynamically "
            "binarised images: the NLL is not a density of the same data, so the absolute "
            "values are not comparable; the ordering of the priors and their gap are.",
            f"Model: encoder {layers(df)} and decoder {layers(df, 'decoder')} with ReLU (the "
            "paper's MLP VAE had gated layers of 300, and 40 latent dimensions).",
            f"Budget: {count(df, 'trainer.epochs', 'epoch')} with "
            f"{count(df, 'model.kl_warmup_epochs', 'epoch')} of KL warm-up"
            + (", so the KL term never reached its full weight"
               if (df["trainer.epochs"] < df["model.kl_warmup_epochs"]).any() else "")
            + " (the paper trained "
            "up to 2,000 "
            "epochs with early stopping and 100 warm-up epochs); IS-NLL with "
            f"{setting(df, 'eval.is_samples')} samples per test image (the paper: 5,000).",
        ],
        figure=("samples", [], None),
        full_budget="trainer.epochs=1000 model.kl_warmup_epochs=100 eval.is_samples=5000",
    )
