"""MHP-v2 -> COCO-style instance json (``docs/data_conventions.md``).

Every person of an image (one ``ID_NN_MM.png`` annotation) becomes one
annotation::

    {id, image_id, category_id: 1, bbox: [x, y, w, h], area, iscrowd: 0,
     parsing: {file, channel: 0}}

The mask of a person is ``channel0(annotation) > 0`` (channel 0 as Pillow
reads it, i.e. R); each person keeps its own (possibly overlapping) part map.
Persons with no pixel > 0 are skipped and counted. numpy, Pillow and tqdm
only.
"""
import os
import os.path as osp
import re
from collections import defaultdict
from typing import Dict, List, Tuple

from .coco import (CATEGORIES, add_person, check_shape, image_record, progress,
                   read_ids, report, require_dir)
from .label_io import image_size, read_label_png

MHP_SPLITS = ('train', 'val')
MHP_DIR = 'LV-MHP-v2'
_MHP_NAME = re.compile(r'^(?P<id>.+)_(?P<nn>\d+)_(?P<mm>\d+)\.png$')


def mhp_annotation_index(anno_dir: str,
                         img_dir: str) -> Dict[str, List[Tuple[int, str]]]:
    """Group ``ID_NN_MM.png`` files by image ID and check them.

    Raises ``ValueError`` / ``FileNotFoundError`` naming the file for a bad
    name, a missing image, ``MM`` outside ``1..NN``, disagreeing ``NN``,
    missing or duplicate persons.

    Returns:
        dict: image ID -> sorted list of (MM, file name).
    """
    groups = defaultdict(list)
    for name in sorted(os.listdir(anno_dir)):
        path = osp.join(anno_dir, name)
        if not name.endswith('.png') or not osp.isfile(path):
            continue
        m = _MHP_NAME.match(name)
        if m is None:
            raise ValueError(f'MHP annotation {path} is not named '
                             'IMAGEID_NN_MM.png')
        img_id, nn, mm = m['id'], int(m['nn']), int(m['mm'])
        img_path = osp.join(img_dir, f'{img_id}.jpg')
        if not osp.isfile(img_path):
            raise FileNotFoundError(f'MHP annotation {path} has no image: '
                                    f'{img_path} not found')
        if not 1 <= mm <= nn:
            raise ValueError(f'MHP annotation {path}: person index {mm} is '
                             f'not in 1..{nn}')
        groups[img_id].append((nn, mm, name))
    index = {}
    for img_id, items in groups.items():
        nns = {nn for nn, _, _ in items}
        if len(nns) > 1:
            raise ValueError(f'MHP annotations of image {img_id} in '
                             f'{anno_dir} disagree on the person count '
                             f'NN: {sorted(nns)}')
        nn = nns.pop()
        have = sorted(mm for _, mm, _ in items)
        missing = sorted(set(range(1, nn + 1)) - set(have))
        if missing:
            raise ValueError(
                f'MHP image {img_id} has NN={nn} persons but the annotation '
                f'files of persons {missing} are missing in {anno_dir} '
                f'(e.g. {img_id}_{nn:02d}_{missing[0]:02d}.png)')
        if len(have) != nn:
            names = sorted(name for *_, name in items)
            raise ValueError(f'MHP image {img_id} has duplicate annotation '
                             f'files in {anno_dir}: {names}')
        index[img_id] = [(mm, name) for _, mm, name in sorted(items)]
    return index


def mhp_to_coco(root: str, split: str, verbose: bool = True) -> dict:
    """Convert an MHP-v2 split to the COCO-style dict.

    One annotation per ``parsing_annos/{id}_NN_MM.png`` file with a part
    pixel (channel 0 of the 3-channel PNG).

    Args:
        root (str): dataset root holding ``LV-MHP-v2/``.
        split (str): ``'train'`` or ``'val'`` (``list/{split}.txt``).
        verbose (bool): progress bar and a one-line summary.

    Returns:
        dict: COCO-style ``images``, ``annotations``, ``categories``.
    """
    if split not in MHP_SPLITS:
        raise ValueError(f'split must be one of {MHP_SPLITS}, got {split!r}')
    base = osp.join(root, MHP_DIR)
    img_dir = osp.join(base, split, 'images')
    anno_rel = f'{MHP_DIR}/{split}/parsing_annos'
    anno_dir = osp.join(root, anno_rel)
    require_dir(img_dir, f'MHP {split} images')
    require_dir(anno_dir, f'MHP {split} parsing_annos')
    ids = read_ids(osp.join(base, 'list', f'{split}.txt'))
    index = mhp_annotation_index(anno_dir, img_dir)
    images, annos, skipped = [], [], 0
    for img_idx, img_id in enumerate(
            progress(ids, f'MHP-v2 {split}', verbose), 1):
        img_path = osp.join(img_dir, f'{img_id}.jpg')
        hw = image_size(img_path)
        if img_id not in index:
            raise FileNotFoundError(
                f'image {img_path} has no annotation: no {img_id}_NN_MM.png '
                f'in {anno_dir}')
        images.append(image_record(img_idx, img_id, hw))
        for _, name in index[img_id]:
            path = osp.join(anno_dir, name)
            labels = read_label_png(path, channel=0)
            check_shape(labels, hw, path, img_path)
            parsing = dict(file=f'{anno_rel}/{name}', channel=0)
            skipped += not add_person(annos, img_idx, labels > 0, parsing)
    coco = dict(images=images, annotations=annos, categories=CATEGORIES)
    report('MHP-v2', split, coco, skipped, verbose)
    return coco
