"""Read label PNGs: the one reader of the loaders and the converters.

numpy + Pillow only (no torch, no OpenMMLab import), so the dataset
converters run on a data machine without the training stack.
"""
import os.path as osp
from typing import Optional, Tuple

import numpy as np
from PIL import Image


def read_label_png(path: str, channel: Optional[int] = 0) -> np.ndarray:
    """Read a label PNG with Pillow (palette indices kept, never grey/BGR).

    MHP-v2 annotations are 3-channel PNGs whose channel 0 as Pillow reads it
    (R) holds the labels: they must never be converted to grayscale, and
    OpenCV (BGR order) would return the wrong channel.

    Args:
        path (str): PNG file.
        channel (int, optional): channel taken from a multi-channel PNG.
            None: the PNG must be single-channel (a multi-channel file
            raises ``ValueError``).

    Returns:
        np.ndarray: (H, W) uint8 label map.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the file is not a readable image, has an unexpected
            number of dimensions, more channels than allowed, or values that
            do not fit uint8.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation file not found: {path}')
    try:
        with Image.open(path) as img:
            arr = np.array(img)
    except OSError as e:
        raise ValueError(f'cannot read annotation {path}: {e}') from e
    if arr.ndim == 3:
        if channel is None:
            raise ValueError(f'annotation {path} has {arr.shape[2]} channels,'
                             ' expected a single-channel label PNG')
        arr = arr[..., channel]
    elif arr.ndim != 2:
        raise ValueError(f'annotation {path} has unexpected shape '
                         f'{arr.shape}')
    if arr.dtype != np.uint8:
        if arr.size and (arr.min() < 0 or arr.max() > 255):
            raise ValueError(f'annotation {path} holds values outside 0..255 '
                             f'(dtype {arr.dtype}); labels must fit uint8')
        arr = arr.astype(np.uint8)
    return np.ascontiguousarray(arr)


def image_size(path: str) -> Tuple[int, int]:
    """(height, width) of an image, reading only its header.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: Pillow cannot read it.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'image not found: {path}')
    try:
        with Image.open(path) as img:
            w, h = img.size
    except OSError as e:
        raise ValueError(f'cannot read image {path}: {e}') from e
    return h, w
