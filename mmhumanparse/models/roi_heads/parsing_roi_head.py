"""RoI head of Parsing R-CNN / RP R-CNN: box branch + parsing branch.

"Parsing R-CNN for Instance-Level Human Analysis" (arXiv:1811.12596) and
"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447). Modelled on mmdet's ``MaskScoringRoIHead``.
"""
from typing import List, Optional, Tuple

import torch
from mmdet.models.roi_heads import StandardRoIHead
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.models.utils import unpack_gt_instances
from mmdet.structures import SampleList
from mmdet.structures.bbox import bbox2roi
from mmengine.structures import InstanceData
from torch import Tensor

from mmhumanparse.registry import MODELS


@MODELS.register_module()
class ParsingRoIHead(StandardRoIHead):
    """mmdet ``StandardRoIHead`` (box branch) plus a parsing branch.

    The box branch reads every level (S2-S6); the parsing branch reads level
    0 (S2) only ("proposals separation sampling", RP R-CNN Sec. 3.2/3.3):
    ``parsing_roi_extractor`` (RoIAlign 32 x 32, one stride) ->
    ``parsing_head`` (:class:`GCEHead`) -> optional ``parsing_iou_head``
    (:class:`ParsingIoUHead`, the PRSN).

    Training (``train_cfg`` = the rcnn train cfg): the parsing losses use at
    most ``max_parsing_rois_per_img`` (16) positive RoIs per image, drawn at
    random. Inference (``test_cfg``): the box branch keeps ``max_per_img``
    boxes above ``score_thr``; their parsings are pasted into the image and,
    with the PRSN, the score becomes sqrt(S_cls * S_iou) (Sec. 3.5).

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
        super().__init__(**kwargs)
        self.parsing_roi_extractor = MODELS.build(parsing_roi_extractor)
        self.parsing_head = MODELS.build(parsing_head)
        self.parsing_iou_head = (
            MODELS.build(parsing_iou_head)
            if parsing_iou_head is not None else None)

    @property
    def with_parsing_iou(self) -> bool:
        """bool: whether the PRSN re-scores the parsings."""
        return self.parsing_iou_head is not None

    def _parsing_forward(self, x: Tuple[Tensor], rois: Tensor) -> dict:
        """Parsing branch on (n, 5) RoIs.

        Returns:
            dict: ``parsing_preds`` (n, C, 4S, 4S) logits,
            ``parsing_feats`` (n, C_f, S, S).
        """
        if rois.shape[0] == 0:
            head = self.parsing_head
            size = head.out_size
            return dict(
                parsing_preds=x[0].new_zeros(
                    (0, head.num_classes, size, size)),
                parsing_feats=x[0].new_zeros(
                    (0, head.convs[-1].out_channels if len(head.convs) else
                     head.fuse.out_channels, head.roi_feat_size,
                     head.roi_feat_size)))
        feats = self.parsing_roi_extractor(
            x[:self.parsing_roi_extractor.num_inputs], rois)
        parsing_preds, parsing_feats = self.parsing_head(feats)
        return dict(parsing_preds=parsing_preds, parsing_feats=parsing_feats)

    def forward(self,
                x: Tuple[Tensor],
                rpn_results_list: List[InstanceData],
                batch_data_samples: SampleList = None) -> tuple:
        """Raw outputs (for ``_forward`` / FLOPs counting): box scores and
        deltas of all proposals, parsing logits (+ PRSN scores) of the first
        100."""
        proposals = [res.bboxes for res in rpn_results_list]
        rois = bbox2roi(proposals)
        bbox_results = self._bbox_forward(x, rois)
        results = (bbox_results['cls_score'], bbox_results['bbox_pred'])
        parsing = self._parsing_forward(x, rois[:100])
        results = results + (parsing['parsing_preds'], )
        if self.with_parsing_iou:
            results = results + (self.parsing_iou_head(
                parsing['parsing_feats'],
                parsing['parsing_preds'].softmax(1)), )
        return results

    def loss(self, x: Tuple[Tensor], rpn_results_list: List[InstanceData],
             batch_data_samples: SampleList) -> dict:
        """Assign and sample proposals, then box and parsing losses.

        Returns:
            dict: ``loss_cls``, ``acc``, ``loss_bbox``, ``loss_parsing`` and,
            with the PRSN, ``loss_parsing_iou``.
        """
        assert len(rpn_results_list) == len(batch_data_samples)
        batch_gt_instances, batch_gt_instances_ignore, _ = \
            unpack_gt_instances(batch_data_samples)
        sampling_results = []
        for i in range(len(batch_data_samples)):
            rpn_results = rpn_results_list[i]
            rpn_results.priors = rpn_results.pop('bboxes')
            assign_result = self.bbox_assigner.assign(
                rpn_results, batch_gt_instances[i],
                batch_gt_instances_ignore[i])
            sampling_results.append(
                self.bbox_sampler.sample(
                    assign_result,
                    rpn_results,
                    batch_gt_instances[i],
                    feats=[lvl_feat[i][None] for lvl_feat in x]))
        losses = dict()
        bbox_results = self.bbox_loss(x, sampling_results)
        losses.update(bbox_results['loss_bbox'])
        losses.update(
            self.parsing_loss(x, sampling_results, batch_gt_instances))
        return losses

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

    def parsing_loss(self, x: Tuple[Tensor],
                     sampling_results: List[SamplingResult],
                     batch_gt_instances: List[InstanceData]) -> dict:
        """Parsing CE (and PRSN MSE) on the picked positive RoIs."""
        pos_boxes, pos_gt_inds = self._pick_positives(sampling_results)
        rois = bbox2roi(pos_boxes)
        if rois.shape[0] == 0:  # keep every parameter in the graph
            rois = x[0].new_zeros((1, 5))
            rois[0, 3:] = 1.
            out = self._parsing_forward(x, rois)
            zero = out['parsing_preds'].sum() * 0 + out['parsing_feats'].sum(
            ) * 0
            losses = dict(loss_parsing=zero)
            if self.with_parsing_iou:
                losses['loss_parsing_iou'] = self.parsing_iou_head(
                    out['parsing_feats'], out['parsing_preds']).sum() * 0
            return losses
        out = self._parsing_forward(x, rois)
        result = self.parsing_head.loss_and_target(out['parsing_preds'],
                                                   pos_boxes, pos_gt_inds,
                                                   batch_gt_instances)
        losses = dict(result['loss_parsing'])
        if self.with_parsing_iou:
            iou_preds = self.parsing_iou_head(
                out['parsing_feats'], out['parsing_preds'].detach().softmax(1))
            losses.update(
                self.parsing_iou_head.loss_and_target(
                    iou_preds, out['parsing_preds'],
                    result['parsing_targets']))
        return losses

    def predict(self,
                x: Tuple[Tensor],
                rpn_results_list: List[InstanceData],
                batch_data_samples: SampleList,
                rescale: bool = False) -> List[InstanceData]:
        """Boxes, then their parsings pasted into the image.

        Returns:
            list[InstanceData]: per image ``bboxes`` (n, 4), ``labels``,
            ``scores`` (sqrt(S_cls * S_iou) with the PRSN), ``parsings``
            (n, H, W) uint8, ``masks`` (n, H, W) bool; with the PRSN also
            ``bbox_scores`` and ``iou_scores``.
        """
        batch_img_metas = [s.metainfo for s in batch_data_samples]
        results_list = self.predict_bbox(
            x,
            batch_img_metas,
            rpn_results_list,
            rcnn_test_cfg=self.test_cfg,
            rescale=False)
        return self.predict_parsing(x, batch_img_metas, results_list,
                                    rescale)

    def predict_parsing(self,
                        x: Tuple[Tensor],
                        batch_img_metas: List[dict],
                        results_list: List[InstanceData],
                        rescale: bool = False) -> List[InstanceData]:
        """Parsing branch (+ PRSN) on the detected boxes."""
        rois = bbox2roi([res.bboxes for res in results_list])
        out = self._parsing_forward(x, rois)
        num_per_img = [len(res) for res in results_list]
        parsing_preds = out['parsing_preds'].split(num_per_img, 0)
        results_list = self.parsing_head.predict_by_feat(
            parsing_preds, results_list, batch_img_metas, rescale=rescale)
        if self.with_parsing_iou:
            iou_preds = self.parsing_iou_head(
                out['parsing_feats'], out['parsing_preds'].softmax(1)) \
                if rois.shape[0] else rois.new_zeros((0, ))
            results_list = self.parsing_iou_head.predict_by_feat(
                iou_preds.split(num_per_img, 0), results_list)
        return results_list
