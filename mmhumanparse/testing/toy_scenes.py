"""Toy data, part 5: scenes (one person, or 2-4 overlapping persons) and
:func:`synthetic_person`, the one synthetic-person generator shared by the
toy datasets, the benchmarks and the tests (see
:mod:`mmhumanparse.testing.toy_data`)."""
from typing import Optional, Sequence, Tuple

import numpy as np

from .toy_outfits import OutfitSampler
from .toy_paint import paint_person
from .toy_skeleton import sample_skeleton, skeleton_keypoints


def single_scene(rng, sampler, size):
    """One person filling most of the frame.

    Returns:
        tuple: labels (H, W) uint8, keypoints (16, 2) float64 (x, y).
    """
    h, w = size
    hp = h * rng.uniform(0.8, 0.93)
    top = rng.uniform(0.01, 0.99 - hp / h) * h
    cx = w / 2 + rng.uniform(-0.06, 0.06) * w
    sk = sample_skeleton(rng, hp, (cx, top + 0.5 * hp))
    labels = np.zeros((h, w), np.uint8)
    paint_person(labels, sk, sampler.sample())
    return labels, skeleton_keypoints(sk)


def multi_scene(rng, sampler, size, min_visible=0.2):
    """2-4 overlapping persons.

    Returns:
        tuple: per-person full maps (list of (H, W) uint8, back to front),
        composite labels (H, W) uint8, composite person ids (H, W) uint8
        (1..N in the order of the list).
    """
    h, w = size
    n = int(rng.integers(2, 5))
    maps = []
    for i in range(n):
        hp = h * rng.uniform(0.5, 0.85)
        top = rng.uniform(0.01, 0.99 - hp / h) * h
        cx = w * (i + 0.5) / n + rng.uniform(-0.1, 0.1) * w
        sk = sample_skeleton(rng, hp, (cx, top + 0.5 * hp))
        lab = np.zeros((h, w), np.uint8)
        paint_person(lab, sk, sampler.sample())
        maps.append(lab)
    order = rng.permutation(n)  # depth order, back to front
    maps = [maps[i] for i in order]
    while True:
        comp = np.zeros((h, w), np.uint8)
        pid = np.zeros((h, w), np.uint8)
        for k, lab in enumerate(maps):
            m = lab > 0
            comp[m] = lab[m]
            pid[m] = k + 1
        vis = np.bincount(pid.ravel(), minlength=len(maps) + 1)[1:]
        own = np.array([np.count_nonzero(m) for m in maps])
        bad = np.flatnonzero(vis < min_visible * np.maximum(own, 1))
        if len(bad) == 0 or len(maps) == 1:
            return maps, comp, pid
        del maps[int(bad[0])]  # too occluded / outside: drop it


def synthetic_person(
        size: Sequence[int] = (128, 96),
        dataset: str = 'lip',
        rng: Optional[np.random.Generator] = None,
        sampler: Optional[OutfitSampler] = None
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One synthetic person filling the frame, as in the toy datasets.

    Args:
        size (tuple[int, int]): map size (H, W).
        dataset (str): label set: ``'lip'``, ``'atr'``, ``'ppp'``, ``'cihp'``
            or ``'mhp'``.
        rng (np.random.Generator, optional): random stream; seed 0 if None.
        sampler (OutfitSampler, optional): outfit sampler to draw from (pass
            the same one for several persons so that every class shows up
            within a few); a new one on ``rng`` if None.

    Returns:
        tuple: ``labels`` (H, W) uint8 part map, ``keypoints`` (16, 2)
        float32 MPII joints (x, y) in ``LIP_KEYPOINTS`` order, ``visible``
        (16,) float32 (1 where the joint lies inside the map).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    sampler = OutfitSampler(dataset, rng) if sampler is None else sampler
    h, w = int(size[0]), int(size[1])
    labels, kpts = single_scene(rng, sampler, (h, w))
    inside = ((kpts[:, 0] >= 0) & (kpts[:, 0] <= w - 1) & (kpts[:, 1] >= 0)
              & (kpts[:, 1] <= h - 1))
    return labels, kpts.astype(np.float32), inside.astype(np.float32)
