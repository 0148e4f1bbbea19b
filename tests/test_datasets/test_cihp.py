"""Tests of mmhumanparse/datasets/cihp.py (CIHP instance dataset)."""
import numpy as np
from PIL import Image

from mmhumanparse.registry import DATASETS


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


def test_cihp_global_map_is_category_png(instance_cfgs):
    ds = DATASETS.build(instance_cfgs['CIHP'])
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        out = ds[i]['data_samples']
        seg = out.gt_sem_seg.sem_seg[0].numpy()
        np.testing.assert_array_equal(
            seg, np.array(Image.open(info['seg_map_path'])))
        persons = out.gt_instances.parsings.numpy().max(0) > 0
        assert (seg[~persons] == 0).all()  # background stays 0
        assert (~persons).any()
