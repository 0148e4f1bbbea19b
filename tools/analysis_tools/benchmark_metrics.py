"""Time ``eval_parsing_ap`` against the straightforward reference.

Builds a synthetic CIHP-like split (``--num-images`` images of
``--size`` x ``--size`` pixels, 2-6 persons each, 20 part classes, up to
``--max-preds`` predictions per image: three noisy copies of every person
and person-like false positives), checks that the fast kernel and the
reference of ``mmhumanparse/testing/parsing_ap_reference.py`` (one
full-image confusion matrix per prediction/GT pair) agree on
``--ref-images`` images (exit with ``MISMATCH`` otherwise), and prints both
times on those images and their ratio. Target: >= 10x.

Example::

    python tools/analysis_tools/benchmark_metrics.py --num-images 200 \
        --ref-images 20
"""
import argparse
import os
import sys

for _var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ[_var] = '1'  # before numpy is imported

# these imports must follow the thread settings above
# isort: off
import time  # noqa: E402

import numpy as np  # noqa: E402
from mmengine.utils import ProgressBar  # noqa: E402

from mmhumanparse.evaluation.functional import (  # noqa: E402
    eval_parsing_ap, parsing_ap_from_tables, parsing_iou_table)
from mmhumanparse.testing import synthetic_person  # noqa: E402
from mmhumanparse.testing.parsing_ap_reference import (  # noqa: E402
    reference_parsing_ap)
from mmhumanparse.testing.toy_outfits import OutfitSampler  # noqa: E402
# isort: on

TARGET_RATIO = 10.0
NUM_PARTS = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--num-images', type=int, default=200)
    parser.add_argument('--ref-images', type=int, default=20,
                        help='images on which the reference is timed')
    parser.add_argument('--size', type=int, default=512)
    parser.add_argument('--max-preds', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def person_map(rng, sampler, h, w):
    """(h, w) uint8 CIHP part map of one toy person filling the box (the
    toy datasets' generator, ``mmhumanparse.testing.synthetic_person``)."""
    return synthetic_person((h, w), 'cihp', rng=rng, sampler=sampler)[0]


def noisy(rng, m, block=8, rate=0.05):
    """Copy of a part map with random ``block`` x ``block`` cells of the
    person relabelled."""
    h, w = m.shape
    gh, gw = -(-h // block), -(-w // block)
    cells = rng.random((gh, gw)) < rate
    labels = rng.integers(1, NUM_PARTS, (gh, gw)).astype(np.uint8)
    up = np.ones((block, block), bool)
    mask = np.kron(cells, up)[:h, :w] & (m > 0)
    new = np.kron(labels, up.astype(np.uint8))[:h, :w]
    return np.where(mask, new, m)


def random_box(rng, size):
    h = int(rng.integers(size // 5, size * 4 // 5))
    w = int(rng.integers(max(8, h // 4), max(9, h * 2 // 3)))
    w = min(w, size)
    return int(rng.integers(0, size - h + 1)), int(rng.integers(
        0, size - w + 1)), h, w


def make_image(rng, sampler, size, max_preds):
    """One synthetic image: (preds (N, S, S), scores (N,), gt (M, S, S))."""
    num_gt = int(rng.integers(2, 7))
    gt = np.zeros((num_gt, size, size), np.uint8)
    boxes = []
    for j in range(num_gt):
        y, x, h, w = random_box(rng, size)
        gt[j, y:y + h, x:x + w] = person_map(rng, sampler, h, w)
        boxes.append((y, x, h, w))
    pred = np.zeros((max_preds, size, size), np.uint8)
    score = np.empty(max_preds)
    for n in range(max_preds):
        if n < 3 * num_gt:  # noisy, shifted copies of the persons
            y, x, h, w = boxes[n % num_gt]
            src = gt[n % num_gt, y:y + h, x:x + w]
            dy, dx = rng.integers(-3, 4, 2)
            y = int(np.clip(y + dy, 0, size - h))
            x = int(np.clip(x + dx, 0, size - w))
            pred[n, y:y + h, x:x + w] = noisy(rng, src)
            score[n] = rng.uniform(0.3, 1.0)
        else:  # false positives
            y, x, h, w = random_box(rng, size)
            pred[n, y:y + h, x:x + w] = noisy(
                rng, person_map(rng, sampler, h, w))
            score[n] = rng.uniform(0.0, 0.5)
    return pred, score, gt


def make_split(rng, sampler, num, size, max_preds):
    """``num`` images as ``[preds, scores, gts]`` lists (the arguments of
    ``eval_parsing_ap`` without ``num_parts``)."""
    images = [make_image(rng, sampler, size, max_preds) for _ in range(num)]
    return [list(x) for x in zip(*images)]


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def main():
    start = time.perf_counter()
    args = parse_args()
    rng = np.random.default_rng(args.seed)
    sampler = OutfitSampler('cihp', rng)
    k = min(args.ref_images, args.num_images)
    print(f'workload: {args.num_images} images {args.size}x{args.size}, '
          f'{NUM_PARTS} parts, 2-6 GT persons and {args.max_preds} '
          'predictions per image (3 noisy copies per person + false '
          'positives)')

    # ratio: reference and kernel on the same first k images
    sub = make_split(rng, sampler, k, args.size, args.max_preds) + [NUM_PARTS]
    fast, t_fast = timed(eval_parsing_ap, *sub)
    ref, t_ref = timed(reference_parsing_ap, *sub)
    for key in ('AP_p50', 'AP_p_vol', 'PCP50'):
        if abs(fast[key] - ref[key]) > 1e-9:
            raise SystemExit(f'MISMATCH {key}: fast {fast[key]} vs '
                             f'reference {ref[key]}')
    ratio = t_ref / t_fast
    print(f'on {k} images ({sum(len(g) for g in sub[2])} GT persons, '
          f'{sum(len(p) for p in sub[0])} predictions): reference '
          f'{t_ref:.2f} s ({1000 * t_ref / k:.1f} ms/image), fast '
          f'{t_fast:.3f} s ({1000 * t_fast / k:.1f} ms/image); identical '
          f"results (AP_p50 {fast['AP_p50']:.4f}, AP_p_vol "
          f"{fast['AP_p_vol']:.4f}, PCP50 {fast['PCP50']:.4f})")
    del sub

    # the whole split with the kernel, images generated one at a time
    # (eval_parsing_ap = per-image tables + split step)
    tables, t_whole = [], 0.0
    bar = ProgressBar(args.num_images, file=sys.stderr)  # outside `timed`
    for i in range(args.num_images):
        pred, score, gt = make_image(rng, sampler, args.size,
                                     args.max_preds)
        table, t = timed(parsing_iou_table, pred, score, gt, NUM_PARTS)
        tables.append(table)
        t_whole += t
        bar.update()
    sys.stderr.write('\n')
    _, t = timed(parsing_ap_from_tables, tables)
    t_whole += t
    print(f'fast on all {args.num_images} images: {t_whole:.2f} s '
          f'({1000 * t_whole / args.num_images:.1f} ms/image, split step '
          f'{1000 * t:.1f} ms)')
    status = 'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'
    print(f'speed-up: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x) {status}')
    print(f'benchmark_metrics: {k} images through both, {args.num_images} '
          f'through the fast kernel, in {time.perf_counter() - start:.1f} s; '
          'results above')


if __name__ == '__main__':
    main()
