"""Pre-flight check of the datasets of a config, before a training run.

Usage::

    python tools/misc/check_dataset.py CONFIG [--split train val]
        [--workers N] [--cfg-options k=v ...]

For the dataset of each ``<split>_dataloader``: every listed image and
label map exists, the split is not empty, every CIHP / MHP-v2 json record
has its keys (the checks every dataset also makes when it is built), then
every image decodes and every label map opens, has its image's size and
holds values ``< num_classes`` or the ignore value 255
(:func:`mmhumanparse.datasets.checks.check_sample`, in ``--workers``
processes). A progress bar, then a summary per split; every faulty file
is listed (``path: problem``) and the exit status is 1 if there is any.

Run it after converting a dataset (docs/datasets.md) and before training:
without it a missing image or an out-of-range label surfaces only when its
sample is drawn, inside a DataLoader worker, possibly hours into a run.
"""
import argparse
import os
import sys
import time
from typing import List, Tuple

from mmengine.config import DictAction
from mmengine.utils import track_parallel_progress, track_progress

from mmhumanparse.datasets.checks import (Problem, check_sample,
                                          format_problems, label_files)
from mmhumanparse.registry import DATASETS
from mmhumanparse.utils.tool_utils import init_config_scope, load_config


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Check every file of the datasets of a config')
    p.add_argument('config')
    p.add_argument(
        '--split',
        nargs='+',
        default=['train', 'val', 'test'],
        help='dataloaders to check (<split>_dataloader); a split whose '
        'dataset equals an earlier one is checked once')
    p.add_argument(
        '--workers',
        type=int,
        default=min(8, os.cpu_count() or 1),
        help='processes that open the files (default: CPUs, at most 8)')
    p.add_argument('--cfg-options', nargs='+', action=DictAction)
    return p.parse_args(argv)


def leaf_datasets(cfg) -> list:
    """The dataset configs under mmengine's wrappers (ConcatDataset's
    ``datasets``, RepeatDataset's / ClassBalancedDataset's ``dataset``)."""
    if 'datasets' in cfg:
        return [d for c in cfg['datasets'] for d in leaf_datasets(c)]
    if 'dataset' in cfg:
        return leaf_datasets(cfg['dataset'])
    return [cfg]


def check_dataset(ds_cfg,
                  workers: int) -> Tuple[str, int, int, List[Problem]]:
    """Build one dataset without loading it, then check it.

    Returns:
        tuple: (its list / json, samples, files checked, problems
        ``(path, message)``).
    """
    dataset = DATASETS.build(dict(ds_cfg, lazy_init=True, pipeline=[]))
    data_list, problems = dataset.read_split()
    if data_list:
        chunk = max(1, len(data_list) // (16 * max(workers, 1)))
        if workers > 1:
            deep = track_parallel_progress(
                check_sample, data_list, workers, chunksize=chunk,
                file=sys.stderr)
        else:
            deep = track_progress(check_sample, data_list, file=sys.stderr)
        problems += [p for sample in deep for p in sample]
    files = sum(1 + len(label_files(info)) for info in data_list)
    source = dataset.ann_file or str(dataset.data_prefix)
    return source, len(data_list), files, problems


def main(argv=None) -> int:
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    init_config_scope(cfg, default='mmhumanparse')
    checked, faulty = [], []
    for split in args.split:
        loader = cfg.get(f'{split}_dataloader')
        if not loader:
            print(f'{split}: no {split}_dataloader in the config, skipped')
            continue
        for ds_cfg in leaf_datasets(loader['dataset']):
            if ds_cfg in checked:
                print(f'{split}: the dataset of an earlier split, '
                      'checked once')
                continue
            checked.append(ds_cfg)
            start = time.perf_counter()
            source, samples, files, problems = check_dataset(
                ds_cfg, args.workers)
            secs = time.perf_counter() - start
            bad = sorted({path for path, _ in problems})
            print(f'{split}: {ds_cfg["type"]} ({source}): {samples} '
                  f'samples, {files} files checked in {secs:.1f} s '
                  f'({files / max(secs, 1e-9):.0f} files/s), '
                  f'{len(bad)} faulty')
            faulty += sorted(set(problems))
    if not faulty:
        print('check_dataset: no problem found')
        return 0
    print(f'check_dataset: {len({p for p, _ in faulty})} faulty file(s), '
          f'{len(faulty)} problem(s):')
    print(format_problems(faulty))
    return 1


if __name__ == '__main__':
    sys.exit(main())
