"""Flip test-time augmentation of :class:`ParsingRCNN`."""
from typing import List

import torch
from mmcv.ops import batched_nms
from mmdet.models.test_time_augs import DetTTAModel
from mmdet.structures import DetDataSample
from mmdet.structures.bbox import bbox_flip
from mmengine.structures import InstanceData, PixelData

from mmhumanparse.registry import MODELS
from mmhumanparse.structures import flip_label_map
from mmhumanparse.structures.paint import paint_persons


@MODELS.register_module()
class ParsingDetTTAModel(DetTTAModel):
    """mmdet's ``DetTTAModel`` that also merges per-person part maps.

    Each view's boxes are mapped back to the original image (mmdet's
    ``bbox_flip``); a flipped view's part maps are mirrored back *and* their
    left/right labels swapped (``flip_pairs`` of the sample,
    :func:`mmhumanparse.structures.flip_label_map`). Persons of all views are
    pooled and NMS-ed as boxes; each kept person keeps its own part map.
    ``pred_sem_seg`` is the first un-flipped view's global part map
    (``pred_global_seg``; background without a semantic head) with the
    kept persons scoring at least ``tta_cfg.combine_score_thr`` (default
    0.3) painted on top by
    :func:`mmhumanparse.structures.paint.paint_persons` (Fig. 4 of
    arXiv:2009.09447).

    This is flip-only: the official "6x + TTA" setting (soft-NMS, box
    voting, eight scales x flip, part probabilities averaged over views) is
    not reproduced here; part maps are not averaged across views.

    Args:
        tta_cfg (dict): ``nms``, ``max_per_img`` and optional
            ``combine_score_thr``.
    """

    def _merge_single_sample(
            self, data_samples: List[DetDataSample]) -> DetDataSample:
        bboxes, scores, labels, parsings = [], [], [], []
        base = data_samples[0]
        global_map = None
        for sample in data_samples:
            inst = sample.pred_instances
            maps = inst.parsings
            box = inst.bboxes
            if sample.metainfo.get('flip', False):
                direction = sample.metainfo.get('flip_direction',
                                                'horizontal')
                if direction != 'horizontal':
                    raise ValueError('ParsingDetTTAModel: only horizontal '
                                     f'flips swap sides, got {direction!r}')
                box = bbox_flip(box, sample.ori_shape, direction)
                maps = flip_label_map(maps,
                                      sample.metainfo.get('flip_pairs'))
            elif global_map is None and 'pred_global_seg' in sample:
                base = sample
                global_map = sample.pred_global_seg.sem_seg[0]
            bboxes.append(box)
            scores.append(inst.scores)
            labels.append(inst.labels)
            parsings.append(maps)
        bboxes, scores = torch.cat(bboxes), torch.cat(scores)
        labels, parsings = torch.cat(labels), torch.cat(parsings)
        results = InstanceData()
        if bboxes.numel():
            dets, keep = batched_nms(bboxes, scores, labels, self.tta_cfg.nms)
            keep = keep[:self.tta_cfg.max_per_img]
            results.bboxes = dets[:len(keep), :-1]
            results.scores = dets[:len(keep), -1]
            results.labels = labels[keep]
            results.parsings = parsings[keep]
        else:
            results.bboxes, results.scores = bboxes, scores
            results.labels, results.parsings = labels, parsings
        results.masks = results.parsings > 0
        base.pred_instances = results
        sem_seg, _ = paint_persons(
            results.parsings, results.scores,
            self.tta_cfg.get('combine_score_thr', 0.3), global_map)
        base.pred_sem_seg = PixelData(sem_seg=sem_seg[None])
        return base
