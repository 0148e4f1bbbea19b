"""Edge ODS / OIS F-measure (mmseg pipeline)."""
from typing import Dict, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmhumanparse.registry import METRICS
from ..functional import default_thresholds, edge_ods_ois, edge_pr_counts
from .utils import get_field, log_table, pct, sample_name, to_numpy


@METRICS.register_module()
class EdgeMetric(BaseMetric):
    """Human body edge detection: ODS and OIS F-measure (percent).

    Reads ``pred_edge.data`` (1, H, W) float edge probability and
    ``gt_edge_map.data`` (1, H, W) 0/1 with 255 = ignore. Each sample is
    reduced to (4, T) match counts, see :func:`edge_pr_counts` for the
    matching rule (an approximation of BSDS, ``docs/metrics.md``).

    Args:
        num_thresholds (int): T evenly spaced thresholds in (0, 1).
        max_dist (float): tolerance as a fraction of the image diagonal.
        ignore_index (int): ignored GT value.
        collect_device (str): 'cpu' or 'gpu'.
        prefix (str, optional): prefix of the metric names.
    """

    def __init__(self,
                 num_thresholds: int = 99,
                 max_dist: float = 0.0075,
                 ignore_index: int = 255,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.thresholds = default_thresholds(num_thresholds)
        self.max_dist = max_dist
        self.ignore_index = ignore_index

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Per-threshold match counts of each sample."""
        for i, sample in enumerate(data_samples):
            prob = get_field(sample, 'pred_edge', 'data')
            gt = get_field(sample, 'gt_edge_map', 'data')
            name = sample_name(sample, i)
            if prob is None or gt is None:
                raise ValueError(f'image {name!r}: EdgeMetric needs '
                                 'pred_edge.data and gt_edge_map.data')
            try:
                counts = edge_pr_counts(
                    to_numpy(prob), to_numpy(gt), self.thresholds,
                    self.max_dist, self.ignore_index)
            except ValueError as e:
                raise ValueError(f'image {name!r}: {e}')
            self.results.append(counts)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """ODS and OIS in percent."""
        logger = MMLogger.get_current_instance()
        out = edge_ods_ois(results, self.thresholds)
        log_table(
            f'edge F-measure ({len(results)} images, tolerance '
            f'{self.max_dist} x diagonal):',
            ['ODS', 'OIS', 'ODS thr', 'ODS P', 'ODS R'], [[
                f"{pct(out['ODS']):.2f}", f"{pct(out['OIS']):.2f}",
                f"{out['ODS_thr']:.2f}", f"{pct(out['ODS_precision']):.2f}",
                f"{pct(out['ODS_recall']):.2f}"
            ]], logger)
        return dict(ODS=pct(out['ODS']), OIS=pct(out['OIS']))
