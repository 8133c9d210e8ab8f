"""write_report.py NAME RESULTS_DIR [-o REPORT.md]: the report of one reproduction (make
reproduce): aelab's numbers beside the published ones, the gap, the settings, the figure and
how to rerun it, all from the HDF5 files of RESULTS_DIR."""
import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import matplotlib  # noqa: E402

matplotlib.use("Agg")

from aelab import results  # noqa: E402
from aelab.plot_context import PlotContext  # noqa: E402
from aelab.plot_results import draw, save  # noqa: E402
from aelab.plots import KINDS, NothingToDraw  # noqa: E402
from aelab.reports import REPORTS  # noqa: E402

DEFAULT_OUT = "results/reproduce"  # make reproduce's REPRO_OUT when none is given


def _number(value):
    if value is None:
        return "—"
    return f"{value:.4f}" if abs(value) < 1 else f"{value:.2f}"


def _gap(c):
    if c.published is None or c.aelab is None:
        return c.note or "—"
    gap = c.aelab - c.published
    text = f"{gap:+.3g}" + (f" ({100 * gap / abs(c.published):+.1f}%)" if c.percent else "")
    if gap == 0:
        return "equal"
    if c.versus:  # another method's number: above or below it, not better or worse at it
        text += f", {'below' if gap < 0 else 'above'} {c.versus}"
    elif c.lower_is_better is not None:
        better = gap < 0 if c.lower_is_better else gap > 0
        text += ", aelab better" if better else ", aelab worse"
    return text + (f"; {c.note}" if c.note else "")


def _minutes(seconds):
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def _swept_keys(overrides):
    """The keys that OVERRIDES gives several values (`trainer.epochs=1,2`; not a list such as
    `encoder.hidden=[32,16]`)."""
    keys = []
    for word in overrides.split():
        key, eq, value = word.partition("=")
        # Commas outside brackets separate a sweep's values, as in a --where filter.
        if eq and (len(results.alternatives(value)) > 1 or value.startswith(("range(", "glob("))):
            keys.append(key.lstrip("+~"))
    return keys


def _changes_the_setting(overrides):
    """Whether OVERRIDES changes what the runs compute, not only where and how many at once they
    ran (the launcher and its workers). Stacking (launcher.stack) and the device change the
    numbers within float tolerance, so they count as changes."""
    for word in overrides.split():
        key = word.partition("=")[0].lstrip("+~")
        if key == "launcher.stack" or not (key == "launcher" or key.startswith("launcher.")):
            return True
    return False


