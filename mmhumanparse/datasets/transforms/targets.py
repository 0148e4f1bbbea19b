"""Multi-task label generators (edges, joint centres, pose heatmaps).

All three read the part-label map / keypoints of the pipeline ``results`` dict
(keys and shapes as in ``docs/data_conventions.md``) and write targets for
the auxiliary heads. Place them after every geometric transform (resize,
crop, flip, pad) so the targets are made on the final training geometry.
"""
import math
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.datasets.transforms import GenerateEdge as _MMSegGenerateEdge

from mmhumanparse.codecs import JointCenterCodec, PoseHeatmapCodec
from mmhumanparse.registry import CODECS, TRANSFORMS

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


def _build_codec(codec, cls, name):
    """``codec`` as a ``cls`` instance (built from a config dict)."""
    if isinstance(codec, dict):
        codec = CODECS.build(codec)
    if not isinstance(codec, cls):
        raise TypeError(f'{name}: codec must be a {cls.__name__} or its '
                        f'config dict, got {codec!r}')
    return codec


@TRANSFORMS.register_module()
class GenerateJointCenters(BaseTransform):
    """Self-supervised joints of SS-NAN (wraps :class:`JointCenterCodec`).

    SS-NAN ("Self-Supervised Neural Aggregation Networks for Human Parsing",
    arXiv:1803.07741, Sec. 3.3) defines nine joints as the centres of merged
    part regions; a joint is the mean pixel coordinate ``(x, y)`` of the
    pixels whose label is in its group (see the codec for the geometry). A
    group with no pixel is absent: centre ``(0, 0)``, visibility 0.

    Required keys:
        - gt_seg_map (np.ndarray): (H, W) integer part labels.

    Added keys:
        - gt_joint_centers (np.ndarray): (J, 2) float32 ``(x, y)`` pixels.
        - gt_joint_visible (np.ndarray): (J,) float32, 1 present / 0 absent.

    Args:
        codec (dict | JointCenterCodec, optional): the codec (the same
            ``codec`` the head / loss decodes with), e.g.
            ``dict(type='JointCenterCodec', joint_groups=...)``.
        joint_groups (Sequence[Sequence[int]], optional): shortcut for
            ``codec=dict(type='JointCenterCodec', joint_groups=...)``.
            Give exactly one of ``codec`` and ``joint_groups``.
    """

    def __init__(self,
                 joint_groups: Optional[Sequence[Sequence[int]]] = None,
                 codec: Union[dict, JointCenterCodec, None] = None) -> None:
        super().__init__()
        if (codec is None) == (joint_groups is None):
            raise ValueError('GenerateJointCenters: give exactly one of '
                             '`codec` and `joint_groups`')
        if codec is None:
            codec = JointCenterCodec(joint_groups)
        self.codec = _build_codec(codec, JointCenterCodec,
                                  'GenerateJointCenters')
        self.joint_groups = self.codec.joint_groups

    def transform(self, results: Dict) -> Dict:
        """Write ``gt_joint_centers`` (J, 2) and ``gt_joint_visible`` (J,)."""
        seg = _get_seg_map(results, type(self).__name__)
        if seg.dtype != np.uint8 and seg.size and seg.min() < 0:
            raise ValueError(
                'GenerateJointCenters: gt_seg_map has negative labels '
                f'(file: {results.get("seg_map_path")})')
        centers, visible = self.codec.encode(seg)
        results['gt_joint_centers'] = centers
        results['gt_joint_visible'] = visible.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(codec={self.codec!r})'


