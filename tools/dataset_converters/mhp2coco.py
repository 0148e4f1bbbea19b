"""Convert an MHP-v2 split to the COCO-style instance json.

Example::

    python tools/dataset_converters/mhp2coco.py data/MHP --split train \
        --out data/MHP/annotations/mhp_train.json

Needs numpy, Pillow and tqdm only (no torch, no OpenMMLab package): the
conversion lives in ``mmhumanparse.converters``, which imports nothing else.
The json layout is documented in ``docs/data_conventions.md``.
"""
from mmhumanparse.converters import converter_cli, mhp_to_coco


def main(argv=None):
    converter_cli('MHP-v2', mhp_to_coco, argv)


if __name__ == '__main__':
    main()
