"""Geometric and Context Encoding (GCE) parsing head of Parsing R-CNN.

"Parsing R-CNN for Instance-Level Human Analysis" (arXiv:1811.12596), used
with GN in every conv as in "Renovating Parsing R-CNN for Accurate Multiple
Human Parsing" (arXiv:2009.09447), Sec. 4.1 and Table 2.
"""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, NonLocal2d
from mmengine.model import BaseModule, constant_init, normal_init
from mmengine.structures import InstanceData
from mmseg.models.decode_heads.aspp_head import ASPPModule
from torch import Tensor

from mmhumanparse.models.roi_heads.parsing_heads.paste import (PASTES,
                                                               paste_parsings)
from mmhumanparse.registry import MODELS
from mmhumanparse.structures.parsing_target import CELLS, parsing_target


class GCENonLocal2d(NonLocal2d):
    """mmcv's embedded-Gaussian ``NonLocal2d`` ("Non-local Neural Networks",
    arXiv:1711.07971) with the switches that make it the official Parsing
    R-CNN / RP R-CNN op (soeaver/RP-R-CNN ``models/ops/nonlocal2d.py``,
    built as ``NonLocal2d(512, 512, 512, use_gn=True)``; the defaults):

    * ``reduction`` 1: inner width = in_channels (official ``NL_RATIO``
      1.0; mmcv's default 2 halves it);
    * ``sub_sample`` with ``pool_first``: a 2 x 2 max-pool on the input of
      the phi / g 1x1 convs (official), not on their output (mmcv);
    * ``out_bias``: the output 1x1 conv keeps its bias before the norm;
    * ``zeros_init`` False: every 1x1 conv N(0, 0.01) with zero bias and
      the output norm at scale 1 / shift 0 (official); True: mmcv's init
      (output norm scale 0, the block starts as the identity).

    (n, C, H, W) -> (n, C, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 reduction: int = 1,
                 sub_sample: bool = True,
                 pool_first: bool = True,
                 out_bias: bool = True,
                 zeros_init: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__(
            in_channels,
            sub_sample=sub_sample and not pool_first,
            reduction=reduction,
            use_scale=True,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            zeros_init=zeros_init)
        self.zeros_init = zeros_init
        if sub_sample and pool_first:
            self.g = nn.Sequential(nn.MaxPool2d(2), self.g)
            self.phi = nn.Sequential(nn.MaxPool2d(2), self.phi)
        if out_bias:
            self.conv_out = ConvModule(
                self.inter_channels,
                self.in_channels,
                1,
                bias=True,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg,
                act_cfg=None)
        self.init_weights()

    def init_weights(self,
                     std: float = 0.01,
                     zeros_init: Optional[bool] = None) -> None:
        """Convs N(0, ``std``) with zero bias; the output norm (or conv) as
        ``zeros_init`` says (mmengine calls this again without arguments)."""
        if zeros_init is None:
            zeros_init = self.zeros_init
        for branch in (self.g, self.theta, self.phi, self.conv_out):
            for conv in branch.modules():
                if isinstance(conv, nn.Conv2d):
                    normal_init(conv, std=std)
        last = (self.conv_out.norm
                if self.conv_out.with_norm else self.conv_out.conv)
        if zeros_init:
            constant_init(last, 0)
        elif self.conv_out.with_norm:
            constant_init(last, 1)


@MODELS.register_module()
class GCEHead(BaseModule):
    """Parsing head: ASPP + non-local + convs + deconv, per RoI.

    (n, in_channels, S, S) RoI features (S = 32) -> ASPP (image pooling, a
    1x1 and three 3x3 convs at dilations 6/12/18, ``aspp_channels`` each,
    concatenated in this order as the official code) -> 1x1 conv to
    ``conv_out_channels`` (512) -> non-local block (:class:`GCENonLocal2d`)
    -> ``num_convs`` (4) 3x3 convs = the parsing feature (``feat_channels``
    = 512, read by the PRSN) -> 4x4 stride-2 transposed conv to C ->
    bilinear x2 -> (n, C, 4S, 4S) part logits (128 x 128). GN follows every
    conv (RP R-CNN, Table 2).

    Args:
        num_classes (int): part classes C incl. background.
        in_channels (int): RoI feature channels (256).
        roi_feat_size (int): S (32).
        aspp_channels (int): channels of each ASPP branch (256).
        aspp_dilations (Sequence[int]): 1 is the 1x1 branch.
        conv_out_channels (int): channels after the ASPP fusion (512).
        num_convs (int): 3x3 convs after the non-local block (4).
        nonlocal_cfg (dict, optional): :class:`GCENonLocal2d` arguments
            (None: no non-local block); its ``norm_cfg`` / ``conv_cfg``, if
            given, replace the head's (official Parsing R-CNN: GN in the
            block only). The default is the official op;
            ``dict(reduction=2, sub_sample=False, out_bias=False,
            zeros_init=True)`` is mmcv's NonLocal2d (our earlier default).
        upsample_ratio (int): bilinear factor after the deconv (2).
        paste_mode (str): how :meth:`predict_by_feat` pastes the parsings
            into the image: ``'expand'`` (official) or ``'grid_sample'``
            (see :mod:`.paste`).
        target_mode (str): how the RoI targets are cut from the person
            maps: ``'crop_resize'`` (official) or ``'sample'`` (cell
            centres, see :mod:`mmhumanparse.structures.parsing_target`).
        norm_cfg, conv_cfg, act_cfg: of every ConvModule.
        loss_parsing (dict): per-pixel CE, weight lambda_p = 2.0 (Table 3).
    """

    def __init__(self,
                 num_classes: int = 20,
                 in_channels: int = 256,
                 roi_feat_size: int = 32,
                 aspp_channels: int = 256,
                 aspp_dilations: Sequence[int] = (1, 6, 12, 18),
                 conv_out_channels: int = 512,
                 num_convs: int = 4,
                 nonlocal_cfg: Optional[dict] = dict(
                     reduction=1,
                     sub_sample=True,
                     pool_first=True,
                     out_bias=True,
                     zeros_init=False),
                 upsample_ratio: int = 2,
                 paste_mode: str = 'expand',
                 target_mode: str = 'crop_resize',
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(
                     type='GN', num_groups=32, requires_grad=True),
                 act_cfg: dict = dict(type='ReLU'),
                 loss_parsing: dict = dict(
                     type='mmdet.CrossEntropyLoss',
                     ignore_index=255,
                     loss_weight=2.0,
                     avg_non_ignore=True),
                 init_cfg=dict(
                     type='Kaiming', override=dict(name='deconv'))) -> None:
        super().__init__(init_cfg=init_cfg)
        if paste_mode not in PASTES:
            raise ValueError(f'gce_head.py: paste_mode must be one of '
                             f'{sorted(PASTES)}, got {paste_mode!r}')
        if target_mode not in CELLS:
            raise ValueError(f'gce_head.py: target_mode must be one of '
                             f'{sorted(CELLS)}, got {target_mode!r}')
        self.num_classes = num_classes
        self.roi_feat_size = roi_feat_size
        self.feat_channels = conv_out_channels
        self.upsample_ratio = upsample_ratio
        self.out_size = roi_feat_size * 2 * upsample_ratio
        self.paste_mode = paste_mode
        self.target_mode = target_mode
        conv_kw = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.image_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            ConvModule(in_channels, aspp_channels, 1, **conv_kw))
        self.aspp = ASPPModule(aspp_dilations, in_channels, aspp_channels,
                               **conv_kw)
        self.fuse = ConvModule(aspp_channels * (len(aspp_dilations) + 1),
                               conv_out_channels, 1, **conv_kw)
        # the block's own norm_cfg / conv_cfg (if given) win over the head's
        self.nonlocal_block = GCENonLocal2d(
            conv_out_channels,
            **dict(dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg),
                   **nonlocal_cfg)) if nonlocal_cfg is not None else None
        self.convs = nn.Sequential(*[
            ConvModule(conv_out_channels, conv_out_channels, 3, padding=1,
                       **conv_kw) for _ in range(num_convs)
        ])
        self.deconv = nn.ConvTranspose2d(
            conv_out_channels, num_classes, 4, stride=2, padding=1)
        self.loss_parsing = MODELS.build(loss_parsing)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """(n, in_channels, S, S) -> logits (n, C, 4S, 4S) and the parsing
        feature (n, feat_channels, S, S) read by the PRSN."""
        pooled = self.image_pool(x).expand(-1, -1, *x.shape[-2:])
        feat = self.fuse(torch.cat([pooled] + self.aspp(x), dim=1))
        if self.nonlocal_block is not None:
            feat = self.nonlocal_block(feat)
        feat = self.convs(feat)
        logits = self.deconv(feat)
        if self.upsample_ratio != 1:
            logits = F.interpolate(
                logits,
                scale_factor=self.upsample_ratio,
                mode='bilinear',
                align_corners=False)
        return logits, feat

    def get_targets(self, pos_proposals_list: List[Tensor],
                    pos_assigned_gt_inds_list: List[Tensor],
                    batch_gt_instances: List[InstanceData]) -> Tensor:
        """(sum n_i, 4S, 4S) int64 part targets of the positive RoIs (see
        :func:`parsing_target_single`, ``target_mode``)."""
        return parsing_target(pos_proposals_list, pos_assigned_gt_inds_list,
                              [g.parsings for g in batch_gt_instances],
                              self.out_size, self.target_mode)

    def loss_and_target(self, parsing_preds: Tensor,
                        pos_proposals_list: List[Tensor],
                        pos_assigned_gt_inds_list: List[Tensor],
                        batch_gt_instances: List[InstanceData]) -> dict:
        """CE of (n, C, 4S, 4S) logits against their targets.

        Returns:
            dict: ``loss_mask`` (dict with key ``loss_parsing``) and
            ``mask_targets`` (n, 4S, 4S) int64, as mmdet's mask heads.
        """
        targets = self.get_targets(pos_proposals_list,
                                   pos_assigned_gt_inds_list,
                                   batch_gt_instances).to(parsing_preds.device)
        if parsing_preds.shape[0] == 0 or not (targets != 255).any():
            loss = parsing_preds.sum() * 0
        else:
            loss = self.loss_parsing(parsing_preds, targets)
        return dict(loss_mask=dict(loss_parsing=loss), mask_targets=targets)

    def predict_by_feat(self,
                        parsing_preds: Tuple[Tensor],
                        results_list: List[InstanceData],
                        batch_img_metas: List[dict],
                        rcnn_test_cfg: Optional[dict] = None,
                        rescale: bool = False,
                        sem_probs: Optional[List[Tensor]] = None
                        ) -> List[InstanceData]:
        """Paste each image's RoI parsings into the image (``paste_mode``).

        Args:
            parsing_preds (tuple[Tensor]): per image (n_i, C, 4S, 4S) logits.
            results_list (list[InstanceData]): per image ``bboxes`` (n_i, 4)
                in the network-input frame, ``scores``, ``labels``.
            batch_img_metas (list[dict]): ``img_shape``, ``ori_shape``,
                ``scale_factor``.
            rcnn_test_cfg (dict, optional): ``semseg_fuse_weight`` (default
                0.0; the official RP R-CNN code uses 0.2): weight of
                ``sem_probs`` added inside each person's foreground.
            rescale (bool): paste at ``ori_shape`` (boxes rescaled too)
                instead of ``img_shape``.
            sem_probs (list[Tensor], optional): per image (C, H, W) semantic
                probabilities at the paste size, padding cropped.

        Returns:
            list[InstanceData]: with ``parsings`` (n_i, H, W) uint8 and
            ``masks`` (n_i, H, W) bool (= parsings > 0).
        """
        weight = (rcnn_test_cfg or {}).get('semseg_fuse_weight', 0.0)
        for i, (logits, results, meta) in enumerate(
                zip(parsing_preds, results_list, batch_img_metas)):
            bboxes = results.bboxes
            if rescale:
                scale = bboxes.new_tensor(meta['scale_factor']).repeat(1, 2)
                bboxes = bboxes / scale
                shape = meta['ori_shape'][:2]
            else:
                shape = meta['img_shape'][:2]
            results.bboxes = bboxes
            parsings = paste_parsings(
                logits.softmax(1),
                bboxes,
                shape,
                mode=self.paste_mode,
                sem_probs=None if sem_probs is None else sem_probs[i],
                sem_fuse_weight=weight)
            results.parsings = parsings
            results.masks = parsings > 0
        return results_list
