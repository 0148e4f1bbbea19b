"""Toy data, part 6: the five dataset writers (LIP, ATR, PASCAL-Person-Part,
CIHP, MHP-v2) in the real on-disk layouts of ``docs/data_conventions.md``
(see :mod:`mmhumanparse.testing.toy_data`)."""
import os
import os.path as osp
from typing import List

import cv2
import numpy as np

from .toy_outfits import CLASSES, OutfitSampler
from .toy_render import class_colors, class_textures, render_image
from .toy_scenes import multi_scene, single_scene


def _mkdirs(*dirs):
    for d in dirs:
        os.makedirs(d, exist_ok=True)


def _write_jpg(path: str, rgb: np.ndarray) -> None:
    ok = cv2.imwrite(path, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                     [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise OSError(f'could not write {path}')


def _write_png(path: str, arr: np.ndarray) -> None:
    """Write a (H, W) uint8 map, or an (H, W, 3) uint8 array in RGB order."""
    if arr.ndim == 3:
        arr = np.ascontiguousarray(arr[..., ::-1])  # cv2 writes BGR
    if not cv2.imwrite(path, arr):
        raise OSError(f'could not write {path}')


def _write_list(path: str, ids: List[str]) -> None:
    with open(path, 'w') as f:
        f.write(''.join(i + '\n' for i in ids))


def _ids(split: str, n: int) -> List[str]:
    base = 1000000 if split == 'train' else 2000000
    return [str(base + i) for i in range(n)]


def _csv_row(img_id: str, kpts: np.ndarray, rng, size) -> str:
    h, w = size
    fields = [f'{img_id}.jpg']
    missing = rng.random(len(kpts)) < 0.08
    occluded = rng.random(len(kpts)) < 0.1
    for (x, y), miss, occ in zip(kpts, missing, occluded):
        if miss or not (0 <= x <= w - 1 and 0 <= y <= h - 1):
            fields += ['nan', 'nan', 'nan']
        else:
            fields += [f'{x:.1f}', f'{y:.1f}', '0' if occ else '1']
    return ','.join(fields) + '\n'


def write_single(ds: str, root: str, split: str, n: int, rng, size):
    """Write ``n`` one-person images of a LIP / ATR / PPP split.

    Args:
        ds (str): ``'lip'``, ``'atr'`` or ``'ppp'``.
        root (str): dataset root.
        split (str): ``'train'`` or ``'val'``.
        n (int): number of images.
        rng (np.random.Generator): the split's random stream.
        size (tuple[int, int]): image (H, W).
    """
    sampler = OutfitSampler(ds, rng)
    colors = class_colors(len(CLASSES[ds]))
    textures = class_textures(len(CLASSES[ds]))
    ids = _ids(split, n)
    if ds == 'lip':
        img_dir = osp.join(root, f'{split}_images')
        seg_dir = osp.join(root, f'{split}_segmentations')
        list_file = osp.join(root, f'{split}_id.txt')
        pose_dir = osp.join(root, 'TrainVal_pose_annotations')
        _mkdirs(img_dir, seg_dir, pose_dir)
    else:
        img_dir = osp.join(root, 'JPEGImages')
        seg_dir = osp.join(root, 'SegmentationClassAug' if ds == 'atr' else
                           'SegmentationPart')
        list_dir = root if ds == 'atr' else osp.join(root, 'list')
        list_file = osp.join(list_dir, f'{split}_id.txt')
        _mkdirs(img_dir, seg_dir, list_dir)
    rows = []
    for img_id in ids:
        labels, kpts = single_scene(rng, sampler, size)
        img = render_image(labels, (labels > 0).astype(np.uint8), rng,
                           colors, textures)
        _write_jpg(osp.join(img_dir, img_id + '.jpg'), img)
        _write_png(osp.join(seg_dir, img_id + '.png'), labels)
        if ds == 'lip':
            rows.append(_csv_row(img_id, kpts, rng, size))
    _write_list(list_file, ids)
    if ds == 'lip':
        with open(osp.join(pose_dir, f'lip_{split}_set.csv'), 'w') as f:
            f.write(''.join(rows))


def write_multi(ds: str, root: str, split: str, n: int, rng, size):
    """Write ``n`` multi-person images of a CIHP / MHP-v2 split (arguments
    as :func:`write_single`, ``ds`` ``'cihp'`` or ``'mhp'``)."""
    sampler = OutfitSampler(ds, rng)
    colors = class_colors(len(CLASSES[ds]))
    textures = class_textures(len(CLASSES[ds]))
    ids = _ids(split, n)
    if ds == 'cihp':
        base = osp.join(root, 'instance-level_human_parsing',
                        'Training' if split == 'train' else 'Validation')
        sub = {k: osp.join(base, k) for k in
               ('Images', 'Category_ids', 'Human_ids', 'Instance_ids')}
        _mkdirs(*sub.values())
        list_file = osp.join(base, f'{split}_id.txt')
    else:
        base = osp.join(root, 'LV-MHP-v2')
        sub = dict(Images=osp.join(base, split, 'images'),
                   annos=osp.join(base, split, 'parsing_annos'))
        _mkdirs(*sub.values(), osp.join(base, 'list'))
        list_file = osp.join(base, 'list', f'{split}.txt')
    lab_h, lab_w = size
    for img_id in ids:
        maps, comp, pid = multi_scene(rng, sampler, size)
        img = render_image(comp, pid, rng, colors, textures)
        _write_jpg(osp.join(sub['Images'], img_id + '.jpg'), img)
        if ds == 'cihp':
            _write_png(osp.join(sub['Category_ids'], img_id + '.png'), comp)
            _write_png(osp.join(sub['Human_ids'], img_id + '.png'), pid)
            key = pid.astype(np.int32) * 256 + comp
            uniq, inv = np.unique(key, return_inverse=True)
            inst = inv.reshape(key.shape).astype(np.uint8)
            if uniq[0] != 0:  # no background pixel: ids start at 1
                inst += 1
            _write_png(osp.join(sub['Instance_ids'], img_id + '.png'), inst)
        else:
            nn = len(maps)
            ys, xs = np.mgrid[0:lab_h, 0:lab_w]
            for k, lab in enumerate(maps):
                # R = labels; G = a per-person ramp; B = 0, so reading it as
                # grey or as BGR (channel 0 = B) gives wrong labels
                g = ((xs + 2 * ys + 37 * k) * 3 % 256).astype(np.uint8)
                rgb = np.dstack([lab, g, np.zeros_like(lab)])
                _write_png(
                    osp.join(sub['annos'], f'{img_id}_{nn:02d}_{k + 1:02d}'
                             '.png'), rgb)
    _write_list(list_file, ids)
