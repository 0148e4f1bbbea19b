"""Inference time of multi-person parsing detectors vs. mmdet's Mask R-CNN,
stage by stage.

Usage::

    python tools/analysis_tools/benchmark_detector.py \
        configs/rp_rcnn/rp-rcnn_r50_fpn_6x_cihp.py \
        --compare mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py \
        --shapes 512x512 800x1088 --boxes 10 100 --repeat 3 --threads 1

Each model runs batch 1, ``eval()``, ``no_grad`` on a random ``1 x 3 x H x
W`` input (random weights, nothing downloaded), stage by stage as its
``predict`` does: backbone, FPN, GSE (the semantic head and its image-size
probabilities; parsing detectors with one), RPN, box head, then, on exactly
N random boxes for every model, the instance heads (RoIAlign + GCE head +
PRSN, or Mask R-CNN's mask head), the paste into the image (with the 0.2
semantic fusion where configured) and, for parsing detectors, the combined
part map (global map + persons painted). The shared stages run once per
shape and round, the instance stages once per box count. Models are timed
alternately, one round each, so other load affects all alike. The last
``--compare`` config is the reference of the ratios; ``--markdown`` prints
the tables for docs.
"""
import argparse
import os.path as osp
import statistics
import sys
import time
from collections import defaultdict

import torch

from mmhumanparse.utils.model_stats import build_model, count_params
from mmhumanparse.utils.tool_utils import init_config_scope, load_config

SHARED = ('backbone', 'fpn', 'gse', 'rpn', 'box head')
PER_BOX = ('instance heads', 'paste', 'combine')


def resolve(path: str) -> str:
    """``mmdet::x.py`` -> the file inside mmdet's wheel."""
    if '::' in path:
        import importlib
        pkg, rel = path.split('::', 1)
        root = osp.dirname(importlib.import_module(pkg).__file__)
        return osp.join(root, '.mim', 'configs', rel)
    return path


class Timed:
    """One detector and its stage timings per (shape, boxes)."""

    def __init__(self, path: str):
        self.name = osp.splitext(osp.basename(path))[0]
        cfg = load_config(resolve(path))
        self.scope = init_config_scope(cfg, default='mmdet')
        self.model = build_model(cfg)
        self.semantic = getattr(self.model, 'with_semantic_head', False)
        self.parsing = hasattr(self.model.roi_head, 'parsing_iou_head')
        # stage -> (shape, boxes or None) -> list of seconds
        self.times = defaultdict(lambda: defaultdict(list))

    def _clock(self, stage, key, fn, *args, **kwargs):
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        self.times[stage][key].append(time.perf_counter() - start)
        return out

    def run(self, shape, box_counts) -> None:
        """One round at ``shape`` = (H, W): shared stages, then the
        instance stages for each box count."""
        from mmdet.structures import DetDataSample
        from mmengine.registry import init_default_scope
        from mmengine.structures import InstanceData
        init_default_scope(self.scope)
        h, w = shape
        meta = dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w),
                    batch_input_shape=(h, w), scale_factor=(1., 1.))
        metas, samples = [meta], [DetDataSample(metainfo=meta)]
        m, key = self.model, (shape, None)
        torch.manual_seed(0)
        x = torch.randn(1, 3, h, w)
        with torch.no_grad():
            feats = self._clock('backbone', key, m.backbone, x)
            feats = self._clock('fpn', key, m.neck, feats)
            probs = None
            if self.semantic:
                start = time.perf_counter()
                out = m.semantic_head(feats)
                feats = out['feats']
                probs = m.semantic_head.predict(out['seg_preds'], metas)
                self.times['gse'][key].append(time.perf_counter() - start)
            rpn = self._clock('rpn', key, m.rpn_head.predict, feats, samples,
                              rescale=False)
            self._clock('box head', key, m.roi_head.predict_bbox, feats,
                        metas, rpn, None, rescale=False)
            for n in box_counts:
                xy = torch.rand(n, 2) * torch.tensor([w * 0.7, h * 0.7])
                wh = torch.rand(n, 2) * torch.tensor([w * .3, h * .3]) + 16
                res = InstanceData(
                    bboxes=torch.cat([xy, xy + wh], 1),
                    scores=torch.rand(n),
                    labels=torch.zeros(n, dtype=torch.long))
                self._instances(feats, metas, res, probs, (shape, n))

    def _instances(self, feats, metas, res, probs, key) -> None:
        from mmdet.structures.bbox import bbox2roi
        roi_head = self.model.roi_head
        start = time.perf_counter()
        out = roi_head._mask_forward(feats, bbox2roi([res.bboxes]))
        if self.parsing and roi_head.with_parsing_iou:
            roi_head.parsing_iou_head(out['mask_feats'], out['mask_preds'])
        self.times['instance heads'][key].append(time.perf_counter() - start)
        kwargs = dict(sem_probs=probs) if self.parsing else {}
        results = self._clock(
            'paste', key, roi_head.mask_head.predict_by_feat,
            (out['mask_preds'], ), [res], metas,
            rcnn_test_cfg=roi_head.test_cfg, rescale=True, **kwargs)
        if self.parsing:
            self._clock('combine', key, self._combine, results[0], probs)

    def _combine(self, results, probs):
        from mmhumanparse.structures.paint import (global_part_map,
                                                   paint_persons)
        test_cfg = self.model.test_cfg
        base = None if probs is None else global_part_map(
            probs[0], test_cfg.get('semantic', {}).get('score_thr', 0.))
        return paint_persons(results.parsings, results.scores,
                             test_cfg.get('combine', {}).get('score_thr'),
                             base)

    def stages(self, shape, boxes) -> dict:
        """Median ms per stage at (shape, boxes); 0 for absent stages."""
        out = {}
        for stage in SHARED + PER_BOX:
            key = (shape, None if stage in SHARED else boxes)
            runs = self.times[stage].get(key)
            out[stage] = 1000 * statistics.median(runs) if runs else 0.0
        return out


