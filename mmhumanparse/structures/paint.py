"""The one painter of persons into a part map (RP R-CNN Fig. 4).

"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447), Sec. 3.5 and Fig. 4: the image's part map is the
global map (a) of the semantic branch with the persons' part maps (b)
painted on top (c). The same painting composes a dataset's global map from
its per-person annotations, and the MHP-v2 submission's person map.

The rules, for every user (detector, TTA, annotation loading, metric):

- persons scoring at least ``score_thr`` are painted, in ascending score
  order, so where persons overlap the best one wins; on equal scores the
  one listed first wins (and gets the smaller person id);
- a person paints only its part pixels: label > 0 and != 255. The ignore
  label 255 of a person's map (an unannotated pixel) is never painted, the
  map under it keeps its value.

numpy arrays and torch tensors are both accepted (the result has the type
of ``parsings``).
"""
from typing import Optional, Tuple, Union

import numpy as np
import torch
from torch import Tensor

ArrayLike = Union[np.ndarray, Tensor]

IGNORE_INDEX = 255


def _as_tensor(x) -> Tensor:
    if isinstance(x, Tensor):
        return x
    return torch.from_numpy(np.ascontiguousarray(x))


def paint_persons(parsings: ArrayLike,
                  scores: ArrayLike,
                  score_thr: float = 0.0,
                  base: Optional[ArrayLike] = None
                  ) -> Tuple[ArrayLike, ArrayLike]:
    """Paint persons' part maps into one map (module docstring's rules).

    Args:
        parsings (ndarray | Tensor): (N, H, W) part labels of N persons,
            0 = background, 255 = unknown.
        scores (ndarray | Tensor): (N, ) person scores.
        score_thr (float): persons scoring lower are not painted.
        base (ndarray | Tensor, optional): (H, W) map painted over (Fig. 4
            (a), the global part map); default all background.

    Returns:
        tuple: ``semantic`` (H, W) part labels (dtype of ``parsings``) and
        ``person`` (H, W) int32 person ids: 0 = no painted person, k = the
        k-th best painted person (1-based). numpy in, numpy out.
    """
    is_numpy = not isinstance(parsings, Tensor)
    maps = _as_tensor(parsings)
    scores = _as_tensor(scores).reshape(-1).to(maps.device)
    if maps.ndim != 3 or maps.shape[0] != scores.shape[0]:
        raise ValueError(
            f'paint_persons (structures/paint.py): parsings '
            f'{tuple(maps.shape)} and scores {tuple(scores.shape)} do not '
            'describe the same N persons as (N, H, W) and (N, )')
    if base is None:
        semantic = maps.new_zeros(maps.shape[1:])
    else:
        semantic = _as_tensor(base).to(maps.device, maps.dtype).clone()
        if semantic.shape != maps.shape[1:]:
            raise ValueError(
                f'paint_persons (structures/paint.py): base map '
                f'{tuple(semantic.shape)} and parsings '
                f'{tuple(maps.shape[1:])} differ in size')
    person = torch.zeros(maps.shape[1:], dtype=torch.int32,
                         device=maps.device)
    kept = torch.nonzero(scores >= score_thr).reshape(-1)
    # best first (stable: the first listed of equal scores ranks higher)
    best_first = kept[torch.argsort(-scores[kept].double(), stable=True)]
    for rank in range(best_first.numel(), 0, -1):  # worst painted first
        part = maps[best_first[rank - 1]]
        fg = (part > 0) & (part != IGNORE_INDEX)
        semantic[fg] = part[fg]
        person[fg] = rank
    if is_numpy:
        return semantic.numpy(), person.numpy()
    return semantic, person


def global_part_map(probs: Tensor, score_thr: float = 0.0) -> Tensor:
    """Global part map (Fig. 4 (a)) from the semantic branch.

    The argmax label where its probability is above ``score_thr``, else
    background (0). The official RP R-CNN evaluation keeps a label only
    where its probability is > 0.7; the paper text gives no threshold
    (``score_thr=0``: plain argmax).

    Args:
        probs (Tensor): (C, H, W) class probabilities.
        score_thr (float): minimum probability of a kept label.

    Returns:
        Tensor: (H, W) uint8 part labels.
    """
    if probs.ndim != 3:
        raise ValueError('global_part_map (structures/paint.py): expected '
                         f'(C, H, W) probabilities, got {tuple(probs.shape)}')
    top, labels = probs.max(0)
    return torch.where(top > score_thr, labels,
                       torch.zeros_like(labels)).to(torch.uint8)


__all__ = ['paint_persons', 'global_part_map']
