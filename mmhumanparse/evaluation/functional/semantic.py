"""Confusion matrix and the scores derived from it.

Rows of a confusion matrix are GT classes, columns predicted classes; one
matrix is accumulated over the whole split (sum of per-image matrices).
Background (class 0) is an ordinary class for mIoU / pixel acc / mean
acc, as in the LIP, CIHP and MHP protocols.
"""
from typing import Dict

import numpy as np


def confusion_matrix(pred, gt, num_classes: int,
                     ignore_index: int = 255) -> np.ndarray:
    """Confusion matrix of one label map.

    Args:
        pred (array-like): (H, W) or (1, H, W) predicted labels in
            [0, num_classes).
        gt (array-like): same shape, GT labels in [0, num_classes) or
            ``ignore_index``.
        num_classes (int): K.
        ignore_index (int): GT label excluded from the count.

    Returns:
        np.ndarray: (K, K) int64, ``cm[g, p]`` = pixels with GT g predicted p.

    Raises:
        ValueError: on a shape mismatch or a label out of range.
    """
    pred = np.asarray(pred)
    gt = np.asarray(gt)
    if pred.shape != gt.shape:
        raise ValueError(f'prediction shape {pred.shape} differs from GT '
                         f'shape {gt.shape}')
    pred = pred.ravel().astype(np.intp)
    gt = gt.ravel().astype(np.intp)
    valid = gt != ignore_index
    if valid.all():
        pred_v, gt_v = pred, gt
    else:
        pred_v, gt_v = pred[valid], gt[valid]
    if pred_v.size:
        if gt_v.min() < 0 or gt_v.max() >= num_classes:
            bad = gt_v[(gt_v < 0) | (gt_v >= num_classes)][0]
            raise ValueError(f'GT label {bad} is out of range for '
                             f'num_classes={num_classes} (ignore_index='
                             f'{ignore_index})')
        if pred_v.min() < 0 or pred_v.max() >= num_classes:
            bad = pred_v[(pred_v < 0) | (pred_v >= num_classes)][0]
            raise ValueError(f'predicted label {bad} is out of range for '
                             f'num_classes={num_classes}')
    return np.bincount(
        gt_v * num_classes + pred_v,
        minlength=num_classes**2).reshape(num_classes, num_classes).astype(
            np.int64)


def _ratio(num, den) -> np.ndarray:
    num = np.asarray(num, np.float64)
    den = np.asarray(den, np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _nanmean(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(x.mean()) if x.size else float('nan')


def semantic_scores(cm: np.ndarray) -> Dict:
    """mIoU, pixel accuracy and mean accuracy (background included).

    Args:
        cm (np.ndarray): (K, K) confusion matrix, rows GT.

    Returns:
        dict: ``IoU`` (K,) and ``Acc`` (K,) per class (NaN for a class absent
        from both GT and prediction, resp. from the GT), ``mIoU`` and
        ``mAcc`` (NaN-means of those), ``aAcc`` overall pixel accuracy;
        fractions.
    """
    cm = np.asarray(cm, np.float64)
    tp = np.diag(cm)
    gt_pix, pred_pix = cm.sum(1), cm.sum(0)
    iou = _ratio(tp, gt_pix + pred_pix - tp)
    acc = _ratio(tp, gt_pix)
    total = cm.sum()
    return dict(
        IoU=iou,
        Acc=acc,
        mIoU=_nanmean(iou),
        mAcc=_nanmean(acc),
        aAcc=float(tp.sum() / total) if total else float('nan'))


def atr_scores(cm: np.ndarray, background: int = 0) -> Dict:
    """ATR scores: accuracy, foreground accuracy, precision, recall, F-1.

    Averaging (htcorrm-hnl.txt Table 3 columns Acc, Fg.Acc, Pre, Rec, F-1):

    - ``aAcc``: correct pixels / all non-ignored pixels.
    - ``FgAcc``: correct pixels / pixels whose GT is not background.
    - Per foreground class c: precision TP/(TP+FP), recall TP/(TP+FN),
      F-1 2TP/(2TP+FP+FN), counted over the whole split (one matrix).
    - ``Precision``, ``Recall`` and ``F1`` are the plain means of the
      per-class values over the foreground classes that occur in the GT of
      the split; a class never predicted has precision 0. Classes absent
      from the GT are left out (their entries are NaN).
    - ``F1_hmean``: harmonic mean of ``Precision`` and ``Recall``, the other
      convention found in the literature, reported for comparison.

    Args:
        cm (np.ndarray): (K, K) confusion matrix, rows GT.
        background (int): index of the background class.

    Returns:
        dict: ``aAcc``, ``FgAcc``, ``Precision``, ``Recall``, ``F1``,
        ``F1_hmean`` (fractions) and per-class (K,) arrays
        ``class_precision``, ``class_recall``, ``class_f1`` (NaN for the
        background and for classes absent from the GT).
    """
    cm = np.asarray(cm, np.float64)
    tp = np.diag(cm)
    gt_pix, pred_pix = cm.sum(1), cm.sum(0)
    total = cm.sum()
    fg_pix = total - gt_pix[background]
    in_gt = gt_pix > 0
    in_gt[background] = False
    precision = np.where(in_gt, _ratio(tp, pred_pix), np.nan)
    precision[in_gt & (pred_pix == 0)] = 0.0
    recall = np.where(in_gt, _ratio(tp, gt_pix), np.nan)
    f1 = np.where(in_gt, _ratio(2 * tp, gt_pix + pred_pix), np.nan)
    p, r = _nanmean(precision), _nanmean(recall)
    if np.isnan(p) or np.isnan(r):
        hmean = float('nan')
    else:
        hmean = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return dict(
        aAcc=float(tp.sum() / total) if total else float('nan'),
        FgAcc=float((tp.sum() - tp[background]) /
                    fg_pix) if fg_pix else float('nan'),
        Precision=p,
        Recall=r,
        F1=_nanmean(f1),
        F1_hmean=float(hmean),
        class_precision=precision,
        class_recall=recall,
        class_f1=f1)
