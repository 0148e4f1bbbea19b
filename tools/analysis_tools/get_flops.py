"""Print the parameter count and FLOPs of a segmentation config.

Usage::

    python tools/analysis_tools/get_flops.py CONFIG [--shape H W]

Works with mmhumanparse configs (``default_scope='mmhumanparse'``) and stock
mmseg configs (``default_scope='mmseg'``, e.g. the ones shipped in mmseg's
wheel under ``mmseg/.mim/configs``). The model is built on CPU without loading
any weights (``pretrained`` and ``Pretrained`` init configs are removed,
``init_weights`` is never called) and with ``SyncBN`` replaced by ``BN``.

FLOPs are counted by mmengine's ``get_model_complexity_info`` (fvcore rules:
one multiply-add counts as one FLOP) on the ``mode='tensor'`` path, i.e.
backbone + neck + decode head for one ``1 x 3 x H x W`` image, without the
final resize to the image size and the argmax.

The config/model helpers live in :mod:`mmhumanparse.utils.model_stats`
(shared with ``benchmark.py``).
"""
import argparse
import os.path as osp
import time

from mmengine.config import DictAction

from mmhumanparse.utils.model_stats import (build_model, complexity,
                                            count_params, default_shape)
from mmhumanparse.utils.tool_utils import init_config_scope, load_config


def parse_args():
    parser = argparse.ArgumentParser(
        description='Params and FLOPs of a segmentation config')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='input height and width (default: the config test size)')
    parser.add_argument(
        '--show-table', action='store_true', help='print per-module table')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value')
    return parser.parse_args()


def main():
    start = time.perf_counter()
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    if 'model' not in cfg:
        raise KeyError(f'{args.config}: the config has no `model` field.')
    init_config_scope(cfg)
    shape = tuple(args.shape) if args.shape else default_shape(cfg)
    model = build_model(cfg)
    info = complexity(model, shape, show_table=args.show_table)
    if args.show_table:
        print(info['out_table'])
    params = count_params(model)
    split = '=' * 30
    print(f'{split}\nConfig: {args.config}\n'
          f'Input shape: (1, 3, {shape[0]}, {shape[1]})\n'
          f'Flops: {info["flops_str"]} ({info["flops"] / 1e9:.3f} G)\n'
          f'Params: {info["params_str"]} ({params / 1e6:.3f} M, '
          f'{params} parameters)\n{split}')
    print('FLOPs: mmengine get_model_complexity_info, 1 multiply-add = 1 '
          'FLOP, mode="tensor" (no final resize/argmax).')
    print(f'get_flops: {osp.basename(args.config)} at {shape[0]}x{shape[1]}: '
          f'{info["flops"] / 1e9:.3f} GFLOPs, {params / 1e6:.3f} M params '
          f'in {time.perf_counter() - start:.1f} s')


if __name__ == '__main__':
    main()
