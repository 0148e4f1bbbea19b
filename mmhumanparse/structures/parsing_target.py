"""RoI part-map targets of the parsing branch (the analogue of mmdet's
``mask_target`` for label maps).

mmdet crops a binary mask per proposal, resizes it bilinearly and binarises
it; part labels cannot be interpolated, so every target cell takes one
pixel's label (nearest). Two ways to pick that pixel (``mode``):

* ``'crop_resize'`` (official RP R-CNN / Parsing R-CNN code, soeaver/RP-R-CNN
  ``rcnn/modeling/parsing_rcnn/loss.py``): the box corners are rounded, the
  part of the map inside both the box and the image is cropped and resized
  to S x S with OpenCV's ``INTER_NEAREST`` (cell j reads crop pixel
  floor(j * crop_size / S)); a box crossing the border stretches its
  in-image part over the whole target.
* ``'sample'``: cell (i, j) reads the pixel under its centre in the float
  box, background 0 outside the image (aligned with RoIAlign's bins).
"""
from typing import List, Sequence, Tuple

import torch
from torch import Tensor


def _sample_cells(boxes: Tensor, h: int, w: int,
                  out_size: int) -> Tuple[Tensor, Tensor, Tensor]:
    """``'sample'``: cell (i, j) of box ``(x1, y1, x2, y2)`` reads the pixel
    containing ``(x1 + (j + 0.5) * bw / S, y1 + (i + 0.5) * bh / S)``.

    Returns:
        tuple: (n, S) rows, (n, S) columns, (n, S, S) bool inside the image.
    """
    steps = (torch.arange(out_size, device=boxes.device,
                          dtype=torch.float32) + 0.5) / out_size
    ix = torch.floor(boxes[:, 0:1] + steps[None] *
                     (boxes[:, 2:3] - boxes[:, 0:1])).long()
    iy = torch.floor(boxes[:, 1:2] + steps[None] *
                     (boxes[:, 3:4] - boxes[:, 1:2])).long()
    inside = (((iy >= 0) & (iy < h))[:, :, None] &
              ((ix >= 0) & (ix < w))[:, None, :])
    return iy, ix, inside


def _crop_resize_cells(boxes: Tensor, h: int, w: int,
                       out_size: int) -> Tuple[Tensor, Tensor, Tensor]:
    """``'crop_resize'``: the rounded box clipped to the image; cell j reads
    crop pixel floor(j * s), s = 1 / (S / crop_size) as OpenCV computes it.
    An empty crop gives an all-background target.

    Returns:
        tuple: as :func:`_sample_cells`.
    """
    r = boxes.round().long()  # half to even, as torch.round officially
    lo = r[:, :2].clamp(min=0)
    hi = torch.minimum(r[:, 2:], r.new_tensor([w, h]))
    size = hi - lo  # (n, 2) crop width, height
    scale = 1.0 / (out_size / size.double().clamp(min=1))
    steps = torch.arange(out_size, device=boxes.device, dtype=torch.float64)
    offs = torch.floor(steps[None, None] * scale[:, :, None]).long()
    offs = torch.minimum(offs, (size - 1).clamp(min=0)[:, :, None])
    ix, iy = (lo[:, :, None] + offs).unbind(1)
    valid = (size > 0).all(1)
    inside = valid[:, None, None].expand(-1, out_size, out_size)
    return iy, ix, inside


CELLS = dict(sample=_sample_cells, crop_resize=_crop_resize_cells)


def parsing_target_single(pos_proposals: Tensor,
                          pos_assigned_gt_inds: Tensor,
                          gt_parsings: Tensor,
                          out_size: int,
                          mode: str = 'crop_resize') -> Tensor:
    """Part-label targets of one image's positive proposals.

    Cells outside the person are background (its map is 0 there); 255
    (ignore) is kept. ``mode``: see the module docstring.

    Args:
        pos_proposals (Tensor): (n, 4) boxes (x1, y1, x2, y2) in pixels of
            the (resized) image the maps are given at.
        pos_assigned_gt_inds (Tensor): (n, ) index of each proposal's person
            in ``gt_parsings``.
        gt_parsings (Tensor): (M, H, W) integer part maps, one per person.
        out_size (int): side S of the target.
        mode (str): ``'crop_resize'`` (official) or ``'sample'``.

    Returns:
        Tensor: (n, S, S) int64 part labels.
    """
    if mode not in CELLS:
        raise ValueError(f'parsing_target.py: mode must be one of '
                         f'{sorted(CELLS)}, got {mode!r}')
    device = pos_proposals.device
    if pos_proposals.shape[0] == 0:
        return pos_proposals.new_zeros((0, out_size, out_size),
                                       dtype=torch.long)
    if gt_parsings.dim() != 3:
        raise ValueError('parsing_target.py: gt_parsings must be (M, H, W), '
                         f'got shape {tuple(gt_parsings.shape)}')
    gt_parsings = gt_parsings.to(device)
    h, w = gt_parsings.shape[-2:]
    iy, ix, inside = CELLS[mode](pos_proposals.float(), h, w, out_size)
    gt_inds = pos_assigned_gt_inds.to(device).long()
    labels = gt_parsings[gt_inds[:, None, None],
                         iy.clamp(0, h - 1)[:, :, None],
                         ix.clamp(0, w - 1)[:, None, :]].long()
    return torch.where(inside, labels, torch.zeros_like(labels))


def parsing_target(pos_proposals_list: Sequence[Tensor],
                   pos_assigned_gt_inds_list: Sequence[Tensor],
                   gt_parsings_list: Sequence[Tensor],
                   out_size: int,
                   mode: str = 'crop_resize') -> Tensor:
    """:func:`parsing_target_single` over a batch, concatenated.

    Returns:
        Tensor: (sum n_i, S, S) int64 part labels.
    """
    targets: List[Tensor] = [
        parsing_target_single(p, g, m, out_size, mode) for p, g, m in zip(
            pos_proposals_list, pos_assigned_gt_inds_list, gt_parsings_list)
    ]
    return torch.cat(targets) if targets else torch.zeros(
        (0, out_size, out_size), dtype=torch.long)
