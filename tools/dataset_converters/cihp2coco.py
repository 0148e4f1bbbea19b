"""Convert a CIHP split to the COCO-style instance json.

Example::

    python tools/dataset_converters/cihp2coco.py data/CIHP --split train \
        --out data/CIHP/annotations/cihp_train.json

The json layout is documented in ``docs/data_conventions.md``.
"""
import argparse
import os.path as osp
import sys

try:
    from mmhumanparse.datasets.converters import cihp_to_coco, dump_coco
except ModuleNotFoundError as e:  # run from a source checkout, not installed
    if e.name != 'mmhumanparse':
        raise
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    from mmhumanparse.datasets.converters import cihp_to_coco, dump_coco


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert a CIHP split to COCO-style json.')
    parser.add_argument('root', help='dataset root (data_root)')
    parser.add_argument(
        '--split', required=True, choices=('train', 'val'), help='split')
    parser.add_argument('--out', required=True, help='output json file')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    coco = cihp_to_coco(args.root, args.split)
    dump_coco(coco, args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
