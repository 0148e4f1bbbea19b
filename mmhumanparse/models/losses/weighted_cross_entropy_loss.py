"""Cross entropy with per-class weights and ignored pixels."""
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from mmhumanparse.registry import MODELS
from .named_loss import NamedLoss


@MODELS.register_module()
class WeightedCrossEntropyLoss(NamedLoss):
    """Pixel cross entropy with class weights, averaged over the weights of
    the non-ignored pixels (``F.cross_entropy(weight=...)``'s mean).

    For rare classes such as the edge pixels of HTCorrM's edge branch
    ("On the Correlation among Edge, Pose and Parsing", CorrPM journal
    version, arXiv:2005.01431, Sec. 3.2). mmseg 1.2.2's ``CrossEntropyLoss``
    with ``class_weight`` indexes the weights with every label, the ignore
    label 255 included, and fails; this loss zeroes the ignored pixels
    instead.

    ``class_weight='batch_balanced'`` (two classes, e.g. edge / non-edge)
    weighs each batch as the CorrPM code's criterion does: with ``n0`` and
    ``n1`` the non-ignored pixels of class 0 and 1 in the batch, class 0
    gets ``n1 / (n0 + n1)`` and class 1 ``n0 / (n0 + n1)`` (a batch without
    any class-1 pixel gives 0).

    Args:
        class_weight (Sequence[float] | str): One weight per class (C,), or
            ``'batch_balanced'``.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
        avg_non_ignore (bool): Must be True: ignored pixels never count in
            the average (the project-wide CE setting). Defaults to True.
        loss_name (str): Name in the loss dict. Defaults to
            'loss_weighted_ce'.
    """

    def __init__(self,
                 class_weight: Union[Sequence[float], str],
                 loss_weight: float = 1.0,
                 avg_non_ignore: bool = True,
                 loss_name: str = 'loss_weighted_ce') -> None:
        super().__init__(loss_weight, loss_name)
        if not avg_non_ignore:
            raise ValueError('WeightedCrossEntropyLoss averages over '
                             'non-ignored pixels only (avg_non_ignore=True)')
        self.batch_balanced = class_weight == 'batch_balanced'
        if self.batch_balanced:
            class_weight = (1.0, 1.0)  # replaced per batch
        elif (isinstance(class_weight, str) or len(class_weight) < 2
              or min(class_weight) < 0):
            raise ValueError('WeightedCrossEntropyLoss: class_weight needs '
                             ">= 2 non-negative values or 'batch_balanced', "
                             f'got {class_weight!r}')
        self.register_buffer('class_weight',
                             torch.tensor([float(w) for w in class_weight]),
                             persistent=False)
        self.avg_non_ignore = avg_non_ignore

    def forward(self,
                cls_score: Tensor,
                label: Tensor,
                weight: Optional[Tensor] = None,
                ignore_index: int = 255,
                **kwargs) -> Tensor:
        """Loss of logits (N, C, H, W) against labels (N, H, W).

        Args:
            cls_score (Tensor): (N, C, H, W) logits.
            label (Tensor): (N, H, W) long, ``ignore_index`` = ignored.
            weight (Tensor, optional): (N, H, W) extra pixel weights.
            ignore_index (int): Ignored label. Defaults to 255.

        Returns:
            Tensor: scalar, ``sum(w_y * ce) / sum(w_y)`` over the
            non-ignored pixels, times ``loss_weight`` (0 without any).
        """
        if cls_score.shape[1] != len(self.class_weight):
            raise ValueError(
                f'WeightedCrossEntropyLoss: {cls_score.shape[1]} channels '
                f'but {len(self.class_weight)} class weights')
        cw = self.class_weight.to(cls_score)
        if self.batch_balanced:
            counts = torch.stack([(label == c).sum() for c in (0, 1)])
            cw = (counts.flip(0) / counts.sum().clamp(min=1)).to(cls_score)
        loss = F.cross_entropy(cls_score,
                               label,
                               weight=cw,
                               reduction='none',
                               ignore_index=ignore_index)
        valid = label != ignore_index
        pixel_w = torch.zeros_like(loss)
        pixel_w[valid] = cw[label[valid]]
        if weight is not None:
            loss = loss * weight
            pixel_w = pixel_w * weight
        return self.loss_weight * loss.sum() / pixel_w.sum().clamp(min=1e-12)
