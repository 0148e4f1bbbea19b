"""Measure inference speed (images/s) of a segmentation config.

Usage::

    python tools/analysis_tools/benchmark.py CONFIG [--shape H W]
        [--repeat N] [--warmup N] [--compare CONFIG2 [CONFIG3 ...]]
        [--threads T] [--channels-last] [--fuse-conv-bn] [--onnx]
        [--int8 [--calib-images DIR]] [--variants fuse cl fuse+cl]

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
``mmseg/.mim/configs``): see :mod:`mmhumanparse.utils.model_stats` for how
``SyncBN`` becomes ``BN`` and how weight loading is disabled.

``--channels-last`` (NHWC memory format) and ``--fuse-conv-bn`` (fold eval
BN into the preceding conv, mmcv's ``fuse_conv_bn``) are inference
optimizations applied to every timed model alike; both are off by default.
``--variants fuse cl fuse+cl`` instead adds eager copies of the first
config with that fusion only, to see which one helps.

``--onnx`` adds the first config exported to ONNX
(``tools/deployment/pytorch2onnx.py``: the same ``inference`` path plus
the mean/std normalization and argmax, traced at ``--shape``) and run by
ONNX Runtime (all graph optimizations, ``--threads`` intra-op threads) on
the same input, timed in the same rounds. ``--int8`` adds that graph
quantized to int8 by ONNX Runtime (static: int8 weights per channel, uint8
activations, calibrated on ``--calib-images`` or on toy LIP images made by
``mmhumanparse.testing.toy_images``; the timing does not depend on what
the weights are; the fp32 layers stay fp32 as in
:func:`~mmhumanparse.deployment.quantize_int8`). ``--compare`` takes
several configs. Ratios (images/s, > 1 = faster) are printed for the eager
CONFIG against every other entry, and for each other entry of CONFIG
(fusions, ONNX Runtime fp32 / int8) against each ``--compare`` config,
e.g. ``[onnxruntime int8] / fast_scnn...``.
"""
import argparse
import copy
import os.path as osp
import statistics
import sys
import tempfile
import time
from typing import List, Sequence

import torch
from mmengine.utils import ProgressBar

from mmhumanparse.utils.model_stats import (build_model, count_params,
                                            default_shape)
from mmhumanparse.utils.tool_utils import init_config_scope, load_config


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
        init_config_scope(cfg)
        self.config = config
        self.name = config + ''.join(
            [' [fuse_conv_bn]' if fuse_conv_bn else '',
             ' [channels_last]' if channels_last else ''])
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

    def _forward(self) -> None:
        with torch.no_grad():
            self.model(self.inputs, self.data_samples, mode='predict')
        if self.inputs.is_cuda:
            torch.cuda.synchronize()

    def run_once(self, record: bool = True) -> None:
        start = time.perf_counter()
        self._forward()
        if record:
            self.times.append(time.perf_counter() - start)

    @property
    def images_per_s(self) -> float:
        return len(self.times) / sum(self.times)

    def report(self) -> str:
        med = statistics.median(self.times)
        return (f'{self.name}\n'
                f'  input 1x3x{self.shape[0]}x{self.shape[1]}, '
                f'params {self.params / 1e6:.3f} M\n'
                f'  {len(self.times)} timed runs: mean '
                f'{1000 * sum(self.times) / len(self.times):.1f} ms, median '
                f'{1000 * med:.1f} ms, min {1000 * min(self.times):.1f} ms\n'
                f'  images/s: {self.images_per_s:.3f} (1 / mean)')


class TimedOnnx(Timed):
    """An eager :class:`Timed` model exported to ONNX, run by ONNX Runtime.

    The graph is ``tools/deployment/pytorch2onnx.py``'s
    (:func:`mmhumanparse.deployment.export_onnx`): the model's
    ``inference`` at the timed shape (H, W fixed), plus mean/std and
    argmax; with ``int8_images`` its static int8 version
    (:func:`mmhumanparse.deployment.quantize_int8`) calibrated on them.
    """

    def __init__(self, eager: Timed, threads: int = 0, int8_images=None):
        from mmhumanparse.deployment import (export_onnx, ort_session,
                                             quantize_int8)
        self.config = eager.config
        self.name = eager.config + (' [onnxruntime int8]' if int8_images
                                    else ' [onnxruntime]')
        self.shape = eager.shape
        self.params = eager.params
        self.times = []
        self._tmp = tempfile.TemporaryDirectory()
        path = osp.join(self._tmp.name, 'model.onnx')
        model = copy.deepcopy(eager.model).cpu()
        export_onnx(
            model.to(memory_format=torch.contiguous_format),
            self.shape,
            path,
            dynamic_hw=False)
        if int8_images:
            path = quantize_int8(path, osp.join(self._tmp.name, 'int8.onnx'),
                                 int8_images, self.shape)
        self.session = ort_session(path, threads)
        self.feed = {
            'img': (eager.inputs.detach().cpu().float().contiguous() * 58 +
                    120).numpy()
        }

    def _forward(self) -> None:
        self.session.run(['labels'], self.feed)


def calibration_images(folder: str = None, num: int = 8) -> list:
    """``num`` BGR images of ``folder``, or toy LIP images if None."""
    if folder:
        from mmhumanparse.deployment import read_images
        return read_images(folder, num)
    from mmhumanparse.testing import toy_images
    return toy_images(num)


