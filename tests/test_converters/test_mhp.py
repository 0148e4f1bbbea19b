"""mmhumanparse.converters.mhp: MHP-v2 -> COCO-style dict on toy data."""
import glob
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.converters import mhp_to_coco


@pytest.mark.parametrize('split', ['train', 'val'])
def test_mhp(toy_roots, checks, split):
    root = toy_roots['mhp']
    coco = mhp_to_coco(root, split, verbose=False)
    img_dir = osp.join(root, 'LV-MHP-v2', split, 'images')
    checks.common(coco, img_dir)
    files = glob.glob(
        osp.join(root, 'LV-MHP-v2', split, 'parsing_annos', '*.png'))
    assert len(coco['annotations']) == len(files)
    assert len(coco['images']) == len(os.listdir(img_dir))
    by_id = {im['id']: im['file_name'][:-4] for im in coco['images']}
    for a in coco['annotations']:
        p = a['parsing']
        assert p['channel'] == 0
        assert osp.basename(p['file']).startswith(by_id[a['image_id']] + '_')
        # channel 0 as PIL reads it (R); the toy G channel is a ramp
        checks.box(a, checks.labels(osp.join(root, p['file']), 0) > 0)


def test_progress_and_summary(toy_roots, capsys):
    mhp_to_coco(toy_roots['mhp'], 'val', verbose=True)
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1].startswith('MHP-v2 val: 3 images, ')
    assert 'MHP-v2 val' in err and '3/3' in err  # tqdm bar on stderr


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
    with pytest.raises(ValueError, match='split'):
        mhp_to_coco(toy['mhp'], 'test')
    lst = osp.join(toy['mhp'], 'LV-MHP-v2', 'list', 'train.txt')
    os.remove(lst)
    with pytest.raises(FileNotFoundError, match='train.txt'):
        mhp_to_coco(toy['mhp'], 'train')
