"""PCKh: percentage of correct keypoints, normalised by head size.

Keypoints follow the MPII order used by LIP (``LIP_KEYPOINTS`` in
``mmhumanparse/datasets/metainfo.py``): 0 r_ankle, 1 r_knee, 2 r_hip,
3 l_hip, 4 l_knee, 5 l_ankle, 6 pelvis, 7 thorax, 8 upper_neck,
9 head_top, 10 r_wrist, 11 r_elbow, 12 r_shoulder, 13 l_shoulder,
14 l_elbow, 15 l_wrist.
"""
from typing import Dict, Sequence, Tuple

import numpy as np

UPPER_NECK = 8
HEAD_TOP = 9

# Columns of HTCorrM (TPAMI 2021) Table 5 (MPII) / Table 6 (LIP).
MPII_JOINT_GROUPS: Tuple[Tuple[str, Tuple[int, ...]], ...] = (
    ('Head', (UPPER_NECK, HEAD_TOP)),
    ('Shoulder', (12, 13)),
    ('Elbow', (11, 14)),
    ('Wrist', (10, 15)),
    ('Hip', (2, 3)),
    ('Knee', (1, 4)),
    ('Ankle', (0, 5)),
)


def _as_points(x, name: str) -> np.ndarray:
    x = np.asarray(x, np.float64)
    if x.ndim != 3 or x.shape[2] != 2:
        raise ValueError(f'{name} must be (N, K, 2), got {x.shape}')
    return x


def pckh(pred,
         gt,
         gt_visible,
         thr: float = 0.5,
         head_joints: Tuple[int, int] = (UPPER_NECK, HEAD_TOP),
         groups: Sequence = MPII_JOINT_GROUPS) -> Dict:
    """PCKh@thr per joint, per joint group and overall.

    A joint is correct when its distance to the GT is at most ``thr`` times
    the head size, the distance between the GT upper neck and head top.
    Joints with ``gt_visible == 0`` are excluded. A person whose head size
    cannot be measured (either head joint missing, or zero size) is
    excluded entirely and counted in ``num_unusable``. NaN predictions
    count as wrong.

    A group's value is the mean of its joints' PCKh (MPII convention:
    left and right weigh the same). ``Mean`` pools all joints that belong
    to a group (pelvis and thorax do not, as in MPII): correct / evaluated.

    Args:
        pred (array-like): (N, K, 2) predicted x, y in pixels.
        gt (array-like): (N, K, 2) GT x, y in pixels.
        gt_visible (array-like): (N, K) 1 annotated, 0 missing.
        thr (float): fraction of the head size.
        head_joints (tuple[int, int]): indices of upper neck and head top.
        groups (Sequence): (name, joint indices) pairs.

    Returns:
        dict: one fraction per group name and ``Mean``; ``per_joint`` (K,)
        PCKh (NaN for a joint never evaluated), ``joint_counts`` (K,) number
        of evaluated joints, ``num_unusable`` persons without a head size.

    Raises:
        ValueError: when shapes disagree.
    """
    pred = _as_points(pred, 'pred')
    gt = _as_points(gt, 'gt')
    vis = np.asarray(gt_visible, np.float64)
    if pred.shape != gt.shape or vis.shape != gt.shape[:2]:
        raise ValueError(f'pred {pred.shape}, gt {gt.shape} and gt_visible '
                         f'{vis.shape} must be (N, K, 2), (N, K, 2), (N, K)')
    neck, top = head_joints
    head = np.linalg.norm(gt[:, top] - gt[:, neck], axis=-1)
    usable = (vis[:, neck] > 0) & (vis[:, top] > 0) & (head > 0)
    evaluated = (vis > 0) & usable[:, None]
    dist = np.linalg.norm(pred - gt, axis=-1)
    with np.errstate(divide='ignore', invalid='ignore'):
        norm = dist / head[:, None]
    correct = evaluated & (norm <= thr)
    counts = evaluated.sum(axis=0)
    hits = correct.sum(axis=0)
    per_joint = np.full(counts.shape, np.nan)
    np.divide(hits, counts, out=per_joint, where=counts > 0)
    out = {}
    grouped = []
    for name, joints in groups:
        joints = list(joints)
        grouped += joints
        vals = per_joint[joints]
        vals = vals[~np.isnan(vals)]
        out[name] = float(vals.mean()) if vals.size else float('nan')
    grouped = sorted(set(grouped))
    total = counts[grouped].sum()
    out['Mean'] = float(hits[grouped].sum() /
                        total) if total else float('nan')
    out.update(
        per_joint=per_joint,
        joint_counts=counts,
        num_unusable=int((~usable).sum()))
    return out
