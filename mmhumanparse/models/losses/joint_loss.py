"""SS-NAN's self-supervised joint loss (L_joint of Eq. 4)."""
from typing import Sequence, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from mmhumanparse.codecs import JointCenterCodec
from mmhumanparse.registry import MODELS
from .named_loss import NamedLoss


@MODELS.register_module()
class SSJointLoss(NamedLoss):
    """Distance between predicted and labelled joint centres.

    "Self-Supervised Neural Aggregation Networks for Human Parsing"
    (arXiv:1803.07741), Sec. 3.3, Eq. 4:
    ``L_joint = 1 / (2 N_joint) * sum_i ||J_i^p - J_i^gt||^2``. The joints
    are the centres of merged part regions (head = hat + hair + sunglasses
    + face, ...), decoded by :class:`JointCenterCodec`: for the prediction
    the probability-weighted centroid of the softmax (differentiable), for
    the label the centroid of the one-hot map.

    Choices the paper leaves open:

    * Units (``unit``). Coordinates ``(x, y)`` are label pixels divided by
      ``unit``: 8 (default) measures in cells of the paper's output-stride-8
      grid, as LIP_SSL computes its joints on the label shrunk by 8; the
      labels are at the input size, so every scale of the Share-Net uses
      the same unit. ``unit='size'`` divides x by the label width and y by
      its height (L_joint ~1e-3, and a product with it shrinks the
      gradients to ~1 %).
    * Joints absent from the label (no pixel of their group) are left out:
      per image, the sum runs over its ``n`` present joints and is divided
      by ``2 n``; the batch value is the mean over images with ``n > 0``
      (0 if there is none).
    * Pixels labelled ``ignore_index`` count for neither centre (their
      predicted probabilities are masked out too).

    SS-NAN forms ``L_parsing * L_joint``; the decode head does the product,
    by default with L_joint as a weight without gradient
    (:class:`~mmhumanparse.models.decode_heads.SSNANHead`).

    Args:
        joint_groups (Sequence[Sequence[int]]): One tuple of part labels per
            joint, e.g. ``LIP_METAINFO['joint_groups']`` (nine joints).
        loss_weight (float): Multiplies the loss. Defaults to 1.0.
        unit (float | str): Label pixels per coordinate unit (the output
            stride of the network), or ``'size'``. Defaults to 8.
        ignore_index (int): Label to ignore. Defaults to 255.
        loss_name (str): Name used in loss dicts. Defaults to
            ``'loss_joint'``.
    """

    def __init__(self,
                 joint_groups: Sequence[Sequence[int]],
                 loss_weight: float = 1.0,
                 unit: Union[float, str] = 8.0,
                 ignore_index: int = 255,
                 loss_name: str = 'loss_joint') -> None:
        super().__init__(loss_weight, loss_name)
        if unit != 'size' and (isinstance(unit, (str, bool))
                               or not float(unit) > 0):
            raise ValueError(
                'SSJointLoss (mmhumanparse/models/losses/joint_loss.py): '
                f"unit must be a positive number or 'size', got {unit!r}")
        self.unit = unit
        self.codec = JointCenterCodec(joint_groups)
        self.ignore_index = ignore_index

    def forward(self, seg_logits: Tensor, seg_label: Tensor) -> Tensor:
        """L_joint of a batch.

        Args:
            seg_logits (Tensor): (N, C, H, W) logits (softmax is taken here;
                log-probabilities work too). Resized bilinearly to the label
                size if they differ.
            seg_label (Tensor): (N, H, W) integer labels, ``ignore_index``
                ignored.

        Returns:
            Tensor: Scalar L_joint (times ``loss_weight``).
        """
        if seg_logits.dim() != 4 or seg_label.dim() != 3 or \
                seg_logits.shape[0] != seg_label.shape[0]:
            raise ValueError(
                'SSJointLoss: expected seg_logits (N, C, H, W) and seg_label '
                f'(N, H, W), got {tuple(seg_logits.shape)} and '
                f'{tuple(seg_label.shape)}')
        c, (h, w) = seg_logits.shape[1], seg_label.shape[1:]
        if seg_logits.shape[2:] != seg_label.shape[1:]:
            seg_logits = F.interpolate(
                seg_logits, size=(h, w), mode='bilinear', align_corners=False)
        label = seg_label.long()
        valid = label != self.ignore_index
        if bool((label[valid] >= c).any()) or bool((label[valid] < 0).any()):
            raise ValueError(
                f'SSJointLoss: seg_label holds labels outside [0, {c}) other '
                f'than ignore_index={self.ignore_index}')
        mask = valid.unsqueeze(1).to(seg_logits.dtype)  # (N, 1, H, W)
        pred, _ = self.codec.batch_decode(seg_logits.softmax(dim=1) * mask)
        with torch.no_grad():
            onehot = torch.zeros_like(seg_logits).scatter_(
                1, (label * valid).unsqueeze(1), mask)
            gt, gt_mass = self.codec.batch_decode(onehot)
        scale = pred.new_tensor(
            [w, h] if self.unit == 'size' else [float(self.unit)] * 2)
        present = (gt_mass > 0).to(pred.dtype)  # (N, J)
        sq = (((pred - gt) / scale)**2).sum(dim=-1)  # (N, J)
        num = present.sum(dim=1)
        per_image = (sq * present).sum(dim=1) / (2 * num.clamp_min(1))
        has_joint = (num > 0).to(pred.dtype)
        loss = (per_image * has_joint).sum() / has_joint.sum().clamp_min(1)
        return self.loss_weight * loss
