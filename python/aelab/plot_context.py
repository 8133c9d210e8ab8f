"""What every figure kind is given: the runs to draw (a DataFrame from aelab.results), their
labels, one run's full record on demand, the folder's colours and the user's options."""
import os
import sys
import warnings

import numpy as np

from . import results
from .style import Colours
from .suggest import closest_match

# Keys that name a run better than their full dotted path.
SHORT_NAMES = {"data.name": "data", "model.latent_dim": "k", "anomaly.normal_classes": "normal",
               "transfer.labels_per_class": "labels"}
NOT_LABELS = {"seed", "name"}
MAX_PANELS = 12


def varying_keys(df):
    """The keys the sweep varied (each run records its overrides) whose values differ between
    the runs of `df`: what tells runs apart besides their family and seed. The model's own
    groups count only when several presets share a family (mlp_ae and hinton_ae)."""
    swept = ["data.name"]  # two sweeps into one folder may differ in their primary config
    for overrides in df["overrides"]:
        for item in str(overrides).split():
            key = item.split("=", 1)[0].lstrip("+~")
            # An item of a list (`encoder.hidden.0=64`): the list tells the runs apart.
            while key.rsplit(".", 1)[-1].isdigit() and key not in df.columns and "." in key:
                key = key.rsplit(".", 1)[0]
            if key not in swept:
                swept.append(key)
    keys = []
    for key in swept:
        if key in NOT_LABELS or key not in df.columns:
            continue
        present = df[key][~df[key].map(results.absent)]  # PCA runs have no trainer section
        if present.astype(str).nunique() < 2:
            continue
        if key.split(".")[0] in ("model", "encoder", "decoder") and key != "model.latent_dim" \
                and df.groupby("family")[key].agg(lambda v: v.astype(str).nunique()).max() < 2:
            continue
        keys.append(key)
    return keys


def run_labels(runs, leave_out=()):
    """Each run's label: its family and the keys that differ among the runs of its family (not
    `pca model=pca` beside mlp_ae and hinton_ae, nor the eval.is_samples that every autoencoder
    shares beside VAEs that differ in it), and the code size wherever it differs among all of
    them; but not those of `leave_out` (a figure's x axis)."""
    keys = [key for key in varying_keys(runs) if key not in leave_out] if len(runs) else []
    # The code size is named wherever it differs between the runs, within a family or not: a
    # vae k=32 beside linear and mlp runs of k=8 says so.
    within = {family: [key for key in keys if key == "model.latent_dim"
                       or frame[key][~frame[key].map(results.absent)].astype(str).nunique() > 1]
              for family, frame in runs.groupby("family")}
    return [_label(row, within[row["family"]]) for _, row in runs.iterrows()]


def _label(row, keys):
    parts = [row["family"]]
    for key in keys:
        if results.absent(row[key]):  # a key this run lacks (noise.fraction of gaussian)
            continue
        # `prior.name` reads as prior=vamp; other keys by their last part.
        default = key.split(".")[0] if key.endswith(".name") else key.split(".")[-1]
        name = SHORT_NAMES.get(key, default)
        parts.append(f"{name}={_value_text(row[key])}" + _class_names_of(row, key))
    return " ".join(parts)


def _class_names_of(row, key):
    """` (T-shirt/top)` after the normal class of a Fashion-MNIST anomaly run, as the ROC
    figure's titles name it; nothing for other keys and data."""
    if key != "anomaly.normal_classes":
        return ""
    from .plots._classes import fashion_names  # not at the top: plots/ import this module
    labels = row[key] if isinstance(row[key], (list, tuple)) else [row[key]]
    return fashion_names(labels, row.get("data.name"))


def folder_names(folders):
    """Each results folder by the shortest tail of its path that tells it from the others:
    `bottleneck` and `long`, or `old/results/bottleneck` and `new/results/bottleneck`."""
    parts = {folder: os.path.abspath(folder).strip(os.sep).split(os.sep) for folder in folders}
    for depth in range(1, max(len(p) for p in parts.values()) + 1):
        tails = {folder: os.path.join(*p[-depth:]) for folder, p in parts.items()}
        if len(set(tails.values())) == len(tails):
            return tails
    return {folder: os.path.abspath(folder) for folder in folders}


def _sample_kind(shapes):
    """`images` when every shape is [C, H, W], `points` when every one is [D], else None."""
    shapes = {tuple(s) for s in shapes}
    if shapes and all(len(s) == 3 for s in shapes):
        return "images"
    if shapes and all(len(s) == 1 for s in shapes):
        return "points"
    return None


