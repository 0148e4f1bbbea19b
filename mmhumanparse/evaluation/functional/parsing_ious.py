"""Per-image step of the multi-person parsing protocol: IoU tables.

For every prediction of one image and every GT person of that image, the
per-part IoU vector over all ``num_parts`` classes (background included),
computed on the full image with GT label 255 ignored, exactly as a
full-image confusion matrix per (prediction, GT) pair would give it.

Speed: a pair's confusion matrix only differs from "everything is
background" at pixels where the prediction or the GT is non-zero, so the
pixels where both are background are never visited; their count, the
(0, 0) cell, follows from the totals. The non-zero pixels of all GT
persons are encoded once per image as (person, label) code maps, so each
prediction costs one ``bincount`` over its bounding box (plus one per
extra layer where GT persons overlap).
"""
from typing import Dict, Sequence

import numpy as np

IGNORE_LABEL = 255


def _as_stack(maps, name: str, index) -> np.ndarray:
    """Return ``maps`` as an (N, H, W) uint8 array; (0, ...) when empty."""
    arr = np.asarray(maps)
    if arr.size == 0:
        shape = arr.shape if arr.ndim == 3 else (0, 0, 0)
        return np.zeros((0, ) + tuple(shape[1:]), np.uint8)
    if arr.ndim != 3:
        raise ValueError(f'{name}[{index!r}] must be (N, H, W), got shape '
                         f'{arr.shape}')
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f'{name}[{index!r}] must hold integer part labels, '
                         f'got dtype {arr.dtype}')
    if arr.dtype != np.uint8:
        if arr.min() < 0 or arr.max() > 255:
            raise ValueError(f'{name}[{index!r}] labels must lie in '
                             f'[0, 255], got [{arr.min()}, {arr.max()}]')
        arr = arr.astype(np.uint8)
    return np.ascontiguousarray(arr)


def _box(rows: np.ndarray, cols: np.ndarray):
    """Bounding slices of the non-zero entries of row/column profiles."""
    ys = np.flatnonzero(rows)
    xs = np.flatnonzero(cols)
    return slice(ys[0], ys[-1] + 1), slice(xs[0], xs[-1] + 1)


