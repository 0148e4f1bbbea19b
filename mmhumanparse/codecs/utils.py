"""What the codecs share: ``decode`` of one sample through ``batch_decode``."""
from typing import Tuple

import numpy as np
import torch


def decode_as_batch(codec, array, dtype: type,
                    expected: str) -> Tuple[np.ndarray, ...]:
    """Run ``codec.batch_decode`` on one sample as a batch of one.

    Args:
        codec: a codec whose ``batch_decode`` takes an (N, ...) tensor and
            returns a tuple of (N, ...) tensors.
        array (array-like): one (C, H, W) sample.
        dtype (type): numpy dtype of the tensor handed to ``batch_decode``.
        expected (str): what the error says ``array`` must be, e.g.
            ``'heatmaps must be (K, h, w)'``.

    Returns:
        tuple[np.ndarray]: ``batch_decode``'s outputs, batch axis (1) kept.

    Raises:
        ValueError: ``array`` is not 3-d (the message names the codec's
            ``decode``, ``expected`` and the shape).
    """
    array = np.asarray(array)
    if array.ndim != 3:
        raise ValueError(f'{type(codec).__name__}.decode: {expected}, got '
                         f'shape {array.shape}')
    batch = torch.from_numpy(np.ascontiguousarray(array, dtype=dtype))[None]
    return tuple(out.numpy() for out in codec.batch_decode(batch))
