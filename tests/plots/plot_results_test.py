#!/usr/bin/python3
"""plot_results, the reader module and make_table's options on small results folders this test
makes with run_sweep: every figure kind renders (a PNG of a plausible pixel size; the bottleneck
figure's axes carry their labels), the reader's DataFrame has a row per run, tables take their
options, LaTeX compiles when pdflatex is installed, and mistakes give one `error:` line.
Usage: plot_results_test.py SOURCE_DIR BUILD_BIN_DIR"""
import contextlib
import glob
import io
import os
import pathlib
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import warnings

source, bin_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(source, "python"))
from aelab import plot_results as plot_command  # noqa: E402
from aelab import results  # noqa: E402

work = tempfile.mkdtemp(prefix="aelab-plot-test-")
failures = []
SMALL = ["data.subset=300", "--quiet", "-j2", f"--cache-dir={work}/cache"]
SWEEPS = {
    "bottleneck": ["-c", "sweeps/bottleneck", "trainer.epochs=1", "model.latent_dim=2,4",
                   "seed=0,1", *SMALL],
    "vae": ["-c", "sweeps/vae_priors", "trainer.epochs=1", "eval.is_samples=4",
            "prior=normal,mog", "model.latent_dim=2", *SMALL],
    # Named as the one_class reproduction, whose report is written from it below.
    "anomaly": ["-c", "sweeps/fashion_one_class", "name=one_class", "trainer.epochs=2",
                "model=pca,mlp_ae", "anomaly.normal_classes=1", "seed=0,1", *SMALL],
    "manifold": ["-c", "sweeps/manifold", "trainer.epochs=2", "data.train_size=400",
                 "data.test_size=100", "--quiet", f"--cache-dir={work}/cache"],
    "transfer": ["-c", "sweeps/transfer", "model=mlp_ae", "encoder=mlp", "trainer.epochs=1",
                 "transfer.frozen_epochs=1", "transfer.finetune_epochs=1",
                 "transfer.labels_per_class=10", "transfer.baselines=[raw]", *SMALL],
    "segmentation": ["-c", "sweeps/segmentation", "data.train_mosaics=40",
                     "data.test_mosaics=10", "trainer.epochs=1", "model.skips=false,true",
                     "segmentation.pretrain_epochs=1", "--quiet", f"--cache-dir={work}/cache"],
    "denoising": ["model=linear_ae", "model.latent_dim=2", "noise=gaussian", "noise.sigma=0.1,0.5",
                  "trainer.epochs=1", *SMALL],
}
# The kinds each folder must draw.
EXPECTED = {
    "bottleneck": {"bottleneck", "curves", "recons", "interpolations", "latent"},
    "vae": {"samples", "interpolations", "recons", "curves", "against"},
    "anomaly": {"roc", "scores", "score_curves", "anomalies"},
    "manifold": {"manifold"},
    "transfer": {"confusion"},
    "segmentation": {"segmentation"},
    "denoising": {"against", "recons"},
}


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAILED:", message)


