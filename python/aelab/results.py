"""Reading a results folder that run_sweep wrote: one DataFrame row per run, and one run's
histories, images and arrays. What the plots use, and what a notebook imports:

    import sys; sys.path.insert(0, "python")
    from aelab import results
    df = results.load("results/bottleneck")              # one row per run
    run = results.read_run("results/bottleneck", df.run_id[0])
    run.history["val"]["sse"], run.images["reconstructions"], run.arrays

Only HDF5 is read; the layout is documented in results/README.md.
"""
import difflib
import math
import os
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd
import re
import warnings

import yaml

from .suggest import closest_match


class ConfigLoader(yaml.SafeLoader):
    """yaml.SafeLoader that also reads YAML 1.2 floats without a dot (`5e-04`, `1e+06`) as
    floats, as aelab does: run files written before aelab wrote PyYAML's `5.0e-04` have them."""


ConfigLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9]+[eE][-+]?[0-9]+$"), list("-+0123456789"))


def read_config(text):
    """A run's config_yaml as nested dicts and lists."""
    return yaml.load(text, Loader=ConfigLoader)


class ResultsError(Exception):
    """A results folder or run file that cannot be read as asked; the message is one line."""


def family(config):
    """The readable model family that make_table's `family` shows: pca, linear, mlp, conv, vae,
    segmenter, ..., or `conv/mlp` when an autoencoder's decoder differs from its encoder."""
    model = config.get("model", {}).get("name", "")
    encoder = (config.get("encoder") or {}).get("name")
    decoder = (config.get("decoder") or {}).get("name", encoder)
    if encoder and model in ("ae", "mlp"):  # `mlp`: files written before model presets
        return encoder if decoder == encoder else f"{encoder}/{decoder}"
    return model


def flatten(config, prefix=""):
    """Every leaf of a nested config as dotted key -> value (lists stay lists)."""
    out = {}
    for key, value in config.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


DAMAGED = ("damaged or not an aelab run file: move it out of runs/ or delete it, and run_sweep "
           "runs its job again")


def _scalars(group, prefix):
    """`split/metric` -> float for every dataset under a metrics group."""
    out = {}
    for split, metrics in group.items():
        for name, dataset in metrics.items():
            try:
                out[f"{prefix}{split}/{name}"] = float(dataset[()])
            except (TypeError, ValueError, AttributeError):
                raise ResultsError(f"{group.file.filename}: cannot read "
                                   f"{group.name}/{split}/{name} as a number ({DAMAGED})")
    return out


def run_files(results_dir):
    runs = os.path.join(results_dir, "runs")
    if not os.path.isdir(runs):
        # A folder or file inside a results folder (its runs/, its summary.h5, a run file): the
        # results folder is meant.
        kind = "a file" if os.path.isfile(results_dir) else "a folder"
        above = os.path.dirname(os.path.normpath(results_dir))
        while above and above != os.path.dirname(above):
            if os.path.isdir(os.path.join(above, "runs")):
                raise ResultsError(f"{results_dir}: {kind} inside the results folder "
                                   f"{above}; give that folder")
            above = os.path.dirname(above)
        parent = os.path.dirname(os.path.normpath(results_dir))
        beside = sorted(os.path.join(parent, name) for name in os.listdir(parent or ".")
                        if os.path.isdir(os.path.join(parent, name, "runs"))) \
            if os.path.isdir(parent or ".") else []
        if not beside:
            hint = ", such as results/bottleneck"
        else:
            # Names are compared, not paths: `nope` is not close to `p1` for their common parent.
            names = [os.path.basename(path) for path in beside]
            close = difflib.get_close_matches(os.path.basename(os.path.normpath(results_dir)),
                                              names, n=1)
            hint = (f" (did you mean '{beside[names.index(close[0])]}'? " if close else " (") + \
                "known: " + ", ".join(beside) + ")"
        what = ("a file, not a folder" if os.path.isfile(results_dir) else
                "no runs/ folder" if os.path.exists(results_dir) else "no such folder")
        raise ResultsError(f"{results_dir}: {what}; give the folder run_sweep wrote" + hint)
    files = sorted(f for f in os.listdir(runs) if f.endswith(".h5"))
    if not files:
        raise ResultsError(f"{runs}: no run files yet")
    return [os.path.join(runs, f) for f in files]