def _value_text(value):
    if isinstance(value, (tuple, list)):  # a list option: head_hidden=[256]
        return "[" + ",".join(_value_text(v) for v in value) + "]"
    if isinstance(value, (bool, np.bool_)):  # as the configs and make_table write it
        return "true" if value else "false"
    return "all" if value is None or (isinstance(value, float) and value != value) else str(value)


class PlotContext:
    def __init__(self, results_dir, where=(), metric=None, x=None):
        self.results_dir = results_dir
        self.all_runs = results.load(results_dir)
        self.colours = Colours(self.all_runs["family"])
        selected = results.select(self.all_runs, where, option="--where")
        self.failed = selected[selected["status"] != "completed"]
        self.runs = selected[selected["status"] == "completed"].copy()
        self.metric = metric
        self.where = list(where)
        self.x = x  # the key `against` draws on its x axis (--x)
        self._cache = {}
        self.notes = []
        self._paths = dict(zip(self.all_runs["run_id"], self.all_runs["path"]))
        self.runs["label"] = run_labels(self.runs)
        self._name_folders()

    def _name_folders(self):
        """Runs of several results folders whose labels would read the same, but for their code
        size (an mlp of two sweeps, whose lines the bottleneck figure would join), end in their
        folder's name: `mlp k=32 (bottleneck_long)`."""
        if not len(self.runs) or self.runs["results_dir"].nunique() < 2:
            return
        series = self.runs["label"].map(series_label)
        folders_of = self.runs.groupby(series)["results_dir"].nunique()
        shared = series.map(folders_of) > 1
        names = folder_names(self.runs["results_dir"].unique())
        self.runs.loc[shared, "label"] = (self.runs["label"][shared] + " (" +
                                          self.runs["results_dir"][shared].map(names) + ")")

    def run(self, run_id):
        """One run's full record (histories, images, arrays), read once; None for a run file
        damaged past its summary, which is left out with a DamagedRunWarning."""
        if run_id not in self._cache:
            try:
                self._cache[run_id] = results.read_run(None, self._paths[run_id])
            except results.DamagedRunError as e:
                warnings.warn(f"left out: {e}", results.DamagedRunWarning, stacklevel=2)
                self._cache[run_id] = None
        return self._cache[run_id]

    @property
    def samples(self):
        """What one sample of the drawn runs is: `images`, `points` or None (mixed, unknown)."""
        if "input_shape" not in self.runs.columns:
            return None
        return _sample_kind(s for s in self.runs["input_shape"] if isinstance(s, tuple))

    def with_column(self, column, why):
        """The runs that have `column` (a metric, or a config key), or NothingToDraw."""
        from .plots import NothingToDraw
        if column not in self.runs.columns or self.runs[column].isna().all():
            completed = self.all_runs[self.all_runs["status"] == "completed"]
            if self.where and column in completed.columns and completed[column].notna().any():
                raise NothingToDraw(f"no run that --where keeps has {column} ({why}; "
                                    f"{int(completed[column].notna().sum())} completed run(s) of "
                                    "the folder have it)")
            if column in self.all_runs.columns and self.all_runs[column].notna().any():
                raise NothingToDraw(f"no completed run has {column} ({why}; "
                                    f"{int(self.all_runs[column].notna().sum())} run(s) that did "
                                    "not complete have it)")
            known = [str(c) for c in self.runs.columns if str(c).count("/") == column.count("/")
                     and self.runs[c].notna().any()]
            # Names compared after their shared split (`test/`), which would make any two close.
            prefix = column.rsplit("/", 1)[0] + "/" if "/" in column else ""
            tails = [k[len(prefix):] for k in known if k.startswith(prefix)]
            tail = closest_match(column[len(prefix):], tails)
            close = [prefix + tail] if tail else \
                [match for match in [closest_match(column, known, cutoff=0.8)] if match]
            hint = f"; did you mean {close[0]}?" if close else ""
            # What the runs have instead, as make_table lists it: those of the same split first.
            listed = sorted(k for k in known if k.startswith(prefix)) or sorted(known)
            if listed and "/" in column:
                more = f", and {len(listed) - 12} more" if len(listed) > 12 else ""
                hint += f"{' ' if close else '; '}known: {', '.join(listed[:12])}{more}"
            raise NothingToDraw(f"no completed run has {column} ({why}{hint})")
        return self.runs[self.runs[column].notna()]

    def runs_with(self, predicate, why, limit=MAX_PANELS, every_seed=False):
        """Full records of the runs for which predicate(run) holds, one per label, in the order
        of their labels (`mlp k=4` before `mlp k=16`), at most `limit` of them (None: all), or
        NothingToDraw. Of a label's several seeds, the first is drawn, and its label names it
        (`mlp k=4 seed=0`) and a note says so; with every_seed, each label comes with the list
        of all its runs instead (one curve per seed)."""
        from .plots import NothingToDraw
        chosen, index = [], {}
        rows = sorted((row for _, row in self.runs.iterrows()),
                      key=lambda row: (natural_order(row["label"]), row["seed"]))
        for row in rows:
            if row["label"] in index and not every_seed:
                continue
            run = self.run(row["run_id"])
            if run is None or not predicate(run):
                continue
            if row["label"] not in index:
                index[row["label"]] = len(chosen)
                chosen.append((row["label"], []))
            chosen[index[row["label"]]][1].append((row["seed"], run))
        if not chosen:
            raise NothingToDraw(f"no completed run {why}")
        if limit is not None and len(chosen) > limit:
            self.note(f"showing {limit} of {len(chosen)} runs, from each family in turn; choose "
                      "with --where KEY=VALUE")
            chosen = self._spread_over_families(chosen, limit)
        if every_seed:
            return [(label, [run for _, run in runs]) for label, runs in chosen]
        seeds = self.runs.groupby("label")["seed"].nunique()
        several = [label for label, _ in chosen if seeds.get(label, 1) > 1]
        if several:
            which = "each label has" if len(several) == len(chosen) else \
                f"{len(several)} of the {len(chosen)} labels have"
            self.note(f"{which} runs of several seeds: the figure draws the first seed's run, "
                      "and its label names the seed (--where seed=N draws another)")
        return [(f"{label} seed={runs[0][0]}" if label in several else label, runs[0][1])
                for label, runs in chosen]

    def _spread_over_families(self, chosen, limit):
        """`limit` of the chosen labels, taken from each family in turn (the first mlp, the first
        vae, the first pca, then the second of each), in their order: every family shows before
        any shows twice."""
        family_of = dict(zip(self.runs["label"], self.runs["family"]))
        by_family = {}
        for place, (label, _) in enumerate(chosen):
            by_family.setdefault(family_of.get(label), []).append(place)
        queues = list(by_family.values())
        picked = []
        while len(picked) < limit:
            for queue in queues:
                if queue and len(picked) < limit:
                    picked.append(queue.pop(0))
        return [chosen[place] for place in sorted(picked)]

    def note(self, message):
        """Says something about the figure being drawn, once it is written (a figure that
        cannot be written gets its one error line alone)."""
        self.notes.append(message)

    def print_notes(self):
        for message in self.notes:
            print(f"plot_results: {message}", file=sys.stderr)
        self.notes.clear()


