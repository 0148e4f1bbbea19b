"""Centres of merged part regions: SS-NAN's self-supervised joints."""
from typing import Sequence, Tuple, Union

import numpy as np
import torch
from torch import Tensor

from mmhumanparse.registry import CODECS
from .utils import decode_as_batch


@CODECS.register_module()
class JointCenterCodec:
    """Joints as the centres of groups of part labels.

    SS-NAN ("Self-Supervised Neural Aggregation Networks for Human Parsing",
    arXiv:1803.07741, Sec. 3.3, Fig. 3) defines nine joints as the centres
    of merged part regions (head = hat + hair + sunglasses + face, ...); the
    groups per dataset are ``metainfo.<DATASET>_METAINFO['joint_groups']``.

    Coordinates are pixel indices ``(x, y)`` (x = column, y = row, pixel
    centres at integers), as :class:`GenerateJointCenters` writes them.

    * ``encode(label_map)``: centre = mean coordinate of the pixels whose
      label is in the group; a group without pixels is absent (centre
      ``(0, 0)``, not visible). Ignore pixels (255) belong to no group unless
      a group lists 255. Vectorised with ``np.bincount`` (count, sum of x,
      sum of y per label) and a (J, L) 0/1 membership product.
    * ``decode(probs)``: the group's probability map is the sum of its
      classes' probabilities; centre = the probability-weighted centroid of
      that map, score = its mass (sum over pixels, i.e. the expected pixel
      count); a group with zero mass gets centre ``(0, 0)`` and score 0.
      For a one-hot map of a label map (255 pixels all zero) the centres
      equal those of ``encode``. Tensor input is differentiable.

    Args:
        joint_groups (Sequence[Sequence[int]]): one tuple of part labels per
            joint, e.g. ``LIP_METAINFO['joint_groups']``.
    """

    def __init__(self, joint_groups: Sequence[Sequence[int]]) -> None:
        groups = tuple(tuple(int(v) for v in g) for g in joint_groups)
        if len(groups) == 0:
            raise ValueError('JointCenterCodec: joint_groups is empty')
        for j, g in enumerate(groups):
            if len(g) == 0:
                raise ValueError(
                    f'JointCenterCodec: joint_groups[{j}] is empty')
            if min(g) < 0 or max(g) > 255:
                raise ValueError(f'JointCenterCodec: joint_groups[{j}] = {g}:'
                                 ' labels must be in [0, 255]')
        self.joint_groups = groups
        self.num_joints = len(groups)
        self._num_labels = max(max(g) for g in groups) + 1
        member = np.zeros((len(groups), self._num_labels), dtype=np.float64)
        for j, g in enumerate(groups):
            member[j, list(g)] = 1.0
        self._member = member  # (J, L) group membership
        self._coord_cache: Tuple = ((), None, None)

    # ------------------------------------------------------------------
    def _coords(self, h: int, w: int) -> Tuple[np.ndarray, np.ndarray]:
        """Flattened x / y pixel coordinates of an (h, w) map, cached."""
        shape, xs, ys = self._coord_cache
        if shape != (h, w):
            xs = np.tile(np.arange(w, dtype=np.float64), h)
            ys = np.repeat(np.arange(h, dtype=np.float64), w)
            self._coord_cache = ((h, w), xs, ys)
        return xs, ys

    def encode(self, label_map: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Joint centres of a part-label map.

        Args:
            label_map (np.ndarray): (H, W) integer labels, 255 = ignore.

        Returns:
            tuple: centers (J, 2) float32 ``(x, y)`` pixels and visible
            (J,) bool.
        """
        seg = label_map
        if not isinstance(seg, np.ndarray) or seg.ndim != 2:
            raise ValueError(
                'JointCenterCodec.encode: label_map must be a (H, W) numpy '
                f'array, got {type(seg).__name__} of shape '
                f'{getattr(seg, "shape", None)}')
        if not np.issubdtype(seg.dtype, np.integer):
            raise ValueError('JointCenterCodec.encode: label_map must hold '
                             f'integer labels, got dtype {seg.dtype}')
        h, w = seg.shape
        flat = seg.ravel()
        if flat.dtype != np.uint8:
            if flat.size and flat.min() < 0:
                raise ValueError(
                    'JointCenterCodec.encode: label_map has negative labels')
            flat = flat.astype(np.intp, copy=False)
        xs, ys = self._coords(h, w)
        n = self._num_labels
        # per-label statistics; labels >= n belong to no group
        count = np.bincount(flat, minlength=n)[:n].astype(np.float64)
        sum_x = np.bincount(flat, weights=xs, minlength=n)[:n]
        sum_y = np.bincount(flat, weights=ys, minlength=n)[:n]
        stats = self._member @ np.stack([sum_x, sum_y, count], axis=1)
        visible = stats[:, 2] > 0
        centers = np.zeros((self.num_joints, 2), dtype=np.float64)
        centers[visible] = stats[visible, :2] / stats[visible, 2:]
        return centers.astype(np.float32), visible

    # ------------------------------------------------------------------
    def decode(
        self, probs: Union[np.ndarray, Tensor]
    ) -> Tuple[Union[np.ndarray, Tensor], Union[np.ndarray, Tensor]]:
        """Probability-weighted joint centres.

        Args:
            probs: (C, H, W) ndarray, or (N, C, H, W) tensor (e.g. softmax
                outputs or one-hot labels); every group label must be < C.

        Returns:
            tuple: centers ((J, 2) float32 ndarray, or (N, J, 2) tensor)
            ``(x, y)`` pixels, and scores ((J,) or (N, J)), the group mass.
        """
        if isinstance(probs, Tensor):
            return self.batch_decode(probs)
        centers, scores = decode_as_batch(self, probs, np.float64,
                                          'an ndarray must be (C, H, W)')
        return centers[0].astype(np.float32), scores[0].astype(np.float32)

    def batch_decode(self, probs: Tensor) -> Tuple[Tensor, Tensor]:
        """Differentiable :meth:`decode` of a batch.

        Args:
            probs (Tensor): (N, C, H, W) non-negative class probabilities.

        Returns:
            tuple[Tensor, Tensor]: centers (N, J, 2) ``(x, y)`` pixels and
            scores (N, J), in the dtype of ``probs``.
        """
        if not isinstance(probs, Tensor) or probs.dim() != 4:
            raise ValueError(
                'JointCenterCodec.decode: a tensor must be (N, C, H, W), '
                f'got shape {tuple(getattr(probs, "shape", ()))}')
        n, c, h, w = probs.shape
        if c < self._num_labels:
            raise ValueError(
                f'JointCenterCodec.decode: joint_groups use label '
                f'{self._num_labels - 1} but probs have only {c} channels')
        if not probs.is_floating_point():
            probs = probs.float()
        member = torch.zeros(self.num_joints, c, dtype=probs.dtype,
                             device=probs.device)
        member[:, :self._num_labels] = torch.as_tensor(
            self._member, dtype=probs.dtype, device=probs.device)
        # marginals first (N, C, W) / (N, C, H), then groups: no (N, J, H, W)
        px = torch.einsum('jc,ncw->njw', member, probs.sum(dim=2))
        py = torch.einsum('jc,nch->njh', member, probs.sum(dim=3))
        xs = torch.arange(w, dtype=probs.dtype, device=probs.device)
        ys = torch.arange(h, dtype=probs.dtype, device=probs.device)
        mass = px.sum(dim=2)  # (N, J)
        sums = torch.stack([px @ xs, py @ ys], dim=-1)  # (N, J, 2)
        present = mass > 0
        safe = torch.where(present, mass, torch.ones_like(mass))
        centers = torch.where(present[..., None], sums / safe[..., None],
                              torch.zeros_like(sums))
        return centers, mass

    def __repr__(self) -> str:
        return f'{type(self).__name__}(joint_groups={self.joint_groups})'
