"""CPU inference time of multi-person parsing detectors vs. mmdet's Mask R-CNN.

Usage::

    python tools/analysis_tools/benchmark_detector.py \
        configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py \
        configs/rp_rcnn/rp-rcnn_r50_fpn_3x_cihp.py \
        --compare mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py \
        --shape 512 512 --boxes 100 --repeat 5 --threads 2

What is timed: batch 1, ``model.eval()``, ``torch.no_grad()``, one random
normalized ``1 x 3 x H x W`` tensor through ``model.predict`` with every
box kept (``score_thr = 0``, ``max_per_img = --boxes``), so each instance
branch (parsing or mask) runs on the same number of boxes; pasting the
instances back into the image is included. For the parsing detectors the
parsing branch alone (RoIAlign + GCE head + PRSN + pasting) is also timed on
exactly ``--boxes`` boxes, and reported against the rest of the detector.
The models are timed alternately, one image each per round, so load from
other processes affects all alike. Weights are random (no download).
"""
import argparse
import os.path as osp
import statistics
import sys
import time

import torch
from mmengine.utils import ProgressBar

from mmhumanparse.utils.model_stats import build_model, count_params
from mmhumanparse.utils.tool_utils import init_config_scope, load_config


def resolve(path: str) -> str:
    """``mmdet::x.py`` -> the file inside mmdet's wheel."""
    if '::' in path:
        import importlib
        pkg, rel = path.split('::', 1)
        root = osp.dirname(importlib.import_module(pkg).__file__)
        return osp.join(root, '.mim', 'configs', rel)
    return path


def load(path: str, boxes: int):
    """Config with every box kept, its built model and its scope."""
    cfg = load_config(resolve(path))
    scope = init_config_scope(cfg, default='mmdet')
    rcnn = cfg.model.test_cfg.rcnn
    rcnn.score_thr = 0.0
    rcnn.max_per_img = boxes
    rpn = cfg.model.test_cfg.rpn
    rpn.max_per_img = max(boxes * 10, rpn.max_per_img)
    return cfg, build_model(cfg), scope


class Timed:
    """One detector, its input and its timings."""

    def __init__(self, path: str, shape, boxes: int):
        from mmdet.structures import DetDataSample
        from mmengine.registry import init_default_scope
        self.name = osp.basename(path)
        self.cfg, self.model, self.scope = load(path, boxes)
        init_default_scope(self.scope)
        h, w = shape
        self.inputs = torch.randn(1, 3, h, w)
        meta = dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w),
                    batch_input_shape=(h, w), scale_factor=(1., 1.))
        self.samples = [DetDataSample(metainfo=meta)]
        self.boxes = boxes
        self.times, self.branch_times, self.num_boxes = [], [], []
        self.is_parsing = hasattr(self.model.roi_head, 'predict_parsing')
        torch.manual_seed(0)
        xy = torch.rand(boxes, 2) * torch.tensor([w * 0.7, h * 0.7])
        wh = torch.rand(boxes, 2) * torch.tensor([w * 0.3, h * 0.3]) + 16
        self.rand_boxes = torch.cat([xy, xy + wh], 1)

    def run_once(self) -> None:
        from mmengine.registry import init_default_scope
        from mmengine.structures import InstanceData
        init_default_scope(self.scope)
        with torch.no_grad():
            start = time.perf_counter()
            out = self.model.predict(self.inputs, self.samples)
            self.times.append(time.perf_counter() - start)
            self.num_boxes.append(len(out[0].pred_instances))
            if self.is_parsing:
                feats = self.model.extract_feat(self.inputs)
                res = InstanceData(
                    bboxes=self.rand_boxes.clone(),
                    scores=torch.rand(self.boxes),
                    labels=torch.zeros(self.boxes, dtype=torch.long))
                start = time.perf_counter()
                self.model.roi_head.predict_parsing(
                    feats, [self.samples[0].metainfo], [res], rescale=True)
                self.branch_times.append(time.perf_counter() - start)

    def report(self) -> str:
        med = statistics.median(self.times)
        text = (f'{self.name}: params {count_params(self.model) / 1e6:.2f} M, '
                f'median {1000 * med:.0f} ms/img over {len(self.times)} runs '
                f'({statistics.median(self.num_boxes):.0f} boxes kept)')
        if self.branch_times:
            branch = statistics.median(self.branch_times)
            text += (f'\n  parsing branch on {self.boxes} boxes: '
                     f'{1000 * branch:.0f} ms; rest of the detector '
                     f'~{1000 * max(med - branch, 0):.0f} ms; '
                     f'branch / rest = {branch / max(med - branch, 1e-9):.2f}')
        return text


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+', help='parsing detector configs')
    parser.add_argument(
        '--compare', nargs='*', default=[], help='reference configs '
        '(e.g. mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py)')
    parser.add_argument('--shape', type=int, nargs=2, default=(512, 512))
    parser.add_argument('--boxes', type=int, default=100)
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--threads', type=int, default=0)
    return parser.parse_args()


def main():
    start = time.perf_counter()
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    models = [
        Timed(p, args.shape, args.boxes)
        for p in list(args.configs) + list(args.compare)
    ]
    # the bar (stderr) advances once per round, outside the timed calls
    bar = ProgressBar(args.warmup + args.repeat, file=sys.stderr)
    for _ in range(args.warmup):
        for m in models:
            m.run_once()
        bar.update()
    for m in models:
        m.times, m.branch_times, m.num_boxes = [], [], []
    for _ in range(args.repeat):
        for m in models:
            m.run_once()
        bar.update()
    sys.stderr.write('\n')
    print(f'CPU, {torch.get_num_threads()} threads, input '
          f'1x3x{args.shape[0]}x{args.shape[1]}, up to {args.boxes} boxes')
    for m in models:
        print(m.report())
    ref = models[-1]
    for m in models[:-1]:
        ratio = statistics.median(m.times) / statistics.median(ref.times)
        print(f'{m.name} / {ref.name}: {ratio:.2f}x the time')
    print(f'benchmark_detector: {len(models)} detectors x {args.repeat} runs '
          f'(+{args.warmup} warm-up) in {time.perf_counter() - start:.1f} s; '
          'table above')


if __name__ == '__main__':
    main()
