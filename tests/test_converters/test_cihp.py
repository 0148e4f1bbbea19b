"""mmhumanparse.converters.cihp: CIHP -> COCO-style dict on toy data."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.converters import cihp_to_coco

CIHP_DIR = {'train': 'instance-level_human_parsing/Training',
            'val': 'instance-level_human_parsing/Validation'}


def _split_file(root, split, folder, pos=0, ext='png'):
    """(id, path) of the file in ``folder`` of the ``pos``-th image listed
    in a CIHP split's id file, e.g. its ``Human_ids`` png."""
    base = osp.join(root, CIHP_DIR[split])
    with open(osp.join(base, f'{split}_id.txt')) as f:
        i = f.read().split()[pos]
    return i, osp.join(base, folder, f'{i}.{ext}')


@pytest.mark.parametrize('split', ['train', 'val'])
def test_cihp(toy_roots, checks, split):
    root = toy_roots['cihp']
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


def test_progress_and_summary(toy_roots, capsys):
    cihp_to_coco(toy_roots['cihp'], 'val', verbose=True)
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1].startswith('CIHP val: 3 images, ')
    assert 'CIHP val' in err and '3/3' in err  # tqdm bar on stderr
    cihp_to_coco(toy_roots['cihp'], 'val', verbose=False)
    assert capsys.readouterr() == ('', '')


def test_cihp_empty_person_skipped(toy, checks, capsys):
    root = toy['cihp']
    _, cat_f = _split_file(root, 'train', 'Category_ids')
    cat = checks.labels(cat_f)
    hum = checks.labels(_split_file(root, 'train', 'Human_ids')[1])
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
    i, hum_f = _split_file(toy['cihp'], 'val', 'Human_ids', pos=-1)
    os.remove(hum_f)
    with pytest.raises(FileNotFoundError, match=f'Human_ids.{i}.png'):
        cihp_to_coco(toy['cihp'], 'val')
    os.remove(_split_file(toy['cihp'], 'val', 'Images', -1, 'jpg')[1])
    with pytest.raises(FileNotFoundError, match=f'{i}.jpg'):
        cihp_to_coco(toy['cihp'], 'val')


def test_size_mismatch(toy, checks):
    i, f = _split_file(toy['cihp'], 'train', 'Category_ids')
    Image.fromarray(checks.labels(f)[:-1]).save(f)
    with pytest.raises(ValueError, match=f'Category_ids.{i}.png'):
        cihp_to_coco(toy['cihp'], 'train')


def test_multi_channel_human_ids_rejected(toy, checks):
    i, f = _split_file(toy['cihp'], 'val', 'Human_ids')
    Image.fromarray(np.dstack([checks.labels(f)] * 3)).save(f)
    with pytest.raises(ValueError, match=f'Human_ids.{i}.png has 3 chan'):
        cihp_to_coco(toy['cihp'], 'val')
