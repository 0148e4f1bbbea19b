"""PCKh of single-person pose (mmseg pipeline, LIP / MPII keypoints)."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmhumanparse.registry import METRICS
from ..functional import MPII_JOINT_GROUPS, pckh
from .utils import get_field, log_table, pct, sample_name, to_numpy


@METRICS.register_module()
class PCKhMetric(BaseMetric):
    """PCKh@thr per joint group (HTCorrM (TPAMI 2021) Tables 5 and 6).

    Reads per sample:

    - ``gt_keypoints.keypoints`` (K, 2) x, y in original-image pixels and
      ``gt_keypoints.visible`` (K,) 1 annotated / 0 missing;
    - ``pred_keypoints.keypoints`` (K, 2) (or (1, K, 2)) in the same frame.

    Keypoints in MPII order (``LIP_KEYPOINTS``); head size = distance of
    the GT upper neck (8) and head top (9). See :func:`pckh`.

    Returns (percent): ``PCKh`` (the Mean column) and ``PCKh_<group>`` for
    Head, Shoulder, Elbow, Wrist, Hip, Knee, Ankle.

    Args:
        thr (float): fraction of the head size (0.5: PCKh@0.5).
        collect_device (str): 'cpu' or 'gpu'.
        prefix (str, optional): prefix of the metric names.
    """

    def __init__(self,
                 thr: float = 0.5,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.thr = thr

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Keep the (K, 2) prediction, GT and visibility of each sample."""
        for i, sample in enumerate(data_samples):
            pred = get_field(sample, 'pred_keypoints', 'keypoints')
            gt = get_field(sample, 'gt_keypoints', 'keypoints')
            vis = get_field(sample, 'gt_keypoints', 'visible')
            name = sample_name(sample, i)
            if pred is None or gt is None or vis is None:
                raise ValueError(
                    f'image {name!r}: PCKhMetric needs '
                    'pred_keypoints.keypoints, gt_keypoints.keypoints and '
                    'gt_keypoints.visible')
            gt = to_numpy(gt).astype(np.float64).reshape(-1, 2)
            pred = to_numpy(pred).astype(np.float64)
            if pred.size != gt.size:
                raise ValueError(f'image {name!r}: {pred.shape} predicted '
                                 f'keypoints for {gt.shape[0]} GT keypoints')
            vis = to_numpy(vis).astype(np.float64).reshape(-1)
            if vis.shape[0] != gt.shape[0]:
                raise ValueError(f'image {name!r}: {vis.shape[0]} visibility '
                                 f'flags for {gt.shape[0]} keypoints')
            self.results.append((pred.reshape(-1, 2), gt, vis))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """PCKh in percent over the split."""
        logger = MMLogger.get_current_instance()
        pred, gt, vis = (np.stack(x) for x in zip(*results))
        out = pckh(pred, gt, vis, self.thr)
        names = [g for g, _ in MPII_JOINT_GROUPS] + ['Mean']
        log_table(
            f'PCKh@{self.thr} ({len(results)} persons, '
            f"{out['num_unusable']} without a head size):", names,
            [[f'{pct(out[n]):.2f}' for n in names]], logger)
        metrics = {'PCKh': pct(out['Mean'])}
        metrics.update(
            {f'PCKh_{g}': pct(out[g])
             for g, _ in MPII_JOINT_GROUPS})
        return metrics
