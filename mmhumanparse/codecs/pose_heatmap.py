"""Gaussian keypoint heatmaps (encode) and argmax keypoints (decode)."""
import math
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor

from mmhumanparse.registry import CODECS
from .utils import decode_as_batch


def _axis_stride(in_size: int, hm_size: int) -> float:
    """Input pixels per heatmap pixel along one axis.

    The smallest integer stride ``s`` of a backbone of padded stride-2
    convolutions (heatmap size ``ceil(in / s)``, e.g. 473 -> 60 for s = 8)
    when one fits, else the plain ratio ``in / hm`` (mmpose's
    ``scale_factor``).
    """
    s = math.ceil(in_size / hm_size)
    if math.ceil(in_size / s) == hm_size:
        return float(s)
    return in_size / hm_size


@CODECS.register_module()
class PoseHeatmapCodec:
    """Gaussian heatmaps of K keypoints, decoded by argmax + quarter offset.

    mmpose's ``MSRAHeatmap`` without DARK ("Simple Baselines for Human Pose
    Estimation and Tracking", arXiv:1804.06208), with the geometry of
    :class:`~mmhumanparse.datasets.transforms.GeneratePoseHeatmaps`:

    * stride ``s`` per axis: ``stride`` when given (it must satisfy
      ``heatmap = ceil(input / s)``), else the smallest integer with
      ``heatmap = ceil(input / s)`` when one exists (e.g. input 473,
      heatmap 60 -> s = 8), else ``input / heatmap``;
    * encode: keypoint ``(x, y)`` (image pixels, pixel centres at integers)
      is centred at heatmap cell ``(floor(x / s + 0.5), floor(y / s + 0.5))``
      (half up), clipped to the last column/row, so the peak is exactly 1:
      ``H_k[i, j] = exp(-((j - cx)^2 + (i - cy)^2) / (2 sigma^2))``, not
      truncated. A keypoint that is not visible, not finite or outside the
      image (not ``-0.5 <= x < W - 0.5``, same for y) gets weight 0 and adds
      nothing; several persons are merged by a per-pixel maximum;
    * decode: the argmax cell, shifted by 0.25 cell towards the higher of its
      two neighbours along x and along y (no shift on the border or on a
      tie), times the stride. An encoded visible keypoint comes back within
      ``s / 2`` pixels (further only when clipped on the last column/row).

    Args:
        input_size (tuple[int, int]): image ``(w, h)``.
        heatmap_size (tuple[int, int]): heatmap ``(w, h)``.
        sigma (float): Gaussian standard deviation in heatmap pixels.
            Defaults to 2.
        stride (int, optional): the network's integer stride, for sizes
            where several fit (e.g. input 10, heatmap 2: 5 to 9). Defaults
            to None (derived as above).
    """

    def __init__(self,
                 input_size: Sequence[int],
                 heatmap_size: Sequence[int],
                 sigma: float = 2.0,
                 stride: Optional[int] = None) -> None:
        for name, size in (('input_size', input_size), ('heatmap_size',
                                                        heatmap_size)):
            if (len(size) != 2 or any(int(v) != v or v < 1 for v in size)):
                raise ValueError(f'PoseHeatmapCodec: {name} must be two '
                                 f'positive integers (w, h), got {size}')
        if not sigma > 0:
            raise ValueError(f'PoseHeatmapCodec: sigma must be > 0, got '
                             f'{sigma}')
        self.input_size = (int(input_size[0]), int(input_size[1]))
        self.heatmap_size = (int(heatmap_size[0]), int(heatmap_size[1]))
        if (self.heatmap_size[0] > self.input_size[0]
                or self.heatmap_size[1] > self.input_size[1]):
            raise ValueError(
                f'PoseHeatmapCodec: heatmap_size {self.heatmap_size} is '
                f'larger than input_size {self.input_size}')
        self.sigma = float(sigma)
        # (sx, sy) input pixels per heatmap pixel
        if stride is None:
            self.stride = np.array([
                _axis_stride(i, h)
                for i, h in zip(self.input_size, self.heatmap_size)
            ])
        else:
            if int(stride) != stride or stride < 1 or any(
                    math.ceil(i / stride) != h
                    for i, h in zip(self.input_size, self.heatmap_size)):
                raise ValueError(
                    f'PoseHeatmapCodec: stride {stride} does not give '
                    f'heatmap_size {self.heatmap_size} = ceil(input_size '
                    f'{self.input_size} / stride)')
            self.stride = np.array([float(stride)] * 2)

    # ------------------------------------------------------------------
    def encode(self, keypoints: np.ndarray,
               keypoints_visible: np.ndarray) -> Dict[str, np.ndarray]:
        """Heatmaps of N persons' K keypoints.

        Args:
            keypoints (np.ndarray): (N, K, 2) ``(x, y)`` image pixels.
            keypoints_visible (np.ndarray): (N, K), > 0 = annotated.

        Returns:
            dict: ``heatmaps`` (K, h, w) float32 in [0, 1] and
            ``keypoint_weights`` (N, K) float32 in {0, 1}.
        """
        kpts = np.asarray(keypoints, dtype=np.float64)
        vis = np.asarray(keypoints_visible, dtype=np.float64)
        if kpts.ndim != 3 or kpts.shape[2] != 2 or vis.shape != kpts.shape[:2]:
            raise ValueError(
                'PoseHeatmapCodec.encode: keypoints must be (N, K, 2) and '
                f'keypoints_visible (N, K), got {kpts.shape} and {vis.shape}')
        n, k = kpts.shape[:2]
        w, h = self.heatmap_size
        in_w, in_h = self.input_size
        finite = np.isfinite(kpts).all(axis=2)
        safe = np.where(finite[..., None], kpts, -1.0)
        inside = ((safe >= -0.5) & (safe < np.array([in_w, in_h]) - 0.5))
        valid = finite & (vis > 0) & inside.all(axis=2)  # (N, K)
        centre = np.floor(safe / self.stride + 0.5)
        # the last s/2 image pixels round one cell past the heatmap: clip
        centre = np.minimum(centre, np.array([w - 1, h - 1]))
        weights = valid.astype(np.float32)

        inv = -1.0 / (2.0 * self.sigma**2)
        gx = np.exp((np.arange(w) - centre[..., :1])**2 * inv)  # (N, K, w)
        gy = np.exp((np.arange(h) - centre[..., 1:])**2 * inv)  # (N, K, h)
        gx = (gx * weights[..., None]).astype(np.float32)
        gy = gy.astype(np.float32)
        heatmaps = gy[..., :, None] * gx[..., None, :]  # (N, K, h, w)
        if n == 1:
            heatmaps = heatmaps[0]
        elif n == 0:
            heatmaps = np.zeros((k, h, w), np.float32)
        else:
            heatmaps = heatmaps.max(axis=0)
        return dict(heatmaps=heatmaps, keypoint_weights=weights)

    # ------------------------------------------------------------------
    def decode(self, heatmaps: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Keypoints of one person from its heatmaps.

        Args:
            heatmaps (np.ndarray): (K, h, w).

        Returns:
            tuple: keypoints (1, K, 2) float32 ``(x, y)`` in input-image
            pixels and scores (1, K) float32 (the heatmap maxima).
        """
        if isinstance(heatmaps, Tensor):
            raise TypeError('PoseHeatmapCodec.decode takes a (K, h, w) '
                            'ndarray; use batch_decode for (N, K, h, w) '
                            'tensors')
        return decode_as_batch(self, heatmaps, np.float32,
                               'heatmaps must be (K, h, w)')

    def batch_decode(self, heatmaps: Tensor) -> Tuple[Tensor, Tensor]:
        """Vectorised :meth:`decode` of a batch (not differentiable).

        Args:
            heatmaps (Tensor): (N, K, h, w).

        Returns:
            tuple[Tensor, Tensor]: keypoints (N, K, 2) float32 in
            input-image pixels and scores (N, K) float32.
        """
        if not isinstance(heatmaps, Tensor) or heatmaps.dim() != 4:
            raise ValueError(
                'PoseHeatmapCodec.batch_decode: heatmaps must be an '
                '(N, K, h, w) tensor, got '
                f'{type(heatmaps).__name__} of shape '
                f'{tuple(getattr(heatmaps, "shape", ()))}')
        heatmaps = heatmaps.detach().float()
        n, k, h, w = heatmaps.shape
        if (w, h) != self.heatmap_size:
            raise ValueError(
                f'PoseHeatmapCodec.batch_decode: heatmaps are {w}x{h} '
                f'(w x h), the codec expects heatmap_size {self.heatmap_size}')
        flat = heatmaps.reshape(n, k, h * w)
        scores, idx = flat.max(dim=2)  # (N, K)
        x, y = idx % w, idx // w

        def at(dx, dy):
            xx = (x + dx).clamp(0, w - 1)
            yy = (y + dy).clamp(0, h - 1)
            return flat.gather(2, (yy * w + xx)[..., None])[..., 0]

        # mmpose's refine_keypoints: a quarter cell towards the higher
        # neighbour where both neighbours exist
        shift_x = torch.sign(at(1, 0) - at(-1, 0)) * ((x > 0) & (x < w - 1))
        shift_y = torch.sign(at(0, 1) - at(0, -1)) * ((y > 0) & (y < h - 1))
        cells = torch.stack([x + 0.25 * shift_x, y + 0.25 * shift_y], dim=-1)
        stride = torch.as_tensor(self.stride, dtype=torch.float32,
                                 device=heatmaps.device)
        return (cells.float() * stride), scores

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(input_size={self.input_size}, '
                f'heatmap_size={self.heatmap_size}, sigma={self.sigma}, '
                f'stride={tuple(self.stride.tolist())})')
