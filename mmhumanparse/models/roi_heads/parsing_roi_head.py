"""RoI head of Parsing R-CNN / RP R-CNN: box branch + parsing branch.

"Parsing R-CNN for Instance-Level Human Analysis" (arXiv:1811.12596) and
"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447). Shaped like mmdet's ``MaskScoringRoIHead``: the
parsing branch sits in ``StandardRoIHead``'s mask slot and the PRSN plays
the part of the MaskIoU head.
"""
from typing import List, Optional, Tuple

import torch
from mmdet.models.roi_heads import StandardRoIHead
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.structures import SampleList
from mmdet.structures.bbox import bbox2roi
from mmengine.structures import InstanceData
from torch import Tensor

from mmhumanparse.registry import MODELS


@MODELS.register_module()
class ParsingRoIHead(StandardRoIHead):
    """mmdet ``StandardRoIHead`` whose mask slot holds the parsing branch.

    The box branch reads S2-S5 (RoIAlign over strides 4-32); the parsing
    branch reads S2 only ("proposals separation sampling", RP R-CNN Sec.
    3.2/3.3): ``parsing_roi_extractor`` (RoIAlign 32 x 32, one stride) ->
    ``parsing_head`` (:class:`GCEHead`) -> optional ``parsing_iou_head``
    (:class:`ParsingIoUHead`, the PRSN). The config keys are mapped onto
    mmdet's ``mask_roi_extractor`` / ``mask_head``.

    Training (``train_cfg`` = the rcnn train cfg): the parsing losses use at
    most ``max_parsing_rois_per_img`` (16) positive RoIs per image, drawn at
    random. Inference (``test_cfg`` = the rcnn test cfg): the box branch
    keeps ``max_per_img`` boxes above ``score_thr``; their parsings are
    pasted into the image (with ``semseg_fuse_weight`` x the semantic
    probabilities added inside each person, see
    :meth:`GCEHead.predict_by_feat`) and, with the PRSN, the score becomes
    sqrt(S_cls * S_iou) (Sec. 3.5).

    Args:
        parsing_roi_extractor (dict): RoI extractor of the parsing branch.
        parsing_head (dict): parsing head.
        parsing_iou_head (dict, optional): PRSN.
        **kwargs: ``StandardRoIHead`` arguments (``bbox_roi_extractor``,
            ``bbox_head``, ``train_cfg``, ``test_cfg``, ``init_cfg``).
    """

    def __init__(self,
                 parsing_roi_extractor: dict,
                 parsing_head: dict,
                 parsing_iou_head: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(
            mask_roi_extractor=parsing_roi_extractor,
            mask_head=parsing_head,
            **kwargs)
        self.parsing_iou_head = (
            MODELS.build(parsing_iou_head)
            if parsing_iou_head is not None else None)

    @property
    def with_parsing_iou(self) -> bool:
        """bool: whether the PRSN re-scores the parsings."""
        return self.parsing_iou_head is not None

    def forward(self,
                x: Tuple[Tensor],
                rpn_results_list: List[InstanceData],
                batch_data_samples: SampleList = None) -> tuple:
        """Raw outputs (for ``_forward`` / FLOPs counting): box scores and
        deltas of all proposals, parsing logits (+ PRSN scores) of the first
        100."""
        rois = bbox2roi([res.bboxes for res in rpn_results_list])
        bbox_results = self._bbox_forward(x, rois)
        results = (bbox_results['cls_score'], bbox_results['bbox_pred'])
        parsing = self._mask_forward(x, rois[:100])
        results = results + (parsing['mask_preds'], )
        if self.with_parsing_iou:
            results = results + (self.parsing_iou_head(
                parsing['mask_feats'], parsing['mask_preds']), )
        return results

    def _mask_forward(self, x: Tuple[Tensor], rois: Tensor) -> dict:
        """Parsing branch on (n, 5) RoIs.

        Returns:
            dict: ``mask_preds`` (n, C, 4S, 4S) part logits and
            ``mask_feats`` (n, feat_channels, S, S), the GCE feature the PRSN
            reads.
        """
        head = self.mask_head
        if rois.shape[0] == 0:
            size, feat = head.out_size, head.roi_feat_size
            return dict(
                mask_preds=x[0].new_zeros((0, head.num_classes, size, size)),
                mask_feats=x[0].new_zeros((0, head.feat_channels, feat, feat)))
        roi_feats = self.mask_roi_extractor(
            x[:self.mask_roi_extractor.num_inputs], rois)
        mask_preds, mask_feats = head(roi_feats)
        return dict(mask_preds=mask_preds, mask_feats=mask_feats)

    def _pick_positives(self, sampling_results: List[SamplingResult]
                        ) -> Tuple[List[Tensor], List[Tensor]]:
        """At most ``max_parsing_rois_per_img`` random positives per image.

        Returns:
            tuple: per image (n_i, 4) boxes and (n_i, ) matched GT indices.
        """
        max_num = self.train_cfg.get('max_parsing_rois_per_img', 16)
        boxes, gt_inds = [], []
        for res in sampling_results:
            num = res.pos_priors.shape[0]
            keep = torch.arange(num, device=res.pos_priors.device)
            if max_num is not None and num > max_num:
                keep = torch.randperm(
                    num, device=res.pos_priors.device)[:max_num]
            boxes.append(res.pos_priors[keep])
            gt_inds.append(res.pos_assigned_gt_inds[keep])
        return boxes, gt_inds

    def mask_loss(self, x: Tuple[Tensor],
                  sampling_results: List[SamplingResult],
                  bbox_feats: Optional[Tensor],
                  batch_gt_instances: List[InstanceData]) -> dict:
        """Parsing CE (and PRSN loss) on the picked positive RoIs.

        Returns:
            dict: ``loss_mask`` (dict: ``loss_parsing`` and, with the PRSN,
            ``loss_parsing_iou``) and the branch outputs ``mask_preds`` /
            ``mask_feats``.
        """
        pos_boxes, pos_gt_inds = self._pick_positives(sampling_results)
        rois = bbox2roi(pos_boxes)
        if rois.shape[0] == 0:  # one dummy RoI keeps every parameter used
            rois = x[0].new_tensor([[0., 0., 0., 1., 1.]])
            results = self._mask_forward(x, rois)
            zero = results['mask_preds'].sum() * 0
            losses = dict(loss_parsing=zero)
            if self.with_parsing_iou:
                losses['loss_parsing_iou'] = self.parsing_iou_head(
                    results['mask_feats'], results['mask_preds']).sum() * 0
            results.update(loss_mask=losses)
            return results
        results = self._mask_forward(x, rois)
        loss_and_target = self.mask_head.loss_and_target(
            results['mask_preds'], pos_boxes, pos_gt_inds, batch_gt_instances)
        losses = dict(loss_and_target['loss_mask'])
        if self.with_parsing_iou:
            iou_preds = self.parsing_iou_head(results['mask_feats'],
                                              results['mask_preds'])
            losses.update(
                self.parsing_iou_head.loss_and_target(
                    iou_preds, results['mask_preds'],
                    loss_and_target['mask_targets']))
        results.update(loss_mask=losses)
        return results

    def predict(self,
                x: Tuple[Tensor],
                rpn_results_list: List[InstanceData],
                batch_data_samples: SampleList,
                rescale: bool = False,
                sem_probs: Optional[List[Tensor]] = None
                ) -> List[InstanceData]:
        """``StandardRoIHead.predict`` with the semantic probabilities passed
        on to :meth:`predict_mask` (``sem_probs``: None or per image (C, H,
        W) at the output size, see :meth:`GCEHead.predict_by_feat`)."""
        batch_img_metas = [s.metainfo for s in batch_data_samples]
        results_list = self.predict_bbox(
            x, batch_img_metas, rpn_results_list, self.test_cfg, rescale=False)
        return self.predict_mask(x, batch_img_metas, results_list, rescale,
                                 sem_probs)

    def predict_mask(self,
                     x: Tuple[Tensor],
                     batch_img_metas: List[dict],
                     results_list: List[InstanceData],
                     rescale: bool = False,
                     sem_probs: Optional[List[Tensor]] = None
                     ) -> List[InstanceData]:
        """Parsing branch (+ PRSN) on the detected boxes.

        Returns:
            list[InstanceData]: per image ``bboxes`` (n, 4) (in the original
            image when ``rescale``), ``labels``, ``scores`` (sqrt(S_cls *
            S_iou) with the PRSN), ``parsings`` (n, H, W) uint8, ``masks``
            (n, H, W) bool; with the PRSN also ``bbox_scores`` and
            ``iou_scores``.
        """
        rois = bbox2roi([res.bboxes for res in results_list])
        results = self._mask_forward(x, rois)
        num_per_img = [len(res) for res in results_list]
        results_list = self.mask_head.predict_by_feat(
            results['mask_preds'].split(num_per_img, 0),
            results_list,
            batch_img_metas,
            rcnn_test_cfg=self.test_cfg,
            rescale=rescale,
            sem_probs=sem_probs)
        if self.with_parsing_iou:
            iou_preds = self.parsing_iou_head(
                results['mask_feats'], results['mask_preds'])
            results_list = self.parsing_iou_head.predict_by_feat(
                iou_preds.split(num_per_img, 0), results_list)
        return results_list
