"""AP^p / PCP and global mIoU of multi-person parsing (mmdet pipeline)."""
import os
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmhumanparse.registry import METRICS
from mmhumanparse.structures.paint import paint_persons
from ..functional import (DEFAULT_IOU_THRS, parsing_ap_from_tables,
                          parsing_iou_table, summarize_iou_table)
from .utils import (get_field, log_table, pct, sample_name, semantic_areas,
                    semantic_metrics, to_numpy)


@METRICS.register_module()
class ParsingAPMetric(BaseMetric):
    """Multi-person parsing metrics: AP^p_50, AP^p_vol, PCP_50 and mIoU.

    Reads per sample (data-sample dicts of the mmdet pipeline):

    - ``pred_instances.scores`` (N,) and ``pred_instances.parsings``
      (N, H, W) uint8 part maps at the original image size;
    - ``gt_instances.parsings`` (M, H, W) uint8, one map per person;
    - optional ``pred_sem_seg.sem_seg`` (1, H, W) (the model's combined
      part map) and ``gt_sem_seg.sem_seg`` (1, H, W): with both, the global
      mIoU / pixel acc / mean acc.

    ``process`` runs the per-image step: the (N, M, K) part-IoU table of
    :func:`parsing_iou_table`, reduced at once by
    :func:`summarize_iou_table` to four numbers per prediction (score, best
    mean IoU, which person, PCP share), plus the (4, K) per-class areas of
    mmseg's ``IoUMetric.intersect_and_union`` for the mIoU. So
    collecting results across ranks moves no masks (nor (N, M, K) tables,
    which reach ~0.5 MB per image on MHP-v2); ``compute_metrics`` runs the
    split-level protocol on them. The protocol is in ``docs/metrics.md``.

    Args:
        num_parts (int, optional): part classes including background;
            default ``len(dataset_meta['part_classes'])``, else
            ``len(dataset_meta['classes'])``.
        iou_thrs (Sequence[float]): thresholds of AP^p_vol.
        score_thr (float): predictions scoring lower are dropped.
        pcp_thr (float): PCP threshold (0.5: PCP_50).
        sem_seg_score_thr (float, optional): minimum score of a person in
            the submission's ``global_tag`` map and ``results.txt``; set it
            to the model's ``test_cfg.combine.score_thr``, so that the tag
            map marks the persons painted into ``pred_sem_seg``; default
            ``score_thr``.
        ignore_index (int): ignored label of ``gt_sem_seg`` (global mIoU);
            the AP^p / PCP step always ignores 255, as the MHP-v2 script.
        outfile_prefix (str, optional): when set, also write the MHP-v2
            submission layout there: ``global_seg/NAME.png`` (part labels),
            ``global_tag/NAME.png`` (person ids, 1 = best score; 16-bit when
            more than 255 persons) and ``results.txt`` with one line per
            image ``NAME id score id score ...``.
        format_only (bool): only write the submission (no GT needed).
        collect_device (str): 'cpu' or 'gpu'.
        prefix (str, optional): prefix of the metric names.
    """

    def __init__(self,
                 num_parts: Optional[int] = None,
                 iou_thrs: Sequence[float] = DEFAULT_IOU_THRS,
                 score_thr: float = 0.001,
                 pcp_thr: float = 0.5,
                 sem_seg_score_thr: Optional[float] = None,
                 ignore_index: int = 255,
                 outfile_prefix: Optional[str] = None,
                 format_only: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if format_only and outfile_prefix is None:
            raise ValueError('format_only=True needs an outfile_prefix to '
                             'write the submission to')
        self.num_parts = num_parts
        self.iou_thrs = tuple(float(t) for t in iou_thrs)
        self.score_thr = score_thr
        self.pcp_thr = pcp_thr
        self.sem_seg_score_thr = (score_thr if sem_seg_score_thr is None
                                  else sem_seg_score_thr)
        self.ignore_index = ignore_index
        self.outfile_prefix = outfile_prefix
        self.format_only = format_only

    def _part_classes(self) -> Optional[Sequence[str]]:
        """Part class names of ``dataset_meta``: ``part_classes`` (the
        instance datasets, whose ``classes`` are the detector's 'person')
        before ``classes``; None when neither is there."""
        meta = self.dataset_meta or {}
        return meta.get('part_classes') or meta.get('classes') or None

    def _num_parts(self) -> int:
        if self.num_parts is not None:
            return int(self.num_parts)
        classes = self._part_classes()
        if not classes:
            raise ValueError('ParsingAPMetric needs num_parts or a dataset '
                             "with METAINFO['part_classes'] or "
                             "METAINFO['classes']")
        return len(classes)

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Reduce each sample to its IoU table and per-class areas."""
        num_parts = self._num_parts()
        for i, sample in enumerate(data_samples):
            name = sample_name(sample, len(self.results) + i)
            scores = to_numpy(get_field(sample, 'pred_instances', 'scores',
                                        default=np.zeros(0)))
            parsings = to_numpy(
                get_field(
                    sample,
                    'pred_instances',
                    'parsings',
                    default=np.zeros((0, 0, 0), np.uint8)))
            result = dict(name=name)
            if self.outfile_prefix is not None:
                result['persons'] = self._dump(name, parsings, scores,
                                               sample)
            if not self.format_only:
                result.update(
                    self._tables(name, parsings, scores, sample, num_parts))
            self.results.append(result)

    def _tables(self, name, parsings, scores, sample, num_parts) -> Dict:
        gt = get_field(sample, 'gt_instances', 'parsings')
        if gt is None:
            raise ValueError(f'image {name!r}: gt_instances.parsings is '
                             'missing; load the annotations in the test '
                             'pipeline or use format_only=True')
        gt = to_numpy(gt)
        table = parsing_iou_table(
            parsings, scores, gt, num_parts, self.score_thr, index=name)
        out = dict(
            table=summarize_iou_table(table, self.pcp_thr), sem_areas=None)
        gt_sem = get_field(sample, 'gt_sem_seg', 'sem_seg')
        if gt_sem is not None:
            gt_sem = to_numpy(gt_sem)
            gt_sem = gt_sem.reshape(gt_sem.shape[-2:])
            pred_sem = get_field(sample, 'pred_sem_seg', 'sem_seg')
            if pred_sem is not None:
                out['sem_areas'] = semantic_areas(
                    to_numpy(pred_sem), gt_sem, num_parts,
                    self.ignore_index, name)
        return out

    def _dump(self, name, parsings, scores, sample) -> list:
        """Write the MHP-v2 submission PNGs of one image."""
        import cv2
        shape = get_field(sample, 'ori_shape')
        if parsings.ndim == 3 and parsings.shape[0]:
            shape = parsings.shape[1:]
        if shape is None:
            raise ValueError(f'image {name!r}: no prediction and no '
                             'ori_shape, cannot write its submission maps')
        if parsings.ndim != 3 or not parsings.shape[0]:
            parsings = np.zeros((0, ) + tuple(shape[:2]), np.uint8)
        semantic, person = paint_persons(parsings, scores,
                                         self.sem_seg_score_thr)
        pred_sem = get_field(sample, 'pred_sem_seg', 'sem_seg')
        if pred_sem is not None:
            semantic = to_numpy(pred_sem).reshape(semantic.shape)
        order = np.argsort(-scores, kind='stable')
        kept = [n for n in order if scores[n] >= self.sem_seg_score_thr]
        semantic = semantic.astype(np.uint8)
        person = person.astype(np.uint8 if len(kept) < 256 else np.uint16)
        for folder, img in (('global_seg', semantic), ('global_tag',
                                                       person)):
            path = osp.join(self.outfile_prefix, folder, f'{name}.png')
            os.makedirs(osp.dirname(path), exist_ok=True)
            cv2.imwrite(path, img)
        return [(k + 1, float(scores[n])) for k, n in enumerate(kept)]

    def _write_results_txt(self, results: list) -> str:
        path = osp.join(self.outfile_prefix, 'results.txt')
        os.makedirs(self.outfile_prefix, exist_ok=True)
        with open(path, 'w') as f:
            for r in results:
                items = ' '.join(f'{k} {s:.6f}' for k, s in r['persons'])
                f.write(f"{r['name']} {items}".rstrip() + '\n')
        return path

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """AP^p_50, AP^p_vol, PCP_50 (+ mIoU, aAcc, mAcc) in percent."""
        logger = MMLogger.get_current_instance()
        if self.outfile_prefix is not None:
            path = self._write_results_txt(results)
            logger.info(f'MHP-v2 submission written to {path}')
        if self.format_only:
            return {}
        ap = parsing_ap_from_tables([r['table'] for r in results],
                                    self.iou_thrs, self.pcp_thr,
                                    self.score_thr)
        log_table(
            f"AP^p per mean-IoU threshold ({ap['num_preds']} predictions, "
            f"{ap['num_gts']} GT persons):", ['thr', 'AP^p'],
            [[f'{t:.2f}', f'{pct(v):.2f}'] for t, v in ap['AP_p'].items()],
            logger)
        metrics = dict(
            AP_p50=pct(ap['AP_p50']),
            AP_p_vol=pct(ap['AP_p_vol']),
            PCP50=pct(ap['PCP50']))
        areas = [
            r['sem_areas'] for r in results
            if r.get('sem_areas') is not None
        ]
        if areas:
            sem = semantic_metrics(areas)
            classes = self._part_classes()
            if not classes or len(classes) != len(sem['IoU']):
                classes = [str(c) for c in range(len(sem['IoU']))]
            log_table('per class results:', ['Class', 'IoU', 'Acc'],
                      [[c, f'{pct(i):.2f}', f'{pct(a):.2f}']
                       for c, i, a in zip(classes, sem['IoU'], sem['Acc'])],
                      logger)
            metrics.update(
                mIoU=pct(sem['mIoU']),
                aAcc=pct(sem['aAcc']),
                mAcc=pct(sem['mAcc']))
        return metrics
