"""Half squared error averaged over the RoIs with a positive target: the
PRSN loss of the official RP R-CNN code."""
import torch
from torch import Tensor

from mmhumanparse.registry import MODELS
from .named_loss import NamedLoss


@MODELS.register_module()
class L2Loss(NamedLoss):
    """``loss_weight * sum_i 0.5 * (p_i - t_i)^2 / n`` over the kept i.

    The PRSN of "Renovating Parsing R-CNN for Accurate Multiple Human
    Parsing" (arXiv:2009.09447, Sec. 3.4) regresses the mean part IoU; the
    paper calls its loss "MSE". The official code (soeaver/RP-R-CNN
    ``models/ops/l2_loss.py``) keeps only the RoIs whose target IoU is
    > 0 (``pos_only``, n = their number) and halves the squared error.
    ``mmdet.MSELoss`` (mean over all RoIs, no half) is the paper-text
    reading.

    Args:
        pos_only (bool): keep only targets > 0 (official); False: all.
        loss_weight (float): multiplier (lambda_r = 1.0, Table 5).
        loss_name (str): name in the loss dict.
    """

    def __init__(self,
                 pos_only: bool = True,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_l2') -> None:
        super().__init__(loss_weight, loss_name)
        self.pos_only = pos_only

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """(n, ) predictions and (n, ) targets -> scalar loss (a zero that
        keeps ``pred`` in the graph when no element is kept)."""
        if pred.shape != target.shape:
            raise ValueError(f'l2_loss.py: pred {tuple(pred.shape)} and '
                             f'target {tuple(target.shape)} differ in shape')
        target = target.detach()
        keep = target > 0 if self.pos_only else torch.ones_like(
            target, dtype=torch.bool)
        if not keep.any():
            return pred.sum() * 0
        diff = pred[keep] - target[keep]
        return self.loss_weight * 0.5 * (diff**2).mean()
