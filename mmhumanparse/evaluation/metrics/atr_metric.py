"""ATR scores of single-person parsing (mmseg pipeline)."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmhumanparse.registry import METRICS
from ..functional import atr_scores
from .utils import get_field, log_table, pct, sample_name, semantic_areas


@METRICS.register_module()
class ATRMetric(BaseMetric):
    """Accuracy, foreground accuracy, precision, recall and F-1 (ATR).

    The columns of HTCorrM (TPAMI 2021), Table 3. Reads
    ``pred_sem_seg.data`` and ``gt_sem_seg.data`` (1, H, W) like mmseg's
    ``IoUMetric`` and takes the class names from
    ``dataset_meta['classes']`` (index 0 = background).
    Per image the per-class areas (TP, union, predicted, GT pixels) come
    from mmseg's ``IoUMetric.intersect_and_union``; they are summed over
    the split and averaged as documented in :func:`atr_scores` and
    ``docs/metrics.md``.

    Returns (percent): ``aAcc``, ``FgAcc``, ``Precision``, ``Recall``,
    ``F1`` (mean of per-class F-1) and ``F1_hmean`` (harmonic mean of
    ``Precision`` and ``Recall``).

    Args:
        ignore_index (int): ignored GT label.
        background (int): index of the background class.
        collect_device (str): 'cpu' or 'gpu'.
        prefix (str, optional): prefix of the metric names.
    """

    def __init__(self,
                 ignore_index: int = 255,
                 background: int = 0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.ignore_index = ignore_index
        self.background = background

    def _classes(self) -> Sequence[str]:
        classes = (self.dataset_meta or {}).get('classes')
        if not classes:
            raise ValueError("ATRMetric needs dataset_meta['classes']")
        return classes

    def process(self, data_batch, data_samples: Sequence) -> None:
        """The (4, K) per-class pixel areas of each sample."""
        num_classes = len(self._classes())
        for i, sample in enumerate(data_samples):
            pred = get_field(sample, 'pred_sem_seg', 'data')
            gt = get_field(sample, 'gt_sem_seg', 'data')
            name = sample_name(sample, len(self.results) + i)
            if pred is None or gt is None:
                raise ValueError(f'image {name!r}: ATRMetric needs '
                                 'pred_sem_seg.data and gt_sem_seg.data')
            self.results.append(
                semantic_areas(pred, gt, num_classes, self.ignore_index,
                               name))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """ATR scores in percent from the areas summed over the split."""
        logger = MMLogger.get_current_instance()
        inter, _, pred, label = np.sum(results, axis=0)
        s = atr_scores(inter, pred, label, self.background)
        rows = [[c, f'{pct(p):.2f}', f'{pct(r):.2f}', f'{pct(f):.2f}']
                for c, p, r, f in zip(self._classes(), s['class_precision'],
                                      s['class_recall'], s['class_f1'])]
        log_table('per class results:', ['Class', 'Precision', 'Recall',
                                         'F1'], rows, logger)
        return {
            k: pct(s[k])
            for k in ('aAcc', 'FgAcc', 'Precision', 'Recall', 'F1',
                      'F1_hmean')
        }
