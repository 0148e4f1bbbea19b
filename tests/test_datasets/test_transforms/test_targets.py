"""Tests of the multi-task label generators on hand-made labels."""
import math

import numpy as np
import pytest

from mmhumanparse.datasets.metainfo import (LIP_METAINFO, MHP_METAINFO,
                                            PPP_METAINFO)
from mmhumanparse.datasets.transforms.targets import (GenerateEdge,
                                                      GenerateJointCenters,
                                                      GeneratePoseHeatmaps)
from mmhumanparse.registry import TRANSFORMS

# --------------------------------------------------------------------------
# GenerateEdge


def _vertical_two_region():
    """6x6 map: columns 0-2 label 1, columns 3-5 label 2."""
    seg = np.ones((6, 6), np.uint8)
    seg[:, 3:] = 2
    return seg


def _cols(*cols, rows=slice(None), shape=(6, 6)):
    out = np.zeros(shape, np.uint8)
    for c in cols:
        out[rows, c] = 1
    return out


def test_edge_width1_vertical_boundary():
    seg = _vertical_two_region()
    res = GenerateEdge(edge_width=1)(dict(gt_seg_map=seg))
    # horizontal pairs mark the left pixel (column 2, every row); the
    # up-right diagonal pairs (i, 3)-(i + 1, 2) mark (i, 3) for rows 0..4.
    expected = _cols(2)
    expected[0:5, 3] = 1
    assert res['gt_edge_map'].dtype == np.uint8
    assert res['gt_edge_map'].shape == seg.shape
    np.testing.assert_array_equal(res['gt_edge_map'], expected)
    assert res['edge_width'] == 1
    assert 'gt_edge_map' in res['seg_fields']


def test_edge_width1_horizontal_boundary():
    seg = np.ones((6, 6), np.uint8)
    seg[3:] = 2
    res = GenerateEdge(edge_width=1)(dict(gt_seg_map=seg))
    # vertical pairs mark the lower pixel (row 3), diagonal pairs the upper
    # one (row 2, all columns between both diagonals).
    expected = np.zeros((6, 6), np.uint8)
    expected[2:4] = 1
    np.testing.assert_array_equal(res['gt_edge_map'], expected)


@pytest.mark.parametrize(
    'width, cols',
    [
        (3, (1, 2, 3, 4)),  # odd: 1 px grown on both sides
        (2, (2, 3, 4)),  # even: cv2 anchor at 1 -> grows right/down only
        (4, (1, 2, 3, 4, 5)),  # even: 1 px left, 2 px right
    ])
def test_edge_wider(width, cols):
    res = GenerateEdge(edge_width=width)(
        dict(gt_seg_map=_vertical_two_region()))
    np.testing.assert_array_equal(res['gt_edge_map'], _cols(*cols))


def test_edge_ignore_stays_ignore():
    seg = _vertical_two_region()
    seg[0:2] = 255
    res = GenerateEdge(edge_width=1)(dict(gt_seg_map=seg.copy()))
    expected = np.zeros((6, 6), np.uint8)
    expected[0:2] = 255
    expected[2:6, 2] = 1  # horizontal pairs of the labelled rows
    expected[2:5, 3] = 1  # up-right pairs with both pixels labelled
    np.testing.assert_array_equal(res['gt_edge_map'], expected)

    res = GenerateEdge(edge_width=3)(dict(gt_seg_map=seg.copy()))
    expected = np.zeros((6, 6), np.uint8)
    expected[2:, 1:5] = 1
    expected[0:2] = 255  # dilation into the ignore rows is overwritten
    np.testing.assert_array_equal(res['gt_edge_map'], expected)


def test_edge_part_ignore_border_is_no_edge():
    seg = np.full((5, 5), 3, np.uint8)
    seg[:, 2:] = 255
    edge = GenerateEdge(edge_width=3)(dict(gt_seg_map=seg))['gt_edge_map']
    assert (edge[:, :2] == 0).all()
    assert (edge[:, 2:] == 255).all()


def test_edge_matches_mmseg_without_ignore():
    from mmseg.datasets.transforms import GenerateEdge as MMSegGenerateEdge
    rng = np.random.default_rng(0)
    seg = rng.integers(0, 4, (17, 23)).astype(np.uint8)
    ours = GenerateEdge(edge_width=3)(dict(gt_seg_map=seg))['gt_edge_map']
    ref = MMSegGenerateEdge(edge_width=3)(
        dict(img_shape=seg.shape, gt_seg_map=seg))['gt_edge_map']
    np.testing.assert_array_equal(ours, ref)


