"""Shared checks and per-sample metadata for the single-person datasets."""
import os.path as osp
from typing import List

import numpy as np
from mmseg.datasets import BaseSegDataset

from mmhumanparse.structures.flip import check_flip_pairs


class ParsingDatasetMixin:
    """Adds human-parsing checks to an mmseg ``BaseSegDataset``.

    - A missing image/label directory or split list raises
      ``FileNotFoundError`` naming the path (mmseg only asserts).
    - Every data info carries ``num_classes`` (so ``LoadParsingAnnotations``
      can reject label values >= num_classes that are not 255) and
      ``flip_pairs`` (the dataset's left/right part pairs, read by
      ``HumanRandomFlip`` and by flip test-time augmentation), and
      ``joint_flip_pairs`` (left/right joints of ``GenerateJointCenters``).
    """

    def _check_paths(self) -> None:
        if self.ann_file and not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'{type(self).__name__}: split list file not found: '
                f'{self.ann_file}')
        for key in ('img_path', 'seg_map_path'):
            path = self.data_prefix.get(key)
            if path and not osp.isdir(path):
                raise FileNotFoundError(
                    f'{type(self).__name__}: {key} directory not found: '
                    f'{path}')

    def load_data_list(self) -> List[dict]:
        """Load the split, checking paths first.

        Returns:
            list[dict]: one dict per image with ``img_path``,
            ``seg_map_path``, ``num_classes``, ``flip_pairs`` and mmseg's
            ``label_map`` / ``reduce_zero_label`` / ``seg_fields``.
        """
        self._check_paths()
        data_list = super().load_data_list()
        num_classes = len(self.metainfo['classes'])
        flip_pairs = tuple(
            tuple(p) for p in self.metainfo.get('flip_pairs', ()))
        check_flip_pairs(
            flip_pairs, num_classes, name=f'{type(self).__name__} metainfo')
        joint_flip_pairs = tuple(
            tuple(p) for p in self.metainfo.get('joint_flip_pairs', ()))
        for info in data_list:
            info['num_classes'] = num_classes
            info['flip_pairs'] = flip_pairs
            info['joint_flip_pairs'] = joint_flip_pairs
        return data_list


class ParsingSegDataset(ParsingDatasetMixin, BaseSegDataset):
    """A ``BaseSegDataset`` with the checks above; jpg images, png labels."""

    def __init__(self, img_suffix='.jpg', seg_map_suffix='.png', **kwargs):
        super().__init__(
            img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)


def check_label_values(label: np.ndarray, num_classes: int,
                       path: str) -> None:
    """Raise ``ValueError`` if ``label`` holds a value >= num_classes != 255.

    Args:
        label (np.ndarray): (H, W) integer label map.
        num_classes (int): number of classes incl. background.
        path (str): the file it came from, for the message.
    """
    bad = (label >= num_classes) & (label != 255)
    if bad.any():
        values = np.unique(label[bad])[:10].tolist()
        raise ValueError(
            f'{path}: label values {values} are >= num_classes='
            f'{num_classes} and not the ignore value 255')
