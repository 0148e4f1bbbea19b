"""Tests of JointCenterCodec: encode, decode, one-hot equivalence, grads."""
import numpy as np
import pytest
import torch

from mmhumanparse.codecs import JointCenterCodec
from mmhumanparse.datasets.metainfo import LIP_METAINFO
from mmhumanparse.registry import CODECS

GROUPS = ((1, 2), (3, ), (4, ))


def _label_map():
    seg = np.zeros((6, 8), np.uint8)
    seg[0:2, 0:2] = 1  # group 0: 4 pixels, centre (0.5, 0.5)
    seg[0, 4] = 2  # group 0 too: centre of 5 pixels (4/5, 2/5)
    seg[3:6, 6] = 3  # group 1: centre (6, 4)
    seg[5, 0] = 255  # ignore: no group
    return seg  # group 2 (label 4) absent


def test_encode_values():
    centers, visible = JointCenterCodec(GROUPS).encode(_label_map())
    assert centers.shape == (3, 2) and centers.dtype == np.float32
    assert visible.dtype == bool
    np.testing.assert_allclose(centers[0], [(0 + 1 + 0 + 1 + 4) / 5,
                                            (0 + 0 + 1 + 1 + 0) / 5])
    np.testing.assert_allclose(centers[1], [6, 4])
    np.testing.assert_array_equal(centers[2], [0, 0])
    np.testing.assert_array_equal(visible, [True, True, False])


def _one_hot(seg, num_classes):
    oh = np.zeros((num_classes, ) + seg.shape, np.float32)
    valid = seg < num_classes
    ys, xs = np.nonzero(valid)
    oh[seg[valid], ys, xs] = 1
    return oh


def test_one_hot_decode_equals_encode_lip():
    rng = np.random.default_rng(0)
    codec = JointCenterCodec(LIP_METAINFO['joint_groups'])
    seg = rng.integers(0, 20, size=(33, 41)).astype(np.uint8)
    seg[rng.random(seg.shape) < 0.1] = 255
    seg[seg == 18] = 0  # left shoe absent
    enc_c, enc_v = codec.encode(seg)
    dec_c, dec_s = codec.decode(_one_hot(seg, 20))
    np.testing.assert_allclose(dec_c, enc_c, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(dec_s > 0, enc_v)
    # score = the group's pixel count for a one-hot map
    groups = LIP_METAINFO['joint_groups']
    np.testing.assert_allclose(
        dec_s, [np.isin(seg, g).sum() for g in groups])
    assert dec_s[7] == 0 and (dec_c[7] == 0).all()
    # and as a batch tensor
    t = torch.from_numpy(np.stack([_one_hot(seg, 20)] * 2))
    c_t, s_t = codec.decode(t)
    assert c_t.shape == (2, 9, 2) and s_t.shape == (2, 9)
    np.testing.assert_allclose(c_t[1].numpy(), enc_c, rtol=1e-5, atol=1e-4)


def test_soft_probabilities_weighted_centroid():
    codec = JointCenterCodec(((1, ), ))
    probs = np.zeros((2, 1, 4), np.float32)
    probs[1, 0] = [0.0, 1.0, 0.0, 3.0]  # weighted x = (1 + 9) / 4
    probs[0] = 1 - probs[1].clip(0, 1)
    centers, scores = codec.decode(probs)
    np.testing.assert_allclose(centers[0], [2.5, 0])
    np.testing.assert_allclose(scores, [4.0])


def test_gradient_flows_through_tensor_decode():
    codec = JointCenterCodec(GROUPS)
    logits = torch.randn(2, 5, 6, 8, requires_grad=True)
    centers, scores = codec.decode(logits.softmax(dim=1))
    target = torch.from_numpy(
        _one_hot(_label_map(), 5))[None].expand(2, -1, -1, -1)
    t_centers, _ = codec.decode(target)
    loss = ((centers - t_centers)**2).sum() + scores.sum()
    loss.backward()
    assert torch.isfinite(logits.grad).all()
    assert logits.grad.abs().sum() > 0


def test_zero_mass_group_has_zero_centre_and_finite_grad():
    codec = JointCenterCodec(((1, ), ))
    probs = torch.zeros(1, 2, 3, 3)
    probs[:, 0] = 1
    probs.requires_grad_(True)
    centers, scores = codec.decode(probs)
    assert (centers == 0).all() and (scores == 0).all()
    centers.sum().backward()
    assert torch.isfinite(probs.grad).all()


def test_bad_input():
    with pytest.raises(ValueError, match='empty'):
        JointCenterCodec(())
    with pytest.raises(ValueError, match=r'joint_groups\[1\]'):
        JointCenterCodec(((1, ), ()))
    with pytest.raises(ValueError, match=r'\[0, 255\]'):
        JointCenterCodec(((256, ), ))
    codec = JointCenterCodec(GROUPS)
    with pytest.raises(ValueError, match='integer'):
        codec.encode(np.zeros((4, 4), np.float32))
    with pytest.raises(ValueError, match=r'\(H, W\)'):
        codec.encode(np.zeros((1, 4, 4), np.uint8))
    with pytest.raises(ValueError, match='negative'):
        codec.encode(-np.ones((4, 4), np.int64))
    with pytest.raises(ValueError, match='only 3 channels'):
        codec.decode(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        codec.decode(torch.zeros(5, 4, 4))


def test_build_from_registry():
    codec = CODECS.build(
        dict(type='JointCenterCodec',
             joint_groups=LIP_METAINFO['joint_groups']))
    assert isinstance(codec, JointCenterCodec) and codec.num_joints == 9
