"""Geometric and Context Encoding (GCE) parsing head of Parsing R-CNN.

"Parsing R-CNN for Instance-Level Human Analysis" (arXiv:1811.12596), used
with GN in every conv as in "Renovating Parsing R-CNN for Accurate Multiple
Human Parsing" (arXiv:2009.09447), Sec. 4.1 and Table 2.
"""
import math
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, NonLocal2d
from mmengine.model import BaseModule
from mmengine.structures import InstanceData
from mmseg.models.decode_heads.aspp_head import ASPPModule
from torch import Tensor

from mmhumanparse.registry import MODELS
from mmhumanparse.structures.parsing_target import parsing_target


def paste_parsings(probs: Tensor, bboxes: Tensor,
                   img_shape: Tuple[int, int]) -> Tensor:
    """Paste per-RoI part probabilities into the image and take the argmax.

    Each box's (C, S, S) probabilities are bilinearly sampled at the centres
    of the image pixels whose centre lies inside the box, then the argmax
    gives the labels; pixels outside the box are background 0.

    Args:
        probs (Tensor): (n, C, S, S) part probabilities.
        bboxes (Tensor): (n, 4) boxes (x1, y1, x2, y2) in the output frame.
        img_shape (tuple[int, int]): (H, W) of the output.

    Returns:
        Tensor: (n, H, W) uint8 part maps.
    """
    h, w = int(img_shape[0]), int(img_shape[1])
    out = probs.new_zeros((probs.shape[0], h, w), dtype=torch.uint8)
    boxes = bboxes.detach().float().cpu().tolist()
    for i, (x1, y1, x2, y2) in enumerate(boxes):
        c0, c1 = max(math.ceil(x1 - 0.5), 0), min(math.floor(x2 - 0.5), w - 1)
        r0, r1 = max(math.ceil(y1 - 0.5), 0), min(math.floor(y2 - 0.5), h - 1)
        if c1 < c0 or r1 < r0:
            continue
        bw, bh = max(x2 - x1, 1e-6), max(y2 - y1, 1e-6)
        xs = (torch.arange(c0, c1 + 1, device=probs.device) + 0.5 -
              x1) / bw * 2 - 1
        ys = (torch.arange(r0, r1 + 1, device=probs.device) + 0.5 -
              y1) / bh * 2 - 1
        grid = torch.stack(
            torch.broadcast_tensors(xs[None, :], ys[:, None]), dim=-1)
        crop = F.grid_sample(
            probs[i:i + 1],
            grid[None].to(probs.dtype),
            mode='bilinear',
            padding_mode='border',
            align_corners=False)
        out[i, r0:r1 + 1, c0:c1 + 1] = crop[0].argmax(0).to(torch.uint8)
    return out


