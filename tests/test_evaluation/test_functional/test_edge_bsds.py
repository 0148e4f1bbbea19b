"""BSDS edge protocol: the thin wrapper around pyEdgeEval."""
import sys

import numpy as np
import pytest

from mmhumanparse.evaluation.functional import (bsds_edge_counts,
                                                bsds_ods_ois_ap,
                                                default_thresholds, edge_bsds,
                                                edge_pr_counts)


def structured_map(seed=0):
    """GT: two lines; prediction: the lines, one shifted, a doubled piece
    and noise blobs, with few distinct values (0.2, 0.4, 0.6, 0.9)."""
    rng = np.random.default_rng(seed)
    gt = np.zeros((60, 90), np.uint8)
    gt[10:50, 20] = 1
    gt[30, 40:80] = 1
    prob = np.zeros(gt.shape)
    prob[10:50, 20] = 0.9
    prob[31, 40:70] = 0.6
    prob[29, 60:80] = 0.4
    prob[rng.random(gt.shape) < 0.02] = 0.2
    return prob, gt


def test_counts_equal_pyedgeeval_on_every_threshold():
    from pyEdgeEval.common.binary_label.evaluate_boundaries import \
        evaluate_boundaries_threshold
    prob, gt = structured_map()
    thr = default_thresholds(99)
    ours = bsds_edge_counts(prob, gt, thr, max_dist=0.02)
    cnt_r, sum_r, cnt_p, sum_p = evaluate_boundaries_threshold(
        thr, prob, gt.astype(bool), 0.02, apply_thinning=True)
    ref = np.stack([cnt_p, sum_p, cnt_r, sum_r])
    # thinning is deterministic: the pixel totals are equal
    np.testing.assert_array_equal(ours[[1, 3]], ref[[1, 3]])
    # the matcher's outlier edges are seeded from the clock: matched
    # counts may differ by a pixel or two between calls
    assert np.abs(ours[[0, 2]] - ref[[0, 2]]).max() <= 2
    assert ours.dtype == np.int64
    # thresholds selecting the same pixels (matched once) share counts
    sel = (prob[None] >= thr[:, None, None]).sum(axis=(1, 2))
    for t in range(1, len(thr)):
        if sel[t] == sel[t - 1]:
            np.testing.assert_array_equal(ours[:, t], ours[:, t - 1])
    # the one-to-one BSDS counts never exceed the disk rule's recall
    fast = edge_pr_counts(prob, gt, thr, max_dist=0.02)
    assert (ours[2] <= fast[2]).all() and (ours[3] == fast[3]).all()


def test_split_step_equals_pyedgeeval_calculate_metrics():
    from pyEdgeEval.common.binary_label import calculate_metrics
    rng = np.random.default_rng(1)
    num_t, counts = 7, []
    for _ in range(4):
        sum_r = np.full(num_t, rng.integers(50, 100))
        sum_p = np.sort(rng.integers(0, 150, num_t))[::-1]
        cnt_p = (sum_p * rng.random(num_t)).astype(np.int64)
        cnt_r = np.minimum(cnt_p, sum_r)
        counts.append(np.stack([cnt_p, sum_p, cnt_r, sum_r]))
    samples = [dict(name=str(i), c=c) for i, c in enumerate(counts)]
    _, _, ref = calculate_metrics(
        eval_single=lambda s: (s['c'][2], s['c'][3], s['c'][0], s['c'][1]),
        thresholds=num_t, samples=samples, nproc=1)
    out = bsds_ods_ois_ap(counts, default_thresholds(num_t))
    assert out['ODS'] == pytest.approx(ref['ODS_f1'], abs=1e-12)
    assert out['ODS_thr'] == pytest.approx(ref['ODS_threshold'], abs=1e-12)
    assert out['OIS'] == pytest.approx(ref['OIS_f1'], abs=1e-12)
    # AP: pyEdgeEval 0.2.8 sums the recall levels 0 ... 0.99 over 101; we
    # add the level 1.0 (0 here unless the split reaches recall 1)
    top = np.max(out['precision'][out['recall'] >= 1], initial=0)
    assert out['AP'] == pytest.approx(ref['AP'] + top / 101, abs=1e-12)
    assert out['AP'] > 0


def test_perfect_and_empty_images():
    prob, gt = structured_map()
    counts = bsds_edge_counts(gt * 1.0, gt)
    # every predicted pixel is a GT pixel; the randomised matcher may leave
    # few pixels of the 80 unmatched (see test_edge_metric.is_100)
    assert (counts[1] == counts[3]).all() and (counts[0] >= 74).all()
    out = bsds_ods_ois_ap([counts])
    assert out['ODS'] >= 0.96 and out['OIS'] >= 0.96
    assert out['AP'] >= 0.92  # a recall level above the recall costs 1/101
    full = np.stack([counts[3]] * 4)  # the counts of an exact matcher
    out = bsds_ods_ois_ap([full])
    assert out['ODS'] == out['OIS'] == out['AP'] == 1.0
    # no prediction at any threshold: counts without calling the matcher
    empty = bsds_edge_counts(np.zeros(gt.shape), gt)
    assert not empty[:3].any() and (empty[3] == gt.sum()).all()
    assert bsds_ods_ois_ap([empty])['ODS'] == 0.0
    with pytest.raises(ValueError):
        bsds_ods_ois_ap([])


def test_missing_pyedgeeval_is_a_clear_import_error(monkeypatch):
    monkeypatch.setattr(edge_bsds, '_PYEDGEEVAL', None)
    monkeypatch.setitem(sys.modules, 'pyEdgeEval', None)
    monkeypatch.setitem(sys.modules, 'pyEdgeEval.common', None)
    monkeypatch.setitem(sys.modules,
                        'pyEdgeEval.common.binary_label.evaluate_boundaries',
                        None)
    prob, gt = structured_map()
    with pytest.raises(ImportError, match='pip install pyEdgeEval==0.2.8'):
        bsds_edge_counts(prob, gt)