def run(*command, expect=0):
    result = subprocess.run(command, capture_output=True, text=True, cwd=source)
    check(result.returncode == expect,
          f"{' '.join(command)} exited {result.returncode}, expected {expect}:\n{result.stderr}")
    return result


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    check(header[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG")
    return struct.unpack(">II", header[16:24])


PLOT = [os.path.join(bin_dir, "plot_results")]  # the command, as a user runs it


def plot(*arguments, expect=0):
    """plot_results ARGUMENTS run by its command's own function in this process (without an
    interpreter's and matplotlib's start-up each time, a second a call): its exit code, stdout
    and stderr, as run() gives them."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = plot_command.cli(list(arguments))
        except SystemExit as stop:  # argparse's own exits (--help)
            code = stop.code
    check(code == expect, f"plot_results {' '.join(arguments)} exited {code}, expected "
          f"{expect}:\n{err.getvalue()}")
    return subprocess.CompletedProcess(["plot_results", *arguments], code, out.getvalue(),
                                       err.getvalue())

make_table = os.path.join(bin_dir, "make_table")
for name, arguments in SWEEPS.items():
    run(os.path.join(bin_dir, "run_sweep"), *arguments, f"--out={work}/{name}")
    out = plot(f"{work}/{name}", "all")
    drawn = {line.split("/")[-1][:-4] for line in out.stdout.splitlines()
             if line.startswith("wrote ")}
    skipped = [line for line in out.stdout.splitlines() if line.startswith("skipped ")]
    check(EXPECTED[name] <= drawn,
          f"{name}: drew {sorted(drawn)}, expected {sorted(EXPECTED[name])}")
    check(all(": " in line for line in skipped), f"{name}: a skip without its reason: {skipped}")
    notes = [line for line in out.stderr.splitlines() if line.startswith("plot_results: ")]
    check(len(notes) == len(set(notes)), f"{name}: a note said twice: {notes}")
    if name == "bottleneck":  # two seeds: one note, naming the figures it is about
        check(any(line.startswith("plot_results: interpolations, latent, recons: each label has")
                  for line in notes), f"{name}: the seeds note does not name its figures: {notes}")
    for kind in drawn:
        path = f"{work}/{name}/figures/{kind}.png"
        width, height = png_size(path)
        # One column is 3.4 in, two 7 in, at 200 dpi; legends beside a panel add a little.
        check(300 <= width <= 1800 and 150 <= height <= 2400,
              f"{path}: {width}x{height} pixels is not a one- or two-column figure")

# The bottleneck figure as SVG: its text stays text, so its axis labels can be read.
svg = f"{work}/bottleneck.svg"
plot(f"{work}/bottleneck", "bottleneck", "--metric", "test/sse", "-o", svg)
text = open(svg).read()
for label in ("code size k (log scale)", "test SSE per image (lower is better)", "pca", "mlp"):
    check(label in text, f"bottleneck.svg lacks the text '{label}'")
# A metric against a swept key: the denoisers' output PSNR against noise.sigma, with PCA's and
# the noisy input's own beside it; --x names the key where the sweep varies several or none.
plot(f"{work}/denoising", "against", "-o", f"{work}/against.svg")
text = open(f"{work}/against.svg").read()
for label in ("noise.sigma", "test PSNR of the output (dB)", "linear", "pca",
              "input (no model)"):
    check(label in text, f"against.svg lacks the text '{label}'")
plot(f"{work}/bottleneck", "against", "--x", "model.latent_dim", "-o", f"{work}/k.svg")
# A key of named values (the priors): a point per value, named on its tick, PCA a dash at each.
plot(f"{work}/vae", "against", "--x", "prior.name", "-o", f"{work}/priors.svg")
text = open(f"{work}/priors.svg").read()
for label in ("prior.name", ">mog<", ">normal<", "pca"):
    check(label in text, f"priors.svg lacks the text '{label}'")
for arguments, says in (
        (["bottleneck", "against"], "error: the runs vary no key besides model.latent_dim (the "
                                    "bottleneck figure draws that one)"),
        (["denoising", "against", "--x", "noise.sigm"], "error: no completed run has noise.sigm "
                                                        "(the --x key; did you mean noise.sigma?)"),
        (["vae", "against", "--x", "seed"], "error: --x seed: every run has the same value"),
        (["bottleneck", "curves", "--x", "seed"], "error: --x seed: only `against` draws")):
    wrong = plot(f"{work}/{arguments[0]}", *arguments[1:], "-o", f"{work}/x.svg", expect=2)
    check(wrong.stderr.startswith(says) and wrong.stderr.count("\n") == 1,
          f"{' '.join(arguments)}: {wrong.stderr!r}")
# Points in the plane (the manifold sweep's parabola) are no images: their SSE is per point. A
# label too long for the panel's height puts its direction on a line of its own.
plot(f"{work}/manifold", "curves", "-o", f"{work}/points.svg")
text = open(f"{work}/points.svg").read()
check("val SSE per point (lower is better)" in text and "per image" not in text,
      "the curves of 2-D points do not label their SSE per point")
check("MSE per coordinate" not in text, "the MSE, the SSE over the coordinates, drawn again")
plot(f"{work}/manifold", "curves", "--metric", "val/mse", "-o", f"{work}/points.svg")
text = open(f"{work}/points.svg").read()
check(">val MSE per coordinate</text>" in text and ">(lower is better)</text>" in text,
      "the long label 'val MSE per coordinate (lower is better)' is not on two lines")
# VAEs alone: the bound and its KL term. VAEs beside an MLP: a loss panel per kind of loss,
# nats apart from mse, and each run in one colour in every panel.
plot(f"{work}/vae", "curves", "-o", f"{work}/vae_curves.svg")
text = open(f"{work}/vae_curves.svg").read()
check("val ELBO (nats)" in text and ">val KL (nats)<" in text and
      "train loss: negative ELBO (nats)" in text,
      "the curves of VAEs do not show the training loss, the ELBO and the KL term")
run(os.path.join(bin_dir, "run_sweep"), "model=mlp_ae,vae", "model.latent_dim=2",
    "eval.is_samples=4", "trainer.epochs=1", *SMALL, f"--out={work}/mixed")
plot(f"{work}/mixed", "curves", "-o", f"{work}/mixed_curves.svg")
text = open(f"{work}/mixed_curves.svg").read()
check(">train loss: mse</text>" in text and ">train loss: negative ELBO (nats)</text>" in text,
      "MLP and VAE training losses share one panel")
# The latent legend names Fashion-MNIST's classes, as the confusion matrix does.
plot(f"{work}/bottleneck", "latent", "-o", f"{work}/latent.svg")
check(">0 T-shirt/top<" in open(f"{work}/latent.svg").read(),
      "the latent figure's legend does not name the classes")
# A transfer run's training loss is its classifier's cross-entropy, whatever its encoder; the
# pretraining's is the autoencoder's.
plot(f"{work}/transfer", "curves", "-o", f"{work}/transfer_curves.svg")
text = open(f"{work}/transfer_curves.svg").read()
check(">train loss: cross-entropy</text>" in text and ">pretraining loss: mse</text>" in text
      and ">train loss: mse</text>" not in text,
      "a transfer run's curves do not tell its classifier's loss from its pretraining's")
check(text.count("> fine-tuning</text>") == 2,  # the classifier's panels, not the pretraining's
      "a transfer run's curves do not mark where fine-tuning starts")
# A segmenter's encoder pretrains on mse, though its run's config has no objective section.
plot(f"{work}/segmentation", "curves", "-o", f"{work}/segmentation_curves.svg")
text = open(f"{work}/segmentation_curves.svg").read()
check(">train loss: cross-entropy</text>" in text and ">pretraining loss: mse</text>" in text,
      "a segmentation run's curves do not name its pretraining's loss")
# Its two runs (with and without skips) share one cached pretraining: one line, and it says so.
check(">2 runs, one pretraining</text>" in text,
      "the pretraining panel does not say that its runs' lines coincide")
# Two results folders in one figure: labels that would read the same name their folder.
run(os.path.join(bin_dir, "run_sweep"), "model=mlp_ae", "model.latent_dim=2", "seed=5",
    "trainer.epochs=1", *SMALL, f"--out={work}/again")
plot(f"{work}/bottleneck", f"{work}/again", "curves", "-o", f"{work}/two.svg")
text = open(f"{work}/two.svg").read()
check("mlp k=2 (again)" in text and "mlp k=2 (bottleneck)" in text
      and ">mlp k=4 (bottleneck) (n=2)<" in text,
      "the curves of two folders do not tell their mlp runs apart by folder")
# Runs over fewer test images: said once, beside the figure, as make_table's title says it.
run(os.path.join(bin_dir, "run_sweep"), "model=mlp_ae", "model.latent_dim=2", "seed=5",
    "trainer.epochs=1", "data.test_subset=20", *SMALL, f"--out={work}/subset")
out = plot(f"{work}/subset", "curves", "-o", f"{work}/subset.png")
check("data.test_subset" not in out.stderr, f"curves (no test metric) with a test-subset note: "
      f"{out.stderr}")
out = plot(f"{work}/subset", f"{work}/bottleneck", "bottleneck", "-o", f"{work}/subset2.png")
check(re.search(r"(?m)^plot_results: 1 of the \d+ runs' test metrics over only the first 20 "
                r"test images \(data.test_subset\)$", out.stderr),
      f"no test-subset note: {out.stderr}")
# A figure narrowed by --where (--x, --metric) has a name of its own: `all`'s stays.
plot(f"{work}/subset", "curves", "--where", "seed=5", "--metric", "val/sse")
check(os.path.exists(f"{work}/subset/figures/curves_seed=5_metric=val-sse.png"),
      f"a narrowed figure's name: {os.listdir(f'{work}/subset/figures')}")
# On the figure too where it draws test metrics (it travels without the stderr), not on curves.
plot(f"{work}/subset", f"{work}/bottleneck", "bottleneck", "-o", f"{work}/subset_k.svg")
check("test metrics over only the first 20 test images" in open(f"{work}/subset_k.svg").read(),
      "the bottleneck figure of runs on a test subset does not say so")
plot(f"{work}/subset", "curves", "-o", f"{work}/subset.svg")
check("data.test_subset" not in open(f"{work}/subset.svg").read(),
      "the curves (no test metric) carry the test-subset note")
out = plot(f"{work}/again", "curves", "-o", f"{work}/again.png")
check("data.test_subset" not in out.stderr, f"a test-subset note without one: {out.stderr}")
# Their bottleneck figure: a line per folder (not one joining both folders' runs), PCA black.
plot(f"{work}/bottleneck", f"{work}/again", "bottleneck", "-o", f"{work}/two_k.svg")
text = open(f"{work}/two_k.svg").read()
check(">mlp (again)<" in text and ">mlp (bottleneck)<" in text,
      "the bottleneck figure of two folders joins their mlp runs into one line")
# Options between the folders and KIND.
plot(f"{work}/bottleneck", f"{work}/again", "--where", "family=mlp", "curves", "-o",
    f"{work}/two_mlp.svg")
check(">linear" not in open(f"{work}/two_mlp.svg").read(), "--where between folders and KIND")
# Several seeds: ROC curves draw each seed's run, the legend the mean and std of their AUROC,
# as make_table; a figure of one run per label names the seed it drew, and says so once.
roc = plot(f"{work}/anomaly", "roc", "-o", f"{work}/roc.svg")
text = open(f"{work}/roc.svg").read()
cell = re.search(r"\| mlp +\| \**([0-9.]+) ± ([0-9.]+)\**",
                 run(make_table, f"{work}/anomaly", "--rows", "family", "--metric",
                     "test/auroc").stdout)
check("AUROC, 2 seeds" in text and cell and f">mlp {cell[1]}±{cell[2]}<" in text,
      f"the ROC legend does not give the mean ± std of the seeds' AUROC as make_table: {cell}")
recons = plot(f"{work}/bottleneck", "recons", "-o", f"{work}/recons_seeds.svg")
check(">mlp k=2 seed=0<" in open(f"{work}/recons_seeds.svg").read()
      and recons.stderr.count("\n") == 1 and "the figure draws the first seed's run" in recons.stderr,
      f"recons of several seeds does not name the seed drawn: {recons.stderr!r}")
# A reproduction's report of a run made with OVERRIDES says so, and gives what the runs record
# (the normal images they trained on), not the reproduction's own numbers.
write_report = os.path.join(source, "python", "aelab", "write_report.py")
run("/usr/bin/python3", write_report, "one_class", f"{work}/anomaly", "-o", f"{work}/report.md",
    "--overrides", "data.subset=300 trainer.epochs=2", "--repro-out", f"{work}/elsewhere")
text = open(f"{work}/report.md").read()
check("- `make reproduce NAME=one_class OVERRIDES='data.subset=300 trainer.epochs=2' "
      f"REPRO_OUT={work}/elsewhere`: " in text,
      f"the report's Run it line does not give the make variables of the run:\n{text}")
check("**Not the reproduction's setting**: this run was made with `OVERRIDES='data.subset=300 "
      "trainer.epochs=2'`" in text and re.search(r"Models train on \d+ (to \d+ )?images of the "
                                                 r"normal class", text)
      and "trained for 2 epochs" in text and "5,400" not in text,
      f"the one_class report of a smaller run does not describe that run:\n{text}")
# OVERRIDES that set only how the runs were launched leave the reproduction's setting; stacking
# (equal within float tolerance) does not.
run("/usr/bin/python3", write_report, "one_class", f"{work}/anomaly", "-o", f"{work}/jobs.md",
    "--overrides", "launcher.jobs=1 launcher.fork_workers=false")
text = open(f"{work}/jobs.md").read()
check("Not the reproduction's setting" not in text and "Made with `OVERRIDES='launcher.jobs=1 "
      "launcher.fork_workers=false'`, which sets how the runs were launched" in text,
      f"a report made with launcher.jobs=1 says it is not the reproduction's setting:\n{text}")
run("/usr/bin/python3", write_report, "one_class", f"{work}/anomaly", "-o", f"{work}/jobs.md",
    "--overrides", "launcher.stack=4")
check("Not the reproduction's setting" in open(f"{work}/jobs.md").read(),
      "a report made with launcher.stack=4 says it is the reproduction's setting")
# The report of one reproduction from the folder of another sweep: refused, nothing written.
wrong = run("/usr/bin/python3", write_report, "one_class", f"{work}/bottleneck", "-o",
            f"{work}/wrong.md", expect=2)
check(wrong.stderr == f"error: {work}/bottleneck: runs of sweep bottleneck, not of the "
      "reproduction one_class (give the folder that make reproduce NAME=one_class wrote)\n"
      and not os.path.exists(f"{work}/wrong.md"), f"a report of another sweep: {wrong.stderr!r}")
# Folders whose runs differ in the keys they have: an int stays an int in the labels.
plot(f"{work}/bottleneck", f"{work}/anomaly", "curves", "-o", f"{work}/mixed_keys.svg")
text = open(f"{work}/mixed_keys.svg").read()
check("epochs=2 " in text and "epochs=1 " in text and "epochs=2.0" not in text,
      "an int of a key that some runs lack is drawn as a float in the labels")
# A denoising folder without PCA runs: PCA's output from the same corrupted inputs.
run(os.path.join(bin_dir, "run_sweep"), "model=mlp_ae", "model.latent_dim=2,3",
    "noise=gaussian", "trainer.epochs=1", *SMALL, f"--out={work}/denoise")
plot(f"{work}/denoise", "recons", "-o", f"{work}/denoise.svg")
text = open(f"{work}/denoise.svg").read()
check(">from that input</text>" in text and ">pca k=2</text>" in text,
      "the recons of a denoising folder lack PCA's output from the corrupted inputs")
# Its bottleneck figure draws the output's PSNR, and the corrupted input's own beside it.
plot(f"{work}/denoise", "bottleneck", "-o", f"{work}/denoise_bottleneck.svg")
text = open(f"{work}/denoise_bottleneck.svg").read()
check("test PSNR of the output (dB)" in text and
      ">input with gaussian noise (no model)</text>" in text,
      "the bottleneck figure of a denoising folder lacks the output's and the input's PSNR")
plot(f"{work}/bottleneck", "bottleneck", "-o", f"{work}/b.pdf")
check(open(f"{work}/b.pdf", "rb").read(5) == b"%PDF-", "the pdf output is not a PDF")

# Mistakes: one error line, exit code 2, no figure written.
shutil.copy(f"{work}/bottleneck/summary.h5", f"{work}/loose.h5")  # a file outside any results
for arguments, words in (
        ([f"{work}/bottleneck", "roc"], "no completed run with an ROC curve"),
        ([f"{work}/bottleneck", "histogram"], "unknown kind 'histogram'"),
        ([f"{work}/bottleneck", "bottleneck", "--wher", "family=mlp"],
         "unrecognized arguments: --wher family=mlp (did you mean --where? "),
        ([f"{work}/bottleneck", "recon"], "unknown kind 'recon' (did you mean recons? kinds: "),
        ([f"{work}/bottleneck", "bottleneck", "--metric", "test/sze"],
         "no completed run has test/sze (the metric to draw; did you mean test/sse? known: "
         "test/mse, test/psnr, test/sse)"),
        ([f"{work}/bottleneck", "bottleneck", "--metric", "test/auroc"],
         "no completed run has test/auroc (the metric to draw; known: test/mse, test/psnr, "
         "test/sse)"),
        ([f"{work}/bottleneck", "recons", "--where", "model.latent_dim=3"],
         "no run has model.latent_dim=3"),
        ([f"{work}/bottleneck", "bottleneck", "--where", "family=mpl"],
         "no run has family=mpl (did you mean family=mlp? values: "),
        ([f"{work}/bottleneck", "recons", "-o", f"{work}/x.jpg"], "give a .png, .pdf or .svg"),
        ([f"{work}/bottleneck", "recons", "-o", f"{work}/x.svg", "--format", "pdf"],
         f"--format pdf and -o {work}/x.svg: give one"),
        ([f"{work}/bottleneck", "recons", "-o", "/proc/x.png"], "error: /proc/x.png: "),
        ([f"{work}/nowhere", "all"], f"{work}/nowhere: no such folder; give the folder run_sweep "
                                     "wrote (known: "),
        ([f"{work}/bottleneck/../..", "all"], "no runs/ folder; give the folder run_sweep wrote"),
        ([f"{work}/bottleneck", f"{work}/mixed", "curves"],
         "2 results folders: say where their figure goes with -o"),
        ([f"{work}/bottleneck", f"{work}/mixed"],
         f"no KIND after the results folders ({work}/mixed is a folder): give one of against, "
         "anomalies, bottleneck,"),
        ([f"{work}/bottleneck", "bottleneck", "-o", f"{work}/typo/b.png"],
         f"-o {work}/typo/b.png: no folder {work}/typo (create it, or correct the path)"),
        ([f"{work}/bottleneck/runs", "all"],
         f"a folder inside the results folder {work}/bottleneck; give that folder"),
        ([f"{work}/bottleneck/summary.h5", "all"],
         f"a file inside the results folder {work}/bottleneck; give that folder"),
        ([f"{work}/loose.h5", "all"], f"{work}/loose.h5: a file, not a folder; give the folder "
                                      "run_sweep wrote")):
    result = plot(*arguments, expect=2)
    lines = result.stderr.strip().splitlines()
    check(len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0],
          f"plot_results {' '.join(arguments)}: stderr {result.stderr!r}")
check(not os.path.exists(f"{work}/x.jpg") and not os.path.exists(f"{work}/x.svg")
      and not os.path.exists(f"{work}/typo"),
      "a figure or a folder was written despite the error")

# A damaged run file (a config that is not YAML, a metric that is not a number, a truncated
# file): left out with one warning line naming the file, as make_table does, and the other runs
# drawn; when every file is damaged, one error line. No Python traceback.
import h5py  # noqa: E402


def unclosed_config(path):
    with h5py.File(path, "a") as f:
        f.attrs["config_yaml"] = "model: [unclosed"


def text_metric(path):
    with h5py.File(path, "a") as f:
        del f["metrics/test/sse"]
        f["metrics/test/sse"] = "abc"


def has_history(path):
    with h5py.File(path, "r") as f:
        return "history" in f


def broken_history(path):
    """The /history group's object header overwritten: the summary still reads."""
    with h5py.File(path, "r") as f:  # an address past the user block, which holds the seal
        address = h5py.h5o.get_info(f["history"].id).addr + f.userblock_size
    with open(path, "r+b") as f:
        f.seek(address)
        f.write(b"\xff" * 16)


def truncated(path):
    with open(path, "r+b") as f:
        f.truncate(3000)


for damage, words in ((unclosed_config, "(config_yaml):1:"),
                      (text_metric, "cannot read /metrics/test/sse as"),
                      (broken_history, "(damaged or not an aelab run file: "),
                      (truncated, "not a readable HDF5 file (damaged or not an aelab run file: move")):
    shutil.rmtree(f"{work}/damaged", ignore_errors=True)
    shutil.copytree(f"{work}/bottleneck", f"{work}/damaged")
    # A trained model's file first: it has the /history that broken_history damages.
    victims = sorted(sorted(glob.glob(f"{work}/damaged/runs/*.h5")), key=lambda p: not has_history(p))
    damage(victims[0])
    for tool in ([*PLOT, f"{work}/damaged", "bottleneck", "-o", f"{work}/damaged/b.png"],
                 [make_table, f"{work}/damaged"],
                 [make_table, f"{work}/damaged", f"{work}/./damaged/"]):  # one folder, read once
        result = run(*tool)
        lines = result.stderr.strip().splitlines()
        check(len(lines) == 1 and lines[0].startswith(f"warning: left out: {victims[0]}")
              and words in lines[0], f"{os.path.basename(tool[0])} on a damaged run file: "
              f"stderr {result.stderr!r}")
    check(os.path.exists(f"{work}/damaged/b.png"), "no figure drawn beside a damaged run file")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check(len(results.load(f"{work}/damaged")) == len(victims) - 1 and len(caught) == 1
              and issubclass(caught[0].category, results.DamagedRunWarning),
              f"reader on a damaged run file: warnings {[str(w.message) for w in caught]}")
for victim in victims[1:]:
    truncated(victim)
for tool in ([*PLOT, f"{work}/damaged", "all"], [make_table, f"{work}/damaged"]):
    result = run(*tool, expect=2)
    lines = result.stderr.strip().splitlines()
    check(len(lines) == 1 and lines[0].startswith(f"error: {work}/damaged/runs: no readable run "
                                                  f"file; {len(victims)} damaged, such as "),
          f"{os.path.basename(tool[0])} with every run file damaged: stderr {result.stderr!r}")

# The reader: one row per run, config keys, choices, metrics and baselines as columns.
df = results.load(f"{work}/bottleneck")
check(len(df) == 12, f"reader: {len(df)} rows for 12 runs")
for column in ("run_id", "status", "family", "model", "model.latent_dim", "seed", "test/sse",
               "baseline/pca/test/sse", "trainer.epochs", "blas", "torch_version"):
    check(column in df.columns, f"reader: no column {column}")
check(sorted(set(df["family"])) == ["linear", "mlp", "pca"], f"families {set(df['family'])}")
mlp = results.load(f"{work}/bottleneck", where=["family=mlp", "model.latent_dim=4"])
check(len(mlp) == 2, f"reader --where: {len(mlp)} rows, expected 2 seeds")
either = results.load(f"{work}/bottleneck", where="family=mlp,pca")
check(sorted(set(either["family"])) == ["mlp", "pca"] and len(either) == 8,
      f"reader --where family=mlp,pca: {len(either)} rows of {set(either['family'])}")
check(len(results.load(f"{work}/bottleneck", where="family=mlp")) == 4,
      "reader: one filter as a string is not taken as a filter")
# In Python a mistaken filter is named as the argument was written, not as the tools' option.
try:
    results.load(f"{work}/bottleneck", where="family=mpl")
    check(False, "reader: where='family=mpl' selected runs")
except results.ResultsError as error:
    check(str(error).startswith("where='family=mpl': no run has family=mpl (did you mean "
                                "family=mlp? "), f"reader: where='family=mpl' says {error}")
check("input_shape" in df.columns and set(df["input_shape"]) == {(1, 28, 28)},
      "reader: input_shape is not each run's sample shape")
one = results.read_run(f"{work}/bottleneck", mlp.run_id.iloc[0])
check(len(one.history["val"]["sse"]) == 1 and one.images["reconstructions"].shape[0] == 16
      and one.arrays["test_codes"].shape[1] == 4, "reader: a run's history, images or arrays")
# The same run from its file alone; a misspelled id gets the nearest one.
alone = results.read_run(f"{work}/bottleneck/runs/{one.run_id}.h5")
check(alone.run_id == one.run_id and alone.metrics == one.metrics,
      "reader: read_run(path) is not the run read_run(folder, id) gives")
try:
    results.read_run(f"{work}/bottleneck", one.run_id[:-1] + "x")
    check(False, "reader: read_run of a misspelled id read something")
except results.ResultsError as error:
    check(f"(did you mean {one.run_id}?)" in str(error), f"reader: a misspelled id says {error}")
row = mlp[mlp["run_id"] == one.run_id].iloc[0]
check(one.recorded["host"] == socket.gethostname() == row["host"]
      and re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", one.recorded["written_at"])
      and one.recorded["git_commit"] == row["git_commit"] and one.recorded["seed"] == row["seed"],
      f"reader: a run's provenance {one.recorded}")
both = results.load([f"{work}/bottleneck", f"{work}/mixed", f"{work}/bottleneck/"])
check(len(both) == 14 and both["results_dir"].nunique() == 2 and
      all(os.path.exists(p) for p in both["path"]),
      f"reader of two folders (one given twice): {len(both)} rows, expected 14")
# A run in two folders (a copy of one run file) is counted once; paths as pathlib.Path.
os.makedirs(f"{work}/copy/runs")
shutil.copy(df["path"].iloc[0], f"{work}/copy/runs/")
with warnings.catch_warnings(record=True) as said:
    warnings.simplefilter("always")
    copied = results.load((pathlib.Path(f"{work}/bottleneck"), pathlib.Path(f"{work}/copy")))
check(len(copied) == 12, f"reader: a run in two folders gives {len(copied)} rows, expected 12")
check([str(w.message) for w in said if w.category is results.RepeatedRunWarning] ==
      [f"1 run(s) of {work}/copy are also in {work}/bottleneck (the same config and seed, "
       "whatever the sweep's name), counted once"],
      f"reader: a run in two folders, said: {[str(w.message) for w in said]}")
# make_table and plot_results say so too, on a line of their own.
note = (f"note: 1 run(s) of {work}/copy are also in {work}/bottleneck (the same config and seed, "
        "whatever the sweep's name), counted once\n")
table = run(make_table, f"{work}/bottleneck", f"{work}/copy", "--rows", "model.latent_dim")
check(table.stderr == note, f"make_table of a run in two folders: {table.stderr!r}")
drawn = plot(f"{work}/bottleneck", f"{work}/copy", "bottleneck", "-o", f"{work}/copy.svg")
check(drawn.stderr == note, f"plot_results of a run in two folders: {drawn.stderr!r}")
# The same run under another sweep's name (part of its run id), and with a checkpoint kept (not
# part of it): counted once, and the title pools over neither.
os.makedirs(f"{work}/renamed/runs")
shutil.copy(df[df["family"] == "mlp"]["path"].iloc[0], f"{work}/renamed/runs/other.h5")
with h5py.File(f"{work}/renamed/runs/other.h5", "r+") as f:
    config = results._text(f.attrs["config_yaml"])
    check("keep_checkpoint: false" in config, f"an mlp run's config: {config}")
    f.attrs["config_yaml"] = re.sub(r"(?m)^name: .*$", "name: renamed", config).replace(
        "keep_checkpoint: false", "keep_checkpoint: true")
    f.attrs["run_id"] = "other"
renamed = results.load([f"{work}/bottleneck", f"{work}/renamed"])
check(len(renamed) == len(df), f"reader: the same run renamed gives {len(renamed)} rows")
table = run(make_table, f"{work}/bottleneck", f"{work}/renamed", "--rows", "model.latent_dim")
check(table.stderr == note.replace("/copy", "/renamed") and "name" not in
      table.stdout.splitlines()[0], f"make_table of a run under another name: {table.stdout}"
      f"{table.stderr!r}")
# Two files of one folder that hold one run (a copy under another name): counted once, said so.
shutil.copy(df["path"].iloc[0], f"{work}/copy/runs/again.h5")
with warnings.catch_warnings(record=True) as said:
    warnings.simplefilter("always")
    once = results.load(f"{work}/copy")
repeated = (f"{work}/copy: 1 run file(s) hold the config and seed of another file there (a "
            "copy?), counted once")
check(len(once) == 1 and [str(w.message) for w in said] == [repeated],
      f"reader: two files of one run: {len(once)} rows, said {[str(w.message) for w in said]}")
table = run(make_table, f"{work}/copy", "--rows", "model.latent_dim")
check(table.stderr == f"note: {repeated}\n", f"make_table of two files of one run: "
      f"{table.stderr!r}")
transfer = results.load(f"{work}/transfer")
check(transfer["transfer.labels_per_class"].iloc[0] == 10 and
      "baseline/raw/test/accuracy" in transfer.columns, "reader: transfer columns")
# Runs that differ in an item of a list (`encoder.hidden.0=64,128`) are told apart by the list.
from aelab.plot_context import varying_keys  # noqa: E402
items = results.pd.DataFrame({"overrides": ["encoder.hidden.0=64", "encoder.hidden.0=128"],
                              "encoder.hidden": [(64, 8), (128, 8)], "family": ["mlp", "mlp"],
                              "data.name": ["fashion_mnist"] * 2})
check(varying_keys(items) == ["encoder.hidden"], f"labels of list items: {varying_keys(items)}")
# A label names what differs within its family: `pca`, not `pca model=pca`, beside two MLP
# presets; the autoencoders' shared eval.is_samples is no part of theirs beside VAEs'.
from aelab.plot_context import run_labels  # noqa: E402
mixed = results.pd.DataFrame({
    "overrides": ["model=hinton_ae", "model=mlp_ae", "model=pca", "model=vae eval.is_samples=20",
                  "model=vae eval.is_samples=50"],
    "model": ["hinton_ae", "mlp_ae", "pca", "vae", "vae"],
    "eval.is_samples": [1000, 1000, 1000, 20, 50],
    "family": ["mlp", "mlp", "pca", "vae", "vae"], "data.name": ["fashion_mnist"] * 5})
check(run_labels(mixed) == ["mlp model=hinton_ae", "mlp model=mlp_ae", "pca",
                            "vae is_samples=20", "vae is_samples=50"],
      f"labels within families: {run_labels(mixed)}")
# A Fashion-MNIST normal class is named as the ROC figure's titles name it.
one_class = results.pd.DataFrame({
    "overrides": ["anomaly.normal_classes=0", "anomaly.normal_classes=[1,8]"],
    "anomaly.normal_classes": [0, (1, 8)], "family": ["mlp", "mlp"],
    "data.name": ["fashion_mnist"] * 2})
check(run_labels(one_class) == ["mlp normal=0 (T-shirt/top)", "mlp normal=[1,8] (Trouser, Bag)"],
      f"labels of normal classes: {run_labels(one_class)}")
# PCA's lines: settings whose lines are the same (a sweep of priors, which PCA does not read)
# are one line named by what they share; different ones (noise models) stay apart.
from aelab.plots.bottleneck import distinct_lines  # noqa: E402
frame = results.pd.DataFrame({"model.latent_dim": [2, 8, 2, 8, 2, 8],
                              "pca": [30.0, 15.0, 30.0, 15.0, 40.0, 20.0],
                              "setting": ["noise=g prior=normal", "noise=g prior=normal",
                                          "noise=g prior=vamp", "noise=g prior=vamp",
                                          "noise=m prior=vamp", "noise=m prior=vamp"]})
lines = [setting for setting, _ in distinct_lines(frame, "pca")]
check(lines == ["noise=g", "noise=m prior=vamp"], f"PCA's distinct lines: {lines}")
# Floats without a dot, as run files written before PyYAML's form (`1.0e-08`) have them.
old_form = results.read_config("trainer: {lr: 5e-04, weight_decay: 1e+06, name: '1e-3'}")
check(old_form["trainer"] == {"lr": 0.0005, "weight_decay": 1e6, "name": "1e-3"},
      f"reader: floats of older run files {old_form}")

# make_table: filters, baselines, ratios, bold, mean row, LaTeX.
table = run(make_table, f"{work}/bottleneck", "--rows", "model.latent_dim", "--cols", "family",
            "--where", "family=mlp", "--baseline", "pca", "--relative-to", "pca").stdout
# PCA relative to itself is 1 in every row, bold or not (whichever model wins).
ones = re.findall(r"\|\s*(?:\*\*)?1(?:\*\*)?\s*\|", table)
check("| mlp" in table and "| pca" in table and len(ones) == 2 and "linear" not in table,
      f"make_table --where --baseline --relative-to:\n{table}")
# Families as rows: one column (not a diagonal of family by family), each value over pca's row.
table = run(make_table, f"{work}/bottleneck", "--rows", "family,model.latent_dim", "--baseline",
            "pca", "--relative-to", "pca").stdout
header = next(line for line in table.splitlines() if line.startswith("| family"))
check(re.fullmatch(r"\| family \| model.latent_dim \| test/sse +\|", header)
      and len(re.findall(r"\| pca +\| \d+ +\| (?:\*\*)?1(?:\.0+)?(?:\*\*)? *\|", table)) == 2,
      f"make_table --rows family,model.latent_dim --relative-to pca:\n{table}")
table = run(make_table, f"{work}/anomaly", "--rows", "anomaly.normal_classes", "--cols",
            "family", "--metric", "test/auroc", "--mean-row", "--format", "latex").stdout
check("\\toprule" in table and "\\textbf{" in table and "\nmean &" in table,
      f"make_table --format latex --mean-row:\n{table}")
# Without --metric, the headline metric of the experiment that ran.
for folder, headline in (("transfer", "test/accuracy"), ("segmentation", "test/miou"),
                         ("bottleneck", "test/sse"), ("vae", "test/nll_is"),
                         ("anomaly", "test/auroc"), ("denoise", "test/denoise_psnr")):
    table = run(make_table, f"{work}/{folder}", "--rows", "seed").stdout
    check(table.startswith(headline + " ("), f"make_table {folder} without --metric:\n{table}")
result = run(make_table, f"{work}/bottleneck", "--where", "family=vae", expect=2)
check(result.stderr.startswith("error: --where family=vae: no run has family=vae"),
      f"make_table --where: {result.stderr!r}")
if shutil.which("pdflatex"):
    with open(f"{work}/table.tex", "w") as f:
        f.write("\\documentclass{article}\\usepackage{booktabs}\\begin{document}\n" + table +
                "\\end{document}\n")
    run("pdflatex", "-interaction=nonstopmode", f"-output-directory={work}", f"{work}/table.tex")
else:
    print("skipped: compiling the LaTeX table (pdflatex is not installed)")

# Class names come from the run file's note (an idx folder's labels 0, 1, 255 as classes 0..2),
# else Fashion-MNIST's for older runs, else the class numbers.
from types import SimpleNamespace  # noqa: E402
from aelab.plots._classes import class_label, class_names  # noqa: E402
noted = SimpleNamespace(notes={"classes": "0, 1, 255"}, config={"data": {"name": "idx"}})
check(class_names(noted, 3) == ["0", "1", "255"], f"noted classes: {class_names(noted, 3)}")
check([class_label(c, n) for c, n in enumerate(class_names(noted, 3))] == ["0", "1", "255"],
      "a numbered class's legend entry is its label")
older = SimpleNamespace(notes={}, config={"data": {"name": "fashion_mnist"}})
check(class_label(7, class_names(older, 10)[7]) == "7 Sneaker", "older Fashion-MNIST runs' names")
check(class_names(SimpleNamespace(notes={}, config={}), 2) == ["0", "1"], "unnamed classes")
# ROC curves that coincide are named, the later hiding the earlier; a curve of other seeds is not.
from aelab.plots.roc import _same_curves  # noqa: E402
import numpy as np  # noqa: E402
curve = np.array([[0, 0], [0.2, 0.7], [1, 1]])
check(_same_curves([("linear", [curve]), ("mlp", [curve * 0.9]), ("pca", [curve.copy()])])
      == [("linear", "pca")], "coinciding ROC curves are not found")
check(_same_curves([("linear", [curve, curve]), ("pca", [curve])]) == [], "seeds' curves differ")
# A series keeps its colour from figure to figure: the curves' `vae prior=mog k=2` is drawn in
# the colour of the bottleneck figure's `vae prior=mog`, its k=8 lighter.
from aelab.plot_context import label_colours  # noqa: E402
series = label_colours(None, ["vae prior=mog", "vae prior=normal"])
runs = label_colours(None, ["vae prior=mog k=2", "vae prior=mog k=8", "vae prior=normal k=2"])
check(runs["vae prior=mog k=2"] == series["vae prior=mog"]
      and runs["vae prior=normal k=2"] == series["vae prior=normal"]
      and runs["vae prior=mog k=8"] != runs["vae prior=mog k=2"],
      f"series colours differ between figures: {series} {runs}")
# A family's further series take hues of their own, not paler shades of its colour, which its
# first series' larger k would take too (mlp k=2 lr=0.01 was drawn as mlp k=8 lr=0.003).
from types import SimpleNamespace  # noqa: E402
from aelab.style import Colours  # noqa: E402
shades = label_colours(SimpleNamespace(colours=Colours(["mlp", "linear"])), ["mlp k=2 lr=0.01", "mlp k=8 lr=0.01", "mlp k=2 lr=0.003",
                                   "mlp k=8 lr=0.003", "linear k=2", "linear k=8"])
check(len(set(shades.values())) == 6 and
      min(np.abs(np.subtract(a, b)).sum() for i, a in enumerate(shades.values())
          for j, b in enumerate(shades.values()) if i < j) > 0.2,
      f"series of one family share or nearly share colours: {shades}")
# Where no family's runs differ in k (a one-class sweep's normal classes), a family's further
# series are paler shades of its colour: each family keeps its colour in every figure.
import matplotlib.colors  # noqa: E402
import pandas as pd  # noqa: E402
one_k = SimpleNamespace(colours=Colours(["conv", "mlp"]), runs=pd.DataFrame(
    {"family": ["conv", "conv", "mlp"], "model.latent_dim": [16, 16, 16]}))
classes = label_colours(one_k, ["conv normal=0", "conv normal=1", "mlp normal=0"])
check(classes["conv normal=0"] == matplotlib.colors.to_rgb(one_k.colours("conv"))
      and classes["conv normal=1"] != classes["conv normal=0"]
      and all(b >= a for a, b in zip(classes["conv normal=0"], classes["conv normal=1"])),
      f"a family's further series are not paler shades of its colour: {classes}")
# Classes past the ten colour-blind-safe colours (26 letters, 60 classes) get colours none repeats.
from aelab.plots.latent import class_colours  # noqa: E402
import matplotlib.colors  # noqa: E402
for count in (10, 26, 40, 60):  # up to 42 none close to another (tab20c's greys left out)
    palette = [np.array(matplotlib.colors.to_rgb(c)) for c in class_colours(count)[:count]]
    closest = min(np.linalg.norm(a - b) for i, a in enumerate(palette) for b in palette[:i])
    check(len(palette) == count and closest > (0.1 if count <= 42 else 0.0),
          f"{count} classes: colours {closest:.3f} apart in RGB")

# The recons figure cuts between code sizes, else between runs (a denoiser's input, output and
# PCA rows stay together), never inside one where a whole one fits.
from aelab.plots.recons import _whole_units  # noqa: E402
check(_whole_units([None, 8, 8, 8, 16, 16], 5) == 4, "recons: cut between code sizes")
check(_whole_units([None, 8, 8, 8, 8, 8], 5) is None, "recons: no code size fits")
check(_whole_units([None, 1, 1, 1, 2, 2, 2, 3], 6) == 4, "recons: cut between runs")

# Every reproduction in configs/reproduce/ has its report.
from aelab.reports import REPORTS  # noqa: E402
for entry in os.listdir(os.path.join(source, "configs", "reproduce")):
    name = entry[:-5] if entry.endswith(".yaml") else entry
    check(name in REPORTS, f"configs/reproduce/{entry} has no report in python/aelab/reports/")

shutil.rmtree(work)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
