"""Multi-person (instance-level) parsing datasets read from COCO-style json.

The json is written by ``tools/dataset_converters/{cihp,mhp}2coco.py``; its
fields are documented in ``docs/data_conventions.md``.
"""
import json
import os.path as osp
from typing import List, Tuple

from mmdet.datasets import BaseDetDataset

from mmhumanparse.structures.flip import check_flip_pairs
from .checks import (Problem, annotation_record_problem, image_record_problem,
                     missing_files, raise_problems, record_name)


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

    def _read_json(self) -> dict:
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
        return coco

    def read_split(self) -> Tuple[List[dict], List[Problem]]:
        """Load the json and list its cheap problems without raising.

        Returns:
            tuple: the data list (records with missing keys left out) and
            the problems ``(path, message)``: no images, records without
            their keys (``*_record_problem``), files that do not
            exist (images, part maps, Human_ids maps, global part maps; one
            ``stat`` each, the record is the image id).
        """
        ann_file = self.ann_file
        coco = self._read_json()
        if not coco['images']:
            return [], [(ann_file, 'the json lists no images')]
        problems, images, per_image = [], [], {}
        for i, img in enumerate(coco['images']):
            problem = image_record_problem(img)
            if problem:
                name = record_name('images', i, img)
                problems.append((ann_file, f'{name}: {problem}'))
            else:
                images.append(img)
        ids = {img['id'] for img in images}
        for i, ann in enumerate(coco['annotations']):
            problem = annotation_record_problem(ann, ids)
            if problem:
                name = record_name('annotations', i, ann)
                problems.append((ann_file, f'{name}: {problem}'))
            else:
                per_image.setdefault(ann['image_id'], []).append(ann)
        num_classes = len(self.metainfo['part_classes'])
        flip_pairs = check_flip_pairs(
            self.metainfo['flip_pairs'], num_classes,
            name=f'{type(self).__name__} metainfo')
        img_dir = self.data_prefix.get('img', '')
        data_list, files = [], []
        for img in images:
            info = dict(
                img_path=osp.join(img_dir, img['file_name']),
                img_id=img['id'],
                height=img['height'],
                width=img['width'],
                seg_map_path=None,
                num_classes=num_classes,
                flip_pairs=flip_pairs,
                instances=[
                    self._instance(ann)
                    for ann in per_image.get(img['id'], [])
                ])
            if self.global_seg_dir is not None:
                stem = osp.splitext(img['file_name'])[0]
                info['seg_map_path'] = osp.join(
                    self.data_root, self.global_seg_dir, stem + '.png')
            parsings = [inst['parsing'] for inst in info['instances']]
            files.append((f'{osp.basename(ann_file)} image id {img["id"]}', [
                info['img_path'], info['seg_map_path'],
                *[p['file'] for p in parsings],
                *[p.get('human_file') for p in parsings]
            ]))
            data_list.append(info)
        return data_list, problems + missing_files(files)

    def _instance(self, ann: dict) -> dict:
        """A json annotation as an mmdet instance (absolute part paths)."""
        x, y, w, h = ann['bbox']
        parsing = dict(ann['parsing'])
        for key in ('file', 'human_file'):
            if key in parsing:
                parsing[key] = osp.join(self.data_root, parsing[key])
        return dict(
            bbox=[x, y, x + w, y + h],
            bbox_label=0,
            ignore_flag=int(ann.get('iscrowd', 0)),
            parsing=parsing)

    def load_data_list(self) -> List[dict]:
        """:meth:`read_split`, raising on its problems (names the json and
        the records)."""
        data_list, problems = self.read_split()
        raise_problems(problems, f'{type(self).__name__} {self.ann_file}')
        return data_list

    def filter_data(self) -> List[dict]:
        """Drop images without persons when ``filter_cfg.filter_empty_gt``
        (``ValueError`` naming the json when none is left)."""
        if self.test_mode or not self.filter_cfg:
            return self.data_list
        if self.filter_cfg.get('filter_empty_gt', False):
            kept = [d for d in self.data_list if d['instances']]
            if not kept:
                raise ValueError(
                    f'{type(self).__name__} {self.ann_file}: none of its '
                    f'{len(self.data_list)} images has a person, and '
                    'filter_cfg.filter_empty_gt=True leaves an empty split')
            return kept
        return self.data_list
