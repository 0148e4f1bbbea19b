"""Tests of the CIHP / MHP-v2 -> COCO converters (function API and CLI) on
toy data."""
import glob
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.datasets.converters import (cihp_to_coco, dump_coco,
                                              mask_to_box, mhp_to_coco)
from mmhumanparse.utils.toy_data import make_toy_data

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONV = osp.join(REPO, 'tools', 'dataset_converters')
CIHP_DIR = {'train': 'instance-level_human_parsing/Training',
            'val': 'instance-level_human_parsing/Validation'}


@pytest.fixture
def toy(tmp_path):
    """Fresh small CIHP + MHP copies a test may damage."""
    roots = make_toy_data(str(tmp_path / 'toy'), dataset='cihp', num=3)
    roots.update(make_toy_data(str(tmp_path / 'toy'), dataset='mhp', num=3))
    return roots


@pytest.fixture(scope='module')
def shared(tmp_path_factory):
    out = tmp_path_factory.mktemp('toy_conv')
    roots = make_toy_data(str(out), dataset='cihp', num=6)
    roots.update(make_toy_data(str(out), dataset='mhp', num=6))
    return roots


def _labels(path, channel=None):
    arr = np.array(Image.open(path))
    return arr[..., channel] if channel is not None else arr


def _check_box(ann, mask):
    """The box holds exactly the mask: all pixels inside, every edge hit."""
    x, y, w, h = ann['bbox']
    assert ann['area'] == int(mask.sum()) > 0
    inside = np.zeros_like(mask)
    inside[y:y + h, x:x + w] = True
    assert not (mask & ~inside).any()
    crop = mask[y:y + h, x:x + w]
    assert crop[0].any() and crop[-1].any()
    assert crop[:, 0].any() and crop[:, -1].any()


def _check_common(coco, img_dir):
    assert coco['categories'] == [dict(id=1, name='person')]
    img_ids = [im['id'] for im in coco['images']]
    assert len(set(img_ids)) == len(img_ids)
    assert len({a['id'] for a in coco['annotations']}) == len(
        coco['annotations'])
    for im in coco['images']:
        w, h = Image.open(osp.join(img_dir, im['file_name'])).size
        assert (im['width'], im['height']) == (w, h)
    for a in coco['annotations']:
        assert a['image_id'] in img_ids
        assert a['category_id'] == 1 and a['iscrowd'] == 0
        assert all(isinstance(v, int) for v in a['bbox'])


def test_mask_to_box():
    mask = np.zeros((6, 8), bool)
    mask[2, 3] = True
    assert mask_to_box(mask) == ([3, 2, 1, 1], 1)
    mask[4, 6] = True
    assert mask_to_box(mask) == ([3, 2, 4, 3], 2)


@pytest.mark.parametrize('split', ['train', 'val'])
def test_cihp(shared, split):
    root = shared['cihp']
    coco = cihp_to_coco(root, split, verbose=False)
    base = osp.join(root, CIHP_DIR[split])
    _check_common(coco, osp.join(base, 'Images'))
    with open(osp.join(base, f'{split}_id.txt')) as f:
        ids = f.read().split()
    assert [im['file_name'] for im in coco['images']] == [
        f'{i}.jpg' for i in ids
    ]
    expected = 0
    for i in ids:
        expected += len(np.unique(_labels(osp.join(
            base, 'Human_ids', f'{i}.png')))) - 1
    assert len(coco['annotations']) == expected
    for a in coco['annotations']:
        p = a['parsing']
        assert set(p) == {'file', 'human_file', 'human_id'}
        cat = _labels(osp.join(root, p['file']))
        hum = _labels(osp.join(root, p['human_file']))
        _check_box(a, (hum == p['human_id']) & (cat > 0))


@pytest.mark.parametrize('split', ['train', 'val'])
def test_mhp(shared, split):
    root = shared['mhp']
    coco = mhp_to_coco(root, split, verbose=False)
    img_dir = osp.join(root, 'LV-MHP-v2', split, 'images')
    _check_common(coco, img_dir)
    files = glob.glob(
        osp.join(root, 'LV-MHP-v2', split, 'parsing_annos', '*.png'))
    assert len(coco['annotations']) == len(files)
    assert len(coco['images']) == len(os.listdir(img_dir))
    by_id = {im['id']: im['file_name'][:-4] for im in coco['images']}
    for a in coco['annotations']:
        p = a['parsing']
        assert p['channel'] == 0
        assert osp.basename(p['file']).startswith(by_id[a['image_id']] + '_')
        _check_box(a, _labels(osp.join(root, p['file']), 0) > 0)


