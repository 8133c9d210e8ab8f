"""Figure kinds of plot_results. Each kind is one module of this folder that registers itself
with @plot_kind; adding a kind needs no edit anywhere else."""
import importlib
import pkgutil

KINDS = {}


class NothingToDraw(Exception):
    """The results hold nothing this kind can draw; the message says why."""


def plot_kind(name, description):
    """Registers `draw(context) -> matplotlib Figure` as the kind `name`."""
    def register(draw):
        KINDS[name] = (draw, description)
        return draw
    return register


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
