"""Edge F-measure at the optimal dataset / image scale (ODS/OIS): fast path.

The *fast preview* matcher of ``EdgeMetric(protocol='fast')``; the
reported protocol is BSDS (thinning + one-to-one matching), wrapped from
``pyEdgeEval`` in :mod:`.edge_bsds`. Here, for every threshold t an edge
map ``prob >= t`` is compared with the GT edges with a tolerance of
``max_dist`` times the image diagonal:

- a predicted edge pixel is correct when a GT edge pixel lies within the
  tolerance disk around it;
- a GT edge pixel is recalled when a predicted edge pixel lies within the
  tolerance disk around it.

BSDS instead thins the prediction and matches pixels one-to-one
(bipartite assignment); the disk rule skips both. A doubled prediction
(two parallel lines along one GT edge) is therefore not penalised, and
recall is an upper bound of the BSDS recall; precision is not always
one, since thinning can remove off-edge pixels of a thick prediction that
the disk rule counts as false. In exchange every threshold is scored from
two maps computed once per image (the GT dilated by the disk and the
prediction max-filtered by the disk), so all thresholds cost one
histogram each.
"""
import math
from typing import Dict, Sequence

import numpy as np


def default_thresholds(num: int = 99) -> np.ndarray:
    """BSDS thresholds: ``num`` values evenly spaced strictly inside (0, 1).

    Args:
        num (int): number of thresholds.

    Returns:
        np.ndarray: (num,) increasing float64.
    """
    return np.linspace(1.0 / (num + 1), 1.0 - 1.0 / (num + 1), num)


def disk_max_filter(x: np.ndarray, radius: float) -> np.ndarray:
    """Maximum over a disk (Euclidean distance <= radius) around each pixel.

    Pixels outside the image count as 0, so ``x`` must be >= 0.

    Args:
        x (np.ndarray): (H, W) non-negative values (bool allowed).
        radius (float): disk radius in pixels.

    Returns:
        np.ndarray: (H, W) same dtype as ``x``.
    """
    r = int(math.floor(radius))
    if r <= 0:
        return x.copy()
    half = [int(math.floor(math.sqrt(radius * radius - dy * dy)))
            for dy in range(r + 1)]
    # rows[w]: maximum over the horizontal segment of half-width w
    rows = {0: x}
    cur = x
    for w in range(1, max(half) + 1):
        nxt = cur.copy()
        np.maximum(nxt[:, :-w], x[:, w:], out=nxt[:, :-w])
        np.maximum(nxt[:, w:], x[:, :-w], out=nxt[:, w:])
        cur = nxt
        if w in half:
            rows[w] = cur
    out = rows[half[0]].copy()
    for dy in range(1, r + 1):
        seg = rows[half[dy]]
        np.maximum(out[:-dy], seg[dy:], out=out[:-dy])
        np.maximum(out[dy:], seg[:-dy], out=out[dy:])
    return out


def _counts_at_or_above(values: np.ndarray,
                        thresholds: np.ndarray) -> np.ndarray:
    """(T,) number of values >= each threshold."""
    values = values[values >= thresholds[0]]
    above = np.searchsorted(thresholds, values, side='right')
    hist = np.bincount(above, minlength=thresholds.shape[0] + 1)
    return np.cumsum(hist[::-1])[::-1][1:]


def prepare_edge_maps(prob, gt, ignore_index: int = 255):
    """Check and flatten one image's edge maps for a matcher.

    Args:
        prob (array-like): (H, W) or (1, H, W) edge probability in [0, 1].
        gt (array-like): same shape, 1 = edge, 0 = no edge, ``ignore_index``
            = not evaluated.
        ignore_index (int): ignored GT value.

    Returns:
        tuple: ``prob`` (H, W) float with ignored pixels set to 0, ``edge``
        (H, W) bool GT edges, ``valid`` (H, W) bool evaluated pixels.

    Raises:
        ValueError: on a shape mismatch, a GT value other than 0, 1 and
            ``ignore_index``, or a probability outside [0, 1].
    """
    prob = np.asarray(prob)
    if prob.dtype not in (np.float32, np.float64):
        prob = prob.astype(np.float64)
    gt = np.asarray(gt)
    if prob.shape != gt.shape:
        raise ValueError(f'edge prediction shape {prob.shape} differs from '
                         f'GT shape {gt.shape}')
    if prob.ndim == 3 and prob.shape[0] == 1:
        prob, gt = prob[0], gt[0]
    if prob.ndim != 2:
        raise ValueError(f'edge maps must be (H, W) or (1, H, W), got '
                         f'{prob.shape}')
    valid = gt != ignore_index
    bad = valid & (gt != 0) & (gt != 1)
    if bad.any():
        raise ValueError(f'GT edge values must be 0, 1 or {ignore_index}, '
                         f'got {gt[bad][0]}')
    if prob.size and not (prob.min() >= 0 and prob.max() <= 1):
        raise ValueError('edge prediction must be a probability in [0, 1], '
                         f'got values in [{prob.min()}, {prob.max()}] '
                         '(apply sigmoid / softmax first)')
    edge = valid & (gt == 1)
    prob = np.where(valid, prob, prob.dtype.type(0))
    return prob, edge, valid