@TRANSFORMS.register_module()
class GeneratePoseHeatmaps(BaseTransform):
    """Gaussian keypoint heatmaps: a wrapper of :class:`PoseHeatmapCodec`.

    With ``codec`` the image must have the codec's ``input_size`` (put the
    transform after the resize/crop that fixes the training size). Without
    it, a codec is made for the current image size ``(W, H)`` with heatmap
    size ``(ceil(W / stride), ceil(H / stride))`` (the output size of
    stride-``stride`` backbones made of padded stride-2 convolutions, e.g.
    473 -> 60 for stride 8). Geometry (centre ``round-half-up(x / s)``,
    peak 1, out-of-image and invisible keypoints weight 0, the last
    ``s / 2`` pixels clipped to the last cell): see the codec.

    Required keys:
        - gt_keypoints (np.ndarray): (N, K, 2) float32 ``(x, y)`` in pixels
          (mmcv's layout; N = 1 for LIP) or (K, 2).
        - gt_keypoints_visible (np.ndarray): (N, K) or (K,) float32,
          0 = missing.
        - img (np.ndarray): (H, W, 3), or gt_seg_map (H, W) without img.

    Added keys:
        - gt_heatmaps (np.ndarray): (K, h, w) float32 in [0, 1] (persons
          merged by a per-pixel maximum).
        - gt_heatmap_weights (np.ndarray): (K,) float32 in {0, 1}, 1 where
          any person has the keypoint.

    Args:
        codec (dict | PoseHeatmapCodec, optional): the codec shared with the
            pose head, e.g. ``dict(type='PoseHeatmapCodec',
            input_size=(473, 473), heatmap_size=(60, 60), sigma=2)``.
        stride (int): without ``codec``: image pixels per heatmap pixel.
            Defaults to 8.
        sigma (float): without ``codec``: Gaussian standard deviation in
            heatmap pixels. Defaults to 2.
    """

    def __init__(self,
                 stride: int = 8,
                 sigma: float = 2.0,
                 codec: Union[dict, PoseHeatmapCodec, None] = None) -> None:
        super().__init__()
        if int(stride) != stride or stride < 1:
            raise ValueError(f'stride must be a positive integer, got '
                             f'{stride}')
        if not sigma > 0:
            raise ValueError(f'sigma must be > 0, got {sigma}')
        self.codec = None if codec is None else _build_codec(
            codec, PoseHeatmapCodec, 'GeneratePoseHeatmaps')
        self.stride = int(stride)
        self.sigma = float(sigma)
        self._codec_cache: Dict[Tuple[int, int], PoseHeatmapCodec] = {}

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

    def _codec_for(self, img_h: int, img_w: int,
                   results: Dict) -> PoseHeatmapCodec:
        if self.codec is not None:
            if self.codec.input_size != (img_w, img_h):
                raise ValueError(
                    f'GeneratePoseHeatmaps: the image is {img_w}x{img_h} '
                    f'(w x h) but the codec expects input_size '
                    f'{self.codec.input_size}; resize/crop to it first '
                    f'(file: {results.get("img_path")})')
            return self.codec
        codec = self._codec_cache.get((img_w, img_h))
        if codec is None:
            codec = PoseHeatmapCodec(
                input_size=(img_w, img_h),
                heatmap_size=(math.ceil(img_w / self.stride),
                              math.ceil(img_h / self.stride)),
                sigma=self.sigma,
                stride=self.stride)
            self._codec_cache[(img_w, img_h)] = codec
        return codec

    def transform(self, results: Dict) -> Dict:
        """Write ``gt_heatmaps`` (K, h, w) and ``gt_heatmap_weights`` (K,)."""
        for key in ('gt_keypoints', 'gt_keypoints_visible'):
            if key not in results:
                raise KeyError(f'GeneratePoseHeatmaps needs results["{key}"] '
                               f'(file: {results.get("img_path")})')
        kpts = np.asarray(results['gt_keypoints'], dtype=np.float64)
        vis = np.asarray(results['gt_keypoints_visible'], dtype=np.float64)
        if kpts.ndim == 2:  # (K, 2): one person
            kpts, vis = kpts[None], vis.reshape(1, -1)
        if (kpts.ndim != 3 or kpts.shape[2] != 2
                or vis.shape != kpts.shape[:2]):
            raise ValueError(
                'GeneratePoseHeatmaps: gt_keypoints must be (N, K, 2) or '
                '(K, 2) and gt_keypoints_visible (N, K) or (K,), got '
                f'{np.shape(results["gt_keypoints"])} and '
                f'{np.shape(results["gt_keypoints_visible"])} '
                f'(file: {results.get("img_path")})')
        img_h, img_w = self._image_size(results)
        codec = self._codec_for(img_h, img_w, results)
        encoded = codec.encode(kpts, vis)
        results['gt_heatmaps'] = encoded['heatmaps']
        weights = encoded['keypoint_weights']
        results['gt_heatmap_weights'] = (
            weights.max(axis=0) if len(weights) else np.zeros(
                kpts.shape[1], np.float32))
        return results

    def __repr__(self) -> str:
        if self.codec is not None:
            return f'{type(self).__name__}(codec={self.codec!r})'
        return (f'{type(self).__name__}(stride={self.stride}, '
                f'sigma={self.sigma})')
