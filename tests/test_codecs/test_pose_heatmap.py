"""Tests of PoseHeatmapCodec: geometry, round trip, sub-pixel decode."""
import math

import numpy as np
import pytest
import torch

from mmhumanparse.codecs import PoseHeatmapCodec
from mmhumanparse.registry import CODECS


def test_encode_geometry_matches_transform_formula():
    sigma = 1.5
    codec = PoseHeatmapCodec((70, 50), (18, 13), sigma=sigma)
    np.testing.assert_array_equal(codec.stride, [4, 4])
    kpts = np.array([[[5, 7], [60, 30], [13.2, 44.9]]], np.float32)
    out = codec.encode(kpts, np.ones((1, 3)))
    hm = out['heatmaps']
    assert hm.shape == (3, 13, 18) and hm.dtype == np.float32
    assert out['keypoint_weights'].shape == (1, 3)
    assert out['keypoint_weights'].dtype == np.float32
    yy, xx = np.mgrid[0:13, 0:18]
    for k, (x, y) in enumerate(kpts[0]):
        cx, cy = np.floor(x / 4 + 0.5), np.floor(y / 4 + 0.5)
        ref = np.exp(-((xx - cx)**2 + (yy - cy)**2) / (2 * sigma**2))
        np.testing.assert_allclose(hm[k], ref, rtol=1e-5, atol=1e-7)


def test_stride_derivation():
    # padded stride-2 convs: 473 -> 60 at stride 8
    np.testing.assert_array_equal(
        PoseHeatmapCodec((473, 473), (60, 60)).stride, [8, 8])
    np.testing.assert_array_equal(
        PoseHeatmapCodec((321, 64), (41, 8)).stride, [8, 8])
    # no integer stride gives ceil(100 / s) == 30: plain ratio
    np.testing.assert_allclose(
        PoseHeatmapCodec((100, 64), (30, 16)).stride, [100 / 30, 4])
    # ambiguous sizes: an explicit stride wins, a wrong one is rejected
    np.testing.assert_array_equal(
        PoseHeatmapCodec((10, 10), (2, 2), stride=8).stride, [8, 8])
    with pytest.raises(ValueError, match='stride 4'):
        PoseHeatmapCodec((10, 10), (2, 2), stride=4)


def test_invisible_outside_and_merge():
    codec = PoseHeatmapCodec((80, 64), (10, 8))
    kpts = np.array([[[24, 16], [24, 16], [80, 16], [-1, 16], [np.nan, 3],
                      [79, 63]]], np.float32)
    vis = np.array([[1, 0, 1, 1, 1, 1]])
    out = codec.encode(kpts, vis)
    np.testing.assert_array_equal(out['keypoint_weights'], [[1, 0, 0, 0, 0,
                                                             1]])
    assert (out['heatmaps'][1:5] == 0).all()
    assert out['heatmaps'][5, 7, 9] == 1.0  # clipped to the last cell
    # two persons: per-pixel maximum, per-person weights
    two = codec.encode(
        np.array([[[8, 8]], [[64, 48]]], np.float32), np.ones((2, 1)))
    assert two['heatmaps'].shape == (1, 8, 10)
    assert two['heatmaps'][0, 1, 1] == 1.0 and two['heatmaps'][0, 6, 8] == 1
    np.testing.assert_array_equal(two['keypoint_weights'], [[1], [1]])


@pytest.mark.parametrize('size, hm_size', [((80, 64), (10, 8)),
                                           ((473, 473), (60, 60)),
                                           ((100, 64), (30, 16))])
