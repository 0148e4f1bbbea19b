"""Global Semantic Enhanced FPN of RP R-CNN.

"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447), Sec. 3.3 and Fig. 3.
"""
from typing import List, Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.necks import FPN
from mmdet.models.roi_heads.mask_heads import FusedSemanticHead
from torch import Tensor

from mmhumanparse.registry import MODELS

# the paper's semantic head (Sec. 3.3): P2-P6 in, four 3x3 convs with GN,
# per-pixel CE on the C part classes weighted lambda_s = 2.0 (Table 4)
PAPER_SEMANTIC_HEAD = dict(
    num_ins=5,
    num_convs=4,
    num_classes=20,
    norm_cfg=dict(type='GN', num_groups=32, requires_grad=True),
    loss_seg=dict(
        type='mmdet.CrossEntropyLoss',
        ignore_index=255,
        loss_weight=2.0,
        avg_non_ignore=True))


@MODELS.register_module()
class GSESemanticHead(FusedSemanticHead):
    """The global part-segmentation head inside :class:`GSEFPN`.

    mmdet's HTC ``FusedSemanticHead`` with the paper's layout: every level
    bilinearly resized to level 0 (P2, 1/4) and put through a 1x1 conv, the
    maps summed, four 3x3 convs (GN + ReLU) give the global semantic
    feature, a 1x1 conv predicts the C part classes (Sec. 3.3). The paper
    has no extra embedding conv, so ``conv_embedding`` is the identity.

    Args:
        in_channels (int): channels of the levels (256).
        conv_out_channels (int): channels of the semantic feature; must equal
            ``in_channels`` (it is added back to the levels).
        **kwargs: ``FusedSemanticHead`` arguments but ``fusion_level``
            (always 0), over :data:`PAPER_SEMANTIC_HEAD`: ``num_ins`` (5
            pyramid levels), ``num_convs`` (4), ``num_classes`` (C incl.
            background, 20), ``norm_cfg`` (GN, 32 groups) and ``loss_seg``
            (per-pixel CE, weight lambda_s = 2.0).
    """

    def __init__(self,
                 in_channels: int = 256,
                 conv_out_channels: int = 256,
                 **kwargs) -> None:
        if conv_out_channels != in_channels:
            raise ValueError(
                f'GSESemanticHead: conv_out_channels ({conv_out_channels}) '
                f'must equal in_channels ({in_channels}), the semantic '
                'feature is added to every pyramid level')
        super().__init__(
            fusion_level=0,
            in_channels=in_channels,
            conv_out_channels=conv_out_channels,
            **dict(PAPER_SEMANTIC_HEAD, **kwargs))
        self.conv_embedding = nn.Identity()

    def loss(self, mask_preds: Tensor, labels: Tensor) -> Tensor:
        """CE between (N, C, h, w) logits and (N, 1, H, W) labels.

        The labels are resized to the logits with nearest sampling (HTC's
        recipe); 255 is ignored.
        """
        labels = F.interpolate(
            labels.float(), size=mask_preds.shape[-2:], mode='nearest')
        return self.criterion(mask_preds, labels.squeeze(1).long())


def stack_sem_seg(gt_sem_segs: Sequence[Tensor], shape: Tuple[int, int],
                  pad_value: int = 255) -> Tensor:
    """Stack (1, h_i, w_i) label maps top-left into (N, 1, H, W), padding
    with ``pad_value`` (so unpadded maps align with the padded batch)."""
    out = gt_sem_segs[0].new_full((len(gt_sem_segs), 1) + tuple(shape),
                                  pad_value)
    for i, seg in enumerate(gt_sem_segs):
        h, w = min(seg.shape[-2], shape[0]), min(seg.shape[-1], shape[1])
        out[i, :, :h, :w] = seg.reshape(1, *seg.shape[-2:])[:, :h, :w]
    return out


@MODELS.register_module()
class GSEFPN(FPN):
    """FPN whose levels are enhanced by a global semantic feature.

    P2-P6 of mmdet's ``FPN`` feed :class:`GSESemanticHead`; its semantic
    feature (at P2, 1/4) is bilinearly resized to every level and added,
    giving S2-S6 (Sec. 3.3, Fig. 3).

    Args:
        semantic_head (dict): :class:`GSESemanticHead` options
            (``num_classes`` at least); ``num_ins`` and ``in_channels`` are
            filled from the FPN.
        **kwargs: mmdet ``FPN`` arguments.
    """

    def __init__(self, semantic_head: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        cfg = dict(type='mmhumanparse.GSESemanticHead')
        cfg.update(semantic_head)
        cfg.setdefault('num_ins', self.num_outs)
        cfg.setdefault('in_channels', self.out_channels)
        cfg.setdefault('conv_out_channels', self.out_channels)
        self.semantic_head = MODELS.build(cfg)

    def forward_semantic(self,
                         inputs: Tuple[Tensor]) -> Tuple[tuple, Tensor]:
        """Enhanced levels and the semantic logits.

        Args:
            inputs (tuple[Tensor]): backbone levels.

        Returns:
            tuple: (S2, ..., S6) each (N, C_out, H_l, W_l), and the part
            logits (N, num_classes, H_2, W_2) at level 0.
        """
        outs = super().forward(inputs)
        sem_logits, sem_feat = self.semantic_head(outs)
        enhanced = []
        for out in outs:
            feat = sem_feat if out.shape[-2:] == sem_feat.shape[-2:] else \
                F.interpolate(sem_feat, size=out.shape[-2:], mode='bilinear',
                              align_corners=False)
            enhanced.append(out + feat)
        return tuple(enhanced), sem_logits

    def forward(self, inputs: Tuple[Tensor]) -> tuple:
        """(S2, ..., S6), as mmdet necks return."""
        return self.forward_semantic(inputs)[0]

    def loss(self, sem_logits: Tensor, gt_sem_segs: List[Tensor],
             batch_input_shape: Tuple[int, int]) -> dict:
        """Semantic loss against per-image (1, h_i, w_i) part maps, placed
        top-left in the padded batch.

        Args:
            sem_logits (Tensor): (N, C, H/4, W/4) from
                :meth:`forward_semantic`.
            gt_sem_segs (list[Tensor]): (1, h_i, w_i) global part maps.
            batch_input_shape (tuple[int, int]): (H, W) of the padded batch.

        Returns:
            dict: ``loss_semantic_seg``.
        """
        labels = stack_sem_seg(gt_sem_segs, batch_input_shape)
        return dict(
            loss_semantic_seg=self.semantic_head.loss(
                sem_logits, labels.to(sem_logits.device)))


__all__ = ['GSEFPN', 'GSESemanticHead', 'stack_sem_seg']
