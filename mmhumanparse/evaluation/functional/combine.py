"""Deprecated alias of :func:`mmhumanparse.structures.paint.paint_persons`.

Kept only for ``apis/inference.py`` (``_add_semantic_map``), which is being
removed; delete this module with it.
"""
from typing import Tuple

import numpy as np

from mmhumanparse.structures.paint import paint_persons


def paint_instances(parsings,
                    scores,
                    shape: Tuple[int, int],
                    score_thr: float = 0.001) -> Tuple[np.ndarray, np.ndarray]:
    """``paint_persons`` on numpy inputs; ``shape`` (H, W) sizes the maps
    when there is no person."""
    parsings = np.asarray(parsings)
    if parsings.size == 0:
        parsings = np.zeros((0, ) + tuple(shape), np.uint8)
    return paint_persons(parsings, np.asarray(scores, np.float64),
                         score_thr)
