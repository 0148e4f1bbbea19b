"""Straightforward multi-person parsing AP^p / PCP, the reference.

One full-image confusion matrix per (prediction, GT person) pair and a
sequential matching loop per threshold, written for clarity, not speed.
The fast kernel in ``mmhumanparse.evaluation.functional`` must give the
same numbers; ``tools/analysis_tools/benchmark_metrics.py`` times both.
"""
import warnings

import numpy as np

THRS = tuple(i / 10 for i in range(1, 10))


def pair_ious(pred, gt, num_parts):
    """Per-class IoU of one prediction vs one GT person on the full image.

    Args:
        pred (np.ndarray): (H, W) labels in [0, num_parts).
        gt (np.ndarray): (H, W) labels, values >= num_parts (255) ignored.
        num_parts (int): K.

    Returns:
        np.ndarray: (K,) IoU, NaN where the class is in neither map.
    """
    gt = gt.ravel().astype(np.int64)
    pred = pred.ravel().astype(np.int64)
    valid = (gt >= 0) & (gt < num_parts)
    hist = np.bincount(
        num_parts * gt[valid] + pred[valid],
        minlength=num_parts**2).reshape(num_parts, num_parts).astype(float)
    inter = np.diag(hist)
    union = hist.sum(1) + hist.sum(0) - inter
    with np.errstate(divide='ignore', invalid='ignore'):
        return inter / union


def _voc_ap(rec, prec):
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = max(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def reference_parsing_ap(pred_parsings,
                         pred_scores,
                         gt_parsings,
                         num_parts,
                         iou_thrs=THRS,
                         score_thr=0.001,
                         pcp_thr=0.5):
    """Same contract as ``eval_parsing_ap``."""
    gts = []
    for maps in gt_parsings:
        gts.append([g for g in maps if np.sum(g > 0) > 0])
    npos = sum(len(g) for g in gts)

    dets = []  # (score, image, prediction index)
    for i, scores in enumerate(pred_scores):
        for n, s in enumerate(scores):
            if s >= score_thr:
                dets.append((float(s), i, n))
    order = np.argsort(-np.array([d[0] for d in dets]), kind='stable')
    dets = [dets[k] for k in order]

    # best GT of every prediction
    best = []
    for _, i, n in dets:
        pred = pred_parsings[i][n]
        ovmax, jmax, ious_max, gt_max = -np.inf, -1, None, None
        for j, gt in enumerate(gts[i]):
            ious = pair_ious(pred, gt, num_parts)
            with warnings.catch_warnings():  # all-NaN slice
                warnings.simplefilter('ignore', RuntimeWarning)
                mean = np.nanmean(ious)
            if mean > ovmax:
                ovmax, jmax, ious_max, gt_max = mean, j, ious, gt
        best.append((ovmax, jmax, ious_max, gt_max))

    def run(thr, with_pcp):
        matched = {}
        tp = np.zeros(len(dets))
        fp = np.zeros(len(dets))
        pcp = []
        for d, (_, i, _n) in enumerate(dets):
            ovmax, jmax, ious, gt = best[d]
            if ovmax > thr:
                if not matched.get((i, jmax), False):
                    tp[d] = 1
                    matched[(i, jmax)] = True
                    if with_pcp:
                        labels = np.unique(gt)
                        denom = np.sum((labels > 0) & (labels < num_parts))
                        hits = float(np.sum(ious[1:] > thr))
                        pcp.append(hits / denom if denom > 0 else 0.0)
                else:
                    fp[d] = 1
            else:
                fp[d] = 1
        if npos == 0:
            return 0.0, 0.0
        tp, fp = np.cumsum(tp), np.cumsum(fp)
        rec = tp / npos
        prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
        ap = _voc_ap(rec, prec)
        pcp.extend([0.0] * (npos - len(pcp)))
        return ap, float(np.mean(pcp))

    ap = {float(t): run(t, False)[0] for t in iou_thrs}
    return dict(
        AP_p=ap,
        AP_p50=run(0.5, False)[0],
        AP_p_vol=float(np.mean(list(ap.values()))),
        PCP50=run(pcp_thr, True)[1])
