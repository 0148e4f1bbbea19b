"""Split-level step of the multi-person parsing protocol: AP^p and PCP.

Consumes the per-image tables of :func:`parsing_iou_table` (predictions
vs GT persons), so the split step never sees a mask. The protocol (the
MHP-v2 evaluation script, used by Parsing R-CNN and RP R-CNN):

1. Pool the predictions of the whole split and sort them by score,
   descending (stable: ties keep image order, then prediction order).
2. Each prediction goes to the GT person of its image with the highest
   nan-mean part IoU (first one on ties; none if every mean is NaN),
   whether or not that person is already matched.
3. At threshold t it is a true positive when that mean IoU is strictly
   greater than t and the person is not yet matched at t; otherwise a
   false positive.
4. VOC continuous AP per threshold; AP^p_vol is the mean over thresholds.
5. PCP at ``pcp_thr``: each person matched at ``pcp_thr`` scores the share
   of its foreground part classes whose IoU > ``pcp_thr``; unmatched
   persons score 0; mean over all GT persons.
"""
from typing import Dict, Sequence

import numpy as np

from .parsing_ious import parsing_iou_tables

DEFAULT_IOU_THRS = tuple(i / 10 for i in range(1, 10))


def nanmean_last(x: np.ndarray) -> np.ndarray:
    """Mean over the last axis ignoring NaN; NaN where all are NaN.

    Args:
        x (np.ndarray): (..., K) float.

    Returns:
        np.ndarray: (...) float64.
    """
    valid = ~np.isnan(x)
    total = np.where(valid, x, 0.0).sum(axis=-1)
    count = valid.sum(axis=-1)
    out = np.full(total.shape, np.nan)
    np.divide(total, count, out=out, where=count > 0)
    return out


def voc_ap(recall: np.ndarray, precision: np.ndarray) -> float:
    """VOC continuous (area under the interpolated PR curve) AP.

    Args:
        recall (np.ndarray): (D,) cumulative recall, non-decreasing.
        precision (np.ndarray): (D,) cumulative precision.

    Returns:
        float: AP in [0, 1].
    """
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([0.0], precision, [0.0]))
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    step = np.flatnonzero(mrec[1:] != mrec[:-1])
    return float(np.sum((mrec[step + 1] - mrec[step]) * mpre[step + 1]))


def summarize_iou_table(table: dict, pcp_thr: float = 0.5) -> dict:
    """Reduce an image's IoU table to what the split step needs.

    A prediction's GT person does not depend on the other predictions, so
    per prediction it suffices to keep its best mean IoU, which person that
    is and the PCP share that person would get. The summary is a few
    numbers per prediction, whatever the number of persons and parts.

    Args:
        table (dict): output of :func:`parsing_iou_table` (``scores`` (N,),
            ``ious`` (N, M, K), ``gt_num_parts`` (M,)).
        pcp_thr (float): PCP threshold the summary is made for.

    Returns:
        dict: ``scores`` (N,); ``best_iou`` (N,) highest NaN-mean IoU (-inf
        when the image has no usable person); ``best_gt`` (N,) int64 index
        of that person (first on ties, -1 for none); ``pcp_share`` (N,)
        share of that person's foreground parts with IoU > ``pcp_thr``;
        ``num_gts`` and ``pcp_thr``.
    """
    ious = np.asarray(table['ious'], dtype=np.float64)
    scores = np.asarray(table['scores'], np.float64).reshape(-1)
    gt_parts = np.asarray(table['gt_num_parts']).reshape(-1)
    if ious.ndim != 3 or ious.shape[0] != scores.shape[0] or \
            ious.shape[1] != gt_parts.shape[0]:
        raise ValueError(f'IoU table {ious.shape} does not fit '
                         f'{scores.shape[0]} scores and '
                         f'{gt_parts.shape[0]} GT persons')
    num, m = ious.shape[:2]
    best = np.full(num, -np.inf)
    best_gt = np.full(num, -1, np.int64)
    share = np.zeros(num)
    if num and m:
        mean = nanmean_last(ious)
        mean[np.isnan(mean)] = -np.inf
        j = np.argmax(mean, axis=1)
        best = mean[np.arange(num), j]
        hits = (ious[np.arange(num), j, 1:] > pcp_thr).sum(axis=1)
        denom = gt_parts[j]
        share = np.where(denom > 0, hits / np.maximum(denom, 1), 0.0)
        best_gt = np.where(np.isfinite(best), j, -1).astype(np.int64)
    return dict(
        scores=scores,
        best_iou=best,
        best_gt=best_gt,
        pcp_share=share,
        num_gts=int(m),
        pcp_thr=float(pcp_thr))


