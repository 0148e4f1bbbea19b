"""Horizontal flip that swaps left/right labels (mmseg and mmdet pipelines).

A mirrored person's left arm becomes their right arm: every label map,
per-person part map, keypoint set, heatmap stack and joint set is mirrored
*and* its left/right entries are swapped. Pairs come from the constructor or,
by default, from the sample (``flip_pairs``, ``keypoint_flip_pairs``,
``joint_flip_pairs``, which the datasets copy from their METAINFO).
"""
import mmcv
import numpy as np
from mmcv.transforms import RandomFlip as MMCVRandomFlip
from mmdet.datasets.transforms import RandomFlip as MMDetRandomFlip

from mmhumanparse.registry import TRANSFORMS
from mmhumanparse.structures.flip import (flip_keypoints, flip_label_map,
                                          flip_permutation, swap_labels)


def _source(transform, results: dict) -> str:
    """Names the sample in flip-pair errors."""
    return (f'{type(transform).__name__} on '
            f'{results.get("img_path", results.get("seg_map_path"))!r}')


def flip_parsing_targets(results: dict, width: int, pairs, kpt_pairs,
                         joint_pairs, name=None) -> None:
    """Flip the human-parsing keys of ``results`` in place (horizontal).

    Keys: ``gt_keypoints`` (N, K, 2) + ``gt_keypoints_visible`` (N, K),
    ``gt_heatmaps`` (K, h, w) + ``gt_heatmap_weights`` (K,),
    ``gt_joint_centers`` (J, 2) + ``gt_joint_visible`` (J,),
    ``gt_parsings`` (N, H, W). Uses :mod:`mmhumanparse.structures.flip`.
    """
    if results.get('gt_keypoints') is not None:
        results['gt_keypoints'], results['gt_keypoints_visible'] = \
            flip_keypoints(results['gt_keypoints'],
                           results.get('gt_keypoints_visible'), width,
                           kpt_pairs, name)
    if results.get('gt_heatmaps') is not None:
        hm = results['gt_heatmaps']
        perm = flip_permutation(hm.shape[0], kpt_pairs, name).numpy()
        results['gt_heatmaps'] = np.ascontiguousarray(hm[perm, :, ::-1])
        if results.get('gt_heatmap_weights') is not None:
            results['gt_heatmap_weights'] = results['gt_heatmap_weights'][perm]
    if results.get('gt_joint_centers') is not None:
        results['gt_joint_centers'], results['gt_joint_visible'] = \
            flip_keypoints(results['gt_joint_centers'],
                           results.get('gt_joint_visible'), width,
                           joint_pairs, name)
    if results.get('gt_parsings') is not None:
        results['gt_parsings'] = flip_label_map(
            results['gt_parsings'], pairs, results.get('num_classes'), name)


class _PairsMixin:
    """Constructor and pair lookup shared by the two flips (placed before
    mmcv's / mmdet's ``RandomFlip`` in the bases, so ``super()`` is theirs).
    """

    def __init__(self,
                 prob: float = 0.5,
                 direction: str = 'horizontal',
                 flip_pairs=None,
                 keypoint_flip_pairs=None,
                 joint_flip_pairs=None) -> None:
        if direction != 'horizontal':
            raise ValueError(
                f'{type(self).__name__} supports only horizontal flips, got '
                f'{direction!r}')
        super().__init__(prob=prob, direction=direction)
        self.flip_pairs = flip_pairs
        self.keypoint_flip_pairs = keypoint_flip_pairs
        self.joint_flip_pairs = joint_flip_pairs

    def _pairs(self, results):
        pick = (lambda own, key: own if own is not None else tuple(
            results.get(key, ())))
        return (pick(self.flip_pairs, 'flip_pairs'),
                pick(self.keypoint_flip_pairs, 'keypoint_flip_pairs'),
                pick(self.joint_flip_pairs, 'joint_flip_pairs'))


@TRANSFORMS.register_module()
class HumanRandomFlip(_PairsMixin, MMCVRandomFlip):
    """Horizontal flip for mmseg pipelines that swaps left/right labels.

    Mirrors ``img``, every key in ``seg_fields``, and the keys listed in
    :func:`flip_parsing_targets`; swaps left/right labels in ``gt_seg_map``
    (other seg fields, e.g. edges, are label-free and only mirrored).

    Args:
        prob (float): flip probability.
        direction (str): only ``'horizontal'`` (a mirror of a person swaps
            their sides; other directions are not supported).
        flip_pairs, keypoint_flip_pairs, joint_flip_pairs (tuple, optional):
            override the pairs carried by the sample.
    """

    def _flip(self, results: dict) -> None:
        pairs, kpt_pairs, joint_pairs = self._pairs(results)
        name = _source(self, results)
        results['img'] = mmcv.imflip(results['img'], direction='horizontal')
        width = results['img'].shape[1]
        for key in results.get('seg_fields', []):
            if key == 'gt_seg_map':
                results[key] = flip_label_map(results[key], pairs,
                                              results.get('num_classes'),
                                              name)
            else:
                results[key] = np.ascontiguousarray(results[key][:, ::-1])
        flip_parsing_targets(results, width, pairs, kpt_pairs, joint_pairs,
                             name)


@TRANSFORMS.register_module()
class HumanDetRandomFlip(_PairsMixin, MMDetRandomFlip):
    """mmdet ``RandomFlip`` that also swaps left/right part labels.

    On top of mmdet (image, boxes, person masks, ``gt_seg_map`` mirrored), it
    swaps the labels of ``gt_seg_map`` and mirrors + swaps every per-person
    part map in ``gt_parsings`` (N, H, W). Horizontal only.
    """

    def _flip(self, results: dict) -> None:
        pairs, kpt_pairs, joint_pairs = self._pairs(results)
        name = _source(self, results)
        super()._flip(results)
        if results.get('gt_seg_map') is not None and pairs:
            results['gt_seg_map'] = swap_labels(results['gt_seg_map'], pairs,
                                                results.get('num_classes'),
                                                name)
        flip_parsing_targets(results, results['img'].shape[1], pairs,
                             kpt_pairs, joint_pairs, name)