def _open(path):
    try:
        return h5py.File(path, "r")
    except OSError as e:
        raise ResultsError(f"{path}: not a readable HDF5 file ({DAMAGED})") from e


def _recorded(path, attrs, config):
    """What the file records about the run; it wins over config keys (device: auto)."""
    return {
        "run_id": _text(attrs.get("run_id", os.path.basename(path)[:-3])),
        "path": path,
        "status": _text(attrs["status"]),
        "error": _text(attrs.get("error", "")),
        "family": family(config),
        "seed": int(attrs.get("seed", config.get("seed", 0))),
        "wall_seconds": float(attrs.get("wall_seconds", math.nan)),
        "device": _text(attrs.get("device", "")),
        "threads": int(attrs.get("threads", 1)),
        "torch_version": _text(attrs.get("torch_version", "")),
        "blas": _text(attrs.get("blas", "")),
        "git_commit": _text(attrs.get("git_commit", "")),
        "host": _text(attrs.get("host", "")),
        "data_hash": _text(attrs.get("data_hash", "")),
        "written_at": _text(attrs.get("written_at", "")),
        "overrides": _text(attrs.get("overrides", "")),
    }


# What a run id leaves out (framework/config/run_id.cpp): a key that cannot change a result, a
# default that earlier runs did not record; and it takes a run named by its file as its id.
_LEFT_OUT = {"name", "trainer.keep_checkpoint"}  # name: the sweep's, not the run's
_DEFAULTS_LEFT_OUT = {"trainer.precision": "fp32", "data.test_subset": None}
_RUN_REFERENCES = ("transfer.from", "trainer.init_from")


def _same_run(flat_config):
    """What makes two runs the same run, as make_table counts them: their config as its run id
    hashes it, but for the sweep's name (part of the run id), so one config run in two folders
    under two names counts once."""
    kept = []
    for key, value in flat_config.items():
        if key in _LEFT_OUT or (key in _DEFAULTS_LEFT_OUT and value == _DEFAULTS_LEFT_OUT[key]):
            continue
        if key in _RUN_REFERENCES and isinstance(value, str) and value.endswith(".h5"):
            stem = os.path.basename(value)[:-3]
            if re.fullmatch(r"[0-9a-f]{12}", stem):
                value = stem
        kept.append((key, repr(value)))
    return repr(sorted(kept))


def _summary_row(path):
    with _open(path) as f:
        attrs = f.attrs
        if "config_yaml" not in attrs or "status" not in attrs:
            raise ResultsError(f"{path}: a config_yaml or status attribute is missing ({DAMAGED})")
        try:
            config = read_config(_text(attrs["config_yaml"]))
        except yaml.YAMLError as e:
            where = f":{e.problem_mark.line + 1}" if getattr(e, "problem_mark", None) else ""
            raise ResultsError(f"{path} (config_yaml){where}: invalid YAML: "
                               f"{getattr(e, 'problem', None) or e} ({DAMAGED})")
        if not isinstance(config, dict):
            raise ResultsError(f"{path} (config_yaml): not a config mapping ({DAMAGED})")
        row = {key: (tuple(value) if isinstance(value, list) else value)
               for key, value in flatten(config).items()}
        same_run = _same_run(row)
        try:
            row.update(_recorded(path, attrs, config), _same_run=same_run)
        except (TypeError, ValueError) as e:
            raise ResultsError(f"{path}: an attribute of the run is unreadable ({e}; {DAMAGED})")
        if "choices" in f:  # the option of each config group: model -> mlp_ae
            for group, value in f["choices"].items():
                # Where the run has the group's section (PCA has no encoder); the launcher is
                # the sweep's, in no job's config.
                if group in config or group == "launcher":
                    row[group] = _text(value[()])
        if "model/input_shape" in f:  # one sample's shape: [C, H, W] for images, [2] for points
            row["input_shape"] = tuple(int(d) for d in f["model/input_shape"][()])
        if "metrics" in f:
            row.update(_scalars(f["metrics"], ""))
        if "baseline" in f:
            for name, group in f["baseline"].items():
                row.update(_scalars(group, f"baseline/{name}/"))
        # As run_sweep: a file whose index of histories or images is damaged is no whole run.
        for name in ("history", "images", "arrays"):
            if name in f:
                for member in f[name].values():
                    if isinstance(member, h5py.Group):
                        list(member.keys())
        return row


