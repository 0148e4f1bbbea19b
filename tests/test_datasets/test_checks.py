"""Cheap checks at dataset construction (mmhumanparse/datasets/checks.py):
listed files exist, the split is not empty, json records have their keys.
Each error names the list / json and the record; before these checks an
empty split gave mmengine's "need at least one array to concatenate", a
record without a key a bare KeyError, and a missing file surfaced only when
its sample was drawn."""
import json
import os
import os.path as osp
import shutil

import pytest

from mmhumanparse.registry import DATASETS


def _lines(path):
    with open(path) as f:
        return f.read().splitlines()


def test_empty_list_named(toy_roots, copy_lip, tmp_path):
    root, cfg = copy_lip(toy_roots, tmp_path)
    open(osp.join(root, 'train_id.txt'), 'w').close()
    with pytest.raises(ValueError,
                       match=r'train_id.txt: the split lists no images'):
        DATASETS.build(cfg)


def test_every_missing_file_named_with_its_line(toy_roots, copy_lip,
                                                tmp_path):
    root, cfg = copy_lip(toy_roots, tmp_path)
    ids = _lines(osp.join(root, 'train_id.txt'))
    os.remove(osp.join(root, 'train_images', ids[1] + '.jpg'))
    os.remove(osp.join(root, 'train_segmentations', ids[4] + '.png'))
    with pytest.raises(FileNotFoundError) as e:
        DATASETS.build(cfg)
    msg = str(e.value)
    assert f'{ids[1]}.jpg: not found (train_id.txt line 2)' in msg
    assert f'{ids[4]}.png: not found (train_id.txt line 5)' in msg
    assert '2 problem(s)' in msg and 'check_dataset.py' in msg


def _coco(cfg):
    with open(cfg['ann_file']) as f:
        return json.load(f)


def _with_json(cfg, coco, tmp_path, **kw):
    path = tmp_path / 'edited.json'
    path.write_text(json.dumps(coco))
    return dict(cfg, ann_file=str(path), **kw)


@pytest.mark.parametrize('name', ['CIHP', 'MHP'])
def test_json_without_images_named(instance_cfgs, tmp_path, name):
    coco = dict(_coco(instance_cfgs[name]), images=[], annotations=[])
    cfg = _with_json(instance_cfgs[name], coco, tmp_path)
    with pytest.raises(ValueError, match='edited.json: the json lists no'):
        DATASETS.build(cfg)


@pytest.mark.parametrize('record, key', [('images', 'file_name'),
                                         ('annotations', 'parsing'),
                                         ('annotations', 'bbox')])
def test_json_record_without_key_named(instance_cfgs, tmp_path, record,
                                       key):
    coco = _coco(instance_cfgs['CIHP'])
    rec = coco[record][1]
    del rec[key]
    cfg = _with_json(instance_cfgs['CIHP'], coco, tmp_path)
    with pytest.raises(ValueError) as e:
        DATASETS.build(cfg)
    assert (f'edited.json: {record}[1] (id {rec["id"]}): missing key(s) '
            f"['{key}']") in str(e.value)


def test_missing_part_map_named_at_construction(instance_cfgs, tmp_path):
    cfg = dict(instance_cfgs['MHP'])
    coco = _coco(cfg)
    part = coco['annotations'][0]['parsing']['file']
    moved = str(tmp_path / 'moved.png')
    shutil.move(osp.join(cfg['data_root'], part), moved)
    try:
        with pytest.raises(FileNotFoundError) as e:
            DATASETS.build(cfg)
    finally:
        shutil.move(moved, osp.join(cfg['data_root'], part))
    image_id = coco['annotations'][0]['image_id']
    assert f'{part}: not found (mhp.json image id {image_id})' in str(
        e.value)


def test_filter_leaving_nothing_named(instance_cfgs, tmp_path):
    coco = dict(_coco(instance_cfgs['CIHP']), annotations=[])
    cfg = _with_json(
        instance_cfgs['CIHP'], coco, tmp_path, test_mode=False,
        filter_cfg=dict(filter_empty_gt=True))
    with pytest.raises(ValueError, match='edited.json: none of its 3 images'):
        DATASETS.build(cfg)
