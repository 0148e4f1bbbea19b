"""Per-person part maps: RoI part probabilities pasted into the image.

Two pastes (``mode``), then an optional semantic fusion and the argmax:

* ``'expand'`` (official RP R-CNN / Parsing R-CNN code, soeaver/RP-R-CNN
  ``rcnn/modeling/parsing_rcnn/inference.py``, the Detectron paste of Mask
  R-CNN): the S x S map gets a one-cell ring of zeros, the box is grown
  about its centre by (S + 2) / S, its corners are truncated to integers,
  and the (S + 2)-map is resized bilinearly (pixel centres, as OpenCV's
  ``INTER_LINEAR``) onto the pixels x1..x2, y1..y2 (both ends included).
* ``'grid_sample'``: every pixel whose centre lies in the (float) box
  samples the S x S map bilinearly at that centre (edge values repeated).

Fusion (official ``PRCNN.SEMSEG_FUSE_WEIGHT``; RP R-CNN's paper is silent):
inside the pasted region, where the pasted probabilities' argmax is a part
(> 0), ``sem_fuse_weight`` x the semantic probabilities are added before
the final argmax.
"""
import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

Region = Tuple[Tuple[int, int, int, int], Tensor]


def _expand_paste(probs: Tensor, box: Tensor,
                  img_shape: Tuple[int, int]) -> Optional[Region]:
    """``'expand'`` paste of one (C, S_h, S_w) map; see the module doc.

    Returns:
        tuple | None: ``(y0, y1, x0, x1)`` (image slice) and the (C, y1 - y0,
        x1 - x0) probabilities there, or None when nothing is inside.
    """
    h, w = img_shape
    s_h, s_w = probs.shape[-2:]
    box = box.float()
    centre = (box[:2] + box[2:]) * 0.5
    half = (box[2:] - box[:2]) * 0.5 * box.new_tensor(
        [(s_w + 2.) / s_w, (s_h + 2.) / s_h])
    bx1, by1, bx2, by2 = torch.cat([centre - half, centre + half]).trunc(
    ).long().tolist()  # numpy astype(int32) truncates toward zero
    x0, x1 = max(bx1, 0), min(bx2 + 1, w)
    y0, y1 = max(by1, 0), min(by2 + 1, h)
    if x1 <= x0 or y1 <= y0:
        return None
    size = (max(by2 - by1 + 1, 1), max(bx2 - bx1 + 1, 1))
    resized = F.interpolate(
        F.pad(probs[None], (1, 1, 1, 1)),
        size=size,
        mode='bilinear',
        align_corners=False)[0]
    return (y0, y1, x0, x1), resized[:, y0 - by1:y1 - by1, x0 - bx1:x1 - bx1]


def _grid_sample_paste(probs: Tensor, box: Tensor,
                       img_shape: Tuple[int, int]) -> Optional[Region]:
    """``'grid_sample'`` paste of one (C, S, S) map; see the module doc.

    Returns:
        tuple | None: as :func:`_expand_paste`.
    """
    h, w = img_shape
    x1, y1, x2, y2 = box.float().tolist()
    c0, c1 = max(math.ceil(x1 - 0.5), 0), min(math.floor(x2 - 0.5) + 1, w)
    r0, r1 = max(math.ceil(y1 - 0.5), 0), min(math.floor(y2 - 0.5) + 1, h)
    if c1 <= c0 or r1 <= r0:
        return None
    bw, bh = max(x2 - x1, 1e-6), max(y2 - y1, 1e-6)
    xs = (torch.arange(c0, c1, device=probs.device) + 0.5 - x1) / bw * 2 - 1
    ys = (torch.arange(r0, r1, device=probs.device) + 0.5 - y1) / bh * 2 - 1
    grid = torch.stack(
        torch.broadcast_tensors(xs[None, :], ys[:, None]), dim=-1)
    crop = F.grid_sample(
        probs[None],
        grid[None].to(probs.dtype),
        mode='bilinear',
        padding_mode='border',
        align_corners=False)[0]
    return (r0, r1, c0, c1), crop


PASTES = dict(expand=_expand_paste, grid_sample=_grid_sample_paste)


def paste_parsings(probs: Tensor,
                   bboxes: Tensor,
                   img_shape: Tuple[int, int],
                   mode: str = 'expand',
                   sem_probs: Optional[Tensor] = None,
                   sem_fuse_weight: float = 0.0) -> Tensor:
    """Paste per-RoI part probabilities into the image and take the argmax.

    Args:
        probs (Tensor): (n, C, S, S) part probabilities.
        bboxes (Tensor): (n, 4) boxes (x1, y1, x2, y2) in the output frame.
        img_shape (tuple[int, int]): (H, W) of the output.
        mode (str): ``'expand'`` (official code) or ``'grid_sample'``.
        sem_probs (Tensor, optional): (C, H, W) semantic probabilities.
        sem_fuse_weight (float): their weight inside each person's
            foreground (0: no fusion).

    Returns:
        Tensor: (n, H, W) uint8 part maps, 0 outside each pasted region.
    """
    if mode not in PASTES:
        raise ValueError(f'paste.py: mode must be one of {sorted(PASTES)}, '
                         f'got {mode!r}')
    h, w = int(img_shape[0]), int(img_shape[1])
    fuse = sem_probs is not None and sem_fuse_weight != 0
    if fuse and tuple(sem_probs.shape) != (probs.shape[1], h, w):
        raise ValueError(
            f'paste.py: sem_probs must be (C, H, W) = '
            f'{(probs.shape[1], h, w)}, got {tuple(sem_probs.shape)}')
    out = probs.new_zeros((probs.shape[0], h, w), dtype=torch.uint8)
    for i in range(probs.shape[0]):
        region = PASTES[mode](probs[i], bboxes[i].detach(), (h, w))
        if region is None:
            continue
        (y0, y1, x0, x1), crop = region
        if fuse:
            foreground = crop.argmax(0, keepdim=True) > 0
            crop = crop + sem_fuse_weight * sem_probs[:, y0:y1,
                                                      x0:x1] * foreground
        out[i, y0:y1, x0:x1] = crop.argmax(0).to(torch.uint8)
    return out
