"""Edge ODS / OIS / AP (mmseg pipeline): BSDS protocol or fast preview."""
from typing import Dict, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmhumanparse.registry import METRICS
from ..functional import (bsds_edge_counts, bsds_ods_ois_ap,
                          default_thresholds, edge_ods_ois, edge_pr_counts)
from .utils import get_field, log_table, pct, sample_name, to_numpy

PROTOCOLS = ('bsds', 'fast')


@METRICS.register_module()
class EdgeMetric(BaseMetric):
    """Human body edge detection: ODS, OIS (and AP) F-measure in percent.

    HTCorrM (TPAMI 2021) Table 9 (edge-main HTCorrM). Reads per sample:

    - ``pred_edge``: a ``PixelData`` whose ``data`` is the (1, H, W) float
      edge probability in [0, 1] at the original image size (the model
      applies sigmoid / softmax, e.g. HTCorrM's multi-task segmentor
      sets ``pred_edge = PixelData(data=edge_logits.softmax(0)[1:])``);
    - ``gt_edge_map``: a ``PixelData`` whose ``data`` is (1, H, W) in
      {0, 1, 255}: 1 = edge, 0 = no edge, ``ignore_index`` = not
      evaluated (mmseg's ``GenerateEdge`` + ``PackSegInputs`` produce it).

    A missing field, a size mismatch, a GT value outside {0, 1,
    ``ignore_index``} or a prediction outside [0, 1] raises a
    ``ValueError`` naming the image.

    Protocols (``docs/metrics.md``):

    - ``'bsds'`` (default, the paper's): each thresholded map is thinned
      and matched one-to-one to the GT within ``max_dist`` x diagonal by
      pyEdgeEval's port of BSDS ``correspondPixels``
      (:func:`bsds_edge_counts`); ODS is interpolated between thresholds
      and AP is reported too (:func:`bsds_ods_ois_ap`). Needs
      ``pip install pyEdgeEval==0.2.8``; seconds per image.
    - ``'fast'``: the disk-tolerance preview of :func:`edge_pr_counts`
      (no thinning, no one-to-one matching; milliseconds per image);
      reports ODS and OIS (best of the T thresholds, no interpolation).

    Args:
        protocol (str): ``'bsds'`` or ``'fast'``.
        num_thresholds (int): T evenly spaced thresholds in (0, 1) (BSDS:
            99).
        max_dist (float): match distance as a fraction of the image
            diagonal (BSDS: 0.0075).
        ignore_index (int): ignored GT value.
        collect_device (str): 'cpu' or 'gpu'.
        prefix (str, optional): prefix of the metric names.
    """

    def __init__(self,
                 protocol: str = 'bsds',
                 num_thresholds: int = 99,
                 max_dist: float = 0.0075,
                 ignore_index: int = 255,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if protocol not in PROTOCOLS:
            raise ValueError(f'EdgeMetric protocol must be one of '
                             f'{PROTOCOLS}, got {protocol!r}')
        if int(num_thresholds) < 1:
            raise ValueError(f'EdgeMetric num_thresholds must be >= 1, got '
                             f'{num_thresholds}')
        if not max_dist > 0:
            raise ValueError(f'EdgeMetric max_dist must be > 0, got '
                             f'{max_dist}')
        self.protocol = protocol
        self.thresholds = default_thresholds(int(num_thresholds))
        self.max_dist = max_dist
        self.ignore_index = ignore_index
        self._counts = (bsds_edge_counts
                        if protocol == 'bsds' else edge_pr_counts)

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Per-threshold (4, T) match counts of each sample."""
        for i, sample in enumerate(data_samples):
            prob = get_field(sample, 'pred_edge', 'data')
            gt = get_field(sample, 'gt_edge_map', 'data')
            name = sample_name(sample, len(self.results) + i)
            if prob is None or gt is None:
                missing = [
                    f for f, v in (('pred_edge.data', prob),
                                   ('gt_edge_map.data', gt)) if v is None
                ]
                raise ValueError(
                    f'image {name!r}: EdgeMetric needs pred_edge.data '
                    '(1, H, W) edge probability and gt_edge_map.data '
                    f"(1, H, W) in {{0, 1, {self.ignore_index}}}; missing: "
                    f"{', '.join(missing)} (does the model predict edges, "
                    'and does the test pipeline run GenerateEdge?)')
            try:
                counts = self._counts(
                    to_numpy(prob), to_numpy(gt), self.thresholds,
                    self.max_dist, self.ignore_index)
            except ValueError as e:
                raise ValueError(f'image {name!r}: {e}') from e
            self.results.append(counts)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """ODS and OIS (and AP for 'bsds') in percent."""
        logger = MMLogger.get_current_instance()
        if self.protocol == 'bsds':
            out = bsds_ods_ois_ap(results, self.thresholds)
        else:
            out = edge_ods_ois(results, self.thresholds)
        keys = ['ODS', 'OIS'] + (['AP'] if 'AP' in out else [])
        log_table(
            f'edge F-measure, {self.protocol} protocol ({len(results)} '
            f'images, tolerance {self.max_dist} x diagonal):',
            keys + ['ODS thr', 'ODS P', 'ODS R'],
            [[f'{pct(out[k]):.2f}' for k in keys] + [
                f"{out['ODS_thr']:.2f}", f"{pct(out['ODS_precision']):.2f}",
                f"{pct(out['ODS_recall']):.2f}"
            ]], logger)
        return {k: pct(out[k]) for k in keys}
