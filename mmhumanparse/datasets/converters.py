"""CIHP / MHP-v2 -> COCO-style instance json (``docs/data_conventions.md``).

Only numpy and PIL are used, so the converters run without the OpenMMLab
stack. Every person of an image becomes one annotation::

    {id, image_id, category_id: 1, bbox: [x, y, w, h], area, iscrowd: 0,
     parsing: {file, channel (MHP), human_file, human_id (CIHP)}}

``bbox`` is the tight box of the person's mask with ``w = x1 - x0 + 1``;
``area`` the mask's pixel count. The mask of a CIHP person ``k`` is
``(Human_ids == k) & (Category_ids > 0)``; the mask of an MHP person is
``channel0(annotation) > 0`` (channel 0 as PIL reads it, i.e. R). Persons with
no pixel > 0 are skipped and counted. ``file_name`` is relative to the split's
image folder, ``parsing`` paths relative to the dataset root.
"""
import json
import os
import os.path as osp
import re
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Tuple

import numpy as np
from PIL import Image

CIHP_SPLITS = dict(train='Training', val='Validation')
MHP_SPLITS = ('train', 'val')
CIHP_DIR = 'instance-level_human_parsing'
MHP_DIR = 'LV-MHP-v2'
_MHP_NAME = re.compile(r'^(?P<id>.+)_(?P<nn>\d+)_(?P<mm>\d+)\.png$')
CATEGORIES = [dict(id=1, name='person')]


def _require_dir(path: str, what: str) -> None:
    if not osp.isdir(path):
        raise FileNotFoundError(f'{what} directory not found: {path}')


def _read_ids(list_file: str) -> List[str]:
    if not osp.isfile(list_file):
        raise FileNotFoundError(f'image list file not found: {list_file}')
    with open(list_file) as f:
        ids = [ln.strip() for ln in f if ln.strip()]
    if not ids:
        raise ValueError(f'image list file is empty: {list_file}')
    dup = [i for i, n in Counter(ids).items() if n > 1]
    if dup:
        raise ValueError(f'image list file {list_file} lists IDs more than '
                         f'once: {sorted(dup)[:5]}')
    return ids


def _image_size(path: str) -> Tuple[int, int]:
    """(height, width) of an image, reading only its header."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'image not found: {path}')
    try:
        with Image.open(path) as img:
            w, h = img.size
    except OSError as e:
        raise ValueError(f'cannot read image {path}: {e}') from e
    return h, w


def _read_labels(path: str, channel: Optional[int] = None) -> np.ndarray:
    """Read a label PNG with PIL (palette indices kept, never grey/BGR).

    Args:
        path (str): PNG file.
        channel (int, optional): channel to take from a multi-channel PNG.
            None: the PNG must be single-channel.

    Returns:
        np.ndarray: (H, W) label map.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation not found: {path}')
    try:
        with Image.open(path) as img:
            arr = np.array(img)
    except OSError as e:
        raise ValueError(f'cannot read annotation {path}: {e}') from e
    if arr.ndim == 3:
        if channel is None:
            raise ValueError(f'annotation {path} has {arr.shape[2]} channels,'
                             ' expected a single-channel label PNG')
        arr = arr[..., channel]
    elif arr.ndim != 2:
        raise ValueError(f'annotation {path} has unexpected shape '
                         f'{arr.shape}')
    return arr


def mask_to_box(mask: np.ndarray) -> Tuple[List[int], int]:
    """Tight box and pixel count of a non-empty boolean mask.

    Args:
        mask (np.ndarray): (H, W) bool.

    Returns:
        tuple: ``[x, y, w, h]`` with ``w = x1 - x0 + 1``, and the area.
    """
    ys = np.flatnonzero(mask.any(axis=1))
    xs = np.flatnonzero(mask.any(axis=0))
    x0, x1, y0, y1 = int(xs[0]), int(xs[-1]), int(ys[0]), int(ys[-1])
    return [x0, y0, x1 - x0 + 1, y1 - y0 + 1], int(np.count_nonzero(mask))


def _check_shape(arr: np.ndarray, hw: Tuple[int, int], path: str,
                 img_path: str) -> None:
    if arr.shape != hw:
        raise ValueError(f'annotation {path} is {arr.shape[1]}x{arr.shape[0]}'
                         f' (WxH) but its image {img_path} is {hw[1]}x{hw[0]}')


def _report(name: str, split: str, coco: dict, skipped: int,
            verbose: bool) -> None:
    if verbose:
        print(f'{name} {split}: {len(coco["images"])} images, '
              f'{len(coco["annotations"])} persons, {skipped} empty persons '
              'skipped (no pixel > 0)')


