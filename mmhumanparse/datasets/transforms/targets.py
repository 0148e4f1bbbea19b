"""Multi-task label generators (edges, joint centres, pose heatmaps).

All three read the part-label map / keypoints of the pipeline ``results`` dict
(keys and shapes as in ``docs/data_conventions.md``) and write targets for
the auxiliary heads. Place them after every geometric transform (resize,
crop, flip, pad) so the targets are made on the final training geometry.
"""
import math
from typing import Dict, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.datasets.transforms import GenerateEdge as _MMSegGenerateEdge

from mmhumanparse.registry import TRANSFORMS

__all__ = ['GenerateEdge', 'GenerateJointCenters', 'GeneratePoseHeatmaps']


def _get_seg_map(results: Dict, name: str) -> np.ndarray:
    """Return ``results['gt_seg_map']`` checked to be a 2-D integer map."""
    if 'gt_seg_map' not in results:
        raise KeyError(f'{name} needs results["gt_seg_map"] (load the '
                       f'annotations first); keys present: '
                       f'{sorted(results)}')
    seg = results['gt_seg_map']
    if not isinstance(seg, np.ndarray) or seg.ndim != 2:
        raise ValueError(
            f'{name}: gt_seg_map must be a (H, W) numpy array, got '
            f'{type(seg).__name__} of shape {getattr(seg, "shape", None)} '
            f'(file: {results.get("seg_map_path")})')
    if not np.issubdtype(seg.dtype, np.integer):
        raise ValueError(f'{name}: gt_seg_map must hold integer labels, got '
                         f'dtype {seg.dtype} (file: '
                         f'{results.get("seg_map_path")})')
    return seg


@TRANSFORMS.register_module()
class GenerateEdge(_MMSegGenerateEdge):
    """Part-boundary map (CE2P-style) with ignore pixels kept as ignore.

    Reuses :class:`mmseg.datasets.transforms.GenerateEdge` and adds the
    ignore marking. Semantics of the mmseg edge (mmseg 1.2.2):

    * Pixel pairs are compared along 4 of the 8 neighbour directions; a
      pair whose two labels differ, neither being ``ignore_index``, marks
      **one** of its pixels: the lower one of a vertical pair, the left one
      of a horizontal pair, the upper one of either diagonal pair. Because
      the up-right diagonal marks the pixel on the other side, a straight
      boundary with ``edge_width=1`` is two pixels thick, one on each side
      (minus one pixel at the image border), not one.
    * That edge is then dilated with an ``edge_width x edge_width`` square
      (``cv2.dilate``, anchor at ``edge_width // 2``): an odd width grows it
      by ``edge_width // 2`` pixels on every side; an even width grows it
      ``edge_width // 2`` pixels right/down but only ``edge_width // 2 - 1``
      left/up (width 2 grows right/down only). Prefer odd widths.
    * Boundaries between a part and the ignore region are not edges.

    Added here: every pixel whose label is ``ignore_index`` is set to
    ``ignore_index`` in the edge map (after the dilation), so the edge loss
    ignores exactly the pixels the parsing loss ignores.

    The edge map is computed at the size of ``gt_seg_map`` (mmseg uses
    ``img_shape``, which may be stale), and ``'gt_edge_map'`` is appended to
    ``results['seg_fields']`` so any later geometric transform of mmseg
    (resize, crop, flip, pad) moves it together with the label map; mmseg's
    ``PackSegInputs`` packs it as ``PixelData(data=(1, H, W) int64)``.

    Required keys:
        - gt_seg_map (np.ndarray): (H, W) uint8 part labels, 255 = ignore.

    Added keys:
        - gt_edge_map (np.ndarray): (H, W) uint8, 1 = edge, 0 = not edge,
          ``ignore_index`` where the label is ``ignore_index``.
        - edge_width (int): as mmseg.

    Modified keys:
        - seg_fields (list[str]): ``'gt_edge_map'`` appended.

    Args:
        edge_width (int): side of the square dilation kernel (see above).
            Defaults to 3.
        ignore_index (int): ignore label. Defaults to 255.
    """

    def __init__(self, edge_width: int = 3, ignore_index: int = 255) -> None:
        if int(edge_width) < 1:
            raise ValueError(f'edge_width must be >= 1, got {edge_width}')
        if not 0 <= ignore_index <= 255:
            raise ValueError('ignore_index must fit the uint8 edge map, got '
                             f'{ignore_index}')
        super().__init__(edge_width=int(edge_width), ignore_index=ignore_index)

    def transform(self, results: Dict) -> Dict:
        """Write ``results['gt_edge_map']`` (see class docstring)."""
        seg = _get_seg_map(results, type(self).__name__)
        # mmseg reads the size from ``img_shape``; give it the label map's own
        # size so the edge map always matches gt_seg_map.
        out = super().transform(
            dict(img_shape=seg.shape[:2], gt_seg_map=seg))
        edge = out['gt_edge_map']
        edge[seg == self.ignore_index] = self.ignore_index
        results['gt_edge_map'] = edge
        results['edge_width'] = out['edge_width']
        seg_fields = results.setdefault('seg_fields', [])
        if 'gt_edge_map' not in seg_fields:
            seg_fields.append('gt_edge_map')
        return results


