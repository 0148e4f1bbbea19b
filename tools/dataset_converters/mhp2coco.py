"""Convert an MHP-v2 split to the COCO-style instance json.

Example::

    python tools/dataset_converters/mhp2coco.py data/MHP --split train \
        --out data/MHP/annotations/mhp_train.json

The json layout is documented in ``docs/data_conventions.md``.
"""
import os.path as osp
import sys

try:
    import mmhumanparse  # noqa: F401
except ModuleNotFoundError as e:  # run from a source checkout, not installed
    if e.name != 'mmhumanparse':
        raise
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from mmhumanparse.datasets.converters import converter_cli, mhp_to_coco  # noqa


def main(argv=None):
    converter_cli('MHP-v2', mhp_to_coco, argv)


if __name__ == '__main__':
    main()
