"""ATR scores (accuracy, foreground accuracy, precision, recall, F-1).

The inputs are the per-class pixel areas that mmseg's
``IoUMetric.intersect_and_union`` returns (summed over the split): the
ATR averaging conventions below differ from mmseg's ``mFscore`` (classes
absent from the GT are left out, a class never predicted has precision 0,
background is excluded), so this kernel stays pure numpy. mIoU / pixel
acc / mean acc are mmseg's ``IoUMetric.total_area_to_metrics``.
"""
from typing import Dict

import numpy as np


def _ratio(num, den) -> np.ndarray:
    num = np.asarray(num, np.float64)
    den = np.asarray(den, np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _nanmean(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(x.mean()) if x.size else float('nan')


def atr_scores(area_intersect,
               area_pred_label,
               area_label,
               background: int = 0) -> Dict:
    """ATR scores: accuracy, foreground accuracy, precision, recall, F-1.

    Averaging (HTCorrM, TPAMI 2021, Table 3: Acc, Fg.Acc, Pre, Rec, F-1):

    - ``aAcc``: correct pixels / all non-ignored pixels.
    - ``FgAcc``: correct pixels / pixels whose GT is not background.
    - Per foreground class c: precision TP/(TP+FP), recall TP/(TP+FN),
      F-1 2TP/(2TP+FP+FN), counted over the whole split (areas summed over it).
    - ``Precision``, ``Recall`` and ``F1`` are the plain means of the
      per-class values over the foreground classes that occur in the GT of
      the split; a class never predicted has precision 0. Classes absent
      from the GT are left out (their entries are NaN).
    - ``F1_hmean``: harmonic mean of ``Precision`` and ``Recall``, the other
      convention found in the literature, reported for comparison.

    Args:
        area_intersect (array-like): (K,) correctly predicted pixels per
            class (TP), over the split.
        area_pred_label (array-like): (K,) pixels predicted as each class.
        area_label (array-like): (K,) GT pixels of each class (ignored
            pixels excluded).
        background (int): index of the background class.

    Returns:
        dict: ``aAcc``, ``FgAcc``, ``Precision``, ``Recall``, ``F1``,
        ``F1_hmean`` (fractions) and per-class (K,) arrays
        ``class_precision``, ``class_recall``, ``class_f1`` (NaN for the
        background and for classes absent from the GT).
    """
    tp = np.asarray(area_intersect, np.float64).reshape(-1)
    pred_pix = np.asarray(area_pred_label, np.float64).reshape(-1)
    gt_pix = np.asarray(area_label, np.float64).reshape(-1)
    if not tp.shape == pred_pix.shape == gt_pix.shape:
        raise ValueError(f'areas of different lengths: intersect '
                         f'{tp.shape}, pred {pred_pix.shape}, GT '
                         f'{gt_pix.shape}')
    total = gt_pix.sum()
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
