"""CIHP / MHP-v2 instance datasets (mmdet pipeline) on converted toy data."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.converters import cihp_to_coco, dump_coco, mhp_to_coco
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


def test_mhp_global_map_later_person_wins(instance_cfgs):
    """MHP-v2 has no global PNG: the map is composed from the persons in
    json order, a later person painting over an earlier one (documented in
    MHPv2Dataset / LoadMultiPersonAnnotations)."""
    ds = DATASETS.build(instance_cfgs['MHP'])
    contested = 0
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        seg = ds[i]['data_samples'].gt_sem_seg.sem_seg[0].numpy()
        raws = [np.array(Image.open(inst['parsing']['file']))[..., 0]
                for inst in info['instances']]
        exp = np.zeros_like(seg)
        for raw in raws:
            fg = (raw > 0) & (raw != 255)
            exp[fg] = raw[fg]
        np.testing.assert_array_equal(seg, exp)
        # pixels two persons claim with different labels: the later wins
        for a in range(len(raws)):
            for b in range(a + 1, len(raws)):
                both = (raws[a] > 0) & (raws[b] > 0) & (raws[a] != raws[b])
                contested += int(both.sum())
    assert contested > 0  # the toy data really has such overlaps


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
