"""Convert a CIHP split to the COCO-style instance json.

Example::

    python tools/dataset_converters/cihp2coco.py data/CIHP --split train \
        --out data/CIHP/annotations/cihp_train.json

Needs numpy, Pillow and tqdm only (no torch, no OpenMMLab package): the
conversion lives in ``mmhumanparse.converters``, which imports nothing else.
The json layout is documented in ``docs/data_conventions.md``.
"""
from mmhumanparse.converters import cihp_to_coco, converter_cli


def main(argv=None):
    converter_cli('CIHP', cihp_to_coco, argv)


if __name__ == '__main__':
    main()
