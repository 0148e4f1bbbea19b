"""Side-by-side panels with column titles and a legend of the parts shown
(``tools/demo.py`` writes image | prediction | ground truth with them)."""
from typing import Sequence, Tuple

import cv2
import numpy as np

from .palette import colorize, palette_lut

FONT = cv2.FONT_HERSHEY_SIMPLEX
BLACK = (0, 0, 0)


def _text_row(width: int, height: int) -> np.ndarray:
    return np.full((height, width, 3), 255, np.uint8)


def title_strip(titles: Sequence[str], widths: Sequence[int],
                height: int = 22, scale: float = 0.45) -> np.ndarray:
    """(height, sum(widths), 3) BGR white strip, each title centred over
    its column, in black."""
    strip = _text_row(int(sum(widths)), height)
    x0 = 0
    for title, w in zip(titles, widths):
        (tw, th), base = cv2.getTextSize(title, FONT, scale, 1)
        org = (x0 + max((w - tw) // 2, 2), (height + th) // 2)
        cv2.putText(strip, title, org, FONT, scale, BLACK, 1, cv2.LINE_AA)
        x0 += w
    return strip


def legend(labels: Sequence[int], classes: Sequence[str], palette,
           width: int, row: int = 18, scale: float = 0.4) -> np.ndarray:
    """(rows * row, width, 3) BGR legend: one swatch in the label's palette
    colour and the class name per label, in as many columns as fit.

    Args:
        labels (list[int]): the labels to list (e.g. the parts present).
        classes (list[str]): class names, index = label.
        palette (list): RGB triples, index = label.
        width (int): legend width in pixels.
    """
    lut = palette_lut(palette)[:, ::-1]  # BGR
    names = [str(classes[i]) for i in labels]
    cell = max([cv2.getTextSize(n, FONT, scale, 1)[0][0] for n in names] +
               [0]) + row + 12
    per_row = max(1, width // cell)
    rows = -(-len(labels) // per_row)
    out = _text_row(width, max(rows, 1) * row)
    for i, (label, name) in enumerate(zip(labels, names)):
        x, y = (i % per_row) * cell + 4, (i // per_row) * row
        color = tuple(int(c) for c in lut[label])
        cv2.rectangle(out, (x, y + 3), (x + row - 6, y + row - 3), color, -1)
        cv2.rectangle(out, (x, y + 3), (x + row - 6, y + row - 3), BLACK, 1)
        cv2.putText(out, name, (x + row, y + row - 5), FONT, scale, BLACK, 1,
                    cv2.LINE_AA)
    return out


def labelled_panel(image: np.ndarray,
                   label_maps: Sequence[np.ndarray],
                   titles: Sequence[str],
                   classes: Sequence[str],
                   palette,
                   min_height: int = 192) -> Tuple[np.ndarray, list]:
    """Image | coloured label maps, with column titles and a legend.

    Args:
        image (np.ndarray): (H, W, 3) BGR.
        label_maps (list[np.ndarray]): (H, W) label maps (the prediction,
            the ground truth...), coloured with the palette; labels past
            the palette (255 ignore) are black and not in the legend.
        titles (list[str]): one per column, the image's first.
        classes (list[str]), palette (list): the dataset's.
        min_height (int): small images are enlarged (nearest) to this
            height so that the titles fit.

    Returns:
        tuple: the (H', W', 3) BGR panel and the labels in its legend
        (sorted, those present in any map and in the palette).
    """
    if len(titles) != len(label_maps) + 1:
        raise ValueError(f'{len(titles)} titles for {len(label_maps) + 1} '
                         'columns')
    columns = [image] + [colorize(m, palette) for m in label_maps]
    h, w = image.shape[:2]
    k = max(1, -(-min_height // h))
    columns = [
        cv2.resize(c, (w * k, h * k), interpolation=cv2.INTER_NEAREST)
        for c in columns
    ]
    present = sorted({
        int(v)
        for m in label_maps for v in np.unique(m) if 0 <= v < len(palette)
    })
    row = np.concatenate(columns, axis=1)
    parts = [title_strip(titles, [c.shape[1] for c in columns]), row,
             legend(present, classes, palette, row.shape[1])]
    return np.concatenate(parts, axis=0), present