def _shade(colour, t):
    """`colour` mixed with white by t (0: itself)."""
    from matplotlib.colors import to_rgb
    return tuple(c + (1.0 - c) * t for c in to_rgb(colour))


def series_label(label):
    """`mlp k=4 noise=gaussian` -> `mlp noise=gaussian`: a run's label without its code size (a
    `k=` of its own, not the end of another key such as `mask=`)."""
    import re
    return re.sub(r"(?:^| )k=\S+", "", label)


def label_colours(context, labels):
    """label -> colour. The labels of one series (`mlp k=2`, `mlp k=8`: labels without their code
    size alike) each in a hue of their own. Of several series, each series in its colour, each
    further k of it lighter, never so pale that it cannot be seen: a series keeps its colour from
    figure to figure (the bottleneck figure draws `vae prior=mog`, the curves its k)."""
    series_of = {label: series_label(label) for label in set(labels)}
    series = sorted(set(series_of.values()), key=natural_order)
    if len(series) == 1:
        return dict(zip(sorted(series_of, key=natural_order), _hues(len(series_of))))
    base = _series_colours(context, series, shade_further=_one_code_size_a_family(context))
    out = {}
    for one in series:
        members = sorted((label for label in series_of if series_of[label] == one),
                         key=natural_order)
        # Lighter for each further k, the less the lighter its series' colour is already, and
        # never past half-way to white, where a thin line fades into the page.
        room = 0.45 * (1.0 - min(base[one]))
        for i, label in enumerate(members):
            out[label] = _shade(base[one], 0.0 if len(members) == 1
                                else room * i / (len(members) - 1))
    return out


