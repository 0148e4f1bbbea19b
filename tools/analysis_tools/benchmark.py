"""Measure inference speed (images/s) of a segmentation config.

Usage::

    python tools/analysis_tools/benchmark.py CONFIG [--shape H W]
        [--repeat N] [--warmup N] [--compare CONFIG2] [--threads T]
        [--channels-last] [--fuse-conv-bn]

What is timed: batch 1, ``model.eval()``, ``torch.no_grad()``, one random
``1 x 3 x H x W`` tensor (already normalized; the data preprocessor is not
timed) through ``model(inputs, data_samples, mode='predict')``: backbone,
decode head, resize of the logits to the image size and argmax - what
``tools/test.py`` runs per image minus data loading and normalization. The
device is the CPU unless ``--device`` says otherwise.

``--compare CONFIG2`` builds a second config in the same run, times both on
the same input size and prints the speed ratio CONFIG / CONFIG2. The two
models are timed alternately, one image each per round, so that load from
other processes on the machine affects both alike.

Works with mmhumanparse configs and stock mmseg configs (e.g. mmseg's
``deeplabv3_r101-d8_4xb4-80k_ade20k-512x512.py`` from
``mmseg/.mim/configs``): see ``get_flops.py`` for how the scope is set, how
``SyncBN`` becomes ``BN`` and how weight loading is disabled.

``--channels-last`` (NHWC memory format) and ``--fuse-conv-bn`` (fold eval
BN into the preceding conv, mmcv's ``fuse_conv_bn``) are inference
optimizations applied to every timed model alike; both are off by default.
"""
import argparse
import os.path as osp
import statistics
import sys
import time
from typing import List, Sequence

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from get_flops import (build_model, count_params, default_shape,  # noqa: E402
                       load_config)


class Timed:
    """One model to time, with its predict inputs."""

    def __init__(self,
                 config: str,
                 shape,
                 device: str,
                 cfg_options=None,
                 channels_last: bool = False,
                 fuse_conv_bn: bool = False):
        cfg = load_config(config, cfg_options)
        self.config = config
        self.shape = tuple(shape) if shape else default_shape(cfg)
        self.model = build_model(cfg, device)
        self.params = count_params(self.model)
        if fuse_conv_bn:
            from mmcv.cnn import fuse_conv_bn as fuse
            self.model = fuse(self.model)
        self.times: List[float] = []
        h, w = self.shape
        self.inputs = torch.randn(1, 3, h, w, device=device)
        if channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
            self.inputs = self.inputs.contiguous(
                memory_format=torch.channels_last)
        self.data_samples = self._data_samples(h, w)

    @staticmethod
    def _data_samples(h: int, w: int):
        from mmseg.structures import SegDataSample
        sample = SegDataSample()
        sample.set_metainfo(
            dict(
                img_shape=(h, w),
                ori_shape=(h, w),
                pad_shape=(h, w),
                padding_size=[0, 0, 0, 0],
                scale_factor=(1.0, 1.0),
                flip=False,
                flip_direction=None))
        return [sample]

    def run_once(self, record: bool = True) -> None:
        start = time.perf_counter()
        with torch.no_grad():
            self.model(self.inputs, self.data_samples, mode='predict')
        if self.inputs.is_cuda:
            torch.cuda.synchronize()
        if record:
            self.times.append(time.perf_counter() - start)

    @property
    def images_per_s(self) -> float:
        return len(self.times) / sum(self.times)

    def report(self) -> str:
        med = statistics.median(self.times)
        return (f'{self.config}\n'
                f'  input 1x3x{self.shape[0]}x{self.shape[1]}, '
                f'params {self.params / 1e6:.3f} M\n'
                f'  {len(self.times)} timed runs: mean '
                f'{1000 * sum(self.times) / len(self.times):.1f} ms, median '
                f'{1000 * med:.1f} ms, min {1000 * min(self.times):.1f} ms\n'
                f'  images/s: {self.images_per_s:.3f} (1 / mean)')


def benchmark(configs: Sequence[str],
              shape,
              repeat: int,
              warmup: int,
              device: str,
              cfg_options=None,
              channels_last: bool = False,
              fuse_conv_bn: bool = False) -> List[Timed]:
    """Build every config and time them alternately."""
    models = [
        Timed(c, shape, device, cfg_options, channels_last, fuse_conv_bn)
        for c in configs
    ]
    for _ in range(warmup):
        for m in models:
            m.run_once(record=False)
    for _ in range(repeat):
        for m in models:
            m.run_once()
    return models


def parse_args():
    parser = argparse.ArgumentParser(
        description='Inference images/s of a segmentation config (batch 1)')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='input height and width for all configs (default: each '
        "config's test size)")
    parser.add_argument(
        '--repeat', type=int, default=20, help='timed runs per config')
    parser.add_argument(
        '--warmup', type=int, default=3, help='untimed runs per config')
    parser.add_argument(
        '--compare',
        metavar='CONFIG2',
        help='second config timed in the same run; prints the ratio')
    parser.add_argument(
        '--threads',
        type=int,
        help='torch intra-op threads (default: torch default)')
    parser.add_argument('--device', default='cpu', help='cpu or cuda')
    parser.add_argument(
        '--channels-last',
        action='store_true',
        help='run every model in channels-last (NHWC) memory format')
    parser.add_argument(
        '--fuse-conv-bn',
        action='store_true',
        help='fold BN into the preceding conv in every model')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.repeat < 1 or args.warmup < 0:
        raise SystemExit('--repeat must be >= 1 and --warmup >= 0')
    if args.threads:
        torch.set_num_threads(args.threads)
    configs = [args.config] + ([args.compare] if args.compare else [])
    models = benchmark(configs, args.shape, args.repeat, args.warmup,
                       args.device, None, args.channels_last,
                       args.fuse_conv_bn)
    print(f'device: {args.device}, torch {torch.__version__}, '
          f'{torch.get_num_threads()} threads, channels_last='
          f'{args.channels_last}, fuse_conv_bn={args.fuse_conv_bn}; path: '
          "model(inputs, data_samples, mode='predict') under "
          'torch.no_grad(), batch 1')
    for m in models:
        print(m.report())
    if len(models) == 2:
        a, b = models
        if a.shape != b.shape:
            print(f'WARNING: the configs ran at different sizes {a.shape} '
                  f'and {b.shape}; pass --shape H W to compare at one size.')
        print(f'speed ratio {osp.basename(a.config)} / '
              f'{osp.basename(b.config)}: '
              f'{a.images_per_s / b.images_per_s:.2f}x')


if __name__ == '__main__':
    main()
