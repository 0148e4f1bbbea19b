"""Multi-person (instance-level) parsing datasets read from COCO-style json.

The json is written by ``tools/dataset_converters/{cihp,mhp}2coco.py``; its
fields are documented in ``docs/data_conventions.md``.
"""
import json
import os.path as osp
from typing import List

from mmdet.datasets import BaseDetDataset

from mmhumanparse.structures.flip import check_flip_pairs


class MultiPersonParsingDataset(BaseDetDataset):
    """Base of ``CIHPInstanceDataset`` and ``MHPv2Dataset`` (mmdet pipeline).

    Each data info holds ``img_path``, ``img_id``, ``height``, ``width``,
    ``seg_map_path`` (global part map, or None to compose it from the
    persons), ``num_classes`` (part classes incl. background),
    ``flip_pairs`` and ``instances``: one dict per person with ``bbox``
    [x1, y1, x2, y2], ``bbox_label`` 0, ``ignore_flag`` and ``parsing``
    (``file``, ``channel``, optional ``human_file``/``human_id``, absolute
    paths).

    ``METAINFO['classes']`` is ``('person',)`` (the detector's classes);
    the part classes are ``METAINFO['part_classes']``.
    """
    global_seg_dir = None  # relative to data_root; None: compose

    def load_data_list(self) -> List[dict]:
        ann_file = self.ann_file
        if not osp.isfile(ann_file):
            raise FileNotFoundError(
                f'{type(self).__name__}: annotation json not found: '
                f'{ann_file} (write it with tools/dataset_converters/)')
        try:
            with open(ann_file) as f:
                coco = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'{ann_file}: malformed json: {e}') from None
        for key in ('images', 'annotations'):
            if key not in coco:
                raise ValueError(f'{ann_file}: missing top-level key "{key}"')
        img_dir = self.data_prefix.get('img', '')
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: image directory not found: '
                f'{img_dir}')
        per_image = {}
        for ann in coco['annotations']:
            per_image.setdefault(ann['image_id'], []).append(ann)
        num_classes = len(self.metainfo['part_classes'])
        flip_pairs = check_flip_pairs(
            self.metainfo['flip_pairs'], num_classes,
            name=f'{type(self).__name__} metainfo')
        data_list = []
        for img in coco['images']:
            img_path = osp.join(img_dir, img['file_name'])
            if not osp.isfile(img_path):
                raise FileNotFoundError(
                    f'{ann_file}: image {img_path} of image id {img["id"]} '
                    'is missing')
            instances = []
            for ann in per_image.get(img['id'], []):
                x, y, w, h = ann['bbox']
                parsing = dict(ann['parsing'])
                for key in ('file', 'human_file'):
                    if key in parsing:
                        parsing[key] = osp.join(self.data_root, parsing[key])
                instances.append(
                    dict(
                        bbox=[x, y, x + w, y + h],
                        bbox_label=0,
                        ignore_flag=int(ann.get('iscrowd', 0)),
                        parsing=parsing))
            seg_map_path = None
            if self.global_seg_dir is not None:
                stem = osp.splitext(img['file_name'])[0]
                seg_map_path = osp.join(self.data_root, self.global_seg_dir,
                                        stem + '.png')
            data_list.append(
                dict(
                    img_path=img_path,
                    img_id=img['id'],
                    height=img['height'],
                    width=img['width'],
                    seg_map_path=seg_map_path,
                    num_classes=num_classes,
                    flip_pairs=flip_pairs,
                    instances=instances))
        return data_list

    def filter_data(self) -> List[dict]:
        """Drop images without persons when ``filter_cfg.filter_empty_gt``."""
        if self.test_mode or not self.filter_cfg:
            return self.data_list
        if self.filter_cfg.get('filter_empty_gt', False):
            return [d for d in self.data_list if d['instances']]
        return self.data_list
