"""Global Semantic Enhanced branch of RP R-CNN (the "GSE" of GSE-FPN).

"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447), Sec. 3.3 and Fig. 3; as the official code computes it
(soeaver/RP-R-CNN, ``rcnn/modeling/semseg``).
"""
from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmdet.models.roi_heads.mask_heads import FusedSemanticHead
from mmdet.structures import SampleList
from torch import Tensor

from mmhumanparse.registry import MODELS

# the semantic head of Sec. 3.3: P2-P6 in, four 3x3 convs with GN,
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
    """Global part segmentation that enhances the FPN levels (GSE-FPN).

    mmdet's HTC ``FusedSemanticHead`` with the paper's layout: every FPN
    level bilinearly resized to P2 (1/4) and put through a 1x1 conv, the
    maps summed, four 3x3 convs (GN + ReLU) give the global semantic
    feature, a 1x1 conv predicts the C part classes. The feature is then
    resized to each pyramid level and added to it (S_i = P_i + feature).

    Two points where the official code differs from the paper text, each a
    switch (configs/rp_rcnn/README.md lists them):

    - ``with_embedding``: the official head puts the semantic feature
      through one more 3x3 conv + norm + ReLU (``conv_embedding``) before
      adding it (True); the paper adds the feature itself (False: identity).
    - ``num_outs``: the official ``enhance_feature`` returns the first four
      levels S2-S5 and drops P6 (4; the RPN then runs on 4 levels); the
      paper enhances P2-P6 into S2-S6 (5).

    Args:
        in_channels (int): channels of the pyramid levels (256).
        conv_out_channels (int): channels of the semantic feature (256).
        with_embedding (bool): 3x3 conv + norm + ReLU on the added feature.
        num_outs (int): enhanced levels returned (the first ``num_outs``).
        **kwargs: ``FusedSemanticHead`` arguments but ``fusion_level``
            (always 0, P2) and ``seg_scale_factor`` (1/4), over
            :data:`PAPER_SEMANTIC_HEAD`: ``num_ins`` (5 levels),
            ``num_convs`` (4), ``num_classes`` (C incl. background, 20),
            ``norm_cfg`` (GN, 32 groups), ``loss_seg`` (per-pixel CE,
            lambda_s = 2.0), ``init_cfg``.
    """

    def __init__(self,
                 in_channels: int = 256,
                 conv_out_channels: int = 256,
                 with_embedding: bool = True,
                 num_outs: int = 4,
                 **kwargs) -> None:
        cfg = dict(PAPER_SEMANTIC_HEAD, **kwargs)
        if not with_embedding and conv_out_channels != in_channels:
            raise ValueError(
                'GSESemanticHead (models/seg_heads/gse_semantic_head.py): '
                f'without the embedding conv, conv_out_channels '
                f'({conv_out_channels}) must equal in_channels '
                f'({in_channels}): the feature is added to the levels')
        if not 1 <= num_outs <= cfg['num_ins']:
            raise ValueError(
                f'GSESemanticHead (models/seg_heads/gse_semantic_head.py): '
                f'num_outs={num_outs} must be in 1..num_ins='
                f'{cfg["num_ins"]}')
        super().__init__(
            fusion_level=0,
            seg_scale_factor=1 / 4,  # labels to the P2 logits
            in_channels=in_channels,
            conv_out_channels=conv_out_channels,
            **cfg)
        self.num_outs = num_outs
        self.conv_embedding = ConvModule(
            conv_out_channels,
            in_channels,
            3,
            padding=1,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg) if with_embedding else None

    def forward(self, feats: Sequence[Tensor]) -> Dict[str, object]:
        """Part logits and the enhanced pyramid levels.

        Args:
            feats (Sequence[Tensor]): ``num_ins`` FPN levels (N, C_in, H_l,
                W_l), finest (P2) first.

        Returns:
            dict: ``seg_preds`` (N, num_classes, H_2, W_2) part logits at
            P2, and ``feats``, the tuple of the first ``num_outs`` levels
            each plus the (embedded) semantic feature resized to it.
        """
        if len(feats) != self.num_ins:
            raise ValueError(
                f'GSESemanticHead (models/seg_heads/gse_semantic_head.py): '
                f'{len(feats)} levels in, num_ins={self.num_ins} expected')
        x = self.lateral_convs[0](feats[0])
        for i in range(1, self.num_ins):
            x = x + self.lateral_convs[i](
                F.interpolate(
                    feats[i],
                    size=x.shape[-2:],
                    mode='bilinear',
                    align_corners=True))
        for conv in self.convs:
            x = conv(x)
        seg_preds = self.conv_logits(x)
        if self.conv_embedding is not None:
            x = self.conv_embedding(x)
        enhanced = []
        for feat in feats[:self.num_outs]:
            add = x if feat.shape[-2:] == x.shape[-2:] else F.interpolate(
                x, size=feat.shape[-2:], mode='bilinear', align_corners=False)
            enhanced.append(feat + add)
        return dict(seg_preds=seg_preds, feats=tuple(enhanced))

    def loss(self, seg_preds: Tensor,
             batch_data_samples: SampleList) -> Dict[str, Tensor]:
        """Per-pixel CE between the part logits and ``gt_sem_seg``.

        The labels must already be padded to the batch (``DetDataPreprocessor
        (pad_seg=True, seg_pad_value=...)`` as mmdet's HTC configs); they
        are resized to the logits by nearest sampling (the official
        ``semseg_batch_resize``).

        Args:
            seg_preds (Tensor): (N, C, H/4, W/4) from :meth:`forward`.
            batch_data_samples (list[DetDataSample]): with ``gt_sem_seg``
                (1, H, W) each, (H, W) the padded batch size.

        Returns:
            dict: ``loss_semantic_seg``.
        """
        segs = [s.gt_sem_seg.sem_seg for s in batch_data_samples]
        shape = batch_data_samples[0].metainfo.get(
            'batch_input_shape', segs[0].shape[-2:])
        if any(tuple(s.shape[-2:]) != tuple(shape) for s in segs):
            raise ValueError(
                'GSESemanticHead.loss (models/seg_heads/gse_semantic_head.py)'
                f': gt_sem_seg sizes {[tuple(s.shape[-2:]) for s in segs]} '
                f'differ from the padded batch {tuple(shape)}; set '
                "data_preprocessor=dict(type='mmdet.DetDataPreprocessor', "
                'pad_seg=True, ...) in the model config')
        labels = torch.stack(segs).to(seg_preds.device)
        return dict(loss_semantic_seg=super().loss(seg_preds, labels))

    def predict(self,
                seg_preds: Tensor,
                batch_img_metas: List[dict],
                rescale: bool = True) -> List[Tensor]:
        """Part probabilities per image, batch padding cropped.

        Softmax at P2, resized to the padded input, cropped to
        ``img_shape`` and, with ``rescale``, resized to ``ori_shape``
        (bilinear, as mmdet's ``BaseSemanticHead.predict``). The official
        test code resizes the padded map to the image without cropping,
        which stretches it by up to 31 px of padding; we crop.

        Args:
            seg_preds (Tensor): (N, C, H/4, W/4) part logits.
            batch_img_metas (list[dict]): ``batch_input_shape``,
                ``img_shape`` and ``ori_shape`` of each image.
            rescale (bool): to the original image size.

        Returns:
            list[Tensor]: (C, h, w) probabilities, (h, w) = ``ori_shape``
            when ``rescale`` else ``img_shape``.
        """
        probs = F.interpolate(
            seg_preds.softmax(1),
            size=batch_img_metas[0]['batch_input_shape'],
            mode='bilinear',
            align_corners=False)
        out = []
        for prob, meta in zip(probs, batch_img_metas):
            h, w = meta['img_shape'][:2]
            prob = prob[None, :, :h, :w]
            if rescale:
                prob = F.interpolate(
                    prob,
                    size=meta['ori_shape'][:2],
                    mode='bilinear',
                    align_corners=False)
            out.append(prob[0])
        return out


__all__ = ['GSESemanticHead', 'PAPER_SEMANTIC_HEAD']
