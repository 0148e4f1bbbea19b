"""Parsing R-CNN / RP R-CNN detector (multi-person human parsing).

"Parsing R-CNN for Instance-Level Human Analysis" (arXiv:1811.12596);
"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447). RP R-CNN is a config of :class:`ParsingRCNN` with a
``GSEFPN`` neck and a ``ParsingIoUHead``.
"""
import copy
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmdet.models.detectors import TwoStageDetector
from mmdet.structures import SampleList
from mmengine.structures import PixelData
from torch import Tensor

from mmhumanparse.registry import MODELS


def paint_parsings(parsings: Tensor, scores: Tensor,
                   score_thr: float) -> Tensor:
    """Instance-level part map (Fig. 4 (b)): persons scoring at least
    ``score_thr`` painted in ascending score order (the best person wins
    where persons overlap); only part pixels (> 0, != 255) are painted.

    Args:
        parsings (Tensor): (n, H, W) uint8 part maps.
        scores (Tensor): (n, ) scores.

    Returns:
        Tensor: (H, W) uint8.
    """
    out = parsings.new_zeros(parsings.shape[-2:])
    order = torch.argsort(scores, stable=True)
    for i in order.tolist():
        if scores[i] < score_thr:
            continue
        fg = (parsings[i] > 0) & (parsings[i] != 255)
        out[fg] = parsings[i][fg]
    return out


def combine_semantic(global_map: Optional[Tensor],
                     instance_map: Tensor) -> Tensor:
    """Combined semantic map (Fig. 4 (c)): the element-wise OR of the global
    map (a) and the instance-level map (b); where both are non-background
    and differ, (b) wins (Sec. 3.5).

    Args:
        global_map (Tensor, optional): (H, W) part labels of the GSE-FPN
            semantic branch; None gives ``instance_map``.
        instance_map (Tensor): (H, W) part labels from the persons.

    Returns:
        Tensor: (H, W) part labels (dtype of ``instance_map``).
    """
    if global_map is None:
        return instance_map
    return torch.where(instance_map > 0, instance_map,
                       global_map.to(instance_map.dtype))


@MODELS.register_module()
class ParsingRCNN(TwoStageDetector):
    """mmdet ``TwoStageDetector`` for multi-person parsing.

    The ROI head is a :class:`ParsingRoIHead`. With a ``GSEFPN`` neck the
    detector gives the neck's semantic head the image's global part map
    (``gt_sem_seg``) at training, and at inference combines its prediction
    with the persons' parsings into ``pred_sem_seg`` (Fig. 4); without it
    ``pred_sem_seg`` is the instance-level map alone.

    ``test_cfg.combine.score_thr`` (default 0.3, our choice, the paper
    gives none) is the minimum person score painted into ``pred_sem_seg``.

    Outputs (``predict``): ``pred_instances`` with ``bboxes``, ``labels``,
    ``scores``, ``parsings`` (n, H, W) uint8, ``masks`` (n, H, W) bool at
    the original image size, and ``pred_sem_seg.sem_seg`` (1, H, W) uint8.
    """

    def __init__(self,
                 backbone: dict,
                 rpn_head: dict,
                 roi_head: dict,
                 train_cfg: dict,
                 test_cfg: dict,
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg=None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            rpn_head=rpn_head,
            roi_head=roi_head,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)

    @property
    def with_semantic(self) -> bool:
        """bool: whether the neck has a global semantic branch (GSE-FPN)."""
        return self.with_neck and hasattr(self.neck, 'forward_semantic')

    def extract_feat_semantic(
            self, batch_inputs: Tensor) -> Tuple[tuple, Optional[Tensor]]:
        """Pyramid levels and, with a GSE-FPN, the (N, C, H/4, W/4) global
        part logits (else None)."""
        x = self.backbone(batch_inputs)
        if self.with_semantic:
            return self.neck.forward_semantic(x)
        return (self.neck(x) if self.with_neck else x), None

    def loss(self, batch_inputs: Tensor,
             batch_data_samples: SampleList) -> dict:
        """RPN, box, parsing (+ PRSN) and global semantic losses (Eq. 1)."""
        x, sem_logits = self.extract_feat_semantic(batch_inputs)
        losses = dict()
        if sem_logits is not None:
            losses.update(
                self.neck.loss(
                    sem_logits,
                    [s.gt_sem_seg.sem_seg for s in batch_data_samples],
                    batch_data_samples[0].metainfo['batch_input_shape']))

        # RPN, as mmdet's TwoStageDetector.loss
        proposal_cfg = self.train_cfg.get('rpn_proposal', self.test_cfg.rpn)
        rpn_data_samples = copy.deepcopy(batch_data_samples)
        for data_sample in rpn_data_samples:
            data_sample.gt_instances.labels = torch.zeros_like(
                data_sample.gt_instances.labels)
        rpn_losses, rpn_results_list = self.rpn_head.loss_and_predict(
            x, rpn_data_samples, proposal_cfg=proposal_cfg)
        for key in list(rpn_losses.keys()):
            if 'loss' in key and 'rpn' not in key:
                rpn_losses[f'rpn_{key}'] = rpn_losses.pop(key)
        losses.update(rpn_losses)

        losses.update(
            self.roi_head.loss(x, rpn_results_list, batch_data_samples))
        return losses

    def predict(self,
                batch_inputs: Tensor,
                batch_data_samples: SampleList,
                rescale: bool = True) -> SampleList:
        """Persons with part maps, and the combined semantic map.

        Returns:
            list[DetDataSample]: with ``pred_instances`` and
            ``pred_sem_seg`` (see the class docstring).
        """
        x, sem_logits = self.extract_feat_semantic(batch_inputs)
        rpn_results_list = self.rpn_head.predict(
            x, batch_data_samples, rescale=False)
        results_list = self.roi_head.predict(
            x, rpn_results_list, batch_data_samples, rescale=rescale)
        batch_data_samples = self.add_pred_to_datasample(
            batch_data_samples, results_list)
        global_maps = self.predict_semantic(sem_logits, batch_data_samples,
                                            rescale)
        score_thr = self.test_cfg.get('combine', {}).get('score_thr', 0.3)
        for sample, global_map in zip(batch_data_samples, global_maps):
            inst = sample.pred_instances
            instance_map = paint_parsings(inst.parsings, inst.scores,
                                          score_thr)
            sample.pred_sem_seg = PixelData(
                sem_seg=combine_semantic(global_map, instance_map)[None])
        return batch_data_samples

    def predict_semantic(self, sem_logits: Optional[Tensor],
                         batch_data_samples: SampleList,
                         rescale: bool = True) -> List[Optional[Tensor]]:
        """Global part maps (Fig. 4 (a)): logits upsampled to the padded
        input, cropped to ``img_shape``, resized to ``ori_shape`` (when
        ``rescale``), argmax. Returns (H, W) uint8 per image, or Nones."""
        if sem_logits is None:
            return [None] * len(batch_data_samples)
        meta = batch_data_samples[0].metainfo
        logits = F.interpolate(
            sem_logits,
            size=meta['batch_input_shape'],
            mode='bilinear',
            align_corners=False)
        maps = []
        for i, sample in enumerate(batch_data_samples):
            h, w = sample.metainfo['img_shape'][:2]
            one = logits[i:i + 1, :, :h, :w]
            if rescale:
                one = F.interpolate(
                    one,
                    size=sample.metainfo['ori_shape'][:2],
                    mode='bilinear',
                    align_corners=False)
            maps.append(one[0].argmax(0).to(torch.uint8))
        return maps


__all__ = ['ParsingRCNN', 'paint_parsings', 'combine_semantic']
