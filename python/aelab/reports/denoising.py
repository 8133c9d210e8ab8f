"""Denoising autoencoders by noise model and level (Vincent et al. 2008, 2010)."""
from . import Report, count, layers, reproduction, setting, training_images

NAMES = {"masking": "masking (pixels set to 0)", "salt_pepper": "salt and pepper (0 or 1)"}


@reproduction("denoising")
def build(df):
    lines = ["| noise | fraction | noisy input PSNR (dB) | autoencoder PSNR (dB) | "
             "PCA PSNR (dB) | gain over the input (dB) |", "|---|---:|---:|---:|---:|---:|"]
    for (noise, level), rows in df.groupby(["noise.name", "noise.fraction"]):
        noisy, out = rows["test/noisy_psnr"].mean(), rows["test/denoise_psnr"].mean()
        pca = rows["baseline/pca/test/denoise_psnr"].mean()
        lines.append(f"| {NAMES.get(noise, noise)} | {level:g} | {noisy:.2f} | {out:.2f} | "
                     f"{pca:.2f} | {out - noisy:+.2f} |")
    return Report(
        title="Denoising autoencoders by noise model and noise level",
        citation="P. Vincent, H. Larochelle, Y. Bengio and P.-A. Manzagol, Extracting and "
                 "composing robust features with denoising autoencoders, ICML 2008 (masking "
                 "noise at 10%, 25% and 40% destruction); salt-and-pepper noise from Vincent et "
                 "al., JMLR 2010",
        comparisons=[],  # the papers report classification errors, not PSNR (see settings)
        tables=[("Test PSNR against the clean images", "\n".join(lines))],
        settings=[
            "The papers measure denoising by the classification error of features learnt "
            "from corrupted inputs, not by PSNR; there is no published PSNR to compare with. "
            "This report keeps their noise models and levels and measures what a reader can "
            "check directly: how much closer to the clean image the output is than the input.",
            f"Model: an MLP autoencoder {layers(df)} (ReLU, sigmoid output), "
            f"{count(df, 'trainer.epochs', 'epoch')} with Adam, on Fashion-MNIST "
            f"({training_images(df, 'all of it')}; the papers used MNIST variants and one "
            "hidden layer of 1,000 or more units).",
            "PCA: the corrupted test image projected on the "
            f"{setting(df, 'model.latent_dim')} leading components of the clean training "
            "images.",
        ],
        figure=("recons", ["noise.name=masking"], None),
        full_budget="trainer.epochs=100",
    )
