"""Flatten per-person part maps into one semantic map (and a person map)."""
from typing import Tuple

import numpy as np


def paint_instances(parsings,
                    scores,
                    shape: Tuple[int, int],
                    score_thr: float = 0.001) -> Tuple[np.ndarray, np.ndarray]:
    """Paint person part maps in ascending score order.

    Only the foreground pixels of a person are painted, so where persons
    overlap the highest-scoring one wins (on equal scores, the one listed
    first, which also gets the smaller id).
    Persons scoring below ``score_thr`` are not painted.

    Args:
        parsings (array-like): (N, H, W) part labels, 0 = background.
        scores (array-like): (N,) scores.
        shape (tuple[int, int]): (H, W) of the output, used when N = 0.
        score_thr (float): minimum score of a painted person.

    Returns:
        tuple: ``semantic`` (H, W) uint8 part labels and ``person`` (H, W)
        int32 person ids, 0 = nobody, k = the k-th highest-scoring painted
        person (1-based).
    """
    parsings = np.asarray(parsings)
    scores = np.asarray(scores, np.float64).reshape(-1)
    if parsings.size == 0:
        parsings = np.zeros((0, ) + tuple(shape), np.uint8)
    if parsings.ndim != 3 or parsings.shape[0] != scores.shape[0]:
        raise ValueError(f'parsings {parsings.shape} and scores '
                         f'{scores.shape} do not describe the same persons')
    if parsings.shape[0] and parsings.shape[1:] != tuple(shape):
        raise ValueError(f'parsings have size {parsings.shape[1:]}, '
                         f'expected {tuple(shape)}')
    semantic = np.zeros(shape, np.uint8)
    person = np.zeros(shape, np.int32)
    kept = np.flatnonzero(scores >= score_thr)
    # descending rank by score (stable), 1-based
    desc = kept[np.argsort(-scores[kept], kind='stable')]
    rank = np.empty(scores.shape[0], np.int32)
    rank[desc] = np.arange(1, desc.shape[0] + 1)
    for n in desc[::-1]:
        fg = parsings[n] != 0
        semantic[fg] = parsings[n][fg]
        person[fg] = rank[n]
    return semantic, person
