"""Tests of the one left/right swap module (mmhumanparse.structures.flip)."""
import numpy as np
import pytest
import torch

from mmhumanparse.datasets import metainfo as M
from mmhumanparse.structures.flip import (check_flip_pairs, flip_keypoints,
                                          flip_label_map, flip_lut,
                                          flip_permutation, resolve_flip_pairs,
                                          swap_flip_channels, swap_labels)

LIP_PAIRS = ((14, 15), (16, 17), (18, 19))


# --------------------------------------------------------------------------
# validation


def test_check_flip_pairs_accepts_and_normalises():
    assert check_flip_pairs([[14, 15], (np.int64(16), 17)], 20) == ((14, 15),
                                                                    (16, 17))
    assert check_flip_pairs(None) == ()
    assert check_flip_pairs(()) == ()


@pytest.mark.parametrize('pairs, match', [
    (((14, 20), ), r'\(14, 20\).*\[0, 20\)'),
    (((-1, 3), ), r'\[0, 20\)'),
    (((3, 3), ), 'two different'),
    (((1, 2), (2, 3)), 'label 2 is in pairs'),
    (((1, 2), (2, 1)), 'disjoint'),
    (((1, 2, 3), ), 'not a pair'),
    (((1.5, 2), ), 'not a pair'),
])
def test_check_flip_pairs_errors_name_the_dataset(pairs, match):
    with pytest.raises(ValueError, match=match) as err:
        check_flip_pairs(pairs, 20, name='ATRDataset')
    assert 'ATRDataset' in str(err.value)


def test_check_flip_pairs_without_num_classes_rejects_ignore_label():
    check_flip_pairs(((253, 254), ))
    with pytest.raises(ValueError, match='255'):
        check_flip_pairs(((1, 255), ))


@pytest.mark.parametrize('name', ['LIP', 'ATR', 'PPP', 'CIHP', 'MHP'])
def test_every_dataset_metainfo_has_valid_pairs(name):
    meta = getattr(M, f'{name}_METAINFO')
    num_classes = len(meta['classes'])
    check_flip_pairs(meta['flip_pairs'], num_classes, name=name)
    if 'joint_flip_pairs' in meta:
        check_flip_pairs(meta['joint_flip_pairs'], len(meta['joint_groups']),
                         name)
    if 'keypoint_flip_pairs' in meta:
        check_flip_pairs(meta['keypoint_flip_pairs'],
                         len(meta['keypoint_names']), name)


# --------------------------------------------------------------------------
# label maps


def test_flip_lut_keeps_255_and_unpaired():
    lut = flip_lut(LIP_PAIRS)
    assert lut.shape == (256, ) and lut.dtype == np.int64
    assert lut[255] == 255 and lut[13] == 13 and lut[0] == 0
    assert (lut[14], lut[15], lut[18], lut[19]) == (15, 14, 19, 18)
    with pytest.raises(ValueError, match='LIPDataset'):
        flip_lut(((14, 14), ), name='LIPDataset')


def _label():
    lab = np.zeros((3, 4), np.uint8)
    lab[0, 0] = 14
    lab[1, 3] = 15
    lab[2, 1] = 255
    lab[2, 2] = 13
    return lab


def test_flip_label_map_full_array_numpy_and_tensor():
    lab = _label()
    expected = np.array([[0, 0, 0, 15],
                         [14, 0, 0, 0],
                         [0, 13, 255, 0]], np.uint8)
    out = flip_label_map(lab, LIP_PAIRS)
    assert out.dtype == np.uint8 and out.flags.c_contiguous
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(flip_label_map(out, LIP_PAIRS), lab)
    t = flip_label_map(torch.from_numpy(lab).long(), LIP_PAIRS)
    assert t.dtype == torch.long
    np.testing.assert_array_equal(t.numpy(), expected)
    # no pairs: mirrored only
    np.testing.assert_array_equal(flip_label_map(lab, ()), lab[:, ::-1])