def _hues(count):
    """`count` colours none repeats: the palette's hues, then again darker each round (lighter
    ones would pass for the palette's light blue and yellow)."""
    from matplotlib.colors import to_rgb
    from .style import PALETTE
    hues = [to_rgb(c) for c in PALETTE if c != "#000000"]
    return [_darker(hues[i % len(hues)], i // len(hues)) for i in range(count)]


def _darker(rgb, round_):
    """`rgb` darker for each round past the end of a palette, never black."""
    return tuple(c * (1.0 - min(0.7, 0.45 * round_)) for c in rgb)


def _one_code_size_a_family(context):
    """Whether each family's runs of the figure (all its panels) have one code size: no k takes
    the paler shades of a family's colour then."""
    runs = getattr(context, "runs", None)
    if runs is None or "model.latent_dim" not in runs.columns or "family" not in runs.columns:
        return False
    return bool((runs.groupby("family")["model.latent_dim"].nunique() <= 1).all())


def _series_colours(context, series, shade_further=False):
    """series -> colour. Of one family, a hue each. Of several, a family's first series in the
    family's colour and each further one in a hue no family of the figure has (not a paler shade
    of the family's, which its first series' larger k would take too), or where no series has
    several k (`shade_further`: the normal classes of a one-class sweep), in a paler shade of the
    family's colour, so that each family keeps its colour in every figure."""
    from matplotlib.colors import to_rgb
    from .style import PALETTE
    families = {}
    for one in series:
        families.setdefault(one.split(" ")[0], []).append(one)
    if len(families) == 1:
        return dict(zip(series, _hues(len(series))))
    taken = {to_rgb(context.colours(family)) for family in families}
    spare = [to_rgb(c) for c in PALETTE if to_rgb(c) not in taken and c != "#000000"]
    out, further = {}, 0
    for family, members in families.items():
        out[members[0]] = to_rgb(context.colours(family))
        room = 0.6 * (1.0 - min(out[members[0]]))  # as label_colours' k, a little paler still
        for i, one in enumerate(members[1:], start=1):
            if shade_further:
                out[one] = _shade(out[members[0]], room * i / (len(members) - 1))
                continue
            out[one] = _darker(spare[further % len(spare)], further // len(spare))
            further += 1
    return out


def natural_order(label):
    """Sorts `mlp k=16` after `mlp k=4`, and 0.25 between 0.1 and 0.4."""
    import re
    parts = re.split(r"(\d+(?:\.\d+)?)", label)
    return [(0, float(p), "") if i % 2 else (1, 0.0, p) for i, p in enumerate(parts)]


def legend_beside(fig, axes, inside_one_panel=True, order=None, **options):
    """One legend for the figure, of every panel's lines (a panel may draw only some runs):
    inside a single panel (unless `inside_one_panel` is False: a scatter fills it), else in the
    grid's first empty slot, else right of the last panel, in columns of ten; its entries sorted
    by `order` (a key of the label) where given. `options` go to matplotlib's legend (title,
    markerscale); returns the legend, or None."""
    handles, labels = [], []
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if order and labels:
        labels, handles = map(list, zip(*sorted(zip(labels, handles),
                                                key=lambda pair: order(pair[0]))))
    if not labels:
        return None
    # Columns of at most ten entries: one tall column would squash the panels beside it.
    options.setdefault("ncol", -(-len(labels) // 10))
    spare = [ax for ax in fig.axes if not ax.get_visible()]  # what figure() hid
    if inside_one_panel and len(axes) == 1 and len(labels) <= 6:
        return axes[0].legend(handles, labels, **options)
    if spare:
        spare[0].set_visible(True)
        spare[0].axis("off")
        legend = spare[0].legend(handles, labels, loc="upper left", borderaxespad=0, **options)
        legend.set_in_layout(False)  # it may span the empty slots beside it
        return legend
    # Beside the last panel: the figure widens by about the legend's width (7-point text is
    # about 0.055 inches a character), so its panels keep theirs.
    legend_width = options["ncol"] * (0.5 + 0.055 * max(map(len, labels)))
    fig.set_size_inches(fig.get_figwidth() + legend_width, fig.get_figheight())
    return axes[-1].legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                           borderaxespad=0, **options)
