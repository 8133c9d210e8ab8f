"""Class names of the datasets aelab ships, for titles and ticks."""

FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot"]


def class_names(run, count):
    """The names of a run's first `count` classes: those its run file notes (a dataset's names,
    or the labels of its files where they are not 0..K-1), Fashion-MNIST's for older runs, else
    their indices."""
    noted = [name.strip() for name in run.notes.get("classes", "").split(",")]
    if len(noted) >= count and all(noted):
        return noted[:count]
    if run.config.get("data", {}).get("name") == "fashion_mnist" and count <= len(FASHION):
        return FASHION[:count]
    return [str(i) for i in range(count)]


def class_label(index, name):
    """A legend's entry for class `index`: `7 Sneaker`, or the name alone where it is a number
    (the class's label in the data's files)."""
    return name if name.lstrip("-").isdigit() else f"{index} {name}"


def fashion_names(labels, data_name):
    """` (T-shirt/top)`, ` (Trouser, Bag)`: the names of Fashion-MNIST class labels, in brackets
    after them; "" for other data, or a label that is no class of it."""
    if data_name != "fashion_mnist":
        return ""
    try:
        indices = [int(label) for label in labels]
    except (TypeError, ValueError):
        return ""
    if not all(0 <= index < len(FASHION) for index in indices):
        return ""
    return " (" + ", ".join(FASHION[index] for index in indices) + ")"


def normal_classes_title(run):
    """`normal=0 (T-shirt/top)` for a one-class run, as the other figures' labels name its normal
    class (its classes are labels of the data's files; Fashion-MNIST's are named)."""
    normal = run.config.get("anomaly", {}).get("normal_classes")
    labels = normal if isinstance(normal, list) else [normal]
    text = "normal=" + ("[" + ",".join(str(label) for label in labels) + "]"
                        if isinstance(normal, list) else str(normal))
    return text + fashion_names(labels, run.config.get("data", {}).get("name"))