@TRANSFORMS.register_module()
class GenerateJointCenters(BaseTransform):
    """Self-supervised joints of SS-NAN (ss-nan.txt, Sec. 3.3).

    SS-NAN defines nine joints as the centres of merged part regions (head,
    upper body, lower body, left/right arm, left/right leg, left/right shoe);
    each region merges several part labels (e.g. head = hat + hair +
    sunglasses + face). The groups per dataset are
    ``metainfo.<DATASET>_METAINFO['joint_groups']``.

    A joint is the mean pixel coordinate ``(mean x, mean y)`` (x = column,
    y = row, pixel centres at integer coordinates) of all pixels whose label
    is in its group. A group with no pixel is absent: centre ``(0, 0)``,
    visibility 0. Ignore pixels (255) belong to no group unless a group
    lists 255.

    Vectorised: ``np.bincount`` over the flattened label map (unweighted,
    then weighted by x and by y) gives, per label, the pixel count and the
    sums of x and y; each group then sums
    the rows of its labels (a (J, 256) 0/1 matrix product), so no
    per-group mask over the image is built.

    Required keys:
        - gt_seg_map (np.ndarray): (H, W) integer part labels.

    Added keys:
        - gt_joint_centers (np.ndarray): (J, 2) float32 ``(x, y)`` pixels.
        - gt_joint_visible (np.ndarray): (J,) float32, 1 present / 0 absent.

    Args:
        joint_groups (Sequence[Sequence[int]]): one tuple of part labels per
            joint, e.g. ``LIP_METAINFO['joint_groups']``.
    """

    def __init__(self, joint_groups: Sequence[Sequence[int]]) -> None:
        super().__init__()
        groups = tuple(tuple(int(v) for v in g) for g in joint_groups)
        if len(groups) == 0:
            raise ValueError('joint_groups is empty')
        for j, g in enumerate(groups):
            if len(g) == 0:
                raise ValueError(f'joint_groups[{j}] is empty')
            if min(g) < 0 or max(g) > 255:
                raise ValueError(f'joint_groups[{j}] = {g}: labels must be '
                                 'in [0, 255]')
        self.joint_groups = groups
        self._num_bins = max(max(g) for g in groups) + 1
        member = np.zeros((len(groups), self._num_bins), dtype=np.float64)
        for j, g in enumerate(groups):
            member[j, list(g)] = 1.0
        self._member = member  # (J, L) group membership
        self._coord_cache: Tuple = ((), None, None)

    def _coords(self, h: int, w: int) -> Tuple[np.ndarray, np.ndarray]:
        """Flattened x / y pixel coordinates of an (h, w) map, cached."""
        shape, xs, ys = self._coord_cache
        if shape != (h, w):
            xs = np.tile(np.arange(w, dtype=np.float64), h)
            ys = np.repeat(np.arange(h, dtype=np.float64), w)
            self._coord_cache = ((h, w), xs, ys)
        return xs, ys

    def transform(self, results: Dict) -> Dict:
        """Write ``gt_joint_centers`` (J, 2) and ``gt_joint_visible`` (J,)."""
        seg = _get_seg_map(results, type(self).__name__)
        h, w = seg.shape
        flat = seg.ravel()
        if flat.dtype != np.uint8:
            if flat.size and flat.min() < 0:
                raise ValueError(
                    'GenerateJointCenters: gt_seg_map has negative labels '
                    f'(file: {results.get("seg_map_path")})')
            flat = flat.astype(np.intp, copy=False)
        xs, ys = self._coords(h, w)
        n = self._num_bins
        # per-label statistics; labels >= n belong to no group
        count = np.bincount(flat, minlength=n)[:n].astype(np.float64)
        sum_x = np.bincount(flat, weights=xs, minlength=n)[:n]
        sum_y = np.bincount(flat, weights=ys, minlength=n)[:n]
        stats = self._member @ np.stack([sum_x, sum_y, count], axis=1)
        visible = stats[:, 2] > 0
        centers = np.zeros((len(self.joint_groups), 2), dtype=np.float64)
        centers[visible] = stats[visible, :2] / stats[visible, 2:]
        results['gt_joint_centers'] = centers.astype(np.float32)
        results['gt_joint_visible'] = visible.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(joint_groups={self.joint_groups})'


