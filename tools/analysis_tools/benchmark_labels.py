"""Time the multi-task label generators on one CPU core.

Runs ``GenerateEdge``, ``GenerateJointCenters`` and ``GeneratePoseHeatmaps``
on a synthetic 473x473 person-shaped LIP label map (all 19 part classes, an
ignore border) with 16 MPII-ordered keypoints, and prints the median time
per generator and per sample (all three in a row). Target: <= 5 ms.

Example::

    python tools/analysis_tools/benchmark_labels.py --repeat 500
"""
import argparse
import os

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


def synthetic_person(size: int = 473):
    """A person-shaped LIP label map and its 16 keypoints.

    Returns:
        tuple: ``seg`` (size, size) uint8 with LIP labels 0..19 and 255,
        ``keypoints`` (16, 2) float32 (x, y), ``visible`` (16,) float32.
    """
    s = size / 473.0
    seg = np.zeros((size, size), np.uint8)

    def p(x, y):
        return int(round(x * s)), int(round(y * s))

    def line(a, b, label, thick):
        cv2.line(seg, p(*a), p(*b), label, max(1, int(thick * s)))

    def rect(a, b, label):
        cv2.rectangle(seg, p(*a), p(*b), label, -1)

    # MPII order: r_ankle r_knee r_hip l_hip l_knee l_ankle pelvis thorax
    # upper_neck head_top r_wrist r_elbow r_shoulder l_shoulder l_elbow
    # l_wrist. The person faces the camera: its right side is image left.
    kp = np.array(
        [[200, 420], [205, 340], [210, 260], [265, 260], [270, 340],
         [275, 420], [237, 260], [237, 130], [237, 105], [237, 30],
         [145, 250], [165, 185], [185, 125], [290, 125], [310, 185],
         [330, 250]],
        dtype=np.float32)
    # legs (16 left, 17 right), pants (9), shoes (18 left, 19 right)
    line(kp[3], kp[4], 16, 34)
    line(kp[4], kp[5], 16, 30)
    line(kp[2], kp[1], 17, 34)
    line(kp[1], kp[0], 17, 30)
    rect((195, 250), (282, 320), 9)
    cv2.ellipse(seg, p(283, 432), p(26, 13), 0, 0, 360, 18, -1)
    cv2.ellipse(seg, p(192, 432), p(26, 13), 0, 0, 360, 19, -1)
    # torso: coat (7) over upper-clothes (5), scarf (11), skirt (12)
    rect((185, 120), (290, 265), 5)
    rect((185, 120), (205, 265), 7)
    rect((270, 120), (290, 265), 7)
    rect((200, 110), (275, 128), 11)
    rect((198, 262), (278, 290), 12)
    # arms (14 left, 15 right), gloves (3) at the wrists
    line(kp[13], kp[14], 14, 26)
    line(kp[14], kp[15], 14, 22)
    line(kp[12], kp[11], 15, 26)
    line(kp[11], kp[10], 15, 22)
    cv2.circle(seg, p(*kp[15]), int(13 * s), 3, -1)
    cv2.circle(seg, p(*kp[10]), int(13 * s), 3, -1)
    # head: hair (2), face (13), hat (1), sunglasses (4), socks (8),
    # dress (6) and jumpsuits (10) as small patches so all classes occur
    cv2.ellipse(seg, p(237, 65), p(38, 48), 0, 0, 360, 2, -1)
    cv2.ellipse(seg, p(237, 75), p(28, 36), 0, 0, 360, 13, -1)
    rect((205, 15), (270, 35), 1)
    rect((215, 60), (260, 70), 4)
    rect((190, 395), (210, 418), 8)
    rect((265, 395), (285, 418), 8)
    rect((225, 200), (250, 230), 6)
    rect((225, 170), (250, 195), 10)
    # unlabelled border, as after padding to the crop size
    seg[:, :4] = 255
    seg[-6:, :] = 255
    visible = np.ones(16, np.float32)
    visible[9] = 0  # one missing keypoint, as LIP often has
    return seg, kp * s, visible


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
    args = parse_args()
    cv2.setNumThreads(1)
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass

    from mmhumanparse.datasets.metainfo import LIP_METAINFO
    from mmhumanparse.datasets.transforms.targets import (
        GenerateEdge, GenerateJointCenters, GeneratePoseHeatmaps)

    seg, kpts, vis = synthetic_person(args.size)
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
    total_median = 0.0
    for name, fn in [('GenerateEdge', edge), ('GenerateJointCenters', joints),
                     ('GeneratePoseHeatmaps', heat)]:
        med, p90 = time_fn(fn, make_input, args.repeat, args.warmup)
        total_median += med
        print(f'{name:<24}{med:>10.3f}{p90:>10.3f}')
    med, p90 = time_fn(all_three, make_input, args.repeat, args.warmup)
    print(f'{"all three (per sample)":<24}{med:>10.3f}{p90:>10.3f}')
    print(f'sum of medians: {total_median:.3f} ms; target <= {TARGET_MS} ms '
          f'per sample: {"OK" if med <= TARGET_MS else "MISSED"}')


if __name__ == '__main__':
    main()
