"""Tests of mmhumanparse/datasets/lip.py (LIPDataset and its pose csv)."""
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.registry import DATASETS


def test_lip_pose_is_loaded(toy_roots, single_cfgs):
    ds = DATASETS.build(single_cfgs(toy_roots)['LIP'])
    info = ds.get_data_info(0)
    assert info['gt_keypoints'].shape == (1, 16, 2)
    assert info['gt_keypoints_visible'].shape == (1, 16)
    out = ds[0]['data_samples']
    assert out.gt_keypoints.keypoints.shape == (16, 2)
    # keypoints of an annotated joint lie inside the image
    h, w = out.metainfo['ori_shape']
    k = out.gt_keypoints.keypoints[out.gt_keypoints.visible > 0]
    assert (k[:, 0] < w).all() and (k[:, 1] < h).all()
    # the toy csv has missing joints somewhere
    vis = np.concatenate([
        ds.get_data_info(i)['gt_keypoints_visible'][0]
        for i in range(len(ds))
    ])
    assert 0 < vis.sum() < len(vis)


def test_lip_flip_in_pipeline_matches_manual_swap(toy_roots, single_cfgs):
    cfg = single_cfgs(toy_roots)['LIP']
    cfg['pipeline'] = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadParsingAnnotations'),
        dict(type='HumanRandomFlip', prob=1.0),
        dict(type='PackParsingInputs')
    ]
    flipped = DATASETS.build(cfg)[0]['data_samples'].gt_sem_seg.data[0]
    raw = np.array(Image.open(DATASETS.build(cfg).get_data_info(0)
                              ['seg_map_path']))[:, ::-1]
    lut = np.arange(256)
    for a, b in ((14, 15), (16, 17), (18, 19)):
        lut[a], lut[b] = b, a
    np.testing.assert_array_equal(flipped.numpy(), lut[raw])


# ---------------------------------------------------------------- bad input
def test_pose_csv_wrong_field_count(toy_roots, copy_lip, tmp_path):
    root, cfg = copy_lip(toy_roots, tmp_path)
    csv = osp.join(root, cfg['pose_file'])
    lines = open(csv).read().splitlines()
    lines[1] = ','.join(lines[1].split(',')[:-2])  # drop two fields
    open(csv, 'w').write('\n'.join(lines) + '\n')
    with pytest.raises(ValueError, match=r'lip_train_set.csv:2: expected 49'):
        DATASETS.build(cfg)


def test_lip_multitask_pipeline_packs_targets(toy_roots, single_cfgs):
    """Flip before the generators: heatmaps, joints and edges are packed and
    consistent with the flipped labels."""
    from mmhumanparse.datasets.metainfo import LIP_METAINFO
    cfg = single_cfgs(toy_roots)['LIP']
    cfg['pipeline'] = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadParsingAnnotations'),
        dict(type='HumanRandomFlip', prob=1.0),
        dict(type='GenerateEdge', edge_width=3),
        dict(type='GenerateJointCenters',
             joint_groups=LIP_METAINFO['joint_groups']),
        dict(type='GeneratePoseHeatmaps', stride=4, sigma=2),
        dict(type='PackParsingInputs')
    ]
    ds = DATASETS.build(cfg)
    s = ds[0]['data_samples']
    h, w = s.metainfo['ori_shape']
    assert s.gt_heatmaps.data.shape == (16, -(-h // 4), -(-w // 4))
    assert s.gt_keypoints.keypoints.shape == (16, 2)
    assert s.gt_joints.centers.shape == (9, 2)
    seg = s.gt_sem_seg.data[0].numpy()
    # the head joint is the centre of the (flipped) head region
    head = np.isin(seg, LIP_METAINFO['joint_groups'][0])
    ys, xs = np.nonzero(head)
    np.testing.assert_allclose(
        s.gt_joints.centers[0].numpy(), [xs.mean(), ys.mean()], atol=1e-3)
    # left-arm joint (index 3) is the centre of label 14 after the flip
    ys, xs = np.nonzero(seg == 14)
    assert len(xs) > 0  # the toy person has a left arm
    np.testing.assert_allclose(
        s.gt_joints.centers[3].numpy(), [xs.mean(), ys.mean()], atol=1e-3)
    # heatmap peaks sit at the flipped, visible keypoints
    vis = s.gt_keypoints.visible.numpy() > 0
    k = s.gt_keypoints.keypoints.numpy()
    for j in np.nonzero(vis)[0][:4]:
        hm = s.gt_heatmaps.data[j].numpy()
        y, x = np.unravel_index(hm.argmax(), hm.shape)
        assert abs(x - k[j, 0] / 4) <= 0.5 + 1e-6
        assert abs(y - k[j, 1] / 4) <= 0.5 + 1e-6
    edge = s.gt_edge_map.data[0].numpy()
    assert set(np.unique(edge)) <= {0, 1, 255} and edge.sum() > 0
    # the edge is made on the flipped labels (after the flip)
    from mmhumanparse.datasets.transforms import GenerateEdge
    ref = GenerateEdge(edge_width=3)(dict(gt_seg_map=seg.astype(np.uint8)))
    np.testing.assert_array_equal(edge, ref['gt_edge_map'])


def test_lip_pose_joint_order(toy_roots, single_cfgs):
    """MPII order: the toy person stands upright facing the camera, so the
    head top is above the thorax, the thorax above the pelvis, the pelvis
    above both ankles, and the person's left hip/shoulder are to the image
    right of the right ones. Reading the csv in another order fails."""
    from mmhumanparse.datasets.metainfo import LIP_KEYPOINTS
    idx = {n: i for i, n in enumerate(LIP_KEYPOINTS)}
    ds = DATASETS.build(single_cfgs(toy_roots)['LIP'])
    checked = 0
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        k, v = info['gt_keypoints'][0], info['gt_keypoints_visible'][0] > 0

        def above(a, b):
            nonlocal checked
            if v[idx[a]] and v[idx[b]]:
                assert k[idx[a], 1] < k[idx[b], 1], (a, b, info['img_path'])
                checked += 1

        def right_of(a, b):  # a to the image right of b
            nonlocal checked
            if v[idx[a]] and v[idx[b]]:
                assert k[idx[a], 0] > k[idx[b], 0], (a, b, info['img_path'])
                checked += 1

        above('head_top', 'upper_neck')
        above('upper_neck', 'thorax')
        above('thorax', 'pelvis')
        above('pelvis', 'r_ankle')
        above('pelvis', 'l_ankle')
        above('r_hip', 'r_knee')
        above('l_knee', 'l_ankle')
        right_of('l_hip', 'r_hip')
        right_of('l_shoulder', 'r_shoulder')
        # the head top lies on the head region of the label map
        if v[idx['head_top']]:
            seg = np.array(Image.open(info['seg_map_path']))
            x, y = np.rint(k[idx['head_top']]).astype(int)
            win = seg[max(y - 2, 0):y + 3, max(x - 2, 0):x + 3]
            assert np.isin(win, (1, 2, 4, 13)).any(), info['img_path']
            checked += 1
    assert checked >= 30  # the toy csv annotates most joints
