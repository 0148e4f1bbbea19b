"""Write small synthetic human-parsing datasets in the real on-disk layouts.

Example::

    python tools/make_toy_data.py --out data/toy --dataset all --num 200

writes ``data/toy/{LIP,ATR,PPP,CIHP,MHP}`` (see
``mmhumanparse/utils/toy_data.py`` for what is drawn and
``docs/data_conventions.md`` for the layouts).
"""
import argparse
import os.path as osp
import sys
import time

try:
    from mmhumanparse.utils.toy_data import DATASETS, make_toy_data
except ModuleNotFoundError as e:  # run from a source checkout, not installed
    if e.name != 'mmhumanparse':
        raise
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    from mmhumanparse.utils.toy_data import DATASETS, make_toy_data


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Write synthetic LIP / ATR / PASCAL-Person-Part / CIHP / '
        'MHP-v2 datasets (same seed => identical files).')
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument(
        '--dataset', default='all', choices=DATASETS + ('all', ),
        help='dataset to write (default: all)')
    parser.add_argument(
        '--num', type=int, default=8,
        help='train images per dataset; val gets max(2, num // 2)')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument(
        '--size', type=int, nargs=2, metavar=('H', 'W'), default=None,
        help='image size for every dataset (default: 128 96 for LIP/ATR/PPP,'
        ' 160 160 for CIHP/MHP)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    roots = make_toy_data(args.out, args.dataset, args.num, args.seed,
                          args.size)
    for name, root in roots.items():
        print(f'{name}: {root}')
    print(f'done in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
