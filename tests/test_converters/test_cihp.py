"""mmhumanparse.converters.cihp: CIHP -> COCO-style dict on toy data."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.converters import cihp_to_coco

CIHP_DIR = {'train': 'instance-level_human_parsing/Training',
            'val': 'instance-level_human_parsing/Validation'}


@pytest.mark.parametrize('split', ['train', 'val'])
def test_cihp(shared, checks, split):
    root = shared['cihp']
    coco = cihp_to_coco(root, split, verbose=False)
    base = osp.join(root, CIHP_DIR[split])
    checks.common(coco, osp.join(base, 'Images'))
    with open(osp.join(base, f'{split}_id.txt')) as f:
        ids = f.read().split()
    assert [im['file_name'] for im in coco['images']] == [
        f'{i}.jpg' for i in ids
    ]
    expected = 0
    for i in ids:
        expected += len(np.unique(checks.labels(osp.join(
            base, 'Human_ids', f'{i}.png')))) - 1
    assert len(coco['annotations']) == expected
    for a in coco['annotations']:
        p = a['parsing']
        assert set(p) == {'file', 'human_file', 'human_id'}
        cat = checks.labels(osp.join(root, p['file']))
        hum = checks.labels(osp.join(root, p['human_file']))
        checks.box(a, (hum == p['human_id']) & (cat > 0))


def test_progress_and_summary(shared, capsys):
    cihp_to_coco(shared['cihp'], 'val', verbose=True)
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1].startswith('CIHP val: 3 images, ')
    assert 'CIHP val' in err and '3/3' in err  # tqdm bar on stderr
    cihp_to_coco(shared['cihp'], 'val', verbose=False)
    assert capsys.readouterr() == ('', '')


def test_cihp_empty_person_skipped(toy, checks, capsys):
    root = toy['cihp']
    base = osp.join(root, CIHP_DIR['train'])
    i = open(osp.join(base, 'train_id.txt')).read().split()[0]
    cat_f = osp.join(base, 'Category_ids', f'{i}.png')
    cat = checks.labels(cat_f)
    hum = checks.labels(osp.join(base, 'Human_ids', f'{i}.png'))
    cat[hum == 1] = 0
    Image.fromarray(cat).save(cat_f)
    coco = cihp_to_coco(root, 'train')
    assert '1 empty persons skipped' in capsys.readouterr().out
    first = [a for a in coco['annotations'] if a['image_id'] == 1]
    assert 1 not in [a['parsing']['human_id'] for a in first]


def test_missing_inputs(toy, tmp_path):
    with pytest.raises(FileNotFoundError, match='instance-level'):
        cihp_to_coco(str(tmp_path / 'nowhere'), 'val')
    with pytest.raises(ValueError, match='split'):
        cihp_to_coco(toy['cihp'], 'test')
    base = osp.join(toy['cihp'], CIHP_DIR['val'])
    i = open(osp.join(base, 'val_id.txt')).read().split()[-1]
    os.remove(osp.join(base, 'Human_ids', f'{i}.png'))
    with pytest.raises(FileNotFoundError, match=f'Human_ids.{i}.png'):
        cihp_to_coco(toy['cihp'], 'val')
    os.remove(osp.join(base, 'Images', f'{i}.jpg'))
    with pytest.raises(FileNotFoundError, match=f'{i}.jpg'):
        cihp_to_coco(toy['cihp'], 'val')


def test_size_mismatch(toy, checks):
    base = osp.join(toy['cihp'], CIHP_DIR['train'])
    i = open(osp.join(base, 'train_id.txt')).read().split()[0]
    f = osp.join(base, 'Category_ids', f'{i}.png')
    Image.fromarray(checks.labels(f)[:-1]).save(f)
    with pytest.raises(ValueError, match=f'Category_ids.{i}.png'):
        cihp_to_coco(toy['cihp'], 'train')


def test_multi_channel_human_ids_rejected(toy, checks):
    base = osp.join(toy['cihp'], CIHP_DIR['val'])
    i = open(osp.join(base, 'val_id.txt')).read().split()[0]
    f = osp.join(base, 'Human_ids', f'{i}.png')
    hum = checks.labels(f)
    Image.fromarray(np.dstack([hum] * 3)).save(f)
    with pytest.raises(ValueError, match=f'Human_ids.{i}.png has 3 chan'):
        cihp_to_coco(toy['cihp'], 'val')
