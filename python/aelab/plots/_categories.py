"""A config key whose values name things rather than measure them (prior.name, noise.name, the
normal class of a one-class run): its values as places along an axis, in order, with readable
tick labels, and each series a little beside the others so that error bars do not cover one
another."""
import numbers

from ._classes import fashion_names
from ..plot_context import natural_order
from ..results import absent

# Keys whose values are numbers that name things: class labels, not quantities.
NAMING_KEYS = {"anomaly.normal_classes"}


def is_numeric(values):
    """Whether every value present is a number (not a truth value)."""
    present = [v for v in values if not absent(v)]
    return bool(present) and all(isinstance(v, numbers.Number) and not isinstance(v, bool)
                                 for v in present)


def names_things(key, values):
    """Whether `key`'s values are categories: text, lists, or numbers that label classes."""
    return key in NAMING_KEYS or not is_numeric(values)


def category(value):
    """A value as its category's text: `mog`, `1`, `[0,1]`."""
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(map(str, value)) + "]"
    return str(value)


def places(values):
    """category -> its place along the axis (0, 1, ...), in natural order."""
    ordered = sorted({category(v) for v in values if not absent(v)}, key=natural_order)
    return {name: i for i, name in enumerate(ordered)}


def tick_labels(key, places_of, data_name):
    """Each place's tick label: the value, with a Fashion-MNIST class's name below it."""
    labels = []
    for name in sorted(places_of, key=places_of.get):
        names = fashion_names(name.strip("[]").split(","), data_name) \
            if key in NAMING_KEYS else ""
        labels.append(name + ("\n" + names.strip(" ()") if names else ""))
    return labels


def dodge(index, count):
    """How far series `index` of `count` sits beside each place: side by side, within a third
    of the way to the next place."""
    width = min(0.12, 0.6 / max(count, 1))
    return (index - (count - 1) / 2) * width
