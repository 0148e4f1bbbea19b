"""Crop / rotate / resize that keep keypoints and part maps consistent.

mmseg's ``RandomCrop`` and ``RandomRotate`` move only the image and the
``seg_fields``; these subclasses also move ``gt_keypoints`` (N, K, 2) and
``gt_joint_centers`` (J, 2), marking points that leave the image missing.
mmdet's ``Resize`` does not know per-person part maps; ``HumanDetResize``
resizes ``gt_parsings`` (N, H, W) with nearest interpolation.
"""
import cv2
import mmcv
import numpy as np
from mmdet.datasets.transforms import Resize as MMDetResize
from mmseg.datasets.transforms import RandomCrop as MMSegRandomCrop
from mmseg.datasets.transforms import RandomRotate as MMSegRandomRotate

from mmhumanparse.registry import TRANSFORMS

_POINT_KEYS = (('gt_keypoints', 'gt_keypoints_visible'),
               ('gt_joint_centers', 'gt_joint_visible'))


def transform_points(results: dict, fn, img_shape) -> None:
    """Apply ``fn`` to every point set in ``results``; drop points outside.

    Args:
        results (dict): pipeline results, modified in place.
        fn (callable): (..., 2) float array -> (..., 2) float array.
        img_shape (tuple): (h, w) of the transformed image.
    """
    h, w = img_shape[:2]
    for key, vis_key in _POINT_KEYS:
        pts = results.get(key)
        if pts is None:
            continue
        pts = fn(pts.astype(np.float32))
        inside = ((pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) &
                  (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1))
        vis = results.get(vis_key)
        if vis is not None:
            vis = vis * inside
            results[vis_key] = vis.astype(np.float32)
            pts[vis == 0] = 0
        results[key] = pts.astype(np.float32)


@TRANSFORMS.register_module()
class HumanRandomCrop(MMSegRandomCrop):
    """mmseg ``RandomCrop`` that also shifts keypoints and joint centres."""

    def crop_bbox(self, results: dict) -> tuple:
        self._last_bbox = super().crop_bbox(results)
        return self._last_bbox

    def transform(self, results: dict) -> dict:
        results = super().transform(results)
        y1, _, x1, _ = self._last_bbox
        offset = np.array([x1, y1], np.float32)
        transform_points(results, lambda p: p - offset, results['img_shape'])
        return results


@TRANSFORMS.register_module()
class HumanRandomRotate(MMSegRandomRotate):
    """mmseg ``RandomRotate`` that also rotates keypoints and joint centres.

    Uses the same centre and angle convention as ``mmcv.imrotate``
    (positive angle = clockwise, centre ((w - 1) / 2, (h - 1) / 2)).
    """

    def transform(self, results: dict) -> dict:
        rotate, degree = self.generate_degree()
        if not rotate:
            return results
        h, w = results['img'].shape[:2]
        kwargs = dict(
            angle=degree, center=self.center, auto_bound=self.auto_bound)
        results['img'] = mmcv.imrotate(
            results['img'], border_value=self.pal_val, **kwargs)
        for key in results.get('seg_fields', []):
            results[key] = mmcv.imrotate(
                results[key],
                border_value=self.seg_pad_val,
                interpolation='nearest',
                **kwargs)
        center = self.center or ((w - 1) * 0.5, (h - 1) * 0.5)
        mat = cv2.getRotationMatrix2D(center, -degree, 1.0)
        if self.auto_bound:
            cos, sin = np.abs(mat[0, 0]), np.abs(mat[0, 1])
            new_w = w * cos + h * sin
            new_h = h * cos + w * sin
            mat[0, 2] += (new_w - w) * 0.5
            mat[1, 2] += (new_h - h) * 0.5

        def rot(p):
            return p @ mat[:, :2].T.astype(np.float32) + mat[:, 2].astype(
                np.float32)

        results['img_shape'] = results['img'].shape[:2]
        transform_points(results, rot, results['img_shape'])
        return results


@TRANSFORMS.register_module()
class HumanDetResize(MMDetResize):
    """mmdet ``Resize`` that also resizes ``gt_parsings`` (nearest)."""

    def _resize_seg(self, results: dict) -> None:
        super()._resize_seg(results)
        parsings = results.get('gt_parsings')
        if parsings is None:
            return
        h, w = results['img'].shape[:2]
        if len(parsings) == 0:
            results['gt_parsings'] = np.zeros((0, h, w), np.uint8)
            return
        results['gt_parsings'] = np.stack([
            mmcv.imresize(p, (w, h), interpolation='nearest',
                          backend=self.backend) for p in parsings
        ])