def test_swap_labels_instance_stack():
    """RP R-CNN per-instance part maps (n, H, W), numpy and tensor."""
    stack = np.stack([_label(), np.full((3, 4), 16, np.uint8)])
    expected = stack.copy()
    expected[0, 0, 0], expected[0, 1, 3] = 15, 14
    expected[1] = 17
    out = swap_labels(stack, LIP_PAIRS, num_classes=20)
    np.testing.assert_array_equal(out, expected)  # not mirrored
    assert out.dtype == np.uint8
    t = swap_labels(torch.from_numpy(stack.astype(np.int64)), LIP_PAIRS)
    np.testing.assert_array_equal(t.numpy(), expected)
    # labels above 255 in int maps are kept too
    big = np.array([[300, 14]], np.int64)
    np.testing.assert_array_equal(swap_labels(big, LIP_PAIRS), [[300, 15]])
    with pytest.raises(ValueError, match='integers'):
        swap_labels(stack.astype(np.float32), LIP_PAIRS)
    with pytest.raises(ValueError, match='CIHP'):
        swap_labels(stack, LIP_PAIRS, num_classes=15, name='CIHP')


# --------------------------------------------------------------------------
# channels and keypoints


def test_flip_permutation_and_channel_swap():
    assert flip_permutation(5, [(1, 2), (3, 4)]).tolist() == [0, 2, 1, 4, 3]
    with pytest.raises(ValueError, match='test_cfg'):
        flip_permutation(3, [(1, 3)], name='test_cfg.flip_pairs')
    logits = torch.arange(2 * 4 * 1 * 1).float().reshape(2, 4, 1, 1)
    out = swap_flip_channels(logits, [(1, 3)])
    assert out[:, :, 0, 0].tolist() == [[0, 3, 2, 1], [4, 7, 6, 5]]
    out0 = swap_flip_channels(logits[0], [(1, 3)], dim=0)
    assert out0[:, 0, 0].tolist() == [0, 3, 2, 1]
    assert swap_flip_channels(logits, None) is logits
    with pytest.raises(ValueError, match='my model'):
        swap_flip_channels(logits, [(1, 4)], name='my model')


def test_flip_keypoints():
    pts = np.array([[[1, 5], [2, 6], [3, 7]]], np.float32)
    vis = np.array([[1, 0, 1]], np.float32)
    out, ovis = flip_keypoints(pts, vis, width=10, flip_pairs=((0, 1), ))
    np.testing.assert_array_equal(ovis, [[0, 1, 1]])
    np.testing.assert_allclose(out, [[[0, 0], [8, 5], [6, 7]]])
    with pytest.raises(ValueError, match=r'\[0, 3\)'):
        flip_keypoints(pts, vis, 10, ((0, 3), ))


# --------------------------------------------------------------------------
# resolve_flip_pairs: config > sample metainfo > dataset_meta


def test_resolve_flip_pairs_precedence():
    meta = dict(flip_pairs=((1, 2), ), img_path='a.jpg')
    dmeta = dict(flip_pairs=((3, 4), ))
    assert resolve_flip_pairs(((5, 6), ), meta, dmeta) == ((5, 6), )
    assert resolve_flip_pairs((), meta, dmeta) == ()  # explicit "none"
    assert resolve_flip_pairs(None, meta, dmeta) == ((1, 2), )
    assert resolve_flip_pairs(None, dict(img_path='a.jpg'),
                              dmeta) == ((3, 4), )
    with pytest.raises(ValueError, match='no left/right flip pairs'):
        resolve_flip_pairs(None, dict(img_path='a.jpg'), None, 'my TTA')


def test_resolve_flip_pairs_names_the_bad_source():
    with pytest.raises(ValueError, match='metainfo.*a.jpg'):
        resolve_flip_pairs(None, dict(flip_pairs=((1, 9), ),
                                      img_path='a.jpg'), None, num_classes=4)
    with pytest.raises(ValueError, match='config'):
        resolve_flip_pairs(((1, 1), ), {}, None)
    with pytest.raises(ValueError, match='dataset_meta.*LIP'):
        resolve_flip_pairs(None, {}, dict(flip_pairs=((1, 2), (2, 3)),
                                          dataset_name='LIP'))