def _nonzero_rows(pred: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """(N', H) bool: rows of each kept prediction holding a non-zero label.

    Scans 8 pixels at a time through a uint64 view when the width allows.
    """
    num, height, width = pred.shape
    if keep.shape[0] < num // 2:
        pred = pred[keep]
        keep = np.arange(keep.shape[0])
    if width % 8 == 0:
        rows = pred.view(np.uint64).reshape(pred.shape[0], height, -1)
        rows = rows.any(axis=2)
    else:
        rows = pred.any(axis=2)
    return rows[keep]


def _gt_label_counts(gt: np.ndarray, num_parts: int, index,
                     gt_ids: np.ndarray) -> np.ndarray:
    """Per-person label histograms.

    Args:
        gt (np.ndarray): (M, H, W) uint8, every person has a pixel > 0.
        num_parts (int): K.
        index (int | str): image index or name, for error messages.
        gt_ids (np.ndarray): (M,) index of each person in the input list.

    Returns:
        np.ndarray: (M, K + 1) int64; column K counts ignored (255) pixels.
    """
    num_pixels = gt.shape[1] * gt.shape[2]
    counts = np.zeros((gt.shape[0], num_parts + 1), np.int64)
    if gt.shape[0] == 0:
        return counts
    rows, cols = gt.max(axis=2), gt.max(axis=1)
    for m in range(gt.shape[0]):
        ys, xs = _box(rows[m], cols[m])
        crop = gt[m, ys, xs]
        hist = np.bincount(crop.ravel(), minlength=256)
        bad = np.flatnonzero(hist[num_parts:IGNORE_LABEL])
        if bad.size:
            raise ValueError(
                f'gt_parsings[{index!r}][{gt_ids[m]}] holds label '
                f'{bad[0] + num_parts}, but num_parts={num_parts} (labels '
                f'must be < num_parts, or {IGNORE_LABEL} = ignore)')
        counts[m, :num_parts] = hist[:num_parts]
        counts[m, 0] += num_pixels - crop.size
        counts[m, num_parts] = hist[IGNORE_LABEL]
    return counts


def _gt_code_layers(gt: np.ndarray, num_parts: int) -> list:
    """Encode the non-zero pixels of all GT persons as code maps.

    A pixel of person m with label g gets the code ``m * (K + 1) + g'``
    (g' = g, or K for the ignore label); pixels of no person get the
    sentinel ``M * (K + 1)``. Layer 0 holds the first person covering each
    pixel; where persons overlap (MHP), the second one goes to layer 1,
    and so on.

    Args:
        gt (np.ndarray): (M, H, W) uint8, M >= 1.
        num_parts (int): K.

    Returns:
        list[tuple]: per layer ``(codes (H, W) intp, rows, cols)``, the
        slices bounding the layer's non-sentinel pixels.
    """
    num_gt, height, width = gt.shape
    sentinel = num_gt * (num_parts + 1)
    lut = np.full(256, num_parts, np.intp)
    lut[:num_parts] = np.arange(num_parts)
    depth = np.zeros((height, width), np.int32)
    layers = []
    for m in range(num_gt):
        r, c = np.nonzero(gt[m])
        codes = m * (num_parts + 1) + lut[gt[m, r, c]]
        d = depth[r, c]
        for level in range(int(d.max()) + 1 if d.size else 0):
            if level == len(layers):
                layers.append(np.full((height, width), sentinel, np.intp))
            sel = d == level
            layers[level][r[sel], c[sel]] = codes[sel]
        depth[r, c] += 1
    out = []
    for codes in layers:
        used = codes != sentinel
        ys, xs = _box(used.any(axis=1), used.any(axis=0))
        out.append((codes, ys, xs))
    return out


def _overlap(a: slice, b: slice):
    lo, hi = max(a.start, b.start), min(a.stop, b.stop)
    return (slice(lo, hi), slice(lo - a.start, hi - a.start)) \
        if lo < hi else None


def _pred_joint_counts(pred: np.ndarray, keep: np.ndarray, gt: np.ndarray,
                       num_parts: int, index):
    """Label counts of each prediction and its joint counts with each GT.

    One ``bincount`` per prediction over its bounding box, of
    ``label * B + code`` with the layer-0 GT codes (``B = M * (K + 1) + 1``
    bins per label), plus one over the overlap with each further layer.

    Args:
        pred (np.ndarray): (N, H, W) uint8 predictions.
        keep (np.ndarray): (N',) indices of the predictions to use.
        gt (np.ndarray): (M, H, W) uint8 GT persons, labels < num_parts or
            255.
        num_parts (int): K.
        index (int | str): image index or name, for error messages.

    Returns:
        tuple: ``pred_counts`` (N', K) int64 pixels of each class in each
        kept prediction (the background entry is not used), and ``joint``
        (N', M, K, K + 1) int64: pixels where prediction n has class c and
        GT m has the non-zero label g (g = K: ignored). Entries with c = 0
        or g = 0 are not used.
    """
    num, num_gt = keep.shape[0], gt.shape[0]
    width = num_parts + 1
    bins = num_gt * width + 1
    pred_counts = np.zeros((num, num_parts), np.int64)
    joint = np.zeros((num, num_gt, num_parts, width), np.int64)
    if num == 0:
        return pred_counts, joint
    rows = _nonzero_rows(pred, keep)
    layers = _gt_code_layers(gt, num_parts) if num_gt else []
    if not layers:  # no GT pixel at all: codes are all the sentinel
        layers = [(np.full(pred.shape[1:], bins - 1, np.intp), slice(0, 0),
                   slice(0, 0))]
    base = layers[0][0]
    for n in np.flatnonzero(rows.any(axis=1)):
        ys = np.flatnonzero(rows[n])
        ys = slice(ys[0], ys[-1] + 1)
        band = pred[keep[n], ys]
        xs = np.flatnonzero(band.max(axis=0))
        xs = slice(xs[0], xs[-1] + 1)
        lab = band[:, xs].astype(np.intp)
        lab *= bins
        hist = np.bincount((lab + base[ys, xs]).ravel(),
                           minlength=num_parts * bins)
        if hist.shape[0] > num_parts * bins:
            raise ValueError(f'pred_parsings[{index!r}][{keep[n]}] holds '
                             f'label {(hist.shape[0] - 1) // bins}, but '
                             f'num_parts={num_parts}')
        pred_counts[n] = hist.reshape(num_parts, bins).sum(axis=1)
        for codes, lys, lxs in layers[1:]:
            oy, ox = _overlap(ys, lys), _overlap(xs, lxs)
            if oy is None or ox is None:
                continue
            hist += np.bincount(
                (lab[oy[1], ox[1]] + codes[oy[0], ox[0]]).ravel(),
                minlength=num_parts * bins)
        joint[n] = hist.reshape(num_parts, bins)[:, :-1].reshape(
            num_parts, num_gt, width).transpose(1, 0, 2)
    return pred_counts, joint


def _ious_from_counts(pred_counts, joint, gt_counts, num_pixels,
                      num_parts) -> np.ndarray:
    """Assemble the (N, M, K) IoU table from the sparse counts."""
    fg = np.arange(1, num_parts)
    valid = num_pixels - gt_counts[:, num_parts]  # (M,)
    # pixels of prediction class c where GT m is background / ignored
    on_gt_bg = pred_counts[:, None, :] - joint[..., 1:].sum(-1)
    on_ignore = joint[..., num_parts]
    inter = np.empty(on_gt_bg.shape, np.int64)
    pred_valid = np.empty(on_gt_bg.shape, np.int64)
    inter[..., 1:] = joint[:, :, fg, fg]
    pred_valid[..., 1:] = pred_counts[:, None, 1:] - on_ignore[..., 1:]
    inter[..., 0] = gt_counts[None, :, 0] - on_gt_bg[..., 1:].sum(-1)
    pred_valid[..., 0] = valid[None, :] - pred_valid[..., 1:].sum(-1)
    union = gt_counts[None, :, :num_parts] + pred_valid - inter
    ious = np.full(union.shape, np.nan)
    np.divide(inter, union, out=ious, where=union > 0)
    return ious


def parsing_iou_table(pred_parsings,
                      pred_scores,
                      gt_parsings,
                      num_parts: int,
                      score_thr: float = 0.001,
                      index=0) -> Dict[str, np.ndarray]:
    """IoU table of one image: every prediction against every GT person.

    Predictions scoring below ``score_thr`` are dropped; GT persons with no
    pixel > 0 are skipped (a map holding only 255 is kept).

    Args:
        pred_parsings (array-like): (N, H, W) integer part labels in
            [0, num_parts), 0 = background.
        pred_scores (array-like): (N,) float scores.
        gt_parsings (array-like): (M, H, W) integer part labels, one map per
            person, 255 = ignore.
        num_parts (int): K, number of part classes including background.
        score_thr (float): drop predictions with score < score_thr.
        index (int | str): image index or name used in error messages.

    Returns:
        dict: ``scores`` (N',) float64 kept scores; ``ious`` (N', M', K)
        float64 per-part IoU (NaN where the class is in neither map);
        ``gt_num_parts`` (M',) int64 number of foreground classes present in
        each kept GT person.

    Raises:
        ValueError: on shape mismatches or labels out of range.
    """
    pred = _as_stack(pred_parsings, 'pred_parsings', index)
    gt = _as_stack(gt_parsings, 'gt_parsings', index)
    scores = np.asarray(pred_scores, dtype=np.float64).reshape(-1)
    if scores.shape[0] != pred.shape[0]:
        raise ValueError(f'pred_scores[{index!r}] has {scores.shape[0]} '
                         f'entries but pred_parsings[{index!r}] has '
                         f'{pred.shape[0]} maps')
    if pred.shape[0] and gt.shape[0] and pred.shape[1:] != gt.shape[1:]:
        raise ValueError(f'image {index!r}: prediction size {pred.shape[1:]} '
                         f'differs from GT size {gt.shape[1:]}; predictions '
                         'must be at the original image size')
    keep = np.flatnonzero(scores >= score_thr)
    scores = scores[keep]
    gt_ids = np.flatnonzero(gt.max(axis=(1, 2)) > 0) if gt.size else \
        np.zeros(0, np.intp)
    if gt_ids.shape[0] < gt.shape[0]:
        gt = gt[gt_ids]
    gt_counts = _gt_label_counts(gt, num_parts, index, gt_ids)
    pred_counts, joint = _pred_joint_counts(pred, keep, gt, num_parts,
                                            index)
    num_pixels = gt.shape[1] * gt.shape[2] if gt.shape[0] else 0
    ious = _ious_from_counts(pred_counts, joint, gt_counts, num_pixels,
                             num_parts)
    gt_num_parts = (gt_counts[:, 1:num_parts] > 0).sum(axis=1)
    return dict(scores=scores, ious=ious, gt_num_parts=gt_num_parts)


def parsing_iou_tables(pred_parsings: Sequence,
                       pred_scores: Sequence,
                       gt_parsings: Sequence,
                       num_parts: int,
                       score_thr: float = 0.001) -> list:
    """:func:`parsing_iou_table` over a list of images.

    Args:
        pred_parsings (list): per image (N_i, H, W) part labels.
        pred_scores (list): per image (N_i,) scores.
        gt_parsings (list): per image (M_i, H, W) part labels.
        num_parts (int): K.
        score_thr (float): minimum kept score.

    Returns:
        list[dict]: one table per image.
    """
    if not (len(pred_parsings) == len(pred_scores) == len(gt_parsings)):
        raise ValueError(
            'pred_parsings, pred_scores and gt_parsings must have one entry '
            f'per image, got {len(pred_parsings)}, {len(pred_scores)} and '
            f'{len(gt_parsings)}')
    return [
        parsing_iou_table(p, s, g, num_parts, score_thr, index=i)
        for i, (p, s, g) in enumerate(
            zip(pred_parsings, pred_scores, gt_parsings))
    ]
