"""Figure kinds of plot_results. Each kind is one module of this folder that registers itself
with @plot_kind; adding a kind needs no edit anywhere else."""
import importlib
import pkgutil

KINDS = {}
# The kinds that draw test metrics (AUROC, SSE, a confusion matrix): where runs measured them on
# only the first test images (data.test_subset), their figure says so under it.
OF_TEST_METRICS = set()


class NothingToDraw(Exception):
    """The results hold nothing this kind can draw; the message says why."""


def plot_kind(name, description, test_metrics=False):
    """Registers `draw(context) -> matplotlib Figure` as the kind `name`; `test_metrics`: it
    draws metrics of the test set."""
    def register(draw):
        KINDS[name] = (draw, description)
        if test_metrics:
            OF_TEST_METRICS.add(name)
        return draw
    return register


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
