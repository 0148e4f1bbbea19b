"""Reader of the LIP pose csv (``lip_{train,val}_set.csv``)."""
import os.path as osp
from typing import Dict, Tuple

import numpy as np


def load_lip_pose_csv(path: str,
                      num_keypoints: int = 16
                      ) -> Dict[str, Tuple[np.ndarray, np.ndarray]]:
    """Read LIP keypoints.

    Each row is ``ID.jpg`` then ``num_keypoints`` x (x, y, v), ``nan`` for a
    missing joint (MPII order).

    Args:
        path (str): the csv file.
        num_keypoints (int): K, 16 for LIP.

    Returns:
        dict: image id (file name without extension) ->
        ``(keypoints (K, 2) float32 [x, y] pixels, missing = 0,
        visible (K,) float32: 1 annotated, 0 missing)``.

    Raises:
        FileNotFoundError: the file is missing.
        ValueError: a row has the wrong field count or a non-numeric value
            (the message names the file and line).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'LIP pose csv not found: {path}')
    num_fields = 1 + 3 * num_keypoints
    out = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            fields = line.split(',')
            if len(fields) != num_fields:
                raise ValueError(
                    f'{path}:{lineno}: expected {num_fields} fields (name + '
                    f'{num_keypoints} x (x, y, v)), got {len(fields)}')
            try:
                vals = np.array([float(v) for v in fields[1:]],
                                dtype=np.float32).reshape(num_keypoints, 3)
            except ValueError as e:
                raise ValueError(f'{path}:{lineno}: {e}') from None
            present = ~np.isnan(vals[:, :2]).any(axis=1)
            kpts = np.where(present[:, None], vals[:, :2], 0).astype(
                np.float32)
            out[osp.splitext(fields[0])[0]] = (kpts,
                                               present.astype(np.float32))
    return out