class DamagedRunError(ResultsError):
    """A run file whose full record (histories, images) cannot be read."""


class DamagedRunWarning(UserWarning):
    """A run file that cannot be read, left out of what `load` returns."""


class RepeatedRunWarning(UserWarning):
    """Runs of one folder that an earlier folder given to `load`, or another file of the same
    folder, also holds (the same config and seed, whatever the sweep's name), counted once."""


def repeated_runs_note(folder, earlier, count):
    """What `load` says of `count` runs of `folder` already read from `earlier`, as make_table
    says it."""
    if earlier == folder:
        return (f"{folder}: {count} run file(s) hold the config and seed of another file there "
                "(a copy?), counted once")
    return (f"{count} run(s) of {folder} are also in {earlier} (the same config and seed, "
            "whatever the sweep's name), counted once")


def load(results_dir, where=()):
    """One row per run file: run_id, path (the run file), results_dir, status, error, family,
    seed, wall_seconds, device, threads, torch_version, blas, git_commit, host, data_hash,
    written_at, overrides; input_shape,
    the shape of one sample the model took ((1, 28, 28)), where the run kept its model; each
    config group's choice (`model`: mlp_ae); every config key flattened (`model.latent_dim`);
    every final metric (`test/sse`) and baseline metric (`baseline/pca/test/sse`). A null config
    value is None, a key a run lacks NaN; an int key some runs lack is an object column of ints
    and NaN (pd.to_numeric for arithmetic). `where`:
    `key=value` filters (a list, or one string), as plot_results --where. A run file that cannot
    be read is left out with a DamagedRunWarning (`warnings.simplefilter("error",
    DamagedRunWarning)` makes it an error).
    `results_dir` may be a list of folders, as make_table takes: a folder given twice is read
    once, and a run in several counted once (with a RepeatedRunWarning)."""
    folders = [os.fspath(results_dir)] if isinstance(results_dir, (str, os.PathLike)) else \
        [os.fspath(folder) for folder in results_dir]
    if not folders:
        raise ResultsError("no results folder given")
    rows, damaged, seen_folders, folder_of = [], [], set(), {}
    for folder in folders:
        if os.path.realpath(folder) in seen_folders:
            continue
        seen_folders.add(os.path.realpath(folder))
        again_in = {}  # earlier folder -> runs of this one read there already
        for path in run_files(folder):
            try:
                row = _summary_row(path)
            except ResultsError as e:
                damaged.append(str(e))
                continue
            except (OSError, KeyError, RuntimeError) as e:  # h5py: an object that cannot be read
                damaged.append(f"{path}: {e} ({DAMAGED})")
                continue
            same_run = row.pop("_same_run")
            earlier = folder_of.get(same_run)
            if earlier is None:
                folder_of[same_run] = folder
                rows.append(dict(row, results_dir=folder))
            else:
                again_in[earlier] = again_in.get(earlier, 0) + 1
        for earlier, count in again_in.items():
            warnings.warn(repeated_runs_note(folder, earlier, count), RepeatedRunWarning,
                          stacklevel=2)
    if not rows and damaged:
        where = os.path.join(folders[0], "runs") if len(folders) == 1 else " and ".join(folders)
        raise ResultsError(f"{where}: no readable run file; "
                           f"{len(damaged)} damaged, such as {damaged[0]}")
    for problem in damaged:
        warnings.warn(f"left out: {problem}", DamagedRunWarning, stacklevel=2)
    df = pd.DataFrame(rows)
    # The run's attributes and config keys first, then its metrics (`test/sse`): a key only some
    # runs have (a MoG prior's `prior.components`) would otherwise come after the metrics.
    df = df[[c for c in df.columns if "/" not in c] + [c for c in df.columns if "/" in c]]
    # A config value null stays None (pandas would make it NaN, which means "no such key").
    # So does an int of a key some runs lack (pandas would make it a float: normal=0.0).
    kept = {k for row in rows for k, v in row.items() if v is None}
    kept |= {k for k in df.columns if df[k].dtype == float and df[k].isna().any() and
             all(isinstance(row[k], int) and not isinstance(row[k], bool)
                 for row in rows if k in row)}
    for column in kept:
        df[column] = pd.Series([row.get(column, math.nan) for row in rows], dtype=object,
                               index=df.index)
    return select(df, where)


