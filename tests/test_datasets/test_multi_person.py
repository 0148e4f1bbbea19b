"""Tests of mmhumanparse/datasets/multi_person.py (shared instance base)."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.registry import DATASETS

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadMultiPersonAnnotations'),
    dict(type='PackParsingDetInputs')
]


@pytest.mark.parametrize('name,num_parts', [('CIHP', 20), ('MHP', 59)])
def test_instance_dataset(instance_cfgs, name, num_parts):
    ds = DATASETS.build(instance_cfgs[name])
    assert len(ds) == 3
    assert ds.metainfo['classes'] == ('person', )
    assert len(ds.metainfo['part_classes']) == num_parts
    for i in range(len(ds)):
        sample = ds[i]['data_samples']
        gt = sample.gt_instances
        n = len(gt)
        assert n >= 2  # several people per toy image
        h, w = sample.metainfo['ori_shape']
        assert gt.parsings.shape == (n, h, w)
        assert gt.parsings.max() < num_parts
        masks = gt.masks.to_ndarray()
        np.testing.assert_array_equal(masks, gt.parsings.numpy() > 0)
        boxes = gt.bboxes.tensor.numpy()
        for m, b in zip(masks, boxes):  # boxes hug the masks exactly
            ys, xs = np.nonzero(m)
            np.testing.assert_allclose(
                b, [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1])
        seg = sample.gt_sem_seg.sem_seg[0].numpy()
        assert seg.shape == (h, w)
        fg = gt.parsings.numpy().max(0) > 0
        assert (seg[fg] > 0).all()  # every person's pixels are in the map


def test_missing_image_named(instance_cfgs, tmp_path):
    cfg = dict(instance_cfgs['MHP'])
    img_dir = osp.join(cfg['data_root'], 'LV-MHP-v2/val/images')
    victim = sorted(os.listdir(img_dir))[0]
    moved = str(tmp_path / victim)
    os.rename(osp.join(img_dir, victim), moved)
    try:
        with pytest.raises(FileNotFoundError, match=victim):
            DATASETS.build(cfg)
    finally:
        os.rename(moved, osp.join(img_dir, victim))


def test_malformed_json_named(instance_cfgs, tmp_path):
    bad = tmp_path / 'bad.json'
    bad.write_text('{"images": [')
    cfg = dict(instance_cfgs['CIHP'], ann_file=str(bad))
    with pytest.raises(ValueError, match='bad.json: malformed json'):
        DATASETS.build(cfg)


# ---------------------------------------------- hand-made json datasets
def _write_json_dataset(tmp_path, annotations, images=None):
    """Two 6x8 images (one without persons) and MHP-style annotations."""
    import json
    img_dir = tmp_path / 'images'
    img_dir.mkdir(exist_ok=True)
    for name in ('p.jpg', 'q.jpg'):
        Image.fromarray(np.zeros((6, 8, 3), np.uint8)).save(
            str(img_dir / name))
    lab = np.zeros((6, 8), np.uint8)
    lab[1:4, 2:5] = 5
    Image.fromarray(np.dstack([lab] * 3)).save(str(tmp_path / 'p_01.png'))
    coco = dict(
        images=images if images is not None else [
            dict(id=1, file_name='p.jpg', height=6, width=8),
            dict(id=2, file_name='q.jpg', height=6, width=8)
        ],
        annotations=annotations,
        categories=[dict(id=1, name='person')])
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(coco))
    return dict(type='MHPv2Dataset', data_root=str(tmp_path),
                ann_file=str(path), data_prefix=dict(img=str(img_dir)),
                pipeline=PIPELINE)


def _ann(iscrowd=0, ann_id=1):
    return dict(id=ann_id, image_id=1, category_id=1, bbox=[2, 1, 3, 3],
                area=9, iscrowd=iscrowd,
                parsing=dict(file='p_01.png', channel=0))


def test_filter_empty_gt(tmp_path):
    cfg = _write_json_dataset(tmp_path, [_ann()])
    assert len(DATASETS.build(dict(cfg, test_mode=True))) == 2
    kept = DATASETS.build(
        dict(cfg, filter_cfg=dict(filter_empty_gt=True)))
    assert len(kept) == 1
    assert kept.get_data_info(0)['img_path'].endswith('p.jpg')
    assert len(DATASETS.build(
        dict(cfg, filter_cfg=dict(filter_empty_gt=False)))) == 2
    # test mode never filters
    assert len(DATASETS.build(
        dict(cfg, test_mode=True, filter_cfg=dict(filter_empty_gt=True)))) == 2


def test_iscrowd_becomes_ignore_flag(tmp_path):
    cfg = _write_json_dataset(tmp_path, [_ann(0, 1), _ann(1, 2)])
    ds = DATASETS.build(dict(cfg, test_mode=True))
    info = ds.get_data_info(0)
    assert [i['ignore_flag'] for i in info['instances']] == [0, 1]
    # bbox [x, y, w, h] -> [x1, y1, x2, y2]
    assert info['instances'][0]['bbox'] == [2, 1, 5, 4]
    out = ds[0]['data_samples']
    # mmdet's PackDetInputs moves ignored instances to ignored_instances
    assert len(out.gt_instances) == 1 and len(out.ignored_instances) == 1


def test_missing_json_and_missing_key(tmp_path):
    cfg = _write_json_dataset(tmp_path, [_ann()])
    with pytest.raises(FileNotFoundError,
                       match='MHPv2Dataset: annotation json not found'):
        DATASETS.build(dict(cfg, ann_file=str(tmp_path / 'none.json')))
    (tmp_path / 'ann.json').write_text('{"images": []}')
    with pytest.raises(ValueError,
                       match='ann.json: missing top-level key "annotations"'):
        DATASETS.build(cfg)
    cfg = _write_json_dataset(tmp_path, [_ann()])
    with pytest.raises(FileNotFoundError, match='image directory'):
        DATASETS.build(dict(cfg, data_prefix=dict(img=str(tmp_path / 'no'))))


def test_multi_person_label_out_of_range_named(tmp_path):
    cfg = _write_json_dataset(tmp_path, [_ann()])
    lab = np.zeros((6, 8), np.uint8)
    lab[0, 0] = 59  # MHP-v2 has 59 classes: 0..58
    Image.fromarray(np.dstack([lab] * 3)).save(str(tmp_path / 'p_01.png'))
    ds = DATASETS.build(dict(cfg, test_mode=True))
    with pytest.raises(ValueError, match=r'p_01.png.*\[59\]'):
        ds[0]
