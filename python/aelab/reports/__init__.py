"""Reports of reproductions (make reproduce): each module here describes one published result,
how aelab's run differs from the paper's, and which numbers and figure to set side by side. It
registers itself with @reproduction; write_report.py turns one into Markdown."""
import importlib
import math
import pkgutil
from dataclasses import dataclass, field

from ..results import absent, read_run

REPORTS = {}


@dataclass
class Comparison:
    """One published number against aelab's."""
    quantity: str
    published: float = None  # None: the paper has no such number
    aelab: float = None
    lower_is_better: bool = None
    note: str = ""  # said where a number is missing, or after the gap: what it comes from
    versus: str = ""  # the published method, where it is not the one aelab ran
    percent: bool = True  # False for a difference (a gain), of which a percentage says nothing


@dataclass
class Report:
    title: str
    citation: str
    comparisons: list
    settings: list  # how aelab's setting differs from the paper's, one line each
    figure: tuple  # (plot kind, --where items, --metric or None)
    tables: list = field(default_factory=list)  # extra Markdown tables
    full_budget: str = "trainer.epochs=200"


def reproduction(name):
    """Registers `build(df) -> Report` for configs/reproduce/<name>.yaml."""
    def register(build):
        REPORTS[name] = build
        return build
    return register


def mean_of(df, column, **where):
    """The mean of `column` over the rows whose columns equal `where`; None when there are none."""
    rows = df
    for key, value in where.items():
        rows = rows[rows[key.replace("__", ".")] == value]
    values = rows[column].dropna() if column in rows else []
    return float(values.mean()) if len(values) else None



def setting(df, key):
    """The one value of a config key over the runs that have it (PCA's have no trainer), or
    `a/b` when OVERRIDES made them differ."""
    values = sorted({str(v) for v in df[key] if not absent(v)}) if key in df else []
    return "/".join(values) or "?"


def layers(df, section="encoder"):
    """The widths of `section`'s MLP as the runs have them: `784-512-256-8` for an encoder (a
    decoder's read the other way), `a/b` where OVERRIDES made them differ."""
    def widths(row):
        hidden = [int(w) for w in (row.get(f"{section}.hidden") or ())]
        chain = [math.prod(row["input_shape"]), *hidden, int(row["model.latent_dim"])]
        return "-".join(str(w) for w in (chain[::-1] if section == "decoder" else chain))
    rows = df[df[f"{section}.hidden"].notna()] if f"{section}.hidden" in df else df.iloc[0:0]
    return "/".join(sorted({widths(row) for _, row in rows.iterrows()})) or "?"


def training_images(df, full):
    """`full` (the reproduction's data, as text) where no run takes a subset; else what the runs
    took: `a subset of 4,000 images (data.subset)`."""
    given = df["data.subset"] if "data.subset" in df else []
    subsets = sorted({int(v) for v in given if v is not None and not absent(v)})
    if not subsets:
        return full
    return "a subset of " + "/".join(f"{n:,}" for n in subsets) + " images (data.subset)"


def count(df, key, noun):
    """`1 epoch`, `15 epochs` or `1/2 epochs`: the setting of `key` with its noun."""
    text = setting(df, key)
    return f"{text} {noun}" + ("" if text == "1" else "s")


def notes(df, name):
    """The note `name` (under /notes) of each run, in the order of `df`'s rows; "" where a run
    has none."""
    return [str(read_run(None, path).notes.get(name, "")) for path in df["path"]]


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
