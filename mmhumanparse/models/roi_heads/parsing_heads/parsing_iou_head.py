"""Parsing Re-Scoring Network (PRSN) of RP R-CNN.

"Renovating Parsing R-CNN for Accurate Multiple Human Parsing"
(arXiv:2009.09447), Sec. 3.4 and 3.5. Modelled on mmdet's ``MaskIoUHead``.
"""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmengine.structures import InstanceData
from torch import Tensor

from mmhumanparse.registry import MODELS


def parsing_iou_target(pred_labels: Tensor,
                       targets: Tensor,
                       num_classes: int,
                       ignore_index: int = 255) -> Tensor:
    """Mean class IoU between predicted and target part maps, per RoI.

    Classes absent from both maps are left out of the mean (nan-mean over
    all C classes incl. background); ``ignore_index`` pixels are skipped.
    A RoI whose pixels are all ignored gets 0.

    Args:
        pred_labels (Tensor): (n, S, S) predicted labels in [0, C).
        targets (Tensor): (n, S, S) target labels in [0, C) or ignore.
        num_classes (int): C.

    Returns:
        Tensor: (n, ) float32 mean IoU in [0, 1].
    """
    n = pred_labels.shape[0]
    if n == 0:
        return pred_labels.new_zeros((0, ), dtype=torch.float32)
    pred = pred_labels.reshape(n, -1).long()
    tgt = targets.reshape(n, -1).long()
    valid = tgt != ignore_index
    roi = torch.arange(n, device=pred.device)[:, None].expand_as(pred)
    idx = (roi * num_classes + pred) * num_classes + tgt.clamp(0, num_classes -
                                                              1)
    cm = torch.bincount(
        idx[valid], minlength=n * num_classes * num_classes).reshape(
            n, num_classes, num_classes).float()  # [roi, pred, target]
    inter = cm.diagonal(dim1=1, dim2=2)
    union = cm.sum(2) + cm.sum(1) - inter
    present = union > 0
    iou = torch.where(present, inter / union.clamp(min=1), 0.)
    return iou.sum(1) / present.sum(1).clamp(min=1)


@MODELS.register_module()
class ParsingIoUHead(BaseModule):
    """PRSN: regresses the mean IoU of each RoI's parsing (Sec. 3.4).

    Inputs the (n, 512, 32, 32) parsing feature and the (n, C, 128, 128)
    part logits. What the PRSN reads of the logits is ``parsing_input``;
    it is max-pooled 4x4 / stride 4 to 32 x 32 and concatenated with the
    feature; two 3x3 128-d convs (the last with stride
    ``last_conv_stride``), global average pooling, two 256-d FC layers and
    a final FC give one score. Trained on the parsing RoIs with
    ``loss_iou`` (lambda_r = 1.0, Table 5) against
    :func:`parsing_iou_target`. Training and inference feed the same input.

    Args:
        num_classes (int): part classes C.
        in_channels (int): parsing-feature channels (512).
        num_convs (int): 3x3 convs (2).
        conv_out_channels (int): their channels (128).
        last_conv_stride (int): stride of the last conv: 2 (official
            ``parsingiou/heads.py``, GAP over 16 x 16) or 1 (the paper is
            silent; GAP over 32 x 32).
        num_fcs (int): hidden FC layers (2).
        fc_out_channels (int): their width (256).
        pool_size (int): max-pool kernel = stride on the logits (4).
        parsing_input (str): ``'logits'`` (official: the raw logits, not
            detached, so the PRSN loss also trains the parsing head) or
            ``'probs'`` (the paper's "probability map": softmax of the
            detached logits).
        norm_cfg (dict, optional): norm of the convs.
        loss_iou (dict): regression loss (official: :class:`L2Loss`).
    """

    def __init__(self,
                 num_classes: int = 20,
                 in_channels: int = 512,
                 num_convs: int = 2,
                 conv_out_channels: int = 128,
                 last_conv_stride: int = 2,
                 num_fcs: int = 2,
                 fc_out_channels: int = 256,
                 pool_size: int = 4,
                 parsing_input: str = 'logits',
                 norm_cfg: Optional[dict] = None,
                 loss_iou: dict = dict(
                     type='L2Loss', pos_only=True, loss_weight=1.0),
                 init_cfg=[
                     dict(type='Caffe2Xavier', override=dict(name='fcs')),
                     dict(
                         type='Normal', std=0.01,
                         override=dict(name='fc_iou'))
                 ]) -> None:
        super().__init__(init_cfg=init_cfg)
        if parsing_input not in ('logits', 'probs'):
            raise ValueError('parsing_iou_head.py: parsing_input must be '
                             f"'logits' or 'probs', got {parsing_input!r}")
        self.num_classes = num_classes
        self.parsing_input = parsing_input
        self.max_pool = nn.MaxPool2d(pool_size, pool_size)
        self.convs = nn.Sequential(*[
            ConvModule(
                in_channels + num_classes if i == 0 else conv_out_channels,
                conv_out_channels,
                3,
                stride=last_conv_stride if i == num_convs - 1 else 1,
                padding=1,
                norm_cfg=norm_cfg) for i in range(num_convs)
        ])
        self.gap = nn.AdaptiveAvgPool2d(1)
        fcs = []
        for i in range(num_fcs):
            fcs += [
                nn.Linear(conv_out_channels if i == 0 else fc_out_channels,
                          fc_out_channels),
                nn.ReLU(inplace=True)
            ]
        self.fcs = nn.Sequential(*fcs)
        self.fc_iou = nn.Linear(
            fc_out_channels if num_fcs else conv_out_channels, 1)
        self.loss_iou = MODELS.build(loss_iou)

    def forward(self, parsing_feats: Tensor, parsing_logits: Tensor) -> Tensor:
        """(n, C_f, S, S) features + (n, C, 4S, 4S) logits -> (n, )
        predicted mean IoU."""
        if self.parsing_input == 'probs':
            parsing_logits = parsing_logits.detach().softmax(1)
        x = torch.cat([parsing_feats, self.max_pool(parsing_logits)], dim=1)
        x = self.gap(self.convs(x)).flatten(1)
        return self.fc_iou(self.fcs(x)).squeeze(1)

    def get_targets(self, parsing_preds: Tensor,
                    parsing_targets: Tensor) -> Tensor:
        """(n, ) mean IoU of argmax(parsing_preds) vs. the targets."""
        return parsing_iou_target(parsing_preds.detach().argmax(1),
                                  parsing_targets, self.num_classes)

    def loss_and_target(self, iou_preds: Tensor, parsing_preds: Tensor,
                        parsing_targets: Tensor) -> dict:
        """``loss_iou`` between (n, ) predicted and (n, ) target IoU.

        Returns:
            dict: ``loss_parsing_iou``.
        """
        targets = self.get_targets(parsing_preds, parsing_targets)
        if iou_preds.numel() == 0:
            return dict(loss_parsing_iou=iou_preds.sum() * 0)
        return dict(loss_parsing_iou=self.loss_iou(iou_preds, targets))

    def predict_by_feat(
            self, iou_preds: Tuple[Tensor],
            results_list: List[InstanceData]) -> List[InstanceData]:
        """Final score sqrt(S_cls * S_iou) (Sec. 3.5), S_iou clamped to
        [0, 1]; the box score is kept as ``bbox_scores``, the predicted IoU
        as ``iou_scores``."""
        for iou, results in zip(iou_preds, results_list):
            iou = iou.clamp(0, 1)
            results.bbox_scores = results.scores
            results.iou_scores = iou
            results.scores = torch.sqrt(results.scores * iou)
        return results_list
