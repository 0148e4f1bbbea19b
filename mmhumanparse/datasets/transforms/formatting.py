"""Packing of human-parsing targets into data samples."""
import numpy as np
import torch
from mmdet.datasets.transforms import PackDetInputs
from mmengine.structures import InstanceData, PixelData
from mmseg.datasets.transforms import PackSegInputs

from mmhumanparse.registry import TRANSFORMS

SEG_META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                 'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                 'reduce_zero_label', 'flip_pairs')


@TRANSFORMS.register_module()
class PackParsingInputs(PackSegInputs):
    """mmseg ``PackSegInputs`` plus the multi-task targets.

    Besides ``gt_sem_seg`` / ``gt_edge_map`` (as mmseg), packs when present:

    - ``gt_heatmaps``: PixelData(data (K, h, w) float32)
    - ``gt_keypoints``: InstanceData(keypoints (K, 2), visible (K,),
      heatmap_weights (K,)) -- the first (only) person of the LIP csv
    - ``gt_joints``: InstanceData(centers (J, 2), visible (J,))

    ``flip_pairs`` is added to the meta keys so flip test-time augmentation
    knows which channels to swap.
    """

    def __init__(self, meta_keys=SEG_META_KEYS):
        super().__init__(meta_keys=meta_keys)

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        sample = packed['data_samples']
        if results.get('gt_heatmaps') is not None:
            sample.gt_heatmaps = PixelData(
                data=torch.from_numpy(
                    np.ascontiguousarray(results['gt_heatmaps'],
                                         dtype=np.float32)))
        if results.get('gt_keypoints') is not None:
            kpts = np.asarray(results['gt_keypoints'], np.float32)
            kpts = kpts.reshape(-1, kpts.shape[-2], 2)[0]
            vis = results.get('gt_keypoints_visible')
            vis = (np.ones(len(kpts), np.float32) if vis is None else
                   np.asarray(vis, np.float32).reshape(-1, len(kpts))[0])
            inst = InstanceData(
                keypoints=torch.from_numpy(kpts.copy()),
                visible=torch.from_numpy(vis.copy()))
            if results.get('gt_heatmap_weights') is not None:
                inst.heatmap_weights = torch.from_numpy(
                    np.asarray(results['gt_heatmap_weights'], np.float32))
            sample.gt_keypoints = inst
        if results.get('gt_joint_centers') is not None:
            sample.gt_joints = InstanceData(
                centers=torch.from_numpy(
                    np.asarray(results['gt_joint_centers'], np.float32)),
                visible=torch.from_numpy(
                    np.asarray(results['gt_joint_visible'], np.float32)))
        return packed


@TRANSFORMS.register_module()
class PackParsingDetInputs(PackDetInputs):
    """mmdet ``PackDetInputs`` that also packs ``gt_parsings`` (N, H, W) as
    ``gt_instances.parsings`` (uint8 tensor) and keeps ``flip_pairs``."""
    mapping_table = dict(PackDetInputs.mapping_table, gt_parsings='parsings')

    def __init__(self,
                 meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                            'scale_factor', 'flip', 'flip_direction',
                            'flip_pairs')):
        super().__init__(meta_keys=meta_keys)
