"""Tests of mmhumanparse/datasets/base.py (shared single-person base)."""
import os
import os.path as osp
import shutil

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.datasets import (ATRDataset, CIHPDataset, LIPDataset,
                                   PPPDataset)
from mmhumanparse.registry import DATASETS


@pytest.mark.parametrize('name,cls,num_classes', [('LIP', LIPDataset, 20),
                                                  ('ATR', ATRDataset, 18),
                                                  ('PPP', PPPDataset, 7),
                                                  ('CIHP', CIHPDataset, 20)])
def test_single_person_dataset(toy_roots, single_cfgs, name, cls,
                               num_classes):
    for split, n in (('train', 6), ('val', 3)):
        ds = DATASETS.build(single_cfgs(toy_roots, split)[name])
        assert isinstance(ds, cls)
        assert len(ds) == n
        assert len(ds.metainfo['classes']) == num_classes
        assert len(ds.metainfo['palette']) == num_classes
        seen = set()
        for i in range(len(ds)):
            out = ds[i]
            seg = out['data_samples'].gt_sem_seg.data
            assert seg.shape[-2:] == out['inputs'].shape[-2:]
            vals = set(seg.unique().tolist())
            assert all(v < num_classes or v == 255 for v in vals)
            seen |= vals
            assert out['data_samples'].metainfo['flip_pairs'] == tuple(
                ds.metainfo['flip_pairs'])
        assert len(seen - {255}) > num_classes // 3  # a real mix of parts


# ---------------------------------------------------------------- bad input
def test_missing_list_and_dir(toy_roots, copy_lip, tmp_path):
    root, cfg = copy_lip(toy_roots, tmp_path)
    os.remove(osp.join(root, 'train_id.txt'))
    with pytest.raises(FileNotFoundError, match='train_id.txt'):
        DATASETS.build(cfg)
    root, cfg = copy_lip(toy_roots, tmp_path / 'b')
    shutil.rmtree(osp.join(root, 'train_segmentations'))
    with pytest.raises(FileNotFoundError, match='train_segmentations'):
        DATASETS.build(cfg)


def test_bad_label_value_and_size(toy_roots, copy_lip, tmp_path):
    root, cfg = copy_lip(toy_roots, tmp_path)
    ds = DATASETS.build(cfg)
    path = ds.get_data_info(0)['seg_map_path']
    lab = np.array(Image.open(path))
    lab[0, 0] = 20  # LIP has 20 classes: 20 is out of range (255 is fine)
    lab[0, 1] = 255
    Image.fromarray(lab).save(path)
    with pytest.raises(ValueError, match=r'train_segmentations.*\[20\]'):
        ds[0]
    Image.fromarray(lab[:-3]).save(path)  # 3 rows shorter than the image
    with pytest.raises(ValueError, match='does not match image'):
        ds[0]


@pytest.mark.parametrize('name', ['LIP', 'ATR', 'PPP', 'CIHP'])
def test_labels_equal_the_png(toy_roots, single_cfgs, name):
    """The packed label map is the PNG, value for value (no remapping, no
    reduce_zero_label), and the image is the JPEG at the same size."""
    ds = DATASETS.build(single_cfgs(toy_roots, 'val')[name])
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        png = np.array(Image.open(info['seg_map_path']))
        assert png.ndim == 2
        out = ds[i]
        np.testing.assert_array_equal(
            out['data_samples'].gt_sem_seg.data[0].numpy(), png)
        assert tuple(out['inputs'].shape[1:]) == png.shape
        assert osp.basename(info['img_path'])[:-4] == osp.basename(
            info['seg_map_path'])[:-4]
