"""Train a human-parsing model with the mmengine Runner.

Example:
    python tools/train.py configs/c_dlinknet/CONFIG.py --work-dir work_dirs/x
    bash tools/dist_train.sh CONFIG 2     # 2 processes (GPUs, or CPU/gloo)
"""
import argparse
import logging

from mmengine.config import DictAction
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from mmhumanparse.utils.tool_utils import (load_config, register,
                                           setup_local_rank, teardown)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a parsing model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='where to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or (no value) from the '
        'latest checkpoint in the work dir')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value (e.g. '
        'train_cfg.max_iters=100)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    setup_local_rank(args.local_rank)
    return args


def main(argv=None):
    args = parse_args(argv)
    register()
    cfg = load_config(args.config, args.cfg_options, args.work_dir,
                      args.launcher)
    if args.amp:
        if cfg.optim_wrapper.type == 'AmpOptimWrapper':
            print_log('AMP is already enabled in the config.',
                      logger='current', level=logging.WARNING)
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    runner = (Runner.from_cfg(cfg)
              if 'runner_type' not in cfg else RUNNERS.build(cfg))
    runner.train()
    teardown()


if __name__ == '__main__':
    main()
