"""LoadParsingAnnotations / LoadMultiPersonAnnotations on hand-made PNGs."""
import numpy as np
import pytest
from PIL import Image

from mmhumanparse.datasets.transforms.loading import (
    LoadMultiPersonAnnotations, LoadParsingAnnotations)

H, W = 6, 8


def _png(path, arr):
    Image.fromarray(arr).save(str(path))
    return str(path)


@pytest.fixture
def persons(tmp_path):
    """Two overlapping persons (MHP-style 3-channel files) + a CIHP pair."""
    a = np.zeros((H, W), np.uint8)
    a[1:5, 1:4] = 5  # person A: label 5 (left-arm in MHP)
    a[1, 1] = 255  # an ignore pixel inside A
    b = np.zeros((H, W), np.uint8)
    b[2:6, 3:7] = 6  # person B overlaps A in column 3, rows 2..4
    rgb = lambda lab: np.dstack([lab, 255 - lab, np.full_like(lab, 7)])  # noqa
    cat = np.maximum(a * (a != 255), b)
    human = np.zeros((H, W), np.uint8)
    human[a > 0] = 1
    human[b > 0] = 2
    return dict(
        a=a, b=b,
        file_a=_png(tmp_path / 'a.png', rgb(a)),
        file_b=_png(tmp_path / 'b.png', rgb(b)),
        cat=_png(tmp_path / 'cat.png', cat), cat_arr=cat,
        human=_png(tmp_path / 'human.png', human), human_arr=human)


def _results(persons, **extra):
    inst = [
        dict(bbox=[1, 1, 4, 5], bbox_label=0, ignore_flag=0,
             parsing=dict(file=persons['file_a'], channel=0)),
        dict(bbox=[3, 2, 7, 6], bbox_label=0, ignore_flag=1,
             parsing=dict(file=persons['file_b'], channel=0)),
    ]
    return dict(ori_shape=(H, W), img_shape=(H, W), instances=inst,
                num_classes=59, **extra)


def test_multi_person_all_keys(persons):
    res = LoadMultiPersonAnnotations()(_results(persons))
    # channel 0 (R) of the 3-channel files; G and B hold other values
    np.testing.assert_array_equal(res['gt_parsings'],
                                  np.stack([persons['a'], persons['b']]))
    assert res['gt_parsings'].dtype == np.uint8
    masks = res['gt_masks'].masks
    # 255 is not part of the person mask
    exp_a = (persons['a'] > 0) & (persons['a'] != 255)
    np.testing.assert_array_equal(masks[0], exp_a)
    assert masks[0][1, 1] == 0 and res['gt_parsings'][0, 1, 1] == 255
    np.testing.assert_array_equal(masks[1], persons['b'] > 0)
    np.testing.assert_allclose(res['gt_bboxes'].tensor.numpy(),
                               [[1, 1, 4, 5], [3, 2, 7, 6]])
    np.testing.assert_array_equal(res['gt_bboxes_labels'], [0, 0])
    np.testing.assert_array_equal(res['gt_ignore_flags'], [False, True])
    # composed global map: the later person paints over the earlier one
    seg = res['gt_seg_map']
    exp = np.zeros((H, W), np.uint8)
    exp[exp_a] = 5
    exp[persons['b'] > 0] = 6
    np.testing.assert_array_equal(seg, exp)
    assert seg[3, 3] == 6 and seg[1, 1] == 0  # overlap; 255 not painted
    assert 'gt_seg_map' in res['seg_fields']


def test_multi_person_switches(persons):
    res = LoadMultiPersonAnnotations(
        with_mask=False, with_seg=False, with_parsing=False)(
            _results(persons))
    for key in ('gt_masks', 'gt_seg_map', 'gt_parsings'):
        assert key not in res
    assert res['gt_bboxes'].tensor.shape == (2, 4)
    res = LoadMultiPersonAnnotations(with_bbox=False, with_label=False)(
        _results(persons))
    assert 'gt_bboxes' not in res and 'gt_bboxes_labels' not in res
    assert res['gt_parsings'].shape == (2, H, W)


def test_multi_person_cihp_human_ids_and_global_png(persons):
    r = _results(persons, seg_map_path=persons['cat'])
    for k, inst in enumerate(r['instances']):
        inst['parsing'] = dict(file=persons['cat'],
                               human_file=persons['human'], human_id=k + 1)
    res = LoadMultiPersonAnnotations()(r)
    cat, human = persons['cat_arr'], persons['human_arr']
    for k in range(2):
        np.testing.assert_array_equal(res['gt_parsings'][k],
                                      np.where(human == k + 1, cat, 0))
    # the global map is the Category_ids PNG itself: background stays 0
    np.testing.assert_array_equal(res['gt_seg_map'], cat)
    assert (res['gt_seg_map'][human == 0] == 0).all()


def test_multi_person_no_instances(persons):
    r = _results(persons)
    r['instances'] = []
    res = LoadMultiPersonAnnotations()(r)
    assert res['gt_parsings'].shape == (0, H, W)
    assert (res['gt_seg_map'] == 0).all()
    assert res['gt_bboxes'].tensor.shape == (0, 4)


def test_multi_person_label_and_size_errors(persons, tmp_path):
    r = _results(persons)
    r['num_classes'] = 6  # label 6 of person B is out of range
    with pytest.raises(ValueError, match=r'b\.png.*\[6\]'):
        LoadMultiPersonAnnotations()(r)
    r = _results(persons)
    r['ori_shape'] = (H + 1, W)
    with pytest.raises(ValueError, match=r'a\.png.*does not match'):
        LoadMultiPersonAnnotations()(r)
    r = _results(persons)
    r['instances'][1]['parsing']['file'] = str(tmp_path / 'gone.png')
    with pytest.raises(FileNotFoundError, match='gone.png'):
        LoadMultiPersonAnnotations()(r)


def test_single_person_loading_checks(tmp_path):
    lab = np.zeros((H, W), np.uint8)
    lab[0, 0] = 255
    lab[1, 1] = 19
    path = _png(tmp_path / 'l.png', lab)
    t = LoadParsingAnnotations()
    res = t(dict(seg_map_path=path, seg_fields=[], num_classes=20,
                 ori_shape=(H, W), reduce_zero_label=False))
    np.testing.assert_array_equal(res['gt_seg_map'], lab)
    with pytest.raises(ValueError, match=r'l\.png.*\[19\]'):
        t(dict(seg_map_path=path, seg_fields=[], num_classes=19,
               reduce_zero_label=False))
    with pytest.raises(ValueError, match='does not match'):
        t(dict(seg_map_path=path, seg_fields=[], ori_shape=(H, W + 1),
               reduce_zero_label=False))
    with pytest.raises(FileNotFoundError, match='x.png'):
        t(dict(seg_map_path=str(tmp_path / 'x.png'), seg_fields=[],
               reduce_zero_label=False))
