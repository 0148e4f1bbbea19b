"""Left/right-aware flip on hand-made asymmetric inputs."""
import numpy as np
import pytest
import torch
from mmdet.structures.bbox import HorizontalBoxes
from mmdet.structures.mask import BitmapMasks

from mmhumanparse.datasets.metainfo import LIP_KEYPOINT_FLIP_PAIRS
from mmhumanparse.registry import TRANSFORMS

LIP_PAIRS = ((14, 15), (16, 17), (18, 19))


def asymmetric_label():
    """6x8 LIP label: left-arm (14) in cols 0-1, right-arm (15) in col 6,
    face (13) in cols 3-4 of row 0, left-shoe (18) at (5, 7), 255 at (0, 0)."""
    lab = np.zeros((6, 8), np.uint8)
    lab[1:5, 0:2] = 14
    lab[1:5, 6] = 15
    lab[0, 3:5] = 13
    lab[5, 7] = 18
    lab[0, 0] = 255
    return lab


def test_flip_swaps_left_right_labels():
    lab = asymmetric_label()
    flip = TRANSFORMS.build(dict(type='HumanRandomFlip', prob=1.0))
    res = flip.transform(
        dict(
            img=np.zeros((6, 8, 3), np.uint8),
            gt_seg_map=lab.copy(),
            seg_fields=['gt_seg_map'],
            flip_pairs=LIP_PAIRS))
    out = res['gt_seg_map']
    expected = np.zeros((6, 8), np.uint8)
    expected[1:5, 6:8] = 15  # the left arm, mirrored, is now a right arm
    expected[1:5, 1] = 14
    expected[0, 3:5] = 13
    expected[5, 0] = 19
    expected[0, 7] = 255
    np.testing.assert_array_equal(out, expected)
    assert res['flip'] is True
    # flipping twice gives the original back
    res = flip.transform(
        dict(img=res['img'], gt_seg_map=out, seg_fields=['gt_seg_map'],
             flip_pairs=LIP_PAIRS))
    np.testing.assert_array_equal(res['gt_seg_map'], lab)


def test_flip_pairs_argument_overrides_sample():
    lab = asymmetric_label()
    flip = TRANSFORMS.build(
        dict(type='HumanRandomFlip', prob=1.0, flip_pairs=()))
    res = flip.transform(
        dict(img=np.zeros((6, 8, 3), np.uint8), gt_seg_map=lab.copy(),
             seg_fields=['gt_seg_map'], flip_pairs=LIP_PAIRS))
    np.testing.assert_array_equal(res['gt_seg_map'], lab[:, ::-1])


def test_flip_keypoints_heatmaps_joints():
    k = 16
    kpts = np.zeros((1, k, 2), np.float32)
    kpts[0, :, 0] = np.arange(k)  # x = index
    kpts[0, :, 1] = 2 * np.arange(k)
    vis = np.ones((1, k), np.float32)
    vis[0, 0] = 0  # r_ankle missing
    kpts[0, 0] = 0
    heat = np.zeros((k, 4, 5), np.float32)
    heat[1, 2, 0] = 1.0  # r_knee peak on the left edge
    joints = np.array([[1, 1], [2, 2], [3, 3]], np.float32)
    jvis = np.array([1, 1, 0], np.float32)
    flip = TRANSFORMS.build(dict(type='HumanRandomFlip', prob=1.0))
    res = flip.transform(
        dict(
            img=np.zeros((10, 20, 3), np.uint8),
            seg_fields=[],
            gt_keypoints=kpts,
            gt_keypoints_visible=vis,
            keypoint_flip_pairs=LIP_KEYPOINT_FLIP_PAIRS,
            gt_heatmaps=heat,
            gt_heatmap_weights=vis[0].copy(),
            gt_joint_centers=joints,
            gt_joint_visible=jvis,
            joint_flip_pairs=((1, 2), )))
    out, ovis = res['gt_keypoints'][0], res['gt_keypoints_visible'][0]
    # r_ankle (0) <-> l_ankle (5): slot 0 now holds the mirrored l_ankle
    np.testing.assert_allclose(out[0], [19 - 5, 10])
    assert ovis[5] == 0 and np.all(out[5] == 0)  # missing joint moved to 5
    np.testing.assert_allclose(out[6], [19 - 6, 12])  # pelvis unpaired
    np.testing.assert_allclose(out[13], [19 - 12, 24])  # l_sho <- r_sho
    # heatmap of r_knee (1) moves to l_knee (4), mirrored to the right edge
    assert res['gt_heatmaps'][4, 2, 4] == 1.0
    assert res['gt_heatmaps'].sum() == 1.0
    assert res['gt_heatmap_weights'][5] == 0 and res['gt_heatmap_weights'][
        0] == 1
    np.testing.assert_allclose(res['gt_joint_centers'],
                               [[18, 1], [0, 0], [17, 2]])
    np.testing.assert_array_equal(res['gt_joint_visible'], [1, 0, 1])


def test_flip_rejects_vertical():
    with pytest.raises(ValueError, match='horizontal'):
        TRANSFORMS.build(dict(type='HumanRandomFlip', direction='vertical'))