def absent(value):
    """True where a run has no such key (NaN), as opposed to a key whose value is null (None)."""
    return isinstance(value, float) and math.isnan(value)


def _matches(value, wanted):
    if absent(value):
        return False
    if value is None:
        return wanted in ("null", "None", "all")
    if isinstance(value, bool):
        return wanted.lower() == str(value).lower()
    if isinstance(value, (tuple, list)):  # [512,256] as an override writes it
        return wanted.replace(" ", "") == "[" + ",".join(str(v) for v in value) + "]"
    if isinstance(value, (int, float, np.integer, np.floating)):
        try:
            return float(wanted) == float(value)
        except ValueError:
            return False
    return str(value) == wanted


def alternatives(wanted):
    """The values of a `--where` filter: `mlp,pca` is either, as in a Hydra sweep; commas inside
    brackets belong to a list value (`encoder.hidden=[512,256]`)."""
    values, depth = [""], 0
    for c in wanted:
        depth += c in "[{"
        depth -= c in "]}" and depth > 0
        if c == "," and depth == 0:
            values.append("")
        else:
            values[-1] += c
    return values


def select(df, where, option="where="):
    """Rows whose columns equal each `key=value` of `where`, a list of them or one (numbers
    compare as numbers); `key=a,b` takes either value. Errors name each filter as `option`
    then the filter: `where='x=1'` in Python, `--where x=1` for the command-line tools."""
    if isinstance(where, str):  # one filter, not a list of one-letter ones
        where = [where]
    for item in where:
        named = f"{option}'{item}'" if option.endswith("=") else f"{option} {item}"
        key, sep, wanted = item.partition("=")
        if not sep or not key:
            raise ResultsError(f"{named}: expected key=value, such as model.latent_dim=16")
        if key not in df.columns:
            close = closest_match(key, df.columns)
            hint = f"did you mean {close}? " if close else ""
            raise ResultsError(f"{named}: no run has '{key}' ({hint}config keys such as "
                               "model.latent_dim, group choices such as model, or family)")
        keep = [False] * len(df)
        # A value with a comma that some run has is that value; otherwise each of a,b is one.
        as_written = any(_matches(v, wanted) for v in df[key])
        for value in [wanted] if as_written else alternatives(wanted):
            hits = [_matches(v, value) for v in df[key]]
            if not any(hits):
                values = sorted({str(v) for v in df[key] if not absent(v)})
                close = difflib.get_close_matches(value, values, n=1)
                hint = f"did you mean {key}={close[0]}? " if close else ""
                raise ResultsError(f"{named}: no run has {key}={value} ({hint}values: "
                                   f"{', '.join(values)})")
            keep = [k or h for k, h in zip(keep, hits)]
        df = df[keep]
    return df


