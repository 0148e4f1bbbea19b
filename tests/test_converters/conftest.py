"""Fixtures of the converter tests: small toy CIHP / MHP-v2 copies a test
may damage (read-only ones: the session's ``toy_roots``) and checks of
COCO-style dicts."""
import os.path as osp
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from mmhumanparse.testing import make_toy_data


@pytest.fixture
def toy(tmp_path):
    """Fresh small CIHP + MHP copies a test may damage."""
    roots = make_toy_data(str(tmp_path / 'toy'), dataset='cihp', num=3)
    roots.update(make_toy_data(str(tmp_path / 'toy'), dataset='mhp', num=3))
    return roots


def _labels(path, channel=None):
    """Label map read independently of the code under test."""
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
    """Ids unique, sizes match the images, annotation fields well formed."""
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


@pytest.fixture
def checks():
    """``labels(path, channel)``, ``box(ann, mask)``, ``common(coco, dir)``."""
    return SimpleNamespace(
        labels=_labels, box=_check_box, common=_check_common)