def render(name, results_dir, report, df, figure_file, overrides, repro_out=DEFAULT_OUT):
    lines = [f"# {report.title}", "", f"Reproduces: {report.citation}.", ""]
    if _changes_the_setting(overrides):  # a smaller (or other) run than the reproduction's
        lines += [f"**Not the reproduction's setting**: this run was made with "
                  f"`OVERRIDES='{overrides}'`, so its numbers, and the gaps below, are not those "
                  f"of the reproduction (`make reproduce NAME={name}` makes them).", ""]
    elif overrides:
        lines += [f"Made with `OVERRIDES='{overrides}'`, which sets how the runs were launched, "
                  "not what they compute: the reproduction's setting.", ""]
    swept = _swept_keys(overrides)
    if swept:  # a sweep in OVERRIDES: the report's cells average over its values
        lines += [f"**Pooled**: `OVERRIDES` sweeps {', '.join(f'`{k}`' for k in swept)}, and "
                  "each number below is the mean over the runs of all those values (give one "
                  "value per report to compare them).", ""]
    if report.comparisons:
        lines += ["| quantity | published | aelab | gap |", "|---|---:|---:|---|"]
    else:
        lines += ["The paper publishes no number that this setting measures; aelab's numbers "
                  "are below, and the settings say why."]
    for c in report.comparisons:
        lines.append(f"| {c.quantity} | {_number(c.published)} | {_number(c.aelab)} | "
                     f"{_gap(c)} |")
    for title, table in report.tables:
        lines += ["", f"## {title}", "", table]
    lines += ["", "## How the setting differs from the paper", ""]
    if _changes_the_setting(overrides):
        lines.append(f"- This run's overrides of the reproduction: `{overrides}`.")
    lines += [f"- {s}" for s in report.settings]
    if figure_file:
        kind, where, _ = report.figure
        caption = KINDS[kind][1] + (f"; the runs with {', '.join(where)}" if where else "")
        lines += ["", "## Figure", "", f"![{kind}]({figure_file})", "",
                  f"*{caption[0].upper() + caption[1:]} (`plot_results {kind}`).*"]
    wall = os.path.join(results_dir, "wall_seconds")
    run_seconds = df["wall_seconds"].sum()
    timing = f"{len(df)} runs, {_minutes(run_seconds)} of run time"
    if os.path.exists(wall):
        timing = f"{_minutes(float(open(wall).read()))} wall time on this machine; " + timing
    commits = ", ".join(sorted(set(df["git_commit"])))
    # The make variables that made these results, as the command to write again.
    made_with = (f" OVERRIDES='{overrides}'" if overrides else "") + \
        (f" REPRO_OUT={repro_out}" if repro_out != DEFAULT_OUT else "")
    lines += ["", "## Run it", "",
              f"- `make reproduce NAME={name}{made_with}`: {timing}.",
              f"- At the paper's budget (for a GPU): `make reproduce NAME={name} "
              f"OVERRIDES='{report.full_budget}'`.",
              f"- Results: `{results_dir}` (one HDF5 file per run); made by aelab {commits}; "
              f"this report written {datetime.date.today().isoformat()} from those files by "
              "`python/aelab/write_report.py`.", ""]
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(prog="write_report.py", description=__doc__)
    parser.add_argument("name", choices=sorted(REPORTS))
    parser.add_argument("results")
    parser.add_argument("-o", "--output", help="the report (default: RESULTS.md)")
    parser.add_argument("--overrides", default="", help="the overrides the sweep ran with")
    parser.add_argument("--repro-out", default=DEFAULT_OUT,
                        help="the folder make reproduce wrote into (its REPRO_OUT)")
    args = parser.parse_args(argv)
    df = results.load(args.results)
    others = sorted(set(df["name"]) - {args.name})
    if others:
        raise results.ResultsError(
            f"{args.results}: runs of sweep {', '.join(others)}, not of the reproduction "
            f"{args.name} (give the folder that make reproduce NAME={args.name} wrote)")
    failed = df[df["status"] != "completed"]
    if len(failed):
        final = (failed["status"] == "diverged").all()
        raise results.ResultsError(
            f"{args.results}: {len(failed)} of {len(df)} runs did not complete "
            f"({', '.join(failed['run_id'] + ': ' + failed['status'])}); "
            + ("a diverged run stays diverged when rerun: change its settings in OVERRIDES "
               "(a lower trainer.lr, say)" if final else "rerun make reproduce, which resumes "
               "or reruns them"))
    try:
        report = REPORTS[args.name](df)
    except KeyError as missing:  # a run without an option its report reads
        raise results.ResultsError(
            f"{args.results}: the runs have no {missing}, which the {args.name} report reads "
            "(written by another version of aelab, or damaged)") from None
    output = args.output or args.results.rstrip("/") + ".md"
    kind, where, metric = report.figure
    figure_file = None
    try:
        figure = draw(kind, PlotContext(args.results, where, metric))
        figure_path = os.path.splitext(output)[0] + ".png"
        save(figure, figure_path)
        figure_file = os.path.basename(figure_path)
    except (NothingToDraw, results.ResultsError) as reason:
        print(f"write_report: no {kind} figure: {reason}", file=sys.stderr)
    text = render(args.name, args.results, report, df, figure_file, args.overrides,
                  args.repro_out)
    partial = output + ".partial"
    with open(partial, "w") as f:
        f.write(text)
    os.replace(partial, output)
    print(f"wrote {output}" + (f" and {figure_file}" if figure_file else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except results.ResultsError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