def test_det_flip_swaps_per_person_maps():
    lab = asymmetric_label()
    other = np.zeros_like(lab)
    other[2:4, 3] = 16  # second person: a left leg in col 3
    parsings = np.stack([lab, other])
    masks = BitmapMasks((parsings > 0).astype(np.uint8), 6, 8)
    flip = TRANSFORMS.build(dict(type='HumanDetRandomFlip', prob=1.0))
    res = flip.transform(
        dict(
            img=np.zeros((6, 8, 3), np.uint8),
            img_shape=(6, 8),
            gt_bboxes=HorizontalBoxes(torch.tensor([[0., 0., 2., 5.]])),
            gt_masks=masks,
            gt_parsings=parsings.copy(),
            gt_seg_map=lab.copy(),
            flip_pairs=LIP_PAIRS))
    # full arrays: mirrored along W, left/right labels swapped, 255 kept
    lut = np.arange(256)
    for a, b in LIP_PAIRS:
        lut[a], lut[b] = b, a
    exp_parsings = lut[parsings[:, :, ::-1]].astype(np.uint8)
    assert res['gt_parsings'].dtype == np.uint8
    np.testing.assert_array_equal(res['gt_parsings'], exp_parsings)
    assert res['gt_parsings'][0, 0, 7] == 255
    assert res['gt_parsings'][0, 1, 7] == 15
    assert res['gt_parsings'][1, 2, 4] == 17
    np.testing.assert_array_equal(res['gt_seg_map'], exp_parsings[0])
    np.testing.assert_allclose(res['gt_bboxes'].tensor.numpy(),
                               [[6., 0., 8., 5.]])
    np.testing.assert_array_equal(res['gt_masks'].masks,
                                  (parsings > 0)[:, :, ::-1])


def test_nine_joint_flip_pairs_commute_with_joint_generation():
    """joints(flip(seg)) == flip(joints(seg)) with NINE_JOINT_FLIP_PAIRS:
    the left-arm joint of the mirrored person is the mirrored right arm."""
    from mmhumanparse.datasets.metainfo import (LIP_METAINFO,
                                                NINE_JOINT_FLIP_PAIRS)
    rng = np.random.default_rng(3)
    seg = rng.integers(0, 14, (12, 17)).astype(np.uint8)  # no limbs
    seg[2:5, 1:4] = 14  # left arm, image left
    seg[6:9, 11:16] = 15  # right arm, elsewhere
    seg[9:12, 2:5] = 16  # left leg
    seg[10:12, 9:11] = 17  # right leg
    seg[0, 14:17] = 19  # right shoe; left shoe (18) absent
    gen = TRANSFORMS.build(
        dict(type='GenerateJointCenters',
             joint_groups=LIP_METAINFO['joint_groups']))
    flip = TRANSFORMS.build(dict(type='HumanRandomFlip', prob=1.0))

    def sample():
        return dict(img=np.zeros((12, 17, 3), np.uint8), gt_seg_map=seg.copy(),
                    seg_fields=['gt_seg_map'], flip_pairs=LIP_PAIRS,
                    joint_flip_pairs=NINE_JOINT_FLIP_PAIRS)

    a = gen(flip.transform(sample()))  # flip, then joints
    b = flip.transform(gen(sample()))  # joints, then flip
    np.testing.assert_allclose(a['gt_joint_centers'], b['gt_joint_centers'],
                               atol=1e-4)
    np.testing.assert_array_equal(a['gt_joint_visible'],
                                  b['gt_joint_visible'])
    # the left shoe was absent, so after the flip the right shoe is absent
    assert a['gt_joint_visible'][7] == 1 and a['gt_joint_visible'][8] == 0
    np.testing.assert_allclose(a['gt_joint_centers'][3],
                               [16 - 13, 7])  # mirrored right arm
    # without the joint swap the flip would be wrong
    no_swap = TRANSFORMS.build(
        dict(type='HumanRandomFlip', prob=1.0, joint_flip_pairs=()))
    c = no_swap.transform(gen(sample()))
    assert not np.allclose(c['gt_joint_centers'], a['gt_joint_centers'])


def test_flip_rejects_bad_pairs_naming_the_sample():
    flip = TRANSFORMS.build(dict(type='HumanRandomFlip', prob=1.0))
    with pytest.raises(ValueError, match=r'HumanRandomFlip on .*x\.jpg'):
        flip.transform(
            dict(img=np.zeros((6, 8, 3), np.uint8), img_path='x.jpg',
                 gt_seg_map=asymmetric_label(), seg_fields=['gt_seg_map'],
                 num_classes=20, flip_pairs=((14, 15), (15, 16))))
    with pytest.raises(ValueError, match=r'\[0, 20\)'):
        flip.transform(
            dict(img=np.zeros((6, 8, 3), np.uint8), img_path='x.jpg',
                 gt_seg_map=asymmetric_label(), seg_fields=['gt_seg_map'],
                 num_classes=20, flip_pairs=((14, 20), )))
    det = TRANSFORMS.build(dict(type='HumanDetRandomFlip', prob=1.0))
    with pytest.raises(ValueError, match='HumanDetRandomFlip'):
        det.transform(
            dict(img=np.zeros((6, 8, 3), np.uint8), img_shape=(6, 8),
                 gt_parsings=asymmetric_label()[None],
                 flip_pairs=((3, 3), )))
