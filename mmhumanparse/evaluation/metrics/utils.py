"""Helpers shared by the metric wrappers: field access, tensors, tables."""
from typing import Any, Sequence

import numpy as np


def get_field(sample: Any, *path: str, default: Any = None) -> Any:
    """Nested field of a data sample given as a dict or a data element.

    ``get_field(s, 'pred_instances', 'scores')`` reads
    ``s['pred_instances']['scores']`` or ``s.pred_instances.scores``.

    Returns:
        The value, or ``default`` when a key along the path is missing.
    """
    cur = sample
    for key in path:
        if cur is None:
            return default
        if isinstance(cur, dict):
            cur = cur.get(key)
        else:
            cur = getattr(cur, key, None)
    return default if cur is None else cur


def to_numpy(x: Any) -> np.ndarray:
    """Tensor or array-like to a numpy array (on CPU)."""
    if hasattr(x, 'detach'):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def sample_name(sample: Any, index: int) -> str:
    """Image name of a sample for messages and files (stem of img_path)."""
    import os.path as osp
    path = get_field(sample, 'img_path')
    if path:
        return osp.splitext(osp.basename(str(path)))[0]
    img_id = get_field(sample, 'img_id')
    return str(img_id) if img_id is not None else f'sample{index}'


def log_table(title: str, columns: Sequence[str], rows: Sequence[Sequence],
              logger=None) -> str:
    """Log a PrettyTable (values already formatted) like mmseg's IoUMetric.

    Returns:
        str: the table text.
    """
    from mmengine.logging import print_log
    from prettytable import PrettyTable
    table = PrettyTable()
    table.field_names = list(columns)
    for row in rows:
        table.add_row(list(row))
    text = table.get_string()
    print_log(title, logger=logger)
    print_log('\n' + text, logger=logger)
    return text


def pct(x: float) -> float:
    """Fraction to a percentage rounded to 2 decimals (NaN stays NaN)."""
    return float(np.round(float(x) * 100, 2))


def semantic_areas(pred, gt, num_classes: int, ignore_index: int,
                   name: str) -> np.ndarray:
    """Per-class pixel areas of one label map, by mmseg's ``IoUMetric``.

    Checks the labels (mmseg's histogram silently drops labels out of
    range), then calls ``IoUMetric.intersect_and_union``.

    Args:
        pred (array-like | Tensor): (H, W) or (1, H, W) predicted labels.
        gt (array-like | Tensor): same size, GT labels or ``ignore_index``.
        num_classes (int): K.
        ignore_index (int): ignored GT label.
        name (str): image name for error messages.

    Returns:
        np.ndarray: (4, K) float64 rows ``area_intersect``, ``area_union``,
        ``area_pred_label``, ``area_label`` (ignored pixels excluded).

    Raises:
        ValueError: on a size mismatch or a label out of [0, K).
    """
    import torch
    from mmseg.evaluation import IoUMetric
    pred = torch.as_tensor(to_numpy(pred).astype(np.int64))
    gt = torch.as_tensor(to_numpy(gt).astype(np.int64))
    pred = pred.reshape(pred.shape[-2:]) if pred.dim() == 3 else pred
    gt = gt.reshape(gt.shape[-2:]) if gt.dim() == 3 else gt
    if pred.shape != gt.shape:
        raise ValueError(f'image {name!r}: semantic prediction size '
                         f'{tuple(pred.shape)} differs from GT size '
                         f'{tuple(gt.shape)}')
    valid = gt != ignore_index
    for what, lab in (('GT', gt[valid]), ('predicted', pred[valid])):
        bad = lab[(lab < 0) | (lab >= num_classes)]
        if bad.numel():
            raise ValueError(f'image {name!r}: {what} label {int(bad[0])} '
                             f'is out of range for {num_classes} classes '
                             f'(ignore_index={ignore_index})')
    areas = IoUMetric.intersect_and_union(pred, gt, num_classes, ignore_index)
    return torch.stack(areas).double().numpy()


def semantic_metrics(areas: Sequence[np.ndarray]) -> dict:
    """mIoU, pixel acc, mean acc of a split by mmseg's ``IoUMetric``.

    Args:
        areas (Sequence[np.ndarray]): per image the (4, K) output of
            :func:`semantic_areas` (summed here in float64, exact).

    Returns:
        dict: ``IoU`` and ``Acc`` (K,) per class (NaN for a class absent
        from GT and prediction, resp. from the GT), ``mIoU``, ``mAcc``
        (their NaN-means) and ``aAcc``; fractions.
    """
    import torch
    from mmseg.evaluation import IoUMetric
    total = torch.from_numpy(np.sum(areas, axis=0))
    out = IoUMetric.total_area_to_metrics(*total, metrics=['mIoU'])
    iou, acc = np.asarray(out['IoU']), np.asarray(out['Acc'])
    with np.errstate(all='ignore'):
        return dict(
            IoU=iou,
            Acc=acc,
            mIoU=float(np.nanmean(iou)) if (~np.isnan(iou)).any() else
            float('nan'),
            mAcc=float(np.nanmean(acc)) if (~np.isnan(acc)).any() else
            float('nan'),
            aAcc=float(out['aAcc']))
