"""Class names of the datasets aelab ships, for titles and ticks."""

FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot"]


def class_names(config, count):
    """The names of a run's first `count` classes: Fashion-MNIST's, else their indices."""
    if config.get("data", {}).get("name") == "fashion_mnist" and count <= len(FASHION):
        return FASHION[:count]
    return [str(i) for i in range(count)]


def normal_classes_title(config):
    """`normal: 0 T-shirt/top` for a one-class run."""
    normal = config.get("anomaly", {}).get("normal_classes")
    names = class_names(config, len(FASHION))
    indices = normal if isinstance(normal, list) else [normal]
    try:
        return "normal: " + ", ".join(f"{i} {names[i]}" if names[i] != str(i) else str(i)
                                      for i in indices)
    except (TypeError, IndexError):
        return f"normal: {normal}"
