"""Convert an MHP-v2 split to the COCO-style instance json.

Example::

    python tools/dataset_converters/mhp2coco.py data/MHP --split train \
        --out data/MHP/annotations/mhp_train.json

The json layout is documented in ``docs/data_conventions.md``.
"""
import argparse
import os.path as osp
import sys

try:
    from mmhumanparse.datasets.converters import dump_coco, mhp_to_coco
except ModuleNotFoundError as e:  # run from a source checkout, not installed
    if e.name != 'mmhumanparse':
        raise
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    from mmhumanparse.datasets.converters import dump_coco, mhp_to_coco


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert an MHP-v2 split to COCO-style json.')
    parser.add_argument('root', help='dataset root (data_root)')
    parser.add_argument(
        '--split', required=True, choices=('train', 'val'), help='split')
    parser.add_argument('--out', required=True, help='output json file')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    coco = mhp_to_coco(args.root, args.split)
    dump_coco(coco, args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
