"""Image grids from uint8 arrays [N, C, H, W], shared by the image kinds."""
import numpy as np


def as_picture(image):
    """[C, H, W] -> [H, W] (grey) or [H, W, 3] (colour) for imshow."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[0] == 1:
        return image[0]
    if image.ndim == 3:
        return np.transpose(image[:3], (1, 2, 0))
    return image


def show(ax, image):
    picture = as_picture(image)
    ax.imshow(picture, cmap="gray" if picture.ndim == 2 else None, vmin=0, vmax=255)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def image_rows(rows, columns, row_labels, title=None):
    """A figure with one row of images per entry of `rows` (each [N, C, H, W]), labelled on the
    left, two columns wide."""
    import matplotlib.pyplot as plt
    from ..style import TWO_COLUMN, apply
    apply()
    cell = TWO_COLUMN / (columns + 1.6)
    fig, axes = plt.subplots(len(rows), columns, figsize=(TWO_COLUMN, cell * len(rows) + 0.3),
                             squeeze=False, gridspec_kw={"wspace": 0.04, "hspace": 0.08})
    for r, images in enumerate(rows):
        for c in range(columns):
            ax = axes[r][c]
            if c < len(images):
                show(ax, images[c])
            else:
                ax.set_visible(False)
        axes[r][0].set_ylabel(row_labels[r], rotation=0, ha="right", va="center", labelpad=4)
    if title:
        fig.suptitle(title, y=0.995)
    return fig


def tile(images, columns):
    """[N, C, H, W] -> one [C, H', W'] mosaic, `columns` images per row, 1-pixel gaps."""
    images = np.asarray(images)
    n, c, h, w = images.shape
    rows = (n + columns - 1) // columns
    out = np.full((c, rows * (h + 1) - 1, columns * (w + 1) - 1), 255, dtype=np.uint8)
    for i in range(n):
        r, k = divmod(i, columns)
        out[:, r * (h + 1):r * (h + 1) + h, k * (w + 1):k * (w + 1) + w] = images[i]
    return out