def table(models, shape, boxes, markdown: bool) -> str:
    ref = models[-1]
    ref_total = sum(ref.stages(shape, boxes).values())
    head = ['model', 'params (M)', 'total ms', 'vs ' + ref.name]
    head += list(SHARED + PER_BOX)
    rows = []
    for m in models:
        st = m.stages(shape, boxes)
        total = sum(st.values())
        rows.append([m.name, f'{count_params(m.model) / 1e6:.1f}',
                     f'{total:.0f}', f'{total / ref_total:.2f}x'] +
                    [f'{v:.0f}' for v in st.values()])
    title = (f'{shape[0]} x {shape[1]} input, {boxes} boxes '
             '(ms, median of the rounds)')
    if markdown:
        lines = [f'**{title}**', '', '| ' + ' | '.join(head) + ' |',
                 '|' + '---|' * len(head)]
        lines += ['| ' + ' | '.join(r) + ' |' for r in rows]
    else:
        lines = [title] + ['  '.join(head)] + ['  '.join(r) for r in rows]
    return '\n'.join(lines) + '\n'


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('configs', nargs='+', help='parsing detector configs')
    p.add_argument(
        '--compare', nargs='+', required=True, help='reference configs, '
        'the last is the ratios\' reference (e.g. '
        'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py)')
    p.add_argument('--shapes', nargs='+', default=['512x512', '800x1088'],
                   help='H x W inputs (multiples of 32)')
    p.add_argument('--boxes', type=int, nargs='+', default=[10, 100])
    p.add_argument('--repeat', type=int, default=3)
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--threads', type=int, default=0)
    p.add_argument('--markdown', action='store_true')
    return p.parse_args(argv)


def main(argv=None) -> list:
    """Run the rounds, print the tables; returns the :class:`Timed`."""
    start = time.perf_counter()
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    shapes = [tuple(int(v) for v in s.split('x')) for s in args.shapes]
    models = [Timed(p) for p in list(args.configs) + list(args.compare)]
    for rnd in range(args.warmup + args.repeat):
        if rnd == args.warmup:
            for m in models:
                m.times.clear()
        for shape in shapes:
            for m in models:
                m.run(shape, args.boxes)
        print(f'round {rnd + 1}/{args.warmup + args.repeat} done',
              file=sys.stderr)
    print(f'CPU, {torch.get_num_threads()} threads, {args.repeat} rounds '
          f'(+{args.warmup} warm-up), random weights\n')
    for shape in shapes:
        for boxes in args.boxes:
            print(table(models, shape, boxes, args.markdown))
    print(f'benchmark_detector: {len(models)} detectors in '
          f'{time.perf_counter() - start:.0f} s')
    return models


if __name__ == '__main__':
    main()