def test_edge_keeps_existing_seg_fields_and_size_from_label():
    seg = _vertical_two_region()
    # a stale img_shape must not change the edge map size
    res = GenerateEdge()(
        dict(gt_seg_map=seg, img_shape=(3, 3), seg_fields=['gt_seg_map']))
    assert res['gt_edge_map'].shape == (6, 6)
    assert res['seg_fields'] == ['gt_seg_map', 'gt_edge_map']
    res = GenerateEdge()(res)
    assert res['seg_fields'] == ['gt_seg_map', 'gt_edge_map']


def test_edge_bad_input():
    with pytest.raises(KeyError, match='gt_seg_map'):
        GenerateEdge()(dict())
    with pytest.raises(ValueError, match='edge_width'):
        GenerateEdge(edge_width=0)


# --------------------------------------------------------------------------
# GenerateJointCenters


def _joint_map():
    seg = np.zeros((20, 30), np.uint8)
    seg[2:6, 4:10] = 2  # hair, 4x6
    seg[6:10, 4:10] = 13  # face, 4x6 -> head = rows 2..9, cols 4..9
    seg[10:16, 2:12] = 5  # upper-clothes
    seg[16:18, 20:22] = 9  # pants, 4 px, centre (20.5, 16.5)
    seg[19, 20:24] = 12  # skirt, 4 px, centre (21.5, 19)
    seg[3, 20] = 14  # left arm, one pixel
    seg[:, 29] = 15  # right arm, full column
    seg[0, 0:3] = 255  # ignore pixels count for no joint
    return seg


def test_joint_centers_known_answers():
    res = GenerateJointCenters(LIP_METAINFO['joint_groups'])(
        dict(gt_seg_map=_joint_map()))
    centers, vis = res['gt_joint_centers'], res['gt_joint_visible']
    assert centers.shape == (9, 2) and centers.dtype == np.float32
    assert vis.shape == (9, ) and vis.dtype == np.float32
    expected = np.array(
        [
            [6.5, 5.5],  # head: hair + face merged
            [6.5, 12.5],  # upper body
            [21.0, 17.75],  # lower body: pants + skirt, pixel-weighted
            [20.0, 3.0],  # left arm
            [29.0, 9.5],  # right arm
            [0, 0],
            [0, 0],
            [0, 0],
            [0, 0],  # legs and shoes absent
        ],
        dtype=np.float32)
    np.testing.assert_allclose(centers, expected, atol=1e-5)
    np.testing.assert_array_equal(vis, [1, 1, 1, 1, 1, 0, 0, 0, 0])


def test_joint_centers_all_absent_and_int_labels():
    seg = np.zeros((8, 8), np.int64)
    res = GenerateJointCenters(PPP_METAINFO['joint_groups'])(
        dict(gt_seg_map=seg))
    assert (res['gt_joint_centers'] == 0).all()
    assert (res['gt_joint_visible'] == 0).all()
    res_u8 = GenerateJointCenters(LIP_METAINFO['joint_groups'])(
        dict(gt_seg_map=_joint_map()))
    res_i64 = GenerateJointCenters(LIP_METAINFO['joint_groups'])(
        dict(gt_seg_map=_joint_map().astype(np.int64)))
    np.testing.assert_array_equal(res_u8['gt_joint_centers'],
                                  res_i64['gt_joint_centers'])


def _slow_joint_centers(seg, groups):
    centers = np.zeros((len(groups), 2))
    vis = np.zeros(len(groups))
    for j, g in enumerate(groups):
        ys, xs = np.nonzero(np.isin(seg, g))
        if len(xs):
            centers[j] = xs.mean(), ys.mean()
            vis[j] = 1
    return centers, vis