@TRANSFORMS.register_module()
class GeneratePoseHeatmaps(BaseTransform):
    """Gaussian keypoint heatmaps at a fixed stride.

    Heatmap size: ``(ceil(H / stride), ceil(W / stride))`` where ``(H, W)``
    is the current size of ``img`` (or of ``gt_seg_map`` when there is no
    image). Ceil matches the output size of stride-``stride`` backbones
    made of padded stride-2 convolutions (e.g. 473 -> 237 -> 119 -> 60 for
    stride 8).

    Keypoint ``k`` at image pixel ``(x, y)`` is centred at heatmap pixel
    ``(cx, cy) = (round(x / stride), round(y / stride))`` (half up), so its
    peak value is exactly 1 and its 4-neighbours hold
    ``exp(-1 / (2 sigma^2))``:
    ``H_k[i, j] = exp(-((j - cx)^2 + (i - cy)^2) / (2 sigma^2))``, not
    truncated. The map is built as the outer product of two 1-D Gaussians,
    vectorised over K.

    A keypoint that is missing (``gt_keypoints_visible == 0``), not finite,
    or outside the image (not ``-0.5 <= x < W - 0.5`` and
    ``-0.5 <= y < H - 0.5``, pixel centres at integers) falls outside the
    heatmap: all-zero map and weight 0; all others weight 1. A keypoint on
    the last ``stride / 2`` image columns (rows) would round one cell past
    the heatmap; its centre is clipped to the last column (row) instead of
    dropping it (LIP person crops often have ankles on the bottom border).

    Required keys:
        - gt_keypoints (np.ndarray): (1, K, 2) float32 ``(x, y)`` in pixels
          (mmcv's (N, K, 2) layout with the single LIP person) or (K, 2).
        - gt_keypoints_visible (np.ndarray): (1, K) or (K,) float32,
          0 = missing.
        - img (np.ndarray): (H, W, 3), or gt_seg_map (H, W) without img.

    Added keys:
        - gt_heatmaps (np.ndarray): (K, ceil(H/stride), ceil(W/stride))
          float32 in [0, 1].
        - gt_heatmap_weights (np.ndarray): (K,) float32 in {0, 1}.

    Args:
        stride (int): image pixels per heatmap pixel. Defaults to 8.
        sigma (float): Gaussian standard deviation in heatmap pixels.
            Defaults to 2.
    """

    def __init__(self, stride: int = 8, sigma: float = 2.0) -> None:
        super().__init__()
        if int(stride) != stride or stride < 1:
            raise ValueError(f'stride must be a positive integer, got '
                             f'{stride}')
        if not sigma > 0:
            raise ValueError(f'sigma must be > 0, got {sigma}')
        self.stride = int(stride)
        self.sigma = float(sigma)

    def _image_size(self, results: Dict) -> Tuple[int, int]:
        sizes = {}
        if results.get('img') is not None:
            sizes['img'] = tuple(results['img'].shape[:2])
        if results.get('gt_seg_map') is not None:
            sizes['gt_seg_map'] = tuple(results['gt_seg_map'].shape[:2])
        if not sizes:
            raise KeyError('GeneratePoseHeatmaps needs results["img"] or '
                           'results["gt_seg_map"] to know the image size')
        if len(set(sizes.values())) > 1:
            raise ValueError(
                f'GeneratePoseHeatmaps: img and gt_seg_map sizes differ '
                f'{sizes} (file: {results.get("img_path")})')
        return next(iter(sizes.values()))

    def transform(self, results: Dict) -> Dict:
        """Write ``gt_heatmaps`` (K, h, w) and ``gt_heatmap_weights`` (K,)."""
        for key in ('gt_keypoints', 'gt_keypoints_visible'):
            if key not in results:
                raise KeyError(f'GeneratePoseHeatmaps needs results["{key}"] '
                               f'(file: {results.get("img_path")})')
        kpts = np.asarray(results['gt_keypoints'], dtype=np.float64)
        vis = np.asarray(results['gt_keypoints_visible'], dtype=np.float64)
        if kpts.ndim == 3 and kpts.shape[0] == 1:  # (1, K, 2): one person
            kpts, vis = kpts[0], vis.reshape(-1)
        if (kpts.ndim != 2 or kpts.shape[1] != 2
                or vis.shape != kpts.shape[:1]):
            raise ValueError(
                'GeneratePoseHeatmaps: gt_keypoints must be (1, K, 2) or '
                f'(K, 2) and gt_keypoints_visible (1, K) or (K,), got {kpts.shape} and '
                f'{vis.shape} (file: {results.get("img_path")})')
        img_h, img_w = self._image_size(results)
        h = math.ceil(img_h / self.stride)
        w = math.ceil(img_w / self.stride)

        finite = np.isfinite(kpts).all(axis=1)
        safe = np.where(finite[:, None], kpts, -1.0)
        # inside the image: on a pixel (pixel centres at integers)
        inside = ((safe >= -0.5) & (safe < np.array([img_w, img_h]) - 0.5))
        valid = finite & (vis > 0) & inside.all(axis=1)
        centre = np.floor(safe / self.stride + 0.5)  # (K, 2) heatmap pixels
        # the last s/2 image pixels round one cell past the heatmap: clip
        centre = np.minimum(centre, np.array([w - 1, h - 1]))
        cx, cy = centre[:, 0], centre[:, 1]
        weights = valid.astype(np.float32)

        inv = -1.0 / (2.0 * self.sigma**2)
        gx = np.exp((np.arange(w)[None, :] - cx[:, None])**2 * inv)  # (K, w)
        gy = np.exp((np.arange(h)[None, :] - cy[:, None])**2 * inv)  # (K, h)
        gx = (gx * weights[:, None]).astype(np.float32)
        gy = gy.astype(np.float32)
        results['gt_heatmaps'] = gy[:, :, None] * gx[:, None, :]
        results['gt_heatmap_weights'] = weights
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(stride={self.stride}, '
                f'sigma={self.sigma})')
