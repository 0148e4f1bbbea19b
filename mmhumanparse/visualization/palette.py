"""Part palettes: colour label maps, write indexed PNGs."""
from typing import Sequence, Tuple

import numpy as np


def part_meta(dataset_meta: dict) -> Tuple[Sequence[str], list]:
    """The part classes and palette of a dataset meta.

    Multi-person (detector) datasets keep ``classes = ('person',)`` and put
    the parts in ``part_classes`` / ``part_palette``; single-person datasets
    use ``classes`` / ``palette``.

    Returns:
        tuple: ``(classes, palette)``, palette as RGB triples.
    """
    if 'part_classes' in dataset_meta:
        return (dataset_meta['part_classes'],
                list(dataset_meta.get('part_palette')))
    return dataset_meta['classes'], list(dataset_meta['palette'])


def palette_lut(palette: Sequence) -> np.ndarray:
    """(256, 3) uint8 RGB look-up table; labels past the palette are black.

    Raises:
        ValueError: more than 256 colours or a colour that is not RGB.
    """
    pal = np.asarray(palette, np.int64).reshape(-1, 3) if len(palette) else (
        np.zeros((0, 3), np.int64))
    if len(pal) > 256 or pal.min(initial=0) < 0 or pal.max(initial=0) > 255:
        raise ValueError('a palette is at most 256 RGB triples in [0, 255], '
                         f'got {len(pal)} colours')
    lut = np.zeros((256, 3), np.uint8)
    lut[:len(pal)] = pal
    return lut


def colorize(labels: np.ndarray, palette: Sequence) -> np.ndarray:
    """(H, W) labels -> (H, W, 3) **BGR** uint8 image in the palette.

    Labels outside 0..255 are not allowed; labels past the palette are
    black.
    """
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() > 255):
        raise ValueError('labels must lie in 0..255 to be coloured, got '
                         f'{labels.min()}..{labels.max()}')
    return palette_lut(palette)[labels.astype(np.uint8)][..., ::-1].copy()


def save_indexed_png(path: str, labels: np.ndarray, palette: Sequence) -> None:
    """Write labels as an 8-bit indexed ('P') PNG with the dataset palette.

    The pixel values are the labels (as LIP/CIHP ship their annotations);
    image viewers show the palette colours.

    Args:
        path (str): output file (.png).
        labels (np.ndarray): (H, W) integer labels in 0..255.
        palette (list): RGB triples, index = label.
    """
    from PIL import Image
    labels = np.asarray(labels)
    if labels.ndim != 2:
        raise ValueError(f'labels must be (H, W), got {labels.shape}')
    if labels.size and (labels.min() < 0 or labels.max() > 255):
        raise ValueError(f'{path}: labels must lie in 0..255 for an 8-bit '
                         f'PNG, got {labels.min()}..{labels.max()}')
    h, w = labels.shape
    img = Image.frombytes('P', (w, h),
                          np.ascontiguousarray(labels, np.uint8).tobytes())
    img.putpalette(palette_lut(palette).reshape(-1).tolist())
    img.save(path)
