"""plot_results RESULTS_DIR [RESULTS_DIR ...] KIND [--where key=value ...] [--metric M] [-o FILE]

Draws a figure from the HDF5 files of a results folder. KIND `all` draws every kind the results
support into RESULTS_DIR/figures/ and says which it skipped and why. Several results folders
draw their runs into one figure (a run in both counted once); -o then says where it goes."""
import argparse
import difflib
import os
import re
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import matplotlib  # noqa: E402

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402

from aelab.plot_context import PlotContext  # noqa: E402
from aelab.plots import KINDS, OF_TEST_METRICS, NothingToDraw  # noqa: E402
from aelab.results import RepeatedRunWarning, ResultsError  # noqa: E402
from aelab.style import footnote  # noqa: E402

FORMATS = ("png", "pdf", "svg")


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        words = message.split(": ", 1)[-1].split() if "unrecognized" in message else []
        options = [word for word in words if word.startswith("--")]
        close = difflib.get_close_matches(options[0], list(self._option_string_actions),
                                          n=1) if options else []
        hint = f"did you mean {close[0]}? " if close else ""
        raise UsageError(f"{message} ({hint}see plot_results --help)")


def parse(argv):
    kinds = "\n".join(f"  {name:<15} {description}" for name, (_, description) in
                      sorted(KINDS.items()))
    parser = Parser(prog="plot_results", allow_abbrev=False,
                    formatter_class=argparse.RawDescriptionHelpFormatter,
                    description=__doc__.split("\n\n")[1],
                    epilog=f"kinds:\n{kinds}\n  all             every kind that applies")
    parser.add_argument("results", metavar="RESULTS_DIR", nargs="+")
    parser.add_argument("kind", metavar="KIND")
    parser.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                        help="only runs whose config key (or group choice, family, status) has "
                             "this value, or one of A,B; repeatable")
    parser.add_argument("--metric", help="the metric to draw, such as test/sse or val/mse")
    parser.add_argument("--x", metavar="KEY", help="the config key on the x axis of `against` "
                        "(such as noise.sigma; default: the one numeric key the sweep varies "
                        "besides model.latent_dim and the seed)")
    parser.add_argument("-o", "--output", help="FILE.png, .pdf or .svg (default: "
                        "RESULTS_DIR/figures/KIND.png; required with several folders); with "
                        "`all`, a folder")
    parser.add_argument("--format", choices=FORMATS,
                        help="file type of `all` and of the default output (default: png)")
    # Intermixed: options may come between the folders and KIND (`a b --where x=1 curves`).
    args = parser.parse_intermixed_args(argv)
    if args.format and args.output and args.kind != "all" and \
            os.path.splitext(args.output)[1].lstrip(".").lower() != args.format:
        raise UsageError(f"--format {args.format} and -o {args.output}: give one (the file "
                         "type follows -o's extension)")
    args.format = args.format or "png"
    if args.x and args.kind not in ("against", "all"):
        raise UsageError(f"--x {args.x}: only `against` draws a key on the x axis (plot_results "
                         f"DIR against --x {args.x})")
    if args.kind != "all" and args.kind not in KINDS and os.path.isdir(args.kind):
        raise UsageError(f"no KIND after the results folders ({args.kind} is a folder): give one "
                         f"of {', '.join(sorted(KINDS))}, all")
    if args.kind != "all" and args.kind not in KINDS:
        close = difflib.get_close_matches(args.kind, [*KINDS, "all"], n=1)
        raise UsageError(f"unknown kind '{args.kind}' ("
                         + (f"did you mean {close[0]}? " if close else "")
                         + f"kinds: {', '.join(sorted(KINDS))}, all)")
    if args.metric and "," in args.metric:
        raise UsageError(f"--metric {args.metric}: a figure draws one metric; give one (a "
                         "denoising figure draws the corrupted input's own PSNR beside "
                         "test/denoise_psnr by itself), or make_table for several")
    if args.metric and args.metric.count("/") not in (1, 3):
        raise UsageError(f"--metric {args.metric}: expected SPLIT/NAME such as test/sse or "
                         "val/mse (or baseline/pca/test/sse)")
    extension = os.path.splitext(args.output or "")[1]
    if args.kind != "all" and args.output and extension.lstrip(".").lower() not in FORMATS:
        raise UsageError(f"-o {args.output}: give a .png, .pdf or .svg file")
    if args.kind == "all" and args.output and extension:
        raise UsageError(f"-o {args.output}: with `all`, give a folder (and --format for the "
                         "file type)")
    if len(args.results) > 1 and not args.output:
        raise UsageError(f"{len(args.results)} results folders: say where their figure goes with "
                         "-o FILE.png (with `all`, -o FOLDER)")
    if args.output:
        # The folder that holds the output must exist: a mistyped path makes no folder tree.
        above = os.path.dirname(os.path.normpath(args.output)) or "."
        if not os.path.isdir(above):
            raise UsageError(f"-o {args.output}: no folder {above} (create it, or correct the "
                             "path)")
    return args