def _best_matches(tables: Sequence[dict], pcp_thr: float):
    """Pool the predictions of all images with their best GT.

    Returns:
        tuple: scores (D,), best mean IoU (D,) (-inf when no GT), global GT
        index (D,) (-1 when none), PCP share of the best GT (D,), number of
        GT persons.
    """
    scores, best, gt_idx, share = [], [], [], []
    num_gts = 0
    for t in tables:
        if 'ious' in t:
            t = summarize_iou_table(t, pcp_thr)
        elif t['pcp_thr'] != pcp_thr:
            raise ValueError(f"a table was summarized for pcp_thr="
                             f"{t['pcp_thr']}, not {pcp_thr}")
        scores.append(t['scores'])
        best.append(t['best_iou'])
        gt_idx.append(np.where(t['best_gt'] >= 0, t['best_gt'] + num_gts,
                               -1))
        share.append(t['pcp_share'])
        num_gts += t['num_gts']
    if not scores:
        empty = np.zeros(0)
        return empty, empty, empty.astype(np.intp), empty, 0
    return (np.concatenate(scores), np.concatenate(best),
            np.concatenate(gt_idx).astype(np.intp), np.concatenate(share),
            num_gts)


def _true_positives(best: np.ndarray, gt_idx: np.ndarray,
                    thr: float) -> np.ndarray:
    """TP flags (in score order): first prediction above thr per GT."""
    cand = np.flatnonzero((best > thr) & (gt_idx >= 0))
    tp = np.zeros(best.shape[0], bool)
    _, first = np.unique(gt_idx[cand], return_index=True)
    tp[cand[first]] = True
    return tp


def parsing_ap_from_tables(tables: Sequence[dict],
                           iou_thrs: Sequence[float] = DEFAULT_IOU_THRS,
                           pcp_thr: float = 0.5,
                           score_thr: float = 0.001) -> Dict:
    """AP^p at each threshold, AP^p_50, AP^p_vol and PCP over a split.

    Args:
        tables (list[dict]): per image the output of
            :func:`parsing_iou_table` or its :func:`summarize_iou_table`
            (made with the same ``pcp_thr``).
        iou_thrs (Sequence[float]): mean-IoU thresholds of AP^p_vol.
        pcp_thr (float): threshold of PCP (matching and part IoU).
        score_thr (float): predictions with a lower score are dropped.

    Returns:
        dict: ``AP_p`` {thr: AP}, ``AP_p50``, ``AP_p_vol``, ``PCP50`` (the
        PCP at ``pcp_thr``), ``num_gts`` and ``num_preds``; fractions in
        [0, 1]. With no GT person in the split every score is 0.
    """
    scores, best, gt_idx, share, num_gts = _best_matches(tables, pcp_thr)
    keep = scores >= score_thr
    scores, best, gt_idx, share = (scores[keep], best[keep], gt_idx[keep],
                                   share[keep])
    order = np.argsort(-scores, kind='stable')
    best, gt_idx, share = best[order], gt_idx[order], share[order]

    def ap_at(thr):
        if num_gts == 0:
            return 0.0
        tp = np.cumsum(_true_positives(best, gt_idx, thr))
        ranks = np.arange(1, tp.shape[0] + 1)
        return voc_ap(tp / num_gts, tp / ranks)

    ap = {float(t): ap_at(t) for t in iou_thrs}
    ap50 = ap[0.5] if 0.5 in ap else ap_at(0.5)
    pcp = 0.0
    if num_gts:
        pcp = float(share[_true_positives(best, gt_idx, pcp_thr)].sum() /
                    num_gts)
    return dict(
        AP_p=ap,
        AP_p50=ap50,
        AP_p_vol=float(np.mean(list(ap.values()))) if ap else 0.0,
        PCP50=pcp,
        num_gts=int(num_gts),
        num_preds=int(scores.shape[0]))


def eval_parsing_ap(pred_parsings: Sequence,
                    pred_scores: Sequence,
                    gt_parsings: Sequence,
                    num_parts: int,
                    iou_thrs: Sequence[float] = DEFAULT_IOU_THRS,
                    score_thr: float = 0.001,
                    pcp_thr: float = 0.5) -> Dict:
    """Multi-person parsing AP^p / PCP of a split (per-image + split step).

    Args:
        pred_parsings (list[np.ndarray]): per image (N_i, H, W) uint8 part
            labels in [0, num_parts), 0 = background.
        pred_scores (list[np.ndarray]): per image (N_i,) float scores.
        gt_parsings (list[np.ndarray]): per image (M_i, H, W) uint8, one part
            map per person, 255 = ignore.
        num_parts (int): number of part classes including background.
        iou_thrs (Sequence[float]): thresholds, default 0.1, 0.2, ..., 0.9.
        score_thr (float): drop predictions with score < score_thr.
        pcp_thr (float): PCP threshold (0.5 gives PCP_50).

    Returns:
        dict: ``{'AP_p': {thr: ap}, 'AP_p50': float, 'AP_p_vol': float,
        'PCP50': float, 'num_gts': int, 'num_preds': int}``, fractions.

    Raises:
        ValueError: when the lists differ in length, a prediction's size
            differs from its GT's, or labels are out of range.
    """
    tables = parsing_iou_tables(pred_parsings, pred_scores, gt_parsings,
                                num_parts, score_thr)
    return parsing_ap_from_tables(tables, iou_thrs, pcp_thr, score_thr)
