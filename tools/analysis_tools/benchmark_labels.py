"""Time the multi-task label generators on one CPU core.

Runs ``GenerateEdge``, ``GenerateJointCenters`` and ``GeneratePoseHeatmaps``
on a 473x473 LIP label map of one toy person (the toy datasets' generator,
``mmhumanparse.testing.synthetic_person``, plus an ignore border) with 16
MPII-ordered keypoints, and prints the median time per generator and per
sample (all three in a row). Target: <= 5 ms.

Example::

    python tools/analysis_tools/benchmark_labels.py --repeat 500
"""
import argparse
import os
import sys

for _var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ[_var] = '1'  # before numpy is imported

import time  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402

TARGET_MS = 5.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=473, help='map side')
    parser.add_argument('--repeat', type=int, default=300)
    parser.add_argument('--warmup', type=int, default=20)
    parser.add_argument('--edge-width', type=int, default=3)
    parser.add_argument('--stride', type=int, default=8)
    parser.add_argument('--sigma', type=float, default=2.0)
    return parser.parse_args()


def person_label_map(size: int = 473):
    """One toy LIP person at ``size`` x ``size`` with an ignore border.

    The person is drawn by :func:`mmhumanparse.testing.synthetic_person`
    (the generator of the toy datasets, seed 0).

    Returns:
        tuple: ``seg`` (size, size) uint8 with LIP labels and 255,
        ``keypoints`` (16, 2) float32 (x, y), ``visible`` (16,) float32.
    """
    from mmhumanparse.testing import synthetic_person
    seg, kpts, vis = synthetic_person((size, size), 'lip',
                                      rng=np.random.default_rng(0))
    # unlabelled border, as after padding to the crop size
    seg[:, :4] = 255
    seg[-6:, :] = 255
    vis[9] = 0  # one missing keypoint, as LIP often has
    return seg, kpts, vis


def time_fn(fn, make_input, repeat, warmup):
    times = []
    for i in range(warmup + repeat):
        results = make_input()
        t0 = time.perf_counter()
        fn(results)
        t1 = time.perf_counter()
        if i >= warmup:
            times.append(t1 - t0)
    return np.median(times) * 1e3, np.percentile(times, 90) * 1e3


def main():
    start = time.perf_counter()
    args = parse_args()
    cv2.setNumThreads(1)
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass

    from mmengine.utils import ProgressBar

    from mmhumanparse.datasets.metainfo import LIP_METAINFO
    from mmhumanparse.datasets.transforms.targets import (GenerateEdge,
                                                          GenerateJointCenters,
                                                          GeneratePoseHeatmaps)

    seg, kpts, vis = person_label_map(args.size)
    present = sorted(set(np.unique(seg).tolist()) - {0, 255})
    img = np.zeros(seg.shape + (3, ), np.uint8)

    def make_input():
        return dict(
            img=img,
            gt_seg_map=seg,
            seg_fields=['gt_seg_map'],
            gt_keypoints=kpts.copy(),
            gt_keypoints_visible=vis.copy())

    edge = GenerateEdge(edge_width=args.edge_width)
    joints = GenerateJointCenters(LIP_METAINFO['joint_groups'])
    heat = GeneratePoseHeatmaps(stride=args.stride, sigma=args.sigma)

    def all_three(results):
        return heat(joints(edge(results)))

    r = all_three(make_input())
    cases = [('GenerateEdge', edge), ('GenerateJointCenters', joints),
             ('GeneratePoseHeatmaps', heat),
             ('all three (per sample)', all_three)]
    # all cases first, the bar (stderr) advancing once per case, then the
    # table: nothing is printed between the timed repetitions
    bar = ProgressBar(len(cases), file=sys.stderr)
    timings = []
    for _, fn in cases:
        timings.append(time_fn(fn, make_input, args.repeat, args.warmup))
        bar.update()
    sys.stderr.write('\n')
    print(f'label map {seg.shape} uint8, {len(present)} part classes '
          f'present, {int((seg == 255).sum())} ignore px; '
          f'{len(kpts)} keypoints ({int(vis.sum())} visible)')
    print(f'outputs: gt_edge_map {r["gt_edge_map"].shape} '
          f'({int((r["gt_edge_map"] == 1).sum())} edge px), '
          f'gt_joint_centers {r["gt_joint_centers"].shape} '
          f'({int(r["gt_joint_visible"].sum())} visible), '
          f'gt_heatmaps {r["gt_heatmaps"].shape}')
    print(f'1 thread, {args.repeat} repetitions after {args.warmup} warm-up')
    print(f'{"generator":<24}{"median ms":>10}{"p90 ms":>10}')
    for (name, _), (med, p90) in zip(cases, timings):
        print(f'{name:<24}{med:>10.3f}{p90:>10.3f}')
    total_median = sum(med for med, _ in timings[:-1])
    med = timings[-1][0]
    print(f'sum of medians: {total_median:.3f} ms; target <= {TARGET_MS} ms '
          f'per sample: {"OK" if med <= TARGET_MS else "MISSED"}')
    print(f'benchmark_labels: {len(cases)} cases x {args.repeat} runs '
          f'(+{args.warmup} warm-up) in {time.perf_counter() - start:.1f} s; '
          'table above')


if __name__ == '__main__':
    main()
