"""The one left/right swap of human parsing (transforms, flip TTA, RoI heads).

A horizontally mirrored person shows its left parts where the right parts
were, so every mirrored label map, per-instance part map, keypoint set,
heatmap stack and logit tensor must also have its left/right entries
exchanged. The pairs come from each dataset's ``METAINFO`` (``flip_pairs``
for part labels, ``keypoint_flip_pairs``, ``joint_flip_pairs``).

Everything here validates the pairs first (:func:`check_flip_pairs`): two
distinct non-negative integers per pair, inside the label/channel range,
no label in two pairs; the error names the dataset or source given as
``name``. The ignore label 255 of label maps is never swapped.

numpy and torch inputs are both accepted where noted; nothing here mirrors
boxes or masks (mmcv/mmdet do that).
"""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch import Tensor

Pairs = Sequence[Sequence[int]]
ArrayLike = Union[np.ndarray, Tensor]

IGNORE_INDEX = 255


def _where(name: Optional[str]) -> str:
    return f' ({name})' if name else ''


def check_flip_pairs(
        flip_pairs: Optional[Pairs],
        num_classes: Optional[int] = None,
        name: Optional[str] = None) -> Tuple[Tuple[int, int], ...]:
    """Validate left/right pairs and return them as a tuple of int pairs.

    Args:
        flip_pairs (Sequence[Sequence[int]] | None): ``((left, right), ...)``;
            None or empty means no left/right classes.
        num_classes (int, optional): labels/channels must be in
            ``[0, num_classes)``. None: labels must be in ``[0, 255)`` (255
            is the ignore label).
        name (str, optional): the dataset or source of the pairs, named in
            the error (e.g. ``'LIPDataset'``, ``'test_cfg.flip_pairs'``).

    Returns:
        tuple[tuple[int, int]]: the pairs.

    Raises:
        ValueError: a pair is not two distinct labels in range, or a label
            appears in two pairs.
    """
    if not flip_pairs:
        return ()
    limit = IGNORE_INDEX if num_classes is None else int(num_classes)
    seen = {}
    out = []
    for i, pair in enumerate(flip_pairs):
        try:
            ok = len(pair) == 2 and all(int(p) == p for p in pair)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(f'flip_pairs{_where(name)}: entry {i} = {pair!r}'
                             f' is not a pair of two integer labels '
                             f'(flip_pairs={flip_pairs})')
        a, b = int(pair[0]), int(pair[1])
        if a == b or not (0 <= a < limit and 0 <= b < limit):
            raise ValueError(
                f'flip_pairs{_where(name)}: {(a, b)} is not a pair of two '
                f'different labels in [0, {limit}) (flip_pairs={flip_pairs})')
        for lbl in (a, b):
            if lbl in seen:
                raise ValueError(
                    f'flip_pairs{_where(name)}: label {lbl} is in pairs '
                    f'{seen[lbl]} and {(a, b)}; pairs must be disjoint '
                    f'(flip_pairs={flip_pairs})')
            seen[lbl] = (a, b)
        out.append((a, b))
    return tuple(out)


def flip_lut(flip_pairs: Optional[Pairs],
             size: int = 256,
             name: Optional[str] = None) -> np.ndarray:
    """Lookup table mapping every label to its left/right partner.

    Args:
        flip_pairs: ``((left, right), ...)``, validated with labels < 255.
        size (int): table length (256 covers uint8 maps, 255 included).
        name (str, optional): source named in errors.

    Returns:
        np.ndarray: (size,) int64; ``lut[label_map]`` swaps the labels and
        keeps every unpaired label (255 included).
    """
    pairs = check_flip_pairs(flip_pairs, min(size, IGNORE_INDEX), name)
    lut = np.arange(size, dtype=np.int64)
    for a, b in pairs:
        lut[a], lut[b] = b, a
    return lut


