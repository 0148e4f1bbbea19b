"""Write small synthetic human-parsing datasets in the real on-disk layouts.

Example::

    python tools/make_toy_data.py --out data/toy --dataset all --num 200

writes ``data/toy/{LIP,ATR,PPP,CIHP,MHP}`` (see ``mmhumanparse/testing/``
for what is drawn and ``docs/data_conventions.md`` for the layouts).
"""
import argparse
import sys
import time

from mmengine.utils import track_iter_progress

from mmhumanparse.testing import DATASETS, make_toy_data


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
    names = DATASETS if args.dataset == 'all' else (args.dataset, )
    roots = {}
    # each dataset has its own random stream: one call per dataset writes
    # the same files as dataset='all'
    for name in track_iter_progress(list(names), file=sys.stdout):
        roots.update(
            make_toy_data(args.out, name, args.num, args.seed, args.size))
    for name, root in roots.items():
        print(f'{name}: {root}')
    num_val = max(2, args.num // 2)
    print(f'wrote {len(roots)} dataset(s) ({args.num} train + {num_val} val '
          f'images each) to {args.out} in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
