"""CIHP -> COCO-style instance json (``docs/data_conventions.md``).

Every person of an image becomes one annotation::

    {id, image_id, category_id: 1, bbox: [x, y, w, h], area, iscrowd: 0,
     parsing: {file, human_file, human_id}}

The mask of person ``k`` is ``(Human_ids == k) & (Category_ids > 0)``;
``bbox`` is its tight box (``w = x1 - x0 + 1``), ``area`` its pixel count.
Persons with no pixel > 0 are skipped and counted. ``file_name`` is relative
to the split's image folder, ``parsing`` paths relative to the dataset root.
numpy, Pillow and tqdm only.
"""
import os.path as osp

import numpy as np

from .coco import (CATEGORIES, add_person, check_shape, image_record, progress,
                   read_ids, report, require_dir)
from .label_io import image_size, read_label_png

CIHP_SPLITS = dict(train='Training', val='Validation')
CIHP_DIR = 'instance-level_human_parsing'


def cihp_to_coco(root: str, split: str, verbose: bool = True) -> dict:
    """Convert a CIHP split to the COCO-style dict.

    One annotation per person id of ``Human_ids`` that covers a part pixel
    of ``Category_ids``; its part map is read back through both PNGs.

    Args:
        root (str): dataset root holding ``instance-level_human_parsing/``.
        split (str): ``'train'`` (Training/) or ``'val'`` (Validation/).
        verbose (bool): progress bar and a one-line summary.

    Returns:
        dict: COCO-style ``images``, ``annotations``, ``categories``.
    """
    if split not in CIHP_SPLITS:
        raise ValueError(f'split must be one of {tuple(CIHP_SPLITS)}, '
                         f'got {split!r}')
    rel_base = f'{CIHP_DIR}/{CIHP_SPLITS[split]}'
    base = osp.join(root, rel_base)
    require_dir(base, f'CIHP {split}')
    for sub in ('Images', 'Category_ids', 'Human_ids'):
        require_dir(osp.join(base, sub), f'CIHP {split} {sub}')
    ids = read_ids(osp.join(base, f'{split}_id.txt'))
    images, annos, skipped = [], [], 0
    for img_idx, img_id in enumerate(
            progress(ids, f'CIHP {split}', verbose), 1):
        img_path = osp.join(base, 'Images', f'{img_id}.jpg')
        hw = image_size(img_path)
        cat_rel = f'{rel_base}/Category_ids/{img_id}.png'
        hum_rel = f'{rel_base}/Human_ids/{img_id}.png'
        for rel in (cat_rel, hum_rel):
            if not osp.isfile(osp.join(root, rel)):
                raise FileNotFoundError(
                    f'image {img_path} has no annotation: '
                    f'{osp.join(root, rel)} not found')
        cat = read_label_png(osp.join(root, cat_rel), channel=None)
        hum = read_label_png(osp.join(root, hum_rel), channel=None)
        check_shape(cat, hw, osp.join(root, cat_rel), img_path)
        check_shape(hum, hw, osp.join(root, hum_rel), img_path)
        images.append(image_record(img_idx, img_id, hw))
        fg = cat > 0
        for k in np.unique(hum):
            if k == 0:
                continue
            parsing = dict(file=cat_rel, human_file=hum_rel, human_id=int(k))
            skipped += not add_person(annos, img_idx, (hum == k) & fg,
                                      parsing)
    coco = dict(images=images, annotations=annos, categories=CATEGORIES)
    report('CIHP', split, coco, skipped, verbose)
    return coco
