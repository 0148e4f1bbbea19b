"""Flip / multi-scale test-time augmentation of :class:`ParsingRCNN`."""
from typing import List

import torch
from mmcv.ops import batched_nms
from mmdet.models.test_time_augs import DetTTAModel
from mmdet.structures import DetDataSample
from mmdet.structures.bbox import bbox_flip
from mmengine.structures import InstanceData, PixelData

from mmhumanparse.registry import MODELS
from mmhumanparse.structures import flip_label_map
from .parsing_rcnn import combine_semantic, paint_parsings


@MODELS.register_module()
class ParsingDetTTAModel(DetTTAModel):
    """mmdet's ``DetTTAModel`` that also merges per-person part maps.

    Each view's boxes are mapped back to the original image (mmdet's
    ``bbox_flip``); a flipped view's part maps are mirrored back *and* their
    left/right labels swapped (``flip_pairs`` of the sample,
    :func:`mmhumanparse.structures.flip_label_map`). Persons of all views are
    pooled and NMS-ed as boxes; each kept person keeps its own part map.
    ``pred_sem_seg`` is the first un-flipped view's combined map with the
    kept persons (score >= ``tta_cfg.combine_score_thr``, default 0.3)
    painted on top (as Fig. 4 of arXiv:2009.09447). Part maps are not
    averaged across views (the paper's TTA details are not given).

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
            elif global_map is None and 'pred_sem_seg' in sample:
                base = sample
                global_map = sample.pred_sem_seg.sem_seg[0]
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
        inst_map = paint_parsings(results.parsings, results.scores,
                                  self.tta_cfg.get('combine_score_thr', 0.3))
        base.pred_sem_seg = PixelData(
            sem_seg=combine_semantic(global_map, inst_map)[None])
        return base