@dataclass
class Run:
    """Everything one run file holds except the weights."""
    run_id: str
    status: str
    config: dict
    history: dict = field(default_factory=dict)  # split -> metric -> np.array per epoch
    metrics: dict = field(default_factory=dict)  # split -> metric -> float
    baselines: dict = field(default_factory=dict)  # name -> split -> metric -> float
    images: dict = field(default_factory=dict)  # name -> uint8 array [N, C, H, W] or grid
    arrays: dict = field(default_factory=dict)  # name -> float64 array
    notes: dict = field(default_factory=dict)  # name -> str
    choices: dict = field(default_factory=dict)  # group -> option
    recorded: dict = field(default_factory=dict)  # the provenance columns of `load`: seed, ...

    @property
    def family(self):
        return family(self.config)

    def __repr__(self):
        """One screen in a REPL: what the run holds, by name, not its arrays' values."""
        def names(d):
            return ", ".join(f"{k} {getattr(v, 'shape', '')}".rstrip() for k, v in d.items())
        test = self.metrics.get("test", {})
        return (f"Run({self.run_id}, {self.status}, {self.family}; test: "
                + ", ".join(f"{k}={v:.6g}" for k, v in list(test.items())[:6])
                + (" ..." if len(test) > 6 else "")
                + f"; history: {', '.join(self.history)}; images: {names(self.images)}; "
                f"arrays: {names(self.arrays)})")


def _nested(group, read):
    return {k: (_nested(v, read) if isinstance(v, h5py.Group) else read(v)) for k, v in
            group.items()}


def read_run(results_dir, run_id=None):
    """One run of a results folder by its id, or of a run file: `read_run(folder, id)`,
    `read_run(folder, path)` or `read_run(path)` (a path ends in .h5)."""
    if run_id is None:
        run_id = os.fspath(results_dir)
        if not run_id.endswith(".h5"):
            raise ResultsError(f"{run_id}: give a run file (RESULTS/runs/ID.h5), or the results "
                               "folder and a run id: read_run(folder, run_id)")
    run_id = os.fspath(run_id)
    path = run_id if run_id.endswith(".h5") else os.path.join(results_dir, "runs", run_id + ".h5")
    if not os.path.exists(path):
        known = sorted(name[:-3] for name in os.listdir(os.path.dirname(path) or ".")
                       if name.endswith(".h5")) if os.path.isdir(os.path.dirname(path) or ".") \
            else []
        near = difflib.get_close_matches(os.path.basename(path)[:-3], known, n=1)
        hint = (f" (did you mean {near[0]}?)" if near else
                f" (its folder holds {len(known)} run(s): {', '.join(known[:4])}"
                f"{', ...' if len(known) > 4 else ''})" if known else "")
        raise ResultsError(f"{path}: no such run file{hint}")
    try:
        return _read_whole_run(path, run_id)
    except (OSError, KeyError, RuntimeError, ValueError, TypeError, yaml.YAMLError) as e:
        # h5py on a damaged object (a B-tree that is not one), a value of the wrong type
        raise DamagedRunError(f"{path}: {e} ({DAMAGED})") from e


def _read_whole_run(path, run_id):
    with _open(path) as f:
        config = read_config(_text(f.attrs["config_yaml"]))
        run = Run(run_id=_text(f.attrs.get("run_id", run_id)), status=_text(f.attrs["status"]),
                  config=config, recorded=_recorded(path, f.attrs, config))
        if "history" in f:
            run.history = _nested(f["history"], lambda d: np.asarray(d[()], dtype=float))
        if "metrics" in f:
            run.metrics = _nested(f["metrics"], lambda d: float(d[()]))
        if "baseline" in f:
            run.baselines = _nested(f["baseline"], lambda d: float(d[()]))
        for name in ("images", "arrays"):
            if name in f:
                setattr(run, name, {k: v[()] for k, v in f[name].items()})
        for name in ("notes", "choices"):
            if name in f:
                setattr(run, name, {k: _text(v[()]) for k, v in f[name].items()})
        return run