def output_path(args, kind):
    """-o, else `<folder>/figures/<kind>.png`, its name extended by what narrows the figure
    (`roc_family=mlp.png`, `against_x=noise.sigma_metric=test-psnr.png`), so that it leaves the
    figure of `all` in place."""
    if args.output and args.kind != "all":  # its type checked by parse
        return args.output
    folder = args.output or os.path.join(args.results[0], "figures")
    narrowed = [*args.where, *([f"x={args.x}"] if args.x else []),
                *([f"metric={args.metric}"] if args.metric else [])]
    name = "_".join([kind, *(re.sub(r"[^A-Za-z0-9._,=+-]", "-", part) for part in narrowed)])
    return os.path.join(folder, f"{name}.{args.format}")


def save(figure, path):
    """Writes under a temporary name, then renames: never a half-written figure."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    stem, extension = os.path.splitext(path)
    partial = f"{stem}.partial{extension}"
    try:
        figure.savefig(partial)
        os.replace(partial, path)
    except OSError as e:  # named by the file asked for, not the temporary one
        raise OSError(e.errno, e.strerror, path) from e
    finally:
        plt.close(figure)
        if os.path.exists(partial):
            os.remove(partial)


def test_subset_note(runs):
    """What a reader of the figures must know where runs measured only the first test images
    (data.test_subset), as make_table's title says it; None where every run measured them all."""
    if "data.test_subset" not in runs:
        return None
    sizes = runs["data.test_subset"].dropna()
    if sizes.empty:
        return None
    values = ", ".join(str(v) for v in sorted({int(v) for v in sizes}))
    if len(sizes) == len(runs):
        return f"test metrics over the first {values} test images (data.test_subset)"
    return (f"{len(sizes)} of the {len(runs)} runs' test metrics over only the first {values} "
            "test images (data.test_subset)")


def of_test_metrics(kind, context):
    """Whether the figure of `kind` draws test metrics (not --metric val/sse)."""
    return kind in OF_TEST_METRICS and (context.metric is None
                                        or "test" in context.metric.split("/"))


def draw(kind, context):
    """The figure of `kind`, which says under it where its test metrics are over only the first
    test images (a figure travels into slides and papers without plot_results' stderr)."""
    figure = KINDS[kind][0](context)
    if of_test_metrics(kind, context) and (subset := test_subset_note(context.runs)):
        footnote(figure, subset)
    return figure


def main(argv):
    args = parse(argv)
    context = PlotContext(args.results, args.where, args.metric, args.x)
    # "2 interrupted, 1 failed": the runs left out, by status
    unfinished = ", ".join(f"{count} {status}" for status, count in
                           sorted(context.failed["status"].value_counts().items()))
    if context.runs.empty:
        raise NothingToDraw(f"{' and '.join(args.results)}: no completed run"
                            + (f" ({unfinished})" if len(context.failed) else ""))
    kinds = sorted(KINDS) if args.kind == "all" else [args.kind]
    drawn, broken, drawn_test_metrics = 0, [], False
    noted = {}  # note -> the kinds of figure it is about
    if len(context.failed):
        print(f"plot_results: {len(context.failed)} run(s) did not complete and are not drawn "
              f"({unfinished})", file=sys.stderr)
    for kind in kinds:
        try:
            figure = draw(kind, context)
        except NothingToDraw as reason:
            if args.kind != "all":
                raise
            print(f"skipped {kind}: {reason}")
            context.notes.clear()
            continue
        except (KeyError, ValueError, IndexError) as e:  # a run file that lacks what it should
            if args.kind != "all":
                raise ResultsError(f"{kind}: the runs lack what this figure needs ({e!r})")
            broken.append(kind)
            context.notes.clear()
            print(f"failed {kind}: the runs lack what this figure needs ({e!r})")
            continue
        path = output_path(args, kind)
        save(figure, path)
        drawn += 1
        drawn_test_metrics = drawn_test_metrics or of_test_metrics(kind, context)
        print(f"wrote {path}")
        if args.kind != "all":
            context.print_notes()
        for message in context.notes:  # with all: each note once, with the figures it is of
            noted.setdefault(message, []).append(kind)
        context.notes.clear()
    for message, of_kinds in noted.items():
        print(f"plot_results: {', '.join(of_kinds)}: {message}", file=sys.stderr)
    # Of the figures of test metrics alone (not curves); an error line stands alone.
    if drawn_test_metrics and (subset := test_subset_note(context.runs)):
        print(f"plot_results: {subset}", file=sys.stderr)
    if drawn == 0 and not broken:
        raise NothingToDraw(f"{' and '.join(args.results)}: no kind applies to these runs")
    return 1 if broken else 0


def show_warning(message, category, *_):
    said = "note" if issubclass(category, RepeatedRunWarning) else "warning"
    print(f"{said}: {message}", file=sys.stderr)


def cli(argv):
    """The command: main() with its warnings and notes on stderr, and a mistake as one `error:`
    line. Returns the exit code: 0 drawn, 1 a figure the runs could not give, 2 a mistake."""
    with warnings.catch_warnings():
        warnings.showwarning = show_warning
        try:
            return main(argv)
        except (UsageError, ResultsError, NothingToDraw) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        except BrokenPipeError:
            return 1
        except OSError as e:  # a figure that cannot be written
            print(f"error: {e.filename or ''}: {e.strerror or e} (write the figures elsewhere "
                  "with -o)", file=sys.stderr)
            return 2
        finally:  # a figure left open by a kind that could not be drawn
            plt.close("all")


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