@MODELS.register_module()
class GCEHead(BaseModule):
    """Parsing head: ASPP + non-local + convs + deconv, per RoI.

    (n, in_channels, S, S) RoI features (S = 32) -> ASPP (a 1x1 and three
    3x3 convs at dilations 6/12/18 plus image pooling, ``aspp_channels``
    each) -> concat -> 1x1 conv to ``conv_out_channels`` (512) -> non-local
    block -> ``num_convs`` (4) 3x3 convs -> 4x4 stride-2 transposed conv to
    C -> bilinear x2 -> (n, C, 4S, 4S) part logits (128 x 128). GN follows
    every conv (RP R-CNN, Table 2).

    Args:
        num_classes (int): part classes C incl. background.
        in_channels (int): RoI feature channels (256).
        roi_feat_size (int): S (32).
        aspp_channels (int): channels of each ASPP branch (256).
        aspp_dilations (Sequence[int]): 1 is the 1x1 branch.
        conv_out_channels (int): channels after the ASPP fusion (512).
        num_convs (int): 3x3 convs after the non-local block (4).
        use_nonlocal (bool): add the non-local block.
        upsample_ratio (int): bilinear factor after the deconv (2).
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
                 use_nonlocal: bool = True,
                 upsample_ratio: int = 2,
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
        self.num_classes = num_classes
        self.roi_feat_size = roi_feat_size
        self.upsample_ratio = upsample_ratio
        self.out_size = roi_feat_size * 2 * upsample_ratio
        conv_kw = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.aspp = ASPPModule(aspp_dilations, in_channels, aspp_channels,
                               **conv_kw)
        self.image_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            ConvModule(in_channels, aspp_channels, 1, **conv_kw))
        self.fuse = ConvModule(aspp_channels * (len(aspp_dilations) + 1),
                               conv_out_channels, 1, **conv_kw)
        self.nonlocal_block = NonLocal2d(
            conv_out_channels, reduction=2, use_scale=True,
            conv_cfg=conv_cfg, norm_cfg=norm_cfg) if use_nonlocal else None
        self.convs = nn.Sequential(*[
            ConvModule(conv_out_channels, conv_out_channels, 3, padding=1,
                       **conv_kw) for _ in range(num_convs)
        ])
        self.deconv = nn.ConvTranspose2d(
            conv_out_channels, num_classes, 4, stride=2, padding=1)
        self.loss_parsing = MODELS.build(loss_parsing)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """(n, in_channels, S, S) -> logits (n, C, 4S, 4S) and the parsing
        feature (n, conv_out_channels, S, S) read by the PRSN."""
        pooled = self.image_pool(x).expand(-1, -1, *x.shape[-2:])
        feat = self.fuse(torch.cat(self.aspp(x) + [pooled], dim=1))
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
        """(sum n_i, 4S, 4S) int64 part targets of the positive RoIs (nearest
        crops of each matched person's map, see ``parsing_target_single``).
        """
        return parsing_target(pos_proposals_list, pos_assigned_gt_inds_list,
                              [g.parsings for g in batch_gt_instances],
                              self.out_size)

    def loss_and_target(self, parsing_preds: Tensor,
                        pos_proposals_list: List[Tensor],
                        pos_assigned_gt_inds_list: List[Tensor],
                        batch_gt_instances: List[InstanceData]) -> dict:
        """CE of (n, C, 4S, 4S) logits against their targets.

        Returns:
            dict: ``loss_parsing`` (dict with key ``loss_parsing``) and
            ``parsing_targets`` (n, 4S, 4S) int64.
        """
        targets = self.get_targets(pos_proposals_list,
                                   pos_assigned_gt_inds_list,
                                   batch_gt_instances).to(parsing_preds.device)
        if parsing_preds.shape[0] == 0 or not (targets != 255).any():
            loss = parsing_preds.sum() * 0
        else:
            loss = self.loss_parsing(parsing_preds, targets)
        return dict(
            loss_parsing=dict(loss_parsing=loss), parsing_targets=targets)

    def predict_by_feat(self,
                        parsing_preds: Tuple[Tensor],
                        results_list: List[InstanceData],
                        batch_img_metas: List[dict],
                        rescale: bool = True) -> List[InstanceData]:
        """Paste each image's RoI parsings into the image.

        Args:
            parsing_preds (tuple[Tensor]): per image (n_i, C, 4S, 4S) logits.
            results_list (list[InstanceData]): per image ``bboxes`` (n_i, 4)
                in the network-input frame, ``scores``, ``labels``.
            batch_img_metas (list[dict]): ``img_shape``, ``ori_shape``,
                ``scale_factor``.
            rescale (bool): paste at ``ori_shape`` (boxes rescaled too)
                instead of ``img_shape``.

        Returns:
            list[InstanceData]: with ``parsings`` (n_i, H, W) uint8 and
            ``masks`` (n_i, H, W) bool (= parsings > 0).
        """
        for logits, results, meta in zip(parsing_preds, results_list,
                                         batch_img_metas):
            bboxes = results.bboxes
            if rescale:
                scale = bboxes.new_tensor(meta['scale_factor']).repeat(1, 2)
                bboxes = bboxes / scale
                shape = meta['ori_shape'][:2]
            else:
                shape = meta['img_shape'][:2]
            results.bboxes = bboxes
            parsings = paste_parsings(logits.softmax(1), bboxes, shape)
            results.parsings = parsings
            results.masks = parsings > 0
        return results_list