def test_round_trip(size, hm_size):
    codec = PoseHeatmapCodec(size, hm_size, sigma=2)
    rng = np.random.default_rng(0)
    stride = codec.stride
    # keypoints inside the image whose cell is not clipped (x / s + 0.5 < w)
    hi = np.minimum((np.array(hm_size) - 0.5) * stride,
                    np.array(size) - 0.5) - 1e-3
    kpts = rng.uniform(0, hi, size=(1, 16, 2)).astype(np.float32)
    vis = np.ones((1, 16))
    vis[0, 3] = 0
    out = codec.encode(kpts, vis)
    dec, scores = codec.decode(out['heatmaps'])
    assert dec.shape == (1, 16, 2) and scores.shape == (1, 16)
    err = np.abs(dec - kpts)[0]  # per axis
    vis_k = vis[0] > 0
    np.testing.assert_array_equal(out['keypoint_weights'][0], vis_k)
    assert (err[vis_k] <= stride / 2 + 0.5).all(), err.max(0)
    np.testing.assert_allclose(scores[0, vis_k], 1.0)
    assert scores[0, 3] == 0


def test_decode_quarter_shift_towards_higher_neighbour():
    codec = PoseHeatmapCodec((64, 48), (16, 12))  # stride 4
    hm = np.zeros((3, 12, 16), np.float32)
    hm[0, 5, 7] = 1.0
    hm[0, 5, 8] = 0.6  # right neighbour higher -> x + 0.25
    hm[0, 5, 6] = 0.2
    hm[0, 4, 7] = 0.5  # upper neighbour higher -> y - 0.25
    hm[0, 6, 7] = 0.1
    hm[1, 2, 3] = 0.9  # equal neighbours (zero) -> no shift
    hm[2, 0, 15] = 0.7  # corner: no neighbour pair -> no shift
    hm[2, 0, 14] = 0.5
    hm[2, 1, 15] = 0.5
    kpts, scores = codec.decode(hm)
    np.testing.assert_allclose(kpts[0, 0], [(7 + 0.25) * 4, (5 - 0.25) * 4])
    np.testing.assert_allclose(kpts[0, 1], [3 * 4, 2 * 4])
    np.testing.assert_allclose(kpts[0, 2], [15 * 4, 0])
    np.testing.assert_allclose(scores[0], [1.0, 0.9, 0.7])
    assert kpts.dtype == np.float32


def test_batch_decode_matches_decode():
    codec = PoseHeatmapCodec((64, 48), (16, 12))
    hm = torch.rand(3, 5, 12, 16)
    kpts, scores = codec.batch_decode(hm)
    assert kpts.shape == (3, 5, 2) and scores.shape == (3, 5)
    for n in range(3):
        k1, s1 = codec.decode(hm[n].numpy())
        np.testing.assert_allclose(kpts[n].numpy(), k1[0])
        np.testing.assert_allclose(scores[n].numpy(), s1[0])


def test_bad_input():
    codec = PoseHeatmapCodec((64, 48), (16, 12))
    with pytest.raises(ValueError, match='keypoints must be'):
        codec.encode(np.zeros((16, 2)), np.ones(16))
    with pytest.raises(ValueError, match=r'\(K, h, w\)'):
        codec.decode(np.zeros((1, 2, 12, 16)))
    with pytest.raises(TypeError, match='batch_decode'):
        codec.decode(torch.zeros(2, 12, 16))
    with pytest.raises(ValueError, match='heatmap_size'):
        codec.batch_decode(torch.zeros(1, 2, 10, 10))
    with pytest.raises(ValueError, match='N, K, h, w'):
        codec.batch_decode(np.zeros((1, 2, 12, 16)))
    with pytest.raises(ValueError, match='sigma'):
        PoseHeatmapCodec((64, 48), (16, 12), sigma=0)
    with pytest.raises(ValueError, match='input_size'):
        PoseHeatmapCodec((64, ), (16, 12))
    with pytest.raises(ValueError, match='larger'):
        PoseHeatmapCodec((8, 8), (16, 12))


def test_build_from_registry():
    codec = CODECS.build(
        dict(type='PoseHeatmapCodec', input_size=(64, 48),
             heatmap_size=(16, 12), sigma=3))
    assert isinstance(codec, PoseHeatmapCodec) and codec.sigma == 3
    n1 = codec.encode(np.array([[[20., 20.]]]), np.ones((1, 1)))
    assert n1['heatmaps'][0, 5, 6] == pytest.approx(math.exp(-1 / 18))
