"""RoI part-map targets of the parsing branch (the analogue of mmdet's
``mask_target`` for label maps).

mmdet crops a binary mask per proposal, resizes it bilinearly and binarises
it; part labels cannot be interpolated, so here every output cell takes the
label of the image pixel under its centre (nearest sampling).
"""
from typing import List, Sequence

import torch
from torch import Tensor


def parsing_target_single(pos_proposals: Tensor, pos_assigned_gt_inds: Tensor,
                          gt_parsings: Tensor, out_size: int) -> Tensor:
    """Part-label targets of one image's positive proposals.

    Cell (i, j) of proposal ``(x1, y1, x2, y2)`` samples the matched person's
    map at the pixel containing ``(x1 + (j + 0.5) * w / S,
    y1 + (i + 0.5) * h / S)``. Cells outside the image are background 0;
    so are cells outside the person (its map is 0 there); 255 (ignore) is
    kept.

    Args:
        pos_proposals (Tensor): (n, 4) boxes (x1, y1, x2, y2) in pixels of
            the (resized) image the maps are given at.
        pos_assigned_gt_inds (Tensor): (n, ) index of each proposal's person
            in ``gt_parsings``.
        gt_parsings (Tensor): (M, H, W) integer part maps, one per person.
        out_size (int): side S of the target.

    Returns:
        Tensor: (n, S, S) int64 part labels.
    """
    device = pos_proposals.device
    n = pos_proposals.shape[0]
    if n == 0:
        return pos_proposals.new_zeros((0, out_size, out_size),
                                       dtype=torch.long)
    if gt_parsings.dim() != 3:
        raise ValueError('gt_parsings must be (M, H, W), got shape '
                         f'{tuple(gt_parsings.shape)}')
    gt_parsings = gt_parsings.to(device)
    h, w = gt_parsings.shape[-2:]
    boxes = pos_proposals.float()
    steps = (torch.arange(out_size, device=device, dtype=torch.float32) +
             0.5) / out_size  # (S,) cell centres in [0, 1]
    xs = boxes[:, 0:1] + steps[None] * (boxes[:, 2:3] - boxes[:, 0:1])
    ys = boxes[:, 1:2] + steps[None] * (boxes[:, 3:4] - boxes[:, 1:2])
    ix = torch.floor(xs).long()  # (n, S) pixel column under each centre
    iy = torch.floor(ys).long()  # (n, S) pixel row
    inside = (((iy >= 0) & (iy < h))[:, :, None] &
              ((ix >= 0) & (ix < w))[:, None, :])  # (n, S, S)
    gt_inds = pos_assigned_gt_inds.to(device).long()
    labels = gt_parsings[gt_inds[:, None, None],
                         iy.clamp(0, h - 1)[:, :, None],
                         ix.clamp(0, w - 1)[:, None, :]].long()
    return torch.where(inside, labels, torch.zeros_like(labels))


def parsing_target(pos_proposals_list: Sequence[Tensor],
                   pos_assigned_gt_inds_list: Sequence[Tensor],
                   gt_parsings_list: Sequence[Tensor],
                   out_size: int) -> Tensor:
    """:func:`parsing_target_single` over a batch, concatenated.

    Returns:
        Tensor: (sum n_i, S, S) int64 part labels.
    """
    targets: List[Tensor] = [
        parsing_target_single(p, g, m, out_size) for p, g, m in zip(
            pos_proposals_list, pos_assigned_gt_inds_list, gt_parsings_list)
    ]
    return torch.cat(targets) if targets else torch.zeros(
        (0, out_size, out_size), dtype=torch.long)
