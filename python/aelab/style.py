"""How aelab's figures look: paper column sizes, readable fonts, a colour-blind-safe palette
(Okabe and Ito), and the same colour for the same model family in every figure of a folder."""
import matplotlib
import matplotlib.pyplot as plt

ONE_COLUMN = 3.4   # inches: one column of a two-column paper
TWO_COLUMN = 7.0   # inches: the full text width
PANEL_HEIGHT = 2.4

# Okabe and Ito (2008), the palette that stays distinct under every kind of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#999999"]
# Fixed colours of the families aelab knows, so a family keeps its colour in every figure.
FAMILY_COLOURS = {"pca": "#000000", "linear": "#E69F00", "mlp": "#0072B2", "conv": "#009E73",
                  "vae": "#D55E00", "segmenter": "#CC79A7"}
PCA_STYLE = {"color": "#000000", "linestyle": "--"}

RC = {
    "font.size": 8, "axes.titlesize": 8, "axes.labelsize": 8, "legend.fontsize": 7,
    "xtick.labelsize": 7, "ytick.labelsize": 7, "lines.linewidth": 1.3, "lines.markersize": 3.5,
    "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
    "figure.dpi": 100, "savefig.dpi": 200, "savefig.bbox": "tight", "savefig.pad_inches": 0.03,
    "pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none", "image.interpolation": "nearest",
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
}


def apply():
    """aelab's look, set when it draws (not when a notebook imports the module)."""
    plt.rcParams.update(RC)


class Colours:
    """family -> colour: the fixed ones, then the palette in the sorted order of the folder's
    other families (so every figure of one folder agrees)."""

    def __init__(self, families):
        self._map = dict(FAMILY_COLOURS)
        spare = [c for c in PALETTE if c not in self._map.values()] + PALETTE
        for i, name in enumerate(sorted(f for f in set(families) if f not in self._map)):
            self._map[name] = spare[i % len(spare)]

    def __call__(self, family):
        return self._map.get(family.split(" ")[0], "#444444")


def figure(panels, columns=None, width=None, panel_height=PANEL_HEIGHT, **kwargs):
    """A figure of `panels` axes in a grid, one column wide for a single panel, else two."""
    apply()
    columns = columns or min(panels, 3)
    rows = (panels + columns - 1) // columns
    width = width or (ONE_COLUMN if panels == 1 else TWO_COLUMN)
    fig, axes = plt.subplots(rows, columns, figsize=(width, panel_height * rows),
                             squeeze=False, constrained_layout=True, **kwargs)
    flat = list(axes.flat)
    for extra in flat[panels:]:
        extra.set_visible(False)
    return fig, flat[:panels]


def epoch_axis(ax, epochs):
    """An x axis of whole epochs 1..`epochs`, with room beside a run of one epoch."""
    from matplotlib.ticker import MaxNLocator
    ax.set_xlabel("epoch")
    ax.set_xlim(0.5, epochs + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def line_marker(points):
    """A marker on each point of a short curve, so that one of a single epoch is still seen."""
    return {"marker": "o", "markersize": 3} if points <= 20 else {}



def panel_title(ax, label):
    """The panel's title, on two lines (broken at the space nearest its middle) where one would
    run into the next panel's: `conv normal=0 (T-shirt/top) seed=0` over a third of a page."""
    fig = ax.figure
    inches = ax.get_position().width * fig.get_figwidth()
    # An 8-point character is about 0.55 of 8 points wide; 72 points to the inch.
    fits = int(inches * 72 / (RC["axes.titlesize"] * 0.55))
    if len(label) > fits and " " in label:
        spaces = [i for i, c in enumerate(label) if c == " "]
        cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
        label = label[:cut] + "\n" + label[cut + 1:]
    ax.set_title(label)


def footnote(fig, text):
    """A small grey line under the figure, left-aligned (the saved figure's tight box takes it)."""
    fig.text(0, 0, text, ha="left", va="top", fontsize=6, color="#555555")
