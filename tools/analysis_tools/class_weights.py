"""Class weights for a weighted cross entropy from a split's label maps.

Usage::

    python tools/analysis_tools/class_weights.py CONFIG [--split train]
        [--out FILE] [--cfg-options key=value ...]

Reads every label map of the config's ``{split}_dataloader.dataset`` (the
dataset is built with an empty pipeline, so no image is decoded), counts
pixels per class with one ``np.bincount`` per image and writes a json::

    {"method": "median_frequency", "config": ..., "split": "train",
     "num_images": N, "classes": [...], "pixel_counts": [...],
     "frequencies": [...], "weights": [...]}

``--out`` defaults to the config's ``model.decode_head.class_weight_file``
(LIP-Net reads it there; LIP-Net, Sec. 3.1: "For loss function we used
weighted cross entropy", weights not given).

Formula: median frequency balancing (Eigen & Fergus, "Predicting Depth,
Surface Normals and Semantic Labels with a Common Multi-Scale Convolutional
Architecture", arXiv:1411.4734, Sec. 4.3; also SegNet's choice)::

    freq_c   = pixels of class c / pixels of the images in which c occurs
    weight_c = median_c'(freq_c') / freq_c

Label 255 (ignore) is not counted. A class that never occurs in the split
gets weight 1.0 (it contributes no loss term anyway) and is listed under
``absent``.
"""
import argparse
import os
import os.path as osp
import time
from typing import Dict, Sequence

import numpy as np

IGNORE_INDEX = 255


def median_frequency_weights(counts: np.ndarray,
                             image_pixels: np.ndarray) -> np.ndarray:
    """Median-frequency weights.

    Args:
        counts (np.ndarray): (C,) pixels of each class over the split.
        image_pixels (np.ndarray): (C,) pixels (all labelled ones) of the
            images in which each class occurs.

    Returns:
        np.ndarray: (C,) float64 weights; 1.0 for absent classes.
    """
    counts = np.asarray(counts, dtype=np.float64)
    image_pixels = np.asarray(image_pixels, dtype=np.float64)
    present = counts > 0
    if not present.any():
        raise ValueError('no labelled pixel in the split')
    freq = np.zeros_like(counts)
    freq[present] = counts[present] / image_pixels[present]
    weights = np.ones_like(counts)
    weights[present] = np.median(freq[present]) / freq[present]
    return weights


def count_classes(label_paths: Sequence[str], num_classes: int,
                  show_progress: bool = True) -> Dict[str, np.ndarray]:
    """Pixels per class, and pixels of the images containing each class.

    Args:
        label_paths (Sequence[str]): label PNGs, (H, W) class indices (255
            ignored; values >= num_classes other than 255 raise).
        num_classes (int): Number of classes C.
        show_progress (bool): Print an mmengine progress bar.

    Returns:
        dict: ``counts`` (C,) and ``image_pixels`` (C,), int64.
    """
    from mmengine.utils import ProgressBar

    from mmhumanparse.datasets.transforms.loading import read_label_png
    counts = np.zeros(num_classes, np.int64)
    image_pixels = np.zeros(num_classes, np.int64)
    bar = ProgressBar(len(label_paths)) if show_progress else None
    for path in label_paths:
        hist = np.bincount(read_label_png(path).ravel(), minlength=256)
        bad = np.flatnonzero(hist[num_classes:IGNORE_INDEX]) + num_classes
        if bad.size:
            raise ValueError(f'{path}: label values {bad.tolist()} are >= '
                             f'num_classes={num_classes} and not 255')
        hist = hist[:num_classes]
        counts += hist
        image_pixels += (hist > 0) * hist.sum()
        if bar is not None:
            bar.update()
    return dict(counts=counts, image_pixels=image_pixels)


def parse_args(argv=None):
    from mmengine.config import DictAction
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config', help='config file (dataset or model config)')
    p.add_argument('--split', default='train', choices=['train', 'val',
                                                        'test'])
    p.add_argument('--out', help='json to write (default: the config\'s '
                   'model.decode_head.class_weight_file)')
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override config settings, key=value')
    return p.parse_args(argv)


def main(argv=None) -> dict:
    import mmengine
    from mmengine.registry import DefaultScope

    from mmhumanparse.registry import DATASETS
    from mmhumanparse.utils import register_all_modules
    from mmhumanparse.utils.tool_utils import load_config

    start = time.perf_counter()
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    loader_key = f'{args.split}_dataloader'
    if loader_key not in cfg:
        raise KeyError(f'{args.config}: no `{loader_key}` in the config')
    out = args.out or cfg.get('model', {}).get('decode_head', {}).get(
        'class_weight_file')
    if not out:
        raise ValueError(
            f'{args.config}: no --out given and the config sets no '
            'model.decode_head.class_weight_file')
    register_all_modules(init_default_scope=False)
    ds_cfg = cfg[loader_key].dataset.copy()
    ds_cfg.pipeline = []
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmhumanparse')):
        dataset = DATASETS.build(ds_cfg)
    classes = list(dataset.metainfo['classes'])
    paths = [dataset.get_data_info(i)['seg_map_path']
             for i in range(len(dataset))]
    stats = count_classes(paths, len(classes))
    weights = median_frequency_weights(stats['counts'],
                                       stats['image_pixels'])
    present = stats['counts'] > 0
    result = dict(
        method='median_frequency',
        config=args.config,
        split=args.split,
        num_images=len(paths),
        classes=classes,
        pixel_counts=stats['counts'].tolist(),
        frequencies=np.where(
            present, stats['counts'] / np.maximum(stats['image_pixels'], 1),
            0.0).tolist(),
        absent=[c for c, p in zip(classes, present) if not p],
        weights=[round(float(w), 6) for w in weights])
    if osp.dirname(out):
        os.makedirs(osp.dirname(out), exist_ok=True)
    mmengine.dump(result, out, indent=1)
    print(f'\n{len(paths)} {args.split} label maps, {len(classes)} classes '
          f'-> {out}')
    for c, w in zip(classes, result['weights']):
        print(f'  {c:<16s} {w:.4f}')
    print(f'class_weights: {len(paths)} {args.split} label maps in '
          f'{time.perf_counter() - start:.1f} s; {len(classes)} weights '
          f'above, written to {out}')
    return result


if __name__ == '__main__':
    main()
