"""Annotation loading with human-parsing checks (mmseg and mmdet pipelines)."""
import os.path as osp

import numpy as np
from mmdet.datasets.transforms import LoadAnnotations as MMDetLoadAnnotations
from mmdet.structures.mask import BitmapMasks
from mmseg.datasets.transforms import LoadAnnotations as MMSegLoadAnnotations

from mmhumanparse.converters.label_io import read_label_png
from mmhumanparse.registry import TRANSFORMS
from mmhumanparse.structures.paint import paint_persons
from ..checks import check_label_values


def _check_size(label_shape, results, path):
    """Raise if a label's (H, W) differs from the loaded image's."""
    img_shape = results.get('ori_shape')
    if img_shape is not None and tuple(label_shape[:2]) != tuple(
            img_shape[:2]):
        raise ValueError(
            f'{path}: label size {tuple(label_shape[:2])} (h, w) does not '
            f'match image {results.get("img_path")} size '
            f'{tuple(img_shape[:2])}')


@TRANSFORMS.register_module()
class LoadParsingAnnotations(MMSegLoadAnnotations):
    """mmseg ``LoadAnnotations`` plus checks, for single-person parsing.

    Reads ``results['seg_map_path']`` into ``gt_seg_map`` (H, W) uint8 and
    raises ``ValueError`` naming the file when a value is >= the dataset's
    ``num_classes`` and not 255, or when the label's size differs from the
    image's ``ori_shape`` (the image must be loaded first). A missing file
    raises ``FileNotFoundError`` naming it.
    """

    def _load_seg_map(self, results: dict) -> None:
        path = results['seg_map_path']
        if not osp.isfile(path):
            raise FileNotFoundError(f'label file not found: {path}')
        super()._load_seg_map(results)
        seg = results['gt_seg_map']
        _check_size(seg.shape, results, path)
        if 'num_classes' in results:
            check_label_values(seg, results['num_classes'], path)


@TRANSFORMS.register_module()
class LoadMultiPersonAnnotations(MMDetLoadAnnotations):
    """Load boxes, person masks, per-person part maps and the global part map.

    Reads ``results['instances']`` (see ``MultiPersonParsingDataset``) and
    writes ``gt_bboxes`` (N, 4) HorizontalBoxes, ``gt_bboxes_labels`` (N,),
    ``gt_ignore_flags`` (N,), ``gt_masks`` BitmapMasks (N, H, W) (pixels with
    part label > 0), ``gt_parsings`` (N, H, W) uint8 (one part map per person;
    overlapping persons each keep their own map) and ``gt_seg_map`` (H, W)
    uint8 (from ``seg_map_path``, else the persons painted by
    :func:`mmhumanparse.structures.paint.paint_persons`, a later-listed
    person over an earlier one).

    Args:
        with_mask, with_seg, with_parsing (bool): what to load; boxes and
            labels follow mmdet's ``with_bbox`` / ``with_label``.
    """

    def __init__(self,
                 with_bbox=True,
                 with_label=True,
                 with_mask=True,
                 with_seg=True,
                 with_parsing=True,
                 **kwargs) -> None:
        super().__init__(
            with_bbox=with_bbox,
            with_label=with_label,
            with_mask=with_mask,
            with_seg=with_seg,
            **kwargs)
        self.with_parsing = with_parsing

    def _read_parsings(self, results: dict) -> np.ndarray:
        h, w = results['ori_shape'][:2] if 'ori_shape' in results else (
            results['height'], results['width'])
        cache = {}

        def read(path, channel=0):
            if (path, channel) not in cache:
                arr = read_label_png(path, channel)
                _check_size(arr.shape, results, path)
                cache[(path, channel)] = arr
            return cache[(path, channel)]

        maps = []
        for inst in results.get('instances', []):
            p = inst['parsing']
            part = read(p['file'], p.get('channel', 0))
            if 'human_file' in p:
                part = np.where(read(p['human_file']) == p['human_id'], part,
                                0).astype(np.uint8)
            if 'num_classes' in results:
                check_label_values(part, results['num_classes'], p['file'])
            maps.append(part)
        if not maps:
            return np.zeros((0, h, w), np.uint8)
        return np.stack(maps)

    def transform(self, results: dict) -> dict:
        parsings = self._read_parsings(results)
        if self.with_bbox:
            self._load_bboxes(results)
        if self.with_label:
            self._load_labels(results)
        if self.with_parsing:
            results['gt_parsings'] = parsings
        if self.with_mask:
            h, w = parsings.shape[1:]
            masks = ((parsings > 0) & (parsings != 255)).astype(np.uint8)
            results['gt_masks'] = BitmapMasks(masks, h, w)
        if self.with_seg:
            path = results.get('seg_map_path')
            if path:
                seg = read_label_png(path)
                _check_size(seg.shape, results, path)
                if 'num_classes' in results:
                    check_label_values(seg, results['num_classes'], path)
            else:
                # later-listed persons over earlier ones
                seg, _ = paint_persons(parsings, np.arange(len(parsings)))
            results['gt_seg_map'] = seg
            results.setdefault('seg_fields', []).append('gt_seg_map')
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(with_bbox={self.with_bbox}, '
                f'with_mask={self.with_mask}, with_seg={self.with_seg}, '
                f'with_parsing={self.with_parsing})')
