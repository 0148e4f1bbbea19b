"""Write one legend image per dataset: class label, colour, class name.

Usage::

    python tools/analysis_tools/palette_legend.py --out-dir legends
        [--datasets lip atr ppp cihp mhp] [--columns N]

Writes ``OUT/<dataset>_legend.png``: a grid of swatches in the dataset
palette (``mmhumanparse/datasets/metainfo.py``), each with ``label name``.
"""
import argparse
import os
import os.path as osp
from typing import Sequence

import cv2
import numpy as np

SWATCH = 24  # swatch side, pixels
ROW = 30  # row height
COL = 260  # column width
FONT = cv2.FONT_HERSHEY_SIMPLEX


def legend_image(classes: Sequence[str], palette: Sequence,
                 columns: int = 1) -> np.ndarray:
    """(H, W, 3) uint8 **BGR** legend: swatch + ``label name`` per class.

    Class ``i`` sits in column ``i // rows``, row ``i % rows``; its swatch
    is the square ``[y0 + 3, y0 + 3 + SWATCH) x [x0 + 6, x0 + 6 + SWATCH)``
    filled with ``palette[i]`` (RGB).
    """
    if len(classes) != len(palette):
        raise ValueError(f'{len(classes)} classes but {len(palette)} colours')
    rows = -(-len(classes) // columns)
    img = np.full((rows * ROW + 6, columns * COL, 3), 255, np.uint8)
    for i, (name, rgb) in enumerate(zip(classes, palette)):
        x0, y0 = (i // rows) * COL, (i % rows) * ROW
        img[y0 + 3:y0 + 3 + SWATCH, x0 + 6:x0 + 6 + SWATCH] = rgb[::-1]
        cv2.rectangle(img, (x0 + 6, y0 + 3),
                      (x0 + 5 + SWATCH, y0 + 2 + SWATCH), (128, 128, 128), 1)
        cv2.putText(img, f'{i:2d} {name}', (x0 + 12 + SWATCH, y0 + 21), FONT,
                    0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return img


def main(argv=None):
    from mmhumanparse.datasets.metainfo import DATASET_METAINFO
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out-dir', default='work_dirs/legends')
    p.add_argument(
        '--datasets',
        nargs='+',
        default=sorted(DATASET_METAINFO),
        choices=sorted(DATASET_METAINFO))
    p.add_argument(
        '--columns',
        type=int,
        default=0,
        help='columns per legend (default: one per 20 classes)')
    args = p.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    for name in args.datasets:
        meta = DATASET_METAINFO[name]
        cols = args.columns or -(-len(meta['classes']) // 20)
        out = osp.join(args.out_dir, f'{name}_legend.png')
        cv2.imwrite(out, legend_image(meta['classes'], meta['palette'],
                                      cols))
        print(f'{name}: {len(meta["classes"])} classes -> {out}')
    print(f'wrote {len(args.datasets)} legends to {args.out_dir}')


if __name__ == '__main__':
    main()