@pytest.mark.parametrize('metainfo', [LIP_METAINFO, MHP_METAINFO])
def test_joint_centers_against_slow_reference(metainfo):
    rng = np.random.default_rng(1)
    groups = metainfo['joint_groups']
    num_classes = len(metainfo['classes'])
    gen = GenerateJointCenters(groups)
    for h, w in [(31, 47), (64, 64), (5, 90), (31, 47)]:
        seg = rng.integers(0, num_classes, (h, w)).astype(np.uint8)
        seg[rng.random((h, w)) < 0.1] = 255
        # knock a few classes out so some groups are absent
        for lbl in rng.choice(num_classes, num_classes // 2, replace=False):
            seg[seg == lbl] = 0
        res = gen(dict(gt_seg_map=seg))
        ref_c, ref_v = _slow_joint_centers(seg, groups)
        np.testing.assert_allclose(res['gt_joint_centers'], ref_c, rtol=1e-6)
        np.testing.assert_array_equal(res['gt_joint_visible'], ref_v)


def test_joint_centers_bad_input():
    with pytest.raises(ValueError):
        GenerateJointCenters(())
    with pytest.raises(ValueError):
        GenerateJointCenters(((1, ), ()))
    with pytest.raises(ValueError, match='float'):
        GenerateJointCenters(((1, ), ))(
            dict(gt_seg_map=np.zeros((4, 4), np.float32)))


# --------------------------------------------------------------------------
# GeneratePoseHeatmaps


def _pose_results(kpts, vis, shape=(64, 80)):
    return dict(
        img=np.zeros(shape + (3, ), np.uint8),
        gt_keypoints=np.asarray(kpts, np.float32).reshape(-1, 2),
        gt_keypoints_visible=np.asarray(vis, np.float32))


def test_heatmap_peak_and_neighbours():
    sigma = 2.0
    res = GeneratePoseHeatmaps(stride=8, sigma=sigma)(
        _pose_results([[24, 16], [27.9, 19.9], [28, 20]], [1, 1, 1]))
    hm, wt = res['gt_heatmaps'], res['gt_heatmap_weights']
    assert hm.shape == (3, 8, 10) and hm.dtype == np.float32
    assert wt.dtype == np.float32
    np.testing.assert_array_equal(wt, [1, 1, 1])
    # (24, 16) / 8 = (3, 2): peak at row 2, column 3
    assert hm[0, 2, 3] == 1.0
    assert np.unravel_index(hm[0].argmax(), hm[0].shape) == (2, 3)
    n1 = math.exp(-1 / (2 * sigma**2))
    for r, c in [(1, 3), (3, 3), (2, 2), (2, 4)]:
        assert hm[0, r, c] == pytest.approx(n1, rel=1e-6)
    assert hm[0, 3, 4] == pytest.approx(math.exp(-2 / (2 * sigma**2)))
    # (3.49, 2.49) rounds to (3, 2); (3.5, 2.5) rounds half up to (4, 3)
    np.testing.assert_array_equal(hm[1], hm[0])
    assert hm[2, 3, 4] == 1.0


def test_heatmap_matches_dense_formula():
    sigma = 1.5
    kpts = np.array([[5, 7], [60, 30], [13.2, 44.9]], np.float32)
    res = GeneratePoseHeatmaps(stride=4, sigma=sigma)(
        _pose_results(kpts, [1, 1, 1], shape=(50, 70)))
    hm = res['gt_heatmaps']
    assert hm.shape == (3, 13, 18)
    yy, xx = np.mgrid[0:13, 0:18]
    for k, (x, y) in enumerate(kpts):
        cx, cy = np.floor(x / 4 + 0.5), np.floor(y / 4 + 0.5)
        ref = np.exp(-((xx - cx)**2 + (yy - cy)**2) / (2 * sigma**2))
        np.testing.assert_allclose(hm[k], ref, rtol=1e-5, atol=1e-7)


def test_heatmap_missing_and_out_of_range():
    kpts = [
        [24, 16],  # fine
        [24, 16],  # not annotated
        [80, 16],  # x = W: outside the image
        [-1, 16],  # outside the image
        [24, 64],  # y = H: outside
        [np.nan, 3],  # not finite
        [79, 63],  # last image pixel: centre clipped to the last cell
        [-0.4, 0],  # rounds onto pixel 0: inside
    ]
    vis = [1, 0, 1, 1, 1, 1, 1, 1]
    res = GeneratePoseHeatmaps()(_pose_results(kpts, vis))
    hm, wt = res['gt_heatmaps'], res['gt_heatmap_weights']
    np.testing.assert_array_equal(wt, [1, 0, 0, 0, 0, 0, 1, 1])
    for k in range(1, 6):
        assert (hm[k] == 0).all()
    assert hm[6, 7, 9] == 1.0
    assert hm[7, 0, 0] == 1.0
    assert np.isfinite(hm).all()


def test_heatmap_size_ceil_and_seg_map_only():
    res = GeneratePoseHeatmaps(stride=8)(
        dict(
            gt_seg_map=np.zeros((473, 473), np.uint8),
            gt_keypoints=np.zeros((16, 2), np.float32),
            gt_keypoints_visible=np.zeros(16, np.float32)))
    assert res['gt_heatmaps'].shape == (16, 60, 60)
    assert (res['gt_heatmaps'] == 0).all()
    res = GeneratePoseHeatmaps(stride=8)(
        _pose_results([[0, 0]], [1], shape=(65, 81)))
    assert res['gt_heatmaps'].shape == (1, 9, 11)


def test_heatmap_bad_input():
    with pytest.raises(ValueError, match='differ'):
        r = _pose_results([[0, 0]], [1])
        r['gt_seg_map'] = np.zeros((10, 10), np.uint8)
        GeneratePoseHeatmaps()(r)
    with pytest.raises(KeyError, match='gt_keypoints'):
        GeneratePoseHeatmaps()(dict(img=np.zeros((8, 8, 3), np.uint8)))
    with pytest.raises(ValueError):
        GeneratePoseHeatmaps()(
            _pose_results(np.zeros((3, 2)), np.ones(2)))
    with pytest.raises(ValueError):
        GeneratePoseHeatmaps(sigma=0)


# --------------------------------------------------------------------------
# registry


def test_build_from_registry():
    cfgs = [
        dict(type='GenerateEdge', edge_width=2),
        dict(
            type='GenerateJointCenters',
            joint_groups=LIP_METAINFO['joint_groups']),
        dict(type='GeneratePoseHeatmaps', stride=4, sigma=2),
    ]
    for cfg, cls in zip(
            cfgs, [GenerateEdge, GenerateJointCenters, GeneratePoseHeatmaps]):
        assert TRANSFORMS.scope == 'mmhumanparse'
        t = TRANSFORMS.build(cfg)
        assert type(t) is cls
    # through the mmengine root registry with a scope prefix, as a stock
    # mmseg config using custom_imports would
    from mmengine.registry import TRANSFORMS as ROOT
    t = ROOT.build(
        dict(
            type='mmhumanparse.GenerateJointCenters',
            joint_groups=LIP_METAINFO['joint_groups']))
    assert type(t) is GenerateJointCenters
    res = t(dict(gt_seg_map=_joint_map()))
    assert res['gt_joint_visible'].sum() == 5


# --------------------------------------------------------------------------
# the transforms wrap the codecs (one `codec = dict(...)` per config)


def test_pose_heatmaps_with_codec_equal_stride_form():
    kpts = np.array([[5, 7], [60, 30], [79, 63], [13.2, 44.9]], np.float32)
    vis = np.array([1, 0, 1, 1], np.float32)
    codec = dict(type='PoseHeatmapCodec', input_size=(80, 64),
                 heatmap_size=(20, 16), sigma=1.5)
    t = TRANSFORMS.build(dict(type='GeneratePoseHeatmaps', codec=codec))
    res = t(_pose_results(kpts, vis))
    ref = GeneratePoseHeatmaps(stride=4, sigma=1.5)(_pose_results(kpts, vis))
    np.testing.assert_array_equal(res['gt_heatmaps'], ref['gt_heatmaps'])
    np.testing.assert_array_equal(res['gt_heatmap_weights'], [1, 0, 1, 1])
    # the codec decodes what the transform encoded
    dec, _ = t.codec.decode(res['gt_heatmaps'])
    assert np.abs(dec[0, 0] - kpts[0]).max() <= 2.5
    with pytest.raises(ValueError, match='input_size'):
        t(_pose_results(kpts, vis, shape=(60, 80)))
    with pytest.raises(TypeError, match='PoseHeatmapCodec'):
        GeneratePoseHeatmaps(
            codec=dict(type='JointCenterCodec', joint_groups=((1, ), )))


def test_pose_heatmaps_several_persons():
    kpts = np.array([[[8, 8], [0, 0]], [[64, 48], [16, 16]]], np.float32)
    vis = np.array([[1, 0], [1, 0]], np.float32)
    res = GeneratePoseHeatmaps(stride=8)(
        dict(img=np.zeros((64, 80, 3), np.uint8), gt_keypoints=kpts,
             gt_keypoints_visible=vis))
    assert res['gt_heatmaps'][0, 1, 1] == 1
    assert res['gt_heatmaps'][0, 6, 8] == 1
    assert (res['gt_heatmaps'][1] == 0).all()
    np.testing.assert_array_equal(res['gt_heatmap_weights'], [1, 0])


def test_joint_centers_with_codec():
    groups = LIP_METAINFO['joint_groups']
    t = TRANSFORMS.build(
        dict(type='GenerateJointCenters',
             codec=dict(type='JointCenterCodec', joint_groups=groups)))
    res = t(dict(gt_seg_map=_joint_map()))
    ref = GenerateJointCenters(groups)(dict(gt_seg_map=_joint_map()))
    np.testing.assert_array_equal(res['gt_joint_centers'],
                                  ref['gt_joint_centers'])
    np.testing.assert_array_equal(res['gt_joint_visible'],
                                  ref['gt_joint_visible'])
    with pytest.raises(ValueError, match='exactly one'):
        GenerateJointCenters(groups, codec=dict(type='JointCenterCodec',
                                                joint_groups=groups))
    with pytest.raises(ValueError, match='exactly one'):
        GenerateJointCenters()
