"""Parsing R-CNN / RP R-CNN detector (multi-person human parsing).

"Parsing R-CNN for Instance-Level Human Analysis" (arXiv:1811.12596);
"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447). RP R-CNN is a config of :class:`ParsingRCNN` with a
``GSESemanticHead`` and a ``ParsingIoUHead``.
"""
import copy
from typing import Optional

import torch
from mmdet.models.detectors import TwoStageDetector
from mmdet.structures import SampleList
from mmengine.structures import PixelData
from torch import Tensor

from mmhumanparse.registry import MODELS
from mmhumanparse.structures.paint import global_part_map, paint_persons


@MODELS.register_module()
class ParsingRCNN(TwoStageDetector):
    """mmdet ``TwoStageDetector`` for multi-person parsing, shaped like
    mmdet's ``TwoStagePanopticSegmentor``.

    The RoI head is a :class:`ParsingRoIHead`. The optional
    ``semantic_head`` (RP R-CNN's GSE branch, :class:`GSESemanticHead`)
    reads the FPN levels, returns them enhanced (what the RPN and RoI head
    see) and the global part logits; it owns its loss (on ``gt_sem_seg``)
    and its prediction (part probabilities, which the RoI head also gets as
    ``sem_probs``).

    ``pred_sem_seg`` is Fig. 4: the global part map (a), a label kept where
    its probability is > ``test_cfg.semantic.score_thr`` (official 0.7, 0 =
    the paper's plain argmax), with the persons scoring at least
    ``test_cfg.combine.score_thr`` (official 0.3 CIHP, 0.05 MHP-v2) painted
    on top by :func:`mmhumanparse.structures.paint.paint_persons`.

    Outputs (``predict``): ``pred_instances`` with ``bboxes``, ``labels``,
    ``scores``, ``parsings`` (n, H, W) uint8, ``masks`` (n, H, W) bool;
    ``pred_sem_seg.sem_seg`` (1, H, W) uint8 and, with a semantic head,
    ``pred_global_seg.sem_seg`` (1, H, W) uint8, the map (a) alone.
    """

    def __init__(self,
                 *args,
                 semantic_head: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.semantic_head = (MODELS.build(semantic_head)
                              if semantic_head is not None else None)

    @property
    def with_semantic_head(self) -> bool:
        """bool: whether the detector has the GSE semantic branch."""
        return self.semantic_head is not None

    def extract_feat_semantic(self, batch_inputs: Tensor) -> tuple:
        """Levels for the RPN / RoI head and the (N, C, H/4, W/4) part
        logits (None without a semantic head)."""
        x = super().extract_feat(batch_inputs)
        if not self.with_semantic_head:
            return x, None
        out = self.semantic_head(x)
        return out['feats'], out['seg_preds']

    def extract_feat(self, batch_inputs: Tensor) -> tuple:
        """The levels the RPN and RoI head read (enhanced by the semantic
        head when there is one), for mmdet's ``_forward`` and tools."""
        return self.extract_feat_semantic(batch_inputs)[0]

    def loss(self, batch_inputs: Tensor,
             batch_data_samples: SampleList) -> dict:
        """RPN, box, parsing (+ PRSN) and global semantic losses (Eq. 1)."""
        x, seg_preds = self.extract_feat_semantic(batch_inputs)
        losses = dict()
        if seg_preds is not None:
            losses.update(
                self.semantic_head.loss(seg_preds, batch_data_samples))
        # the RPN block of mmdet's TwoStageDetector.loss
        proposal_cfg = self.train_cfg.get('rpn_proposal', self.test_cfg.rpn)
        rpn_data_samples = copy.deepcopy(batch_data_samples)
        for sample in rpn_data_samples:
            sample.gt_instances.labels = torch.zeros_like(
                sample.gt_instances.labels)
        rpn_losses, rpn_results_list = self.rpn_head.loss_and_predict(
            x, rpn_data_samples, proposal_cfg=proposal_cfg)
        for key in list(rpn_losses):
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
        """Persons with part maps, and the combined part map (class
        docstring)."""
        x, seg_preds = self.extract_feat_semantic(batch_inputs)
        kwargs, sem_probs = {}, [None] * len(batch_data_samples)
        if seg_preds is not None:
            sem_probs = self.semantic_head.predict(
                seg_preds, [s.metainfo for s in batch_data_samples], rescale)
            kwargs['sem_probs'] = sem_probs
        rpn_results_list = self.rpn_head.predict(
            x, batch_data_samples, rescale=False)
        results_list = self.roi_head.predict(
            x, rpn_results_list, batch_data_samples, rescale=rescale,
            **kwargs)
        self.add_pred_to_datasample(batch_data_samples, results_list)
        semantic_thr = self.test_cfg.get('semantic', {}).get('score_thr', 0.)
        combine_thr = self.test_cfg.get('combine', {}).get('score_thr', 0.3)
        for sample, probs in zip(batch_data_samples, sem_probs):
            inst = sample.pred_instances
            base = None
            if probs is not None:
                base = global_part_map(probs, semantic_thr)
                sample.pred_global_seg = PixelData(sem_seg=base[None])
            sem_seg, _ = paint_persons(inst.parsings, inst.scores,
                                       combine_thr, base)
            sample.pred_sem_seg = PixelData(sem_seg=sem_seg[None])
        return batch_data_samples


__all__ = ['ParsingRCNN']