def cihp_to_coco(root: str, split: str, verbose: bool = True) -> dict:
    """Convert a CIHP split to the COCO-style dict.

    Args:
        root (str): dataset root holding ``instance-level_human_parsing/``.
        split (str): ``'train'`` or ``'val'``.
        verbose (bool): print the image / person / skipped counts.

    Returns:
        dict: ``images``, ``annotations``, ``categories``.
    """
    if split not in CIHP_SPLITS:
        raise ValueError(f'split must be one of {tuple(CIHP_SPLITS)}, '
                         f'got {split!r}')
    rel_base = f'{CIHP_DIR}/{CIHP_SPLITS[split]}'
    base = osp.join(root, rel_base)
    _require_dir(base, f'CIHP {split}')
    for sub in ('Images', 'Category_ids', 'Human_ids'):
        _require_dir(osp.join(base, sub), f'CIHP {split} {sub}')
    ids = _read_ids(osp.join(base, f'{split}_id.txt'))
    images, annos, skipped = [], [], 0
    for img_idx, img_id in enumerate(ids, 1):
        img_path = osp.join(base, 'Images', f'{img_id}.jpg')
        hw = _image_size(img_path)
        cat_rel = f'{rel_base}/Category_ids/{img_id}.png'
        hum_rel = f'{rel_base}/Human_ids/{img_id}.png'
        for rel in (cat_rel, hum_rel):
            if not osp.isfile(osp.join(root, rel)):
                raise FileNotFoundError(
                    f'image {img_path} has no annotation: '
                    f'{osp.join(root, rel)} not found')
        cat = _read_labels(osp.join(root, cat_rel))
        hum = _read_labels(osp.join(root, hum_rel))
        _check_shape(cat, hw, osp.join(root, cat_rel), img_path)
        _check_shape(hum, hw, osp.join(root, hum_rel), img_path)
        images.append(
            dict(id=img_idx, file_name=f'{img_id}.jpg', height=hw[0],
                 width=hw[1]))
        fg = cat > 0
        for k in np.unique(hum):
            if k == 0:
                continue
            mask = (hum == k) & fg
            if not mask.any():
                skipped += 1
                continue
            bbox, area = mask_to_box(mask)
            annos.append(
                dict(id=len(annos) + 1, image_id=img_idx, category_id=1,
                     bbox=bbox, area=area, iscrowd=0,
                     parsing=dict(file=cat_rel, human_file=hum_rel,
                                  human_id=int(k))))
    coco = dict(images=images, annotations=annos, categories=CATEGORIES)
    _report('CIHP', split, coco, skipped, verbose)
    return coco


def _mhp_annotation_index(anno_dir: str, img_dir: str) -> Dict[str, list]:
    """Group ``ID_NN_MM.png`` files by image ID and check them.

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

    Labels are channel 0 of the 3-channel annotation PNGs as PIL reads them
    (R); each person keeps its own (possibly overlapping) part map.

    Args:
        root (str): dataset root holding ``LV-MHP-v2/``.
        split (str): ``'train'`` or ``'val'``.
        verbose (bool): print the image / person / skipped counts.

    Returns:
        dict: ``images``, ``annotations``, ``categories``.
    """
    if split not in MHP_SPLITS:
        raise ValueError(f'split must be one of {MHP_SPLITS}, got {split!r}')
    base = osp.join(root, MHP_DIR)
    img_dir = osp.join(base, split, 'images')
    anno_rel = f'{MHP_DIR}/{split}/parsing_annos'
    anno_dir = osp.join(root, anno_rel)
    _require_dir(img_dir, f'MHP {split} images')
    _require_dir(anno_dir, f'MHP {split} parsing_annos')
    ids = _read_ids(osp.join(base, 'list', f'{split}.txt'))
    index = _mhp_annotation_index(anno_dir, img_dir)
    images, annos, skipped = [], [], 0
    for img_idx, img_id in enumerate(ids, 1):
        img_path = osp.join(img_dir, f'{img_id}.jpg')
        hw = _image_size(img_path)
        if img_id not in index:
            raise FileNotFoundError(
                f'image {img_path} has no annotation: no {img_id}_NN_MM.png '
                f'in {anno_dir}')
        images.append(
            dict(id=img_idx, file_name=f'{img_id}.jpg', height=hw[0],
                 width=hw[1]))
        for _, name in index[img_id]:
            path = osp.join(anno_dir, name)
            labels = _read_labels(path, channel=0)
            _check_shape(labels, hw, path, img_path)
            mask = labels > 0
            if not mask.any():
                skipped += 1
                continue
            bbox, area = mask_to_box(mask)
            annos.append(
                dict(id=len(annos) + 1, image_id=img_idx, category_id=1,
                     bbox=bbox, area=area, iscrowd=0,
                     parsing=dict(file=f'{anno_rel}/{name}', channel=0)))
    coco = dict(images=images, annotations=annos, categories=CATEGORIES)
    _report('MHP-v2', split, coco, skipped, verbose)
    return coco


def dump_coco(coco: dict, out: str) -> None:
    """Write the dict as json, creating the parent directory."""
    parent = osp.dirname(osp.abspath(out))
    os.makedirs(parent, exist_ok=True)
    with open(out, 'w') as f:
        json.dump(coco, f)


def converter_cli(name: str, convert, argv=None) -> None:
    """Command line of ``tools/dataset_converters/{cihp,mhp}2coco.py``.

    Args:
        name (str): dataset name for the help text.
        convert (callable): ``convert(root, split) -> coco dict``.
        argv (list[str], optional): arguments (default: ``sys.argv[1:]``).
    """
    import argparse
    parser = argparse.ArgumentParser(
        description=f'Convert a {name} split to COCO-style json.')
    parser.add_argument('root', help='dataset root (data_root)')
    parser.add_argument(
        '--split', required=True, choices=('train', 'val'), help='split')
    parser.add_argument('--out', required=True, help='output json file')
    args = parser.parse_args(argv)
    dump_coco(convert(args.root, args.split), args.out)
    print(f'wrote {args.out}')
