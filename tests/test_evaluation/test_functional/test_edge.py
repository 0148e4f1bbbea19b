"""Edge ODS / OIS kernel."""
import math

import numpy as np
import pytest

from mmhumanparse.evaluation.functional import (default_thresholds,
                                                disk_max_filter, edge_ods_ois,
                                                edge_pr_counts)


def brute_disk_max(x, radius):
    h, w = x.shape
    out = np.zeros_like(x)
    r = int(math.floor(radius))
    for y in range(h):
        for x0 in range(w):
            best = 0
            for dy in range(-r, r + 1):
                for dx in range(-r, r + 1):
                    if dy * dy + dx * dx > radius * radius:
                        continue
                    yy, xx = y + dy, x0 + dx
                    if 0 <= yy < h and 0 <= xx < w:
                        best = max(best, x[yy, xx])
            out[y, x0] = best
    return out


@pytest.mark.parametrize('radius', [0.5, 1.0, 1.5, 2.3, 3.0])
def test_disk_max_filter_matches_brute_force(radius):
    rng = np.random.default_rng(0)
    x = rng.random((9, 11))
    np.testing.assert_array_equal(
        disk_max_filter(x, radius), brute_disk_max(x, radius))
    b = rng.random((9, 11)) < 0.1
    np.testing.assert_array_equal(
        disk_max_filter(b, radius), brute_disk_max(b, radius))


def test_default_thresholds():
    t = default_thresholds(99)
    assert t.shape == (99, ) and t[0] == pytest.approx(0.01)
    assert t[-1] == pytest.approx(0.99)


def edge_image(h=40, w=60, col=30):
    gt = np.zeros((h, w), np.uint8)
    gt[5:35, col] = 1
    return gt


def test_perfect_and_within_tolerance():
    gt = edge_image()
    prob = gt.astype(float)
    out = edge_ods_ois([edge_pr_counts(prob, gt)])
    assert out['ODS'] == 1.0 and out['OIS'] == 1.0
    # tolerance 0.0075 * diag(40x60) = 0.54 px: a 1 px shift is missed ...
    shifted = np.roll(prob, 1, axis=1)
    out = edge_ods_ois([edge_pr_counts(shifted, gt)])
    assert out['ODS'] == 0.0
    # ... but found with a larger tolerance (diag 72.1 * 0.02 = 1.44 px)
    out = edge_ods_ois([edge_pr_counts(shifted, gt, max_dist=0.02)])
    assert out['ODS'] == 1.0


def test_counts_and_threshold_choice():
    gt = edge_image()
    prob = np.zeros(gt.shape)
    prob[5:35, 30] = 0.8  # true edges
    prob[5:35, 10] = 0.4  # false edges, below the true ones
    thr = np.array([0.3, 0.5])
    c = edge_pr_counts(prob, gt, thr)
    np.testing.assert_array_equal(c[0], [30, 30])  # cntP
    np.testing.assert_array_equal(c[1], [60, 30])  # sumP
    np.testing.assert_array_equal(c[2], [30, 30])  # cntR
    np.testing.assert_array_equal(c[3], [30, 30])  # sumR
    out = edge_ods_ois([c], thr)
    assert out['ODS'] == 1.0 and out['ODS_thr'] == 0.5
    assert out['precision'][0] == 0.5


def test_ods_vs_ois():
    # image 1 is best at a low threshold, image 2 at a high one
    gt = edge_image()
    p1 = np.zeros(gt.shape)
    p1[5:35, 30] = 0.4
    p2 = np.zeros(gt.shape)
    p2[5:35, 30] = 0.9
    p2[5:35, 10] = 0.45
    thr = np.array([0.3, 0.5])
    counts = [edge_pr_counts(p, gt, thr) for p in (p1, p2)]
    out = edge_ods_ois(counts, thr)
    assert out['OIS'] == 1.0
    # at 0.3: P = 60/90, R = 1; at 0.5: P = 1, R = 1/2
    assert out['ODS'] == pytest.approx(max(2 * (2 / 3) / (5 / 3), 2 / 3))
    assert out['ODS'] < out['OIS']


def test_ignored_pixels_do_not_count():
    gt = edge_image()
    gt[:, 50:] = 255
    prob = gt.astype(float) * 0
    prob[5:35, 30] = 1.0
    prob[:, 55] = 1.0  # in the ignored area
    out = edge_ods_ois([edge_pr_counts(prob, gt)])
    assert out['ODS'] == 1.0
    with pytest.raises(ValueError):
        edge_pr_counts(prob[:, :10], gt)
