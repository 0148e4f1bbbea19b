"""CIHP / MHP-v2 instance datasets (mmdet pipeline) on converted toy data."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.datasets.converters import (cihp_to_coco, dump_coco,
                                              mhp_to_coco)
from mmhumanparse.registry import DATASETS

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadMultiPersonAnnotations'),
    dict(type='PackParsingDetInputs')
]


@pytest.fixture(scope='module')
def instance_cfgs(toy_roots, tmp_path_factory):
    out = tmp_path_factory.mktemp('coco')
    cihp, mhp = toy_roots['CIHP'], toy_roots['MHP']
    dump_coco(cihp_to_coco(cihp, 'val', verbose=False), str(out / 'cihp.json'))
    dump_coco(mhp_to_coco(mhp, 'val', verbose=False), str(out / 'mhp.json'))
    split_dir = 'instance-level_human_parsing/Validation'
    return {
        'CIHP':
        dict(
            type='CIHPInstanceDataset',
            data_root=cihp,
            ann_file=str(out / 'cihp.json'),
            data_prefix=dict(img=f'{split_dir}/Images'),
            global_seg_dir=f'{split_dir}/Category_ids',
            test_mode=True,
            pipeline=PIPELINE),
        'MHP':
        dict(
            type='MHPv2Dataset',
            data_root=mhp,
            ann_file=str(out / 'mhp.json'),
            data_prefix=dict(img='LV-MHP-v2/val/images'),
            test_mode=True,
            pipeline=PIPELINE),
    }


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


def test_mhp_overlapping_persons_keep_own_maps(instance_cfgs):
    ds = DATASETS.build(instance_cfgs['MHP'])
    overlap_found = False
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        parsings = ds[i]['data_samples'].gt_instances.parsings.numpy()
        for inst, part in zip(info['instances'], parsings):
            raw = np.array(Image.open(inst['parsing']['file']))
            assert raw.ndim == 3 and not (raw[..., 0] == raw[..., 1]).all()
            np.testing.assert_array_equal(part, raw[..., 0])  # channel 0 (R)
        overlap_found |= bool(((parsings > 0).sum(0) > 1).any())
    assert overlap_found


def test_det_pipeline_flip_and_resize(instance_cfgs):
    cfg = dict(instance_cfgs['CIHP'])
    cfg['pipeline'] = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadMultiPersonAnnotations'),
        dict(type='HumanDetResize', scale=(80, 80), keep_ratio=True),
        dict(type='HumanDetRandomFlip', prob=1.0),
        dict(type='PackParsingDetInputs')
    ]
    ds = DATASETS.build(cfg)
    ref = DATASETS.build(instance_cfgs['CIHP'])[0]['data_samples']
    out = ds[0]['data_samples']
    p = out.gt_instances.parsings.numpy()
    assert p.shape[1:] == (80, 80)
    assert out.metainfo['flip'] is True
    # nearest resize + mirror + swap: label sets stay within the originals'
    lut = np.arange(256)
    for a, b in ((14, 15), (16, 17), (18, 19)):
        lut[a], lut[b] = b, a
    orig = ref.gt_instances.parsings.numpy()
    for k in range(len(p)):
        assert set(np.unique(p[k])) <= set(lut[np.unique(orig[k])])
    # the 2x-downsampled, mirrored, swapped original equals the result
    exp = lut[orig[:, ::2, ::2][:, :, ::-1]]
    np.testing.assert_array_equal(p, exp)


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
