"""Left/right channel swapping for flip test-time augmentation.

A horizontally mirrored person shows its left parts where the right parts
were. Logits predicted on a mirrored image must therefore be mirrored back
*and* have their left/right part channels exchanged before they are merged
with the logits of the original image.
"""
from typing import Optional, Sequence

import torch
from torch import Tensor


def flip_permutation(num_classes: int,
                     flip_pairs: Sequence[Sequence[int]]) -> Tensor:
    """Channel order that exchanges every pair of ``flip_pairs``.

    Args:
        num_classes (int): Number of channels C.
        flip_pairs (Sequence[Sequence[int]]): Pairs ``(left, right)``.

    Returns:
        Tensor: (C,) long, ``perm[left] = right`` and ``perm[right] = left``.

    Raises:
        ValueError: if a pair is not two distinct labels in ``[0, C)``.
    """
    perm = torch.arange(num_classes)
    for pair in flip_pairs:
        if len(pair) != 2 or not all(0 <= int(p) < num_classes
                                     for p in pair) or pair[0] == pair[1]:
            raise ValueError(
                f'flip_pairs: {tuple(pair)} is not a pair of two different '
                f'labels in [0, {num_classes}) (flip_pairs={flip_pairs})')
        a, b = int(pair[0]), int(pair[1])
        perm[a], perm[b] = b, a
    return perm


def swap_flip_channels(logits: Tensor,
                       flip_pairs: Optional[Sequence[Sequence[int]]],
                       dim: int = 1) -> Tensor:
    """Exchange the left/right class channels of ``logits``.

    Args:
        logits (Tensor): e.g. (N, C, H, W) with ``dim=1`` or (C, H, W) with
            ``dim=0``.
        flip_pairs (Sequence[Sequence[int]] | None): Label pairs; empty or
            None leaves ``logits`` unchanged.
        dim (int): The class dimension. Defaults to 1.

    Returns:
        Tensor: ``logits`` with the paired channels exchanged (a new tensor).
    """
    if not flip_pairs:
        return logits
    perm = flip_permutation(logits.shape[dim], flip_pairs)
    return logits.index_select(dim, perm.to(logits.device))
