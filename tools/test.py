"""Evaluate a checkpoint with the mmengine Runner.

Example:
    python tools/test.py CONFIG CHECKPOINT [--tta] [--show-dir vis]
    bash tools/dist_test.sh CONFIG CHECKPOINT 2
"""
import argparse

from mmengine.config import DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from mmhumanparse.utils.tool_utils import (enable_show_dir, load_config,
                                           register, setup_local_rank,
                                           teardown)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a parsing model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where to save the metrics')
    parser.add_argument(
        '--out', help='dump predictions to this pickle file (.pkl)')
    parser.add_argument(
        '--show-dir',
        help='save painted predictions to this directory (a relative one '
        'under the work dir, as mmdet does)')
    parser.add_argument(
        '--tta',
        action='store_true',
        help='test-time augmentation (multi-scale + flip with left/right '
        'channel swap): uses the config\'s tta_model / tta_pipeline')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value')
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
    cfg.load_from = args.checkpoint
    if args.show_dir:
        show_dir = enable_show_dir(cfg, args.show_dir, args.config)
        print(f'painted predictions go to {show_dir}')
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise ValueError(f'{args.config}: --tta needs tta_model and '
                             'tta_pipeline in the config')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if args.out is not None:
        if not args.out.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--out must be a .pkl file, got {args.out}')
        cfg.test_evaluator = [
            *(cfg.test_evaluator if isinstance(cfg.test_evaluator, list)
              else [cfg.test_evaluator]),
            dict(type='DumpResults', out_file_path=args.out)
        ]
    runner = (Runner.from_cfg(cfg)
              if 'runner_type' not in cfg else RUNNERS.build(cfg))
    runner.test()
    teardown()


if __name__ == '__main__':
    main()
