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
