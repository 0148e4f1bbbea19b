"""Shared checks and per-sample metadata for the single-person datasets."""
import os.path as osp
from typing import List, Tuple

from mmseg.datasets import BaseSegDataset

from mmhumanparse.structures.flip import check_flip_pairs
from .checks import Problem, missing_files, raise_problems


class ParsingDatasetMixin:
    """Adds human-parsing checks to an mmseg ``BaseSegDataset``.

    - A missing image/label directory or split list raises
      ``FileNotFoundError`` naming the path (mmseg only asserts); so do
      listed images and label maps that do not exist (all of them, by
      line of the list), and an empty split raises ``ValueError`` naming
      the list (:meth:`read_split`).
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

    def read_split(self) -> Tuple[List[dict], List[Problem]]:
        """Load the split and list its cheap problems without raising.

        Returns:
            tuple: the data list (one dict per image with ``img_path``,
            ``seg_map_path``, ``num_classes``, ``flip_pairs``,
            ``joint_flip_pairs`` and mmseg's ``label_map`` /
            ``reduce_zero_label`` / ``seg_fields``) and the problems
            ``(path, message)``: an empty split, listed files that do not
            exist (one ``stat`` each; the record is the list's line).
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
        source = self.ann_file or self.data_prefix.get('img_path')
        if not data_list:
            return data_list, [(source, 'the split lists no images')]
        if self.ann_file:  # mmseg keeps one record per line, blank ones too
            names = [f'{osp.basename(source)} line {i + 1}'
                     for i in range(len(data_list))]
        else:
            names = [info['img_path'] for info in data_list]
        return data_list, missing_files(
            (name, (info['img_path'], info.get('seg_map_path')))
            for name, info in zip(names, data_list))

    def load_data_list(self) -> List[dict]:
        """:meth:`read_split`, raising on its problems (names the list and
        the records)."""
        data_list, problems = self.read_split()
        raise_problems(problems, f'{type(self).__name__} '
                       f'{self.ann_file or self.data_prefix.get("img_path")}')
        return data_list


class ParsingSegDataset(ParsingDatasetMixin, BaseSegDataset):
    """A ``BaseSegDataset`` with the checks above; jpg images, png labels."""

    def __init__(self, img_suffix='.jpg', seg_map_suffix='.png', **kwargs):
        super().__init__(
            img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)
