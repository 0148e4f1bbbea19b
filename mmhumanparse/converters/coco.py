"""Shared pieces of the CIHP / MHP-v2 -> COCO-style json converters.

numpy, Pillow and tqdm only (see :mod:`mmhumanparse.converters`).
"""
import argparse
import json
import os
import os.path as osp
from collections import Counter
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np

CATEGORIES = [dict(id=1, name='person')]


def require_dir(path: str, what: str) -> None:
    """Raise ``FileNotFoundError`` naming ``what`` if ``path`` is no dir."""
    if not osp.isdir(path):
        raise FileNotFoundError(f'{what} directory not found: {path}')


def read_ids(list_file: str) -> List[str]:
    """Image IDs of a split list file, one per line.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: it is empty or lists an ID twice.
    """
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


def add_person(annos: List[dict], image_id: int, mask: np.ndarray,
               parsing: dict) -> bool:
    """Append one person annotation (box and area from ``mask``).

    Args:
        annos (list[dict]): the annotations so far (ids are 1-based).
        image_id (int): the image's id.
        mask (np.ndarray): (H, W) bool, the person's pixels.
        parsing (dict): where its part map is (see docs/data_conventions.md).

    Returns:
        bool: False (nothing appended) when ``mask`` is empty.
    """
    if not mask.any():
        return False
    bbox, area = mask_to_box(mask)
    annos.append(
        dict(id=len(annos) + 1, image_id=image_id, category_id=1, bbox=bbox,
             area=area, iscrowd=0, parsing=parsing))
    return True


def image_record(image_id: int, img_id: str, hw: Tuple[int, int]) -> dict:
    """The COCO ``images`` entry of ``{img_id}.jpg`` with size ``hw``."""
    return dict(id=image_id, file_name=f'{img_id}.jpg', height=hw[0],
                width=hw[1])


def check_shape(arr: np.ndarray, hw: Tuple[int, int], path: str,
                img_path: str) -> None:
    """Raise ``ValueError`` naming both files if the sizes differ."""
    if arr.shape != hw:
        raise ValueError(f'annotation {path} is {arr.shape[1]}x{arr.shape[0]}'
                         f' (WxH) but its image {img_path} is {hw[1]}x{hw[0]}')


def progress(ids: Sequence[str], desc: str, verbose: bool):
    """``ids`` wrapped in a tqdm progress bar (on stderr) when verbose."""
    from tqdm import tqdm
    return tqdm(ids, desc=desc, unit='img', disable=not verbose,
                dynamic_ncols=True)


def report(name: str, split: str, coco: dict, skipped: int,
           verbose: bool) -> None:
    """Print the one-line summary of a converted split."""
    if verbose:
        print(f'{name} {split}: {len(coco["images"])} images, '
              f'{len(coco["annotations"])} persons, {skipped} empty persons '
              'skipped (no pixel > 0)')


def dump_coco(coco: dict, out: str) -> None:
    """Write the dict as json, creating the parent directory."""
    parent = osp.dirname(osp.abspath(out))
    os.makedirs(parent, exist_ok=True)
    with open(out, 'w') as f:
        json.dump(coco, f)


def converter_cli(name: str,
                  convert: Callable[[str, str], dict],
                  argv: Optional[Sequence[str]] = None) -> None:
    """Command line of ``tools/dataset_converters/{cihp,mhp}2coco.py``.

    Args:
        name (str): dataset name for the help text.
        convert (callable): ``convert(root, split) -> coco dict``.
        argv (list[str], optional): arguments (default: ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(
        description=f'Convert a {name} split to COCO-style json.')
    parser.add_argument('root', help='dataset root (data_root)')
    parser.add_argument(
        '--split', required=True, choices=('train', 'val'), help='split')
    parser.add_argument('--out', required=True, help='output json file')
    args = parser.parse_args(argv)
    coco = convert(args.root, args.split)
    dump_coco(coco, args.out)
    print(f'wrote {args.out} ({len(coco["images"])} images, '
          f'{len(coco["annotations"])} persons)')