def flip_permutation(num_classes: int,
                     flip_pairs: Optional[Pairs],
                     name: Optional[str] = None) -> Tensor:
    """Channel order that exchanges every pair of ``flip_pairs``.

    Args:
        num_classes (int): number of channels C.
        flip_pairs (Sequence[Sequence[int]]): pairs ``(left, right)``.
        name (str, optional): source named in errors.

    Returns:
        Tensor: (C,) long, ``perm[left] = right`` and ``perm[right] = left``.

    Raises:
        ValueError: if the pairs are invalid for C channels.
    """
    perm = torch.arange(num_classes)
    for a, b in check_flip_pairs(flip_pairs, num_classes, name):
        perm[a], perm[b] = b, a
    return perm


def swap_flip_channels(logits: Tensor,
                       flip_pairs: Optional[Pairs],
                       dim: int = 1,
                       name: Optional[str] = None) -> Tensor:
    """Exchange the left/right class channels of ``logits`` (or heatmaps).

    Args:
        logits (Tensor): e.g. (N, C, H, W) with ``dim=1`` or (C, H, W) with
            ``dim=0``.
        flip_pairs (Sequence[Sequence[int]] | None): label pairs; empty or
            None leaves ``logits`` unchanged.
        dim (int): the class dimension. Defaults to 1.
        name (str, optional): source named in errors.

    Returns:
        Tensor: ``logits`` with the paired channels exchanged (a new tensor).
    """
    if not flip_pairs:
        return logits
    perm = flip_permutation(logits.shape[dim], flip_pairs, name)
    return logits.index_select(dim, perm.to(logits.device))


def swap_labels(labels: ArrayLike,
                flip_pairs: Optional[Pairs],
                num_classes: Optional[int] = None,
                name: Optional[str] = None) -> ArrayLike:
    """Exchange left/right labels of label maps, without mirroring.

    Works on any shape, e.g. one (H, W) map or an (n, H, W) stack of
    per-instance part maps; 255 and every unpaired label are kept.

    Args:
        labels (np.ndarray | Tensor): integer labels, 255 = ignore.
        flip_pairs: ``((left, right), ...)``.
        num_classes (int, optional): validate the pairs against it.
        name (str, optional): source named in errors.

    Returns:
        np.ndarray | Tensor: same type, shape, dtype and device as
        ``labels``.
    """
    pairs = check_flip_pairs(flip_pairs, num_classes, name)
    if not pairs:
        return labels.clone() if isinstance(labels, Tensor) else labels.copy()
    is_tensor = isinstance(labels, Tensor)
    if is_tensor:
        if labels.is_floating_point():
            raise ValueError(f'swap_labels{_where(name)}: labels must be '
                             f'integers, got {labels.dtype}')
        top = int(labels.max()) if labels.numel() else 0
        low = int(labels.min()) if labels.numel() else 0
    else:
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f'swap_labels{_where(name)}: labels must be '
                             f'integers, got {labels.dtype}')
        top = int(labels.max()) if labels.size else 0
        low = int(labels.min()) if labels.size else 0
    if low < 0:
        raise ValueError(f'swap_labels{_where(name)}: negative label {low}')
    lut = np.arange(max(256, top + 1), dtype=np.int64)
    for a, b in pairs:
        lut[a], lut[b] = b, a
    if is_tensor:
        lut_t = torch.from_numpy(lut).to(labels.device)
        return lut_t[labels.long()].to(labels.dtype)
    return lut[labels].astype(labels.dtype, copy=False)


def flip_label_map(labels: ArrayLike,
                   flip_pairs: Optional[Pairs],
                   num_classes: Optional[int] = None,
                   name: Optional[str] = None) -> ArrayLike:
    """Mirror (..., H, W) label map(s) along W and swap left/right labels.

    Args:
        labels (np.ndarray | Tensor): (..., H, W) integer labels, e.g. one
            (H, W) map or an (n, H, W) per-instance stack; 255 kept.
        flip_pairs: ``((left, right), ...)``.
        num_classes (int, optional): validate the pairs against it.
        name (str, optional): source named in errors.

    Returns:
        np.ndarray | Tensor: mirrored, swapped maps (contiguous copy).
    """
    if isinstance(labels, Tensor):
        mirrored = labels.flip(-1)
    else:
        mirrored = np.ascontiguousarray(labels[..., ::-1])
    if not flip_pairs:
        return mirrored
    return swap_labels(mirrored, flip_pairs, num_classes, name)