VARIANTS = {
    'fuse': dict(fuse_conv_bn=True),
    'cl': dict(channels_last=True),
    'fuse+cl': dict(fuse_conv_bn=True, channels_last=True)
}


def benchmark(configs: Sequence[str],
              shape,
              repeat: int,
              warmup: int,
              device: str,
              cfg_options=None,
              channels_last: bool = False,
              fuse_conv_bn: bool = False,
              onnx: bool = False,
              variants: Sequence[str] = (),
              threads: int = 0,
              int8_images: Sequence = ()) -> List[Timed]:
    """Build every entry and time them alternately, one image each per
    round (so load from other processes hits all entries alike).

    Entries: ``configs[0]``, then its ``variants`` (eager with a fusion),
    then its ONNX Runtime export if ``onnx``, its int8 export calibrated on
    ``int8_images`` if any, then ``configs[1:]``.
    """
    first = Timed(configs[0], shape, device, cfg_options, channels_last,
                  fuse_conv_bn)
    models = [first]
    for v in variants:
        models.append(
            Timed(configs[0], first.shape, device, cfg_options,
                  **VARIANTS[v]))
    if (onnx or int8_images) and device != 'cpu':
        raise ValueError('--onnx / --int8 time ONNX Runtime on the CPU only')
    if onnx:
        models.append(TimedOnnx(first, threads))
    if int8_images:
        models.append(TimedOnnx(first, threads, int8_images))
    models += [
        Timed(c, shape, device, cfg_options, channels_last, fuse_conv_bn)
        for c in configs[1:]
    ]
    # the bar (stderr) advances once per round, outside the timed calls
    bar = ProgressBar(warmup + repeat, file=sys.stderr)
    for _ in range(warmup):
        for m in models:
            m.run_once(record=False)
        bar.update()
    for _ in range(repeat):
        for m in models:
            m.run_once()
        bar.update()
    sys.stderr.write('\n')
    return models


def ratio_line(a: Timed, b: Timed) -> str:
    """'speed ratio A / B: ...' (images/s of ``a`` over ``b``: > 1 means
    ``a`` is faster), by mean, median and min time."""
    warn = ''
    if a.shape != b.shape:
        warn = (f'WARNING: {a.name} and {b.name} ran at different sizes '
                f'{a.shape} and {b.shape}; pass --shape H W to compare at '
                'one size.\n')
    med = statistics.median(b.times) / statistics.median(a.times)
    best = min(b.times) / min(a.times)
    return (f'{warn}speed ratio {osp.basename(a.name)} / '
            f'{osp.basename(b.name)}: {a.images_per_s / b.images_per_s:.2f}x '
            f'(by median time {med:.2f}x, by min time {best:.2f}x)')


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
        nargs='+',
        default=[],
        help='more configs timed in the same run; ratios are printed')
    parser.add_argument(
        '--threads',
        type=int,
        help='torch (and ONNX Runtime) intra-op threads (default: torch '
        'default)')
    parser.add_argument('--device', default='cpu', help='cpu or cuda')
    parser.add_argument(
        '--channels-last',
        action='store_true',
        help='run every model in channels-last (NHWC) memory format')
    parser.add_argument(
        '--fuse-conv-bn',
        action='store_true',
        help='fold BN into the preceding conv in every model')
    parser.add_argument(
        '--onnx',
        action='store_true',
        help='also time CONFIG exported to ONNX, in ONNX Runtime')
    parser.add_argument(
        '--int8',
        action='store_true',
        help='also time CONFIG exported to ONNX and quantized to int8 '
        '(static, calibrated on --calib-images or on toy LIP images)')
    parser.add_argument('--calib-images', help='folder of calibration images')
    parser.add_argument('--calib-num', type=int, default=8)
    parser.add_argument(
        '--variants',
        nargs='+',
        default=[],
        choices=sorted(VARIANTS),
        help='also time CONFIG eager with these fusions')
    return parser.parse_args()


def main():
    start = time.perf_counter()
    args = parse_args()
    if args.repeat < 1 or args.warmup < 0:
        raise SystemExit('--repeat must be >= 1 and --warmup >= 0')
    if args.threads:
        torch.set_num_threads(args.threads)
    configs = [args.config] + list(args.compare)
    models = benchmark(configs, args.shape, args.repeat, args.warmup,
                       args.device, None, args.channels_last,
                       args.fuse_conv_bn, args.onnx, args.variants,
                       args.threads or torch.get_num_threads(),
                       calibration_images(args.calib_images, args.calib_num)
                       if args.int8 else ())
    print(f'device: {args.device}, torch {torch.__version__}, '
          f'{torch.get_num_threads()} threads, channels_last='
          f'{args.channels_last}, fuse_conv_bn={args.fuse_conv_bn}; path: '
          "model(inputs, data_samples, mode='predict') under "
          'torch.no_grad(), batch 1; entries timed alternately')
    for m in models:
        print(m.report())
    # CONFIG's eager entry against every other entry, then CONFIG's other
    # entries (fusions, ONNX Runtime fp32 / int8) against each --compare
    own = len(models) - len(configs) + 1
    pairs = [(models[0], b) for b in models[1:]] + [
        (a, b) for a in models[1:own] for b in models[own:]
    ]
    for a, b in pairs:
        print(ratio_line(a, b))
    print(f'benchmark: {len(models)} models x {args.repeat} runs '
          f'(+{args.warmup} warm-up) in {time.perf_counter() - start:.1f} s; '
          'table above')


if __name__ == '__main__':
    main()
