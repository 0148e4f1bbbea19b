"""LIP (Look Into Person): single-person parsing with optional pose."""
import os.path as osp
from typing import List, Optional

import numpy as np
from mmseg.datasets import LIPDataset as MMSegLIPDataset

from mmhumanparse.registry import DATASETS
from .base import ParsingDatasetMixin
from .metainfo import LIP_METAINFO
from .pose import load_lip_pose_csv


@DATASETS.register_module()
class LIPDataset(ParsingDatasetMixin, MMSegLIPDataset):
    """LIP with left/right flip pairs and the optional LIP pose csv.

    Layout: ``train_images/ train_segmentations/ val_images/
    val_segmentations/ train_id.txt val_id.txt`` and, for pose,
    ``TrainVal_pose_annotations/lip_{train,val}_set.csv``.

    Args:
        pose_file (str, optional): LIP pose csv, relative to ``data_root``.
            When given, each sample gets ``gt_keypoints`` (1, 16, 2) (mmcv's
            (N, K, 2) layout) and ``gt_keypoints_visible`` (1, 16); an image
            without a row gets all keypoints missing.
        **kwargs: ``BaseSegDataset`` arguments (``data_root``,
            ``data_prefix``, ``ann_file``, ``pipeline``, ...).
    """
    METAINFO = LIP_METAINFO

    def __init__(self, pose_file: Optional[str] = None, **kwargs) -> None:
        self.pose_file = pose_file
        super().__init__(**kwargs)

    def load_data_list(self) -> List[dict]:
        data_list = super().load_data_list()
        if not self.pose_file:
            return data_list
        path = self.pose_file
        if self.data_root and not osp.isabs(path):
            path = osp.join(self.data_root, path)
        poses = load_lip_pose_csv(path)
        k = len(self.metainfo['keypoint_names'])
        for info in data_list:
            key = osp.splitext(osp.basename(info['img_path']))[0]
            kpts, vis = poses.get(
                key, (np.zeros((k, 2), np.float32), np.zeros(k, np.float32)))
            info['gt_keypoints'] = kpts[None].copy()
            info['gt_keypoints_visible'] = vis[None].copy()
            info['keypoint_flip_pairs'] = self.metainfo['keypoint_flip_pairs']
        return data_list