def edge_pr_counts(prob,
                   gt,
                   thresholds: np.ndarray = None,
                   max_dist: float = 0.0075,
                   ignore_index: int = 255) -> np.ndarray:
    """Matched / total edge pixels of one image at every threshold.

    Args:
        prob (array-like): (H, W) or (1, H, W) edge probability in [0, 1].
        gt (array-like): same shape, 1 = edge, 0 = no edge, ``ignore_index``
            = not evaluated (neither counted nor used as a match).
        thresholds (np.ndarray): (T,) increasing; default 99 BSDS values.
        max_dist (float): match tolerance as a fraction of the image
            diagonal (BSDS default 0.0075).
        ignore_index (int): ignored GT value.

    Returns:
        np.ndarray: (4, T) int64 rows ``cntP`` (correct predicted pixels),
        ``sumP`` (predicted pixels), ``cntR`` (recalled GT pixels), ``sumR``
        (GT edge pixels).

    Raises:
        ValueError: on bad input, see :func:`prepare_edge_maps`.
    """
    prob, edge, valid = prepare_edge_maps(prob, gt, ignore_index)
    if thresholds is None:
        thresholds = default_thresholds()
    thresholds = np.asarray(thresholds, np.float64)
    radius = max_dist * math.hypot(*prob.shape)
    near_gt = disk_max_filter(edge, radius)
    near_pred = disk_max_filter(prob, radius)
    num_t = thresholds.shape[0]
    counts = np.empty((4, num_t), np.int64)
    counts[0] = _counts_at_or_above(prob[valid & near_gt], thresholds)
    counts[1] = _counts_at_or_above(prob[valid], thresholds)
    counts[2] = _counts_at_or_above(near_pred[edge], thresholds)
    counts[3] = int(edge.sum())
    return counts


def _f_measure(cnt_p, sum_p, cnt_r, sum_r):
    """BSDS convention: a 0/0 precision or recall is 0, and so is F."""
    p = cnt_p / np.where(sum_p > 0, sum_p, 1)
    r = cnt_r / np.where(sum_r > 0, sum_r, 1)
    f = 2 * p * r / np.where(p + r > 0, p + r, 1)
    return p, r, f


def edge_ods_ois(counts: Sequence[np.ndarray],
                 thresholds: np.ndarray = None) -> Dict:
    """ODS and OIS F-measures of a split from per-image counts.

    ODS: sum the counts of all images at each threshold and take the best
    F over thresholds (one threshold for the whole split). OIS: for each
    image take the threshold with its best F (the highest one on ties, as
    BSDS), sum those counts over images and take their F. BSDS also
    interpolates the PR curve between neighbouring thresholds for ODS;
    this is not done here (the best of the T thresholds is reported).

    Args:
        counts (Sequence[np.ndarray]): per image the (4, T) output of
            :func:`edge_pr_counts`.
        thresholds (np.ndarray): (T,) thresholds, for ``ODS_thr``.

    Returns:
        dict: ``ODS``, ``OIS`` (fractions), ``ODS_thr``, ``ODS_precision``,
        ``ODS_recall``, and the split curves ``precision``, ``recall``,
        ``f`` (T,).
    """
    if len(counts) == 0:
        raise ValueError('edge_ods_ois needs the counts of at least one '
                         'image')
    stack = np.stack([np.asarray(c, np.int64) for c in counts])  # (I, 4, T)
    num_t = stack.shape[2]
    if thresholds is None:
        thresholds = default_thresholds(num_t)
    total = stack.sum(axis=0)
    p, r, f = _f_measure(*total)
    best = int(np.argmax(f))
    _, _, f_img = _f_measure(stack[:, 0], stack[:, 1], stack[:, 2],
                             stack[:, 3])
    last_best = num_t - 1 - np.argmax(f_img[:, ::-1], axis=1)
    picked = stack[np.arange(stack.shape[0]), :, last_best].sum(axis=0)
    _, _, f_ois = _f_measure(*picked)
    return dict(
        ODS=float(f[best]),
        OIS=float(f_ois),
        ODS_thr=float(thresholds[best]),
        ODS_precision=float(p[best]),
        ODS_recall=float(r[best]),
        precision=p,
        recall=r,
        f=f)