def test_cli_subprocess(shared, tmp_path):
    out = tmp_path / 'j' / 'mhp_val.json'
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run(
        [sys.executable,
         osp.join(CONV, 'mhp2coco.py'), shared['mhp'], '--split', 'val',
         '--out', str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'empty persons skipped' in proc.stdout
    with open(out) as f:
        assert json.load(f) == mhp_to_coco(shared['mhp'], 'val',
                                           verbose=False)


def test_cli_in_process(shared, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        'cihp2coco_cli', osp.join(CONV, 'cihp2coco.py'))
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    out = str(tmp_path / 'cihp_train.json')
    cli.main([shared['cihp'], '--split', 'train', '--out', out])
    assert '0 empty persons skipped' in capsys.readouterr().out
    with open(out) as f:
        assert json.load(f) == cihp_to_coco(shared['cihp'], 'train',
                                            verbose=False)


def test_dump_coco(tmp_path):
    out = tmp_path / 'a' / 'b.json'
    dump_coco(dict(images=[], annotations=[], categories=[]), str(out))
    assert json.loads(out.read_text())['images'] == []


def test_mhp_empty_person_skipped(toy, capsys):
    root = toy['mhp']
    f = sorted(glob.glob(
        osp.join(root, 'LV-MHP-v2', 'train', 'parsing_annos', '*.png')))[0]
    arr = np.array(Image.open(f))
    n_files = len(os.listdir(osp.dirname(f)))
    arr[..., 0] = 0  # no person pixel left; G / B still non-zero
    Image.fromarray(arr).save(f)
    coco = mhp_to_coco(root, 'train')
    assert '1 empty persons skipped' in capsys.readouterr().out
    assert len(coco['annotations']) == n_files - 1
    assert osp.basename(f) not in {
        osp.basename(a['parsing']['file']) for a in coco['annotations']}


def test_cihp_empty_person_skipped(toy, capsys):
    root = toy['cihp']
    base = osp.join(root, CIHP_DIR['train'])
    i = open(osp.join(base, 'train_id.txt')).read().split()[0]
    cat_f = osp.join(base, 'Category_ids', f'{i}.png')
    cat = _labels(cat_f)
    hum = _labels(osp.join(base, 'Human_ids', f'{i}.png'))
    cat[hum == 1] = 0
    Image.fromarray(cat).save(cat_f)
    coco = cihp_to_coco(root, 'train')
    assert '1 empty persons skipped' in capsys.readouterr().out
    first = [a for a in coco['annotations'] if a['image_id'] == 1]
    assert 1 not in [a['parsing']['human_id'] for a in first]


def test_mhp_missing_image(toy):
    root = toy['mhp']
    img_dir = osp.join(root, 'LV-MHP-v2', 'train', 'images')
    victim = sorted(os.listdir(img_dir))[1]
    os.remove(osp.join(img_dir, victim))
    with pytest.raises(FileNotFoundError) as err:
        mhp_to_coco(root, 'train')
    msg = str(err.value)
    assert victim in msg and 'has no image' in msg
    assert f'{victim[:-4]}_0' in msg  # names the annotation file


def test_mhp_image_without_annotation(toy):
    root = toy['mhp']
    anno_dir = osp.join(root, 'LV-MHP-v2', 'val', 'parsing_annos')
    victim = sorted(os.listdir(osp.join(root, 'LV-MHP-v2', 'val',
                                        'images')))[0][:-4]
    for f in glob.glob(osp.join(anno_dir, f'{victim}_*.png')):
        os.remove(f)
    with pytest.raises(FileNotFoundError, match=f'{victim}.jpg has no annot'):
        mhp_to_coco(root, 'val')


def test_mhp_bad_annotation_sets(toy):
    root = toy['mhp']
    anno_dir = osp.join(root, 'LV-MHP-v2', 'val', 'parsing_annos')
    # the last person of an image with >= 2 persons
    victim = [f for f in sorted(os.listdir(anno_dir))
              if f.split('_')[1] == f.split('_')[2][:2] != '01'][0]
    os.remove(osp.join(anno_dir, victim))
    with pytest.raises(ValueError, match='missing'):
        mhp_to_coco(root, 'val')
    open(osp.join(anno_dir, 'junk.png'), 'wb').close()
    with pytest.raises(ValueError, match='junk.png'):
        mhp_to_coco(root, 'val')


def test_missing_inputs(toy, tmp_path):
    with pytest.raises(FileNotFoundError, match='LV-MHP-v2'):
        mhp_to_coco(str(tmp_path / 'nowhere'), 'train')
    with pytest.raises(FileNotFoundError, match='instance-level'):
        cihp_to_coco(str(tmp_path / 'nowhere'), 'val')
    with pytest.raises(ValueError, match='split'):
        mhp_to_coco(toy['mhp'], 'test')
    lst = osp.join(toy['mhp'], 'LV-MHP-v2', 'list', 'train.txt')
    os.remove(lst)
    with pytest.raises(FileNotFoundError, match='train.txt'):
        mhp_to_coco(toy['mhp'], 'train')
    base = osp.join(toy['cihp'], CIHP_DIR['val'])
    i = open(osp.join(base, 'val_id.txt')).read().split()[-1]
    os.remove(osp.join(base, 'Human_ids', f'{i}.png'))
    with pytest.raises(FileNotFoundError, match=f'Human_ids.{i}.png'):
        cihp_to_coco(toy['cihp'], 'val')
    os.remove(osp.join(base, 'Images', f'{i}.jpg'))
    with pytest.raises(FileNotFoundError, match=f'{i}.jpg'):
        cihp_to_coco(toy['cihp'], 'val')


def test_size_mismatch(toy):
    base = osp.join(toy['cihp'], CIHP_DIR['train'])
    i = open(osp.join(base, 'train_id.txt')).read().split()[0]
    f = osp.join(base, 'Category_ids', f'{i}.png')
    Image.fromarray(_labels(f)[:-1]).save(f)
    with pytest.raises(ValueError, match=f'Category_ids.{i}.png'):
        cihp_to_coco(toy['cihp'], 'train')