def flip_keypoints(points: np.ndarray,
                   visible: Optional[np.ndarray],
                   width: int,
                   flip_pairs: Optional[Pairs],
                   name: Optional[str] = None
                   ) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Mirror (..., K, 2) pixel-index points and swap left/right entries.

    ``x -> width - 1 - x`` (pixel centres at integers); entry ``left`` of
    the output is the mirrored ``right`` input and vice versa; an invisible
    point is set to ``(0, 0)`` after the move.

    Args:
        points (np.ndarray): (..., K, 2) ``(x, y)``.
        visible (np.ndarray | None): (..., K), 0 = missing.
        width (int): image width.
        flip_pairs: index pairs into K (``keypoint_flip_pairs`` or
            ``joint_flip_pairs``).
        name (str, optional): source named in errors.

    Returns:
        tuple: flipped points (..., K, 2) and visibility (..., K) or None.
    """
    k = points.shape[-2]
    perm = np.arange(k)
    for a, b in check_flip_pairs(flip_pairs, k, name):
        perm[a], perm[b] = b, a
    out = points[..., perm, :].copy()
    out[..., 0] = width - 1 - out[..., 0]
    if visible is not None:
        visible = visible[..., perm].copy()
        out[visible == 0] = 0
    return out, visible


def resolve_flip_pairs(explicit: Optional[Pairs],
                       img_meta: dict,
                       dataset_meta: Optional[dict] = None,
                       who: str = 'flip test',
                       num_classes: Optional[int] = None
                       ) -> Tuple[Tuple[int, int], ...]:
    """Pick (and validate) the left/right label pairs for one sample.

    Precedence: ``explicit`` (a config argument), then the sample's
    ``img_meta['flip_pairs']``, then ``dataset_meta['flip_pairs']``; the
    first that is not None wins (``()`` is a valid answer: no left/right
    classes).

    Args:
        explicit: pairs from the config (e.g. ``test_cfg.flip_pairs``).
        img_meta (dict): the sample's metainfo.
        dataset_meta (dict, optional): the model's ``dataset_meta``.
        who (str): the caller, named in errors.
        num_classes (int, optional): validate the pairs against it.

    Returns:
        tuple[tuple[int, int]]: the validated pairs.

    Raises:
        ValueError: if none of them gives the pairs (silently averaging
            unswapped left/right channels would corrupt the labels), or the
            chosen pairs are invalid (the error names their source).
    """
    dataset_meta = dataset_meta or {}
    img_path = img_meta.get('img_path', '<unknown>')
    data_name = dataset_meta.get('dataset_name',
                                 dataset_meta.get('type', 'the dataset'))
    sources = (
        (explicit, f'{who}: flip_pairs of the config'),
        (img_meta.get('flip_pairs'),
         f'{who}: metainfo["flip_pairs"] of {img_path!r}'),
        (dataset_meta.get('flip_pairs'),
         f'{who}: dataset_meta["flip_pairs"] of {data_name}'),
    )
    for pairs, source in sources:
        if pairs is not None:
            return check_flip_pairs(pairs, num_classes, source)
    raise ValueError(
        f'{who}: no left/right flip pairs for image '
        f'{img_path!r}. Set `flip_pairs` in the '
        f'config (e.g. model.test_cfg.flip_pairs=[(14, 15), ...]; () for a '
        f'dataset without left/right classes) or let the pipeline put '
        f'`flip_pairs` into the data-sample metainfo.')
