"""AP^p / PCP kernel: hand-made cases with known answers + reference."""

import numpy as np
import pytest

from mmhumanparse.evaluation.functional import (eval_parsing_ap,
                                                parsing_ap_from_tables,
                                                parsing_iou_table,
                                                parsing_iou_tables,
                                                summarize_iou_table)
from mmhumanparse.testing.parsing_ap_reference import (pair_ious,
                                                       reference_parsing_ap)

K = 5  # part classes including background
H, W = 12, 16


def person(box, labels=(1, 2, 3), shape=(H, W)):
    """A person part map: the box split into horizontal bands."""
    y0, x0, y1, x1 = box
    m = np.zeros(shape, np.uint8)
    bands = np.array_split(np.arange(y0, y1), len(labels))
    for lab, rows in zip(labels, bands):
        m[rows, x0:x1] = lab
    return m


A = person((1, 1, 10, 6))
B = person((2, 8, 11, 14), labels=(2, 4))


def stack(*maps):
    if not maps:
        return np.zeros((0, H, W), np.uint8)
    return np.stack(maps).astype(np.uint8)


def check_reference(preds, scores, gts, num_parts=K, **kw):
    out = eval_parsing_ap(preds, scores, gts, num_parts, **kw)
    ref = reference_parsing_ap(preds, scores, gts, num_parts, **kw)
    for key in ('AP_p50', 'AP_p_vol', 'PCP50'):
        assert out[key] == pytest.approx(ref[key], abs=1e-9), key
    assert out['AP_p'].keys() == ref['AP_p'].keys()
    for thr, ap in ref['AP_p'].items():
        assert out['AP_p'][thr] == pytest.approx(ap, abs=1e-9), thr
    return out


def test_perfect_prediction():
    out = check_reference([stack(A, B), stack(B)], [[0.9, 0.8], [0.7]],
                          [stack(A, B), stack(B)])
    assert out['AP_p50'] == 1.0
    assert out['AP_p_vol'] == 1.0
    assert out['PCP50'] == 1.0
    assert set(out['AP_p']) == {i / 10 for i in range(1, 10)}
    assert out['num_gts'] == 3 and out['num_preds'] == 3


def test_duplicate_prediction_is_one_tp_one_fp():
    # A (TP), A again (FP: A already matched), B (TP)
    out = check_reference([stack(A, A, B)], [[0.9, 0.8, 0.7]],
                          [stack(A, B)])
    # rec 0.5, 0.5, 1; prec 1, 1/2, 2/3
    assert out['AP_p50'] == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert out['PCP50'] == 1.0


def test_prediction_of_the_wrong_person():
    # the second prediction was meant for A but looks like B: it goes to B
    # (best mean IoU), which is already taken, so it is a FP and A is missed
    b_shifted = np.roll(B, 1, axis=1)
    out = check_reference([stack(B, b_shifted)], [[0.9, 0.8]],
                          [stack(A, B)])
    assert out['AP_p50'] == pytest.approx(0.5)
    assert out['PCP50'] == pytest.approx(0.5)
    table = parsing_iou_table(stack(B, b_shifted), [0.9, 0.8], stack(A, B),
                              K)
    mean = np.nanmean(table['ious'], axis=2)
    assert (mean.argmax(axis=1) == 1).all()


def test_threshold_equal_to_iou_is_not_a_match():
    # 1x3 image: GT [1 1 0], prediction [1 0 0]: IoU 1/2 for both classes
    gt = np.array([[[1, 1, 0]]], np.uint8)
    pred = np.array([[[1, 0, 0]]], np.uint8)
    out = check_reference([pred], [[0.9]], [gt],
                          num_parts=2,
                          iou_thrs=(0.4, 0.5))
    assert out['AP_p'] == {0.4: 1.0, 0.5: 0.0}
    assert out['AP_p50'] == 0.0
    assert out['AP_p_vol'] == 0.5
    assert out['PCP50'] == 0.0


def test_pcp_counts_parts_strictly_above_threshold():
    # matched at 0.5 (mean IoU about 0.72) but part 1 has IoU exactly 0.5
    gt = np.array([[[1, 1, 2, 2, 0, 0]]], np.uint8)
    pred = np.array([[[1, 0, 2, 2, 0, 0]]], np.uint8)
    ious = pair_ious(pred[0], gt[0], 3)
    assert ious[1] == 0.5 and ious[2] == 1.0
    out = check_reference([pred], [[0.9]], [gt], num_parts=3)
    assert out['AP_p50'] == 1.0
    assert out['PCP50'] == 0.5  # part 2 of parts {1, 2}


def test_image_without_gt():
    # the top-scoring prediction lies in an image without persons: a FP
    out = check_reference([stack(A), stack(A)], [[0.5], [0.9]],
                          [stack(A), stack()])
    assert out['AP_p50'] == pytest.approx(0.5)
    assert out['PCP50'] == 1.0
    # GT given as an empty 1-D array works as well
    out2 = eval_parsing_ap([stack(A), stack(A)], [[0.5], [0.9]],
                           [stack(A), np.zeros((0, ), np.uint8)], K)
    assert out2['AP_p50'] == out['AP_p50']


def test_empty_predictions():
    out = check_reference([stack(), stack()], [np.zeros(0), np.zeros(0)],
                          [stack(A, B), stack(B)])
    assert out['AP_p50'] == 0.0 and out['AP_p_vol'] == 0.0
    assert out['PCP50'] == 0.0 and out['num_preds'] == 0
    out = eval_parsing_ap([np.zeros((0, ), np.uint8)], [[]], [stack(A)], K)
    assert out['AP_p50'] == 0.0


def test_no_gt_at_all_gives_zero():
    out = check_reference([stack(A)], [[0.9]], [stack()])
    assert out['AP_p50'] == 0.0 and out['PCP50'] == 0.0
    assert out['num_gts'] == 0


def test_low_scores_are_dropped():
    out = check_reference([stack(A, B)], [[0.0005, 0.9]], [stack(A, B)])
    assert out['num_preds'] == 1
    assert out['AP_p50'] == pytest.approx(0.5)


def test_overlapping_gt_persons_mhp_style():
    # MHP: each person has its own map, and the maps may overlap
    a = person((1, 1, 10, 9))
    b = person((3, 5, 12, 14), labels=(4, 2))
    assert ((a > 0) & (b > 0)).any()
    out = check_reference([stack(b, a)], [[0.9, 0.8]], [stack(a, b)])
    assert out['AP_p_vol'] == 1.0 and out['PCP50'] == 1.0
    table = parsing_iou_table(stack(b, a), [0.9, 0.8], stack(a, b), K)
    assert np.nanmean(table['ious'][0, 1]) == 1.0
    assert np.nanmean(table['ious'][1, 0]) == 1.0


def test_ignore_label_255():
    gt = A.copy()
    gt[0:4, :] = 255  # ignore band, covering part of the person
    pred_a = A.copy()  # predicts parts inside the ignored band
    pred_b = np.where(gt == 255, 0, A).astype(np.uint8)
    t_a = parsing_iou_table(stack(pred_a), [0.9], stack(gt), K)
    t_b = parsing_iou_table(stack(pred_b), [0.9], stack(gt), K)
    np.testing.assert_array_equal(t_a['ious'], t_b['ious'])
    assert np.nanmean(t_a['ious']) == 1.0
    check_reference([stack(pred_a)], [[0.9]], [stack(gt)])


def test_gt_of_only_255_is_kept_and_empty_gt_skipped():
    only_ignore = np.full((H, W), 255, np.uint8)
    empty = np.zeros((H, W), np.uint8)
    gts = [stack(A, only_ignore, empty)]
    out = check_reference([stack(A)], [[0.9]], gts)
    assert out['num_gts'] == 2  # the all-zero person is skipped
    assert out['AP_p50'] == pytest.approx(0.5)
    assert out['PCP50'] == pytest.approx(0.5)


def test_tables_split_equals_whole():
    rng = np.random.default_rng(3)
    preds, _, gts = random_split(rng, 6, K, 10, 12)
    scores = [rng.random(len(p)) + 0.01 for p in preds]  # no ties
    tables = parsing_iou_tables(preds, scores, gts, K)
    whole = parsing_ap_from_tables(tables)
    # per-image tables can be computed anywhere, in any image order: with
    # distinct scores the split step gives the same numbers
    perm = rng.permutation(len(tables))
    shuffled = parsing_ap_from_tables([tables[i] for i in perm])
    assert shuffled['AP_p'] == whole['AP_p']
    assert shuffled['PCP50'] == whole['PCP50']
    # summaries (a few numbers per prediction) give the same numbers
    summaries = [summarize_iou_table(t) for t in tables]
    assert parsing_ap_from_tables(summaries) == whole
    with pytest.raises(ValueError, match='pcp_thr'):
        parsing_ap_from_tables(summaries, pcp_thr=0.6)


@pytest.mark.parametrize('bad', [
    dict(pred=[stack(A)], scores=[[0.9], [0.5]], gt=[stack(A)]),
    dict(pred=[stack(A)], scores=[[0.9, 0.5]], gt=[stack(A)]),
    dict(pred=[stack(A)[:, :8]], scores=[[0.9]], gt=[stack(A)]),
    dict(pred=[stack(A) + 5], scores=[[0.9]], gt=[stack(A)]),
    dict(pred=[stack(A)], scores=[[0.9]], gt=[stack(A) + 7]),
    dict(pred=[A], scores=[[0.9]], gt=[stack(A)]),
])
def test_bad_input_raises(bad):
    with pytest.raises(ValueError):
        eval_parsing_ap(bad['pred'], bad['scores'], bad['gt'], K)


def random_split(rng, num_images, num_parts, h, w):
    """Random persons, noisy copies, junk, 255s, ties and low scores."""
    preds, scores, gts = [], [], []
    for _ in range(num_images):
        m = int(rng.integers(0, 4))
        gt = np.zeros((m, h, w), np.uint8)
        for j in range(m):
            y0, x0 = rng.integers(0, h - 2), rng.integers(0, w - 2)
            y1, x1 = rng.integers(y0 + 1, h + 1), rng.integers(x0 + 1, w + 1)
            gt[j, y0:y1, x0:x1] = rng.integers(0, num_parts,
                                               (y1 - y0, x1 - x0))
            gt[j][rng.random((h, w)) < 0.05] = 255
        n = int(rng.integers(0, 6))
        pred = np.zeros((n, h, w), np.uint8)
        for i in range(n):
            if m and rng.random() < 0.6:
                j = rng.integers(m)
                src = np.where(gt[j] == 255, 0, gt[j])
                noise = rng.random((h, w)) < 0.2
                pred[i] = np.where(noise, rng.integers(0, num_parts, (h, w)),
                                   src)
            else:
                y0, x0 = rng.integers(0, h - 1), rng.integers(0, w - 1)
                pred[i, y0:, x0:] = rng.integers(0, num_parts,
                                                 (h - y0, w - x0))
        gts.append(gt)
        preds.append(pred)
        scores.append(rng.choice([0.0005, 0.1, 0.3, 0.5, 0.7, 0.9], n))
    return preds, scores, gts


def test_random_cases_match_reference():
    rng = np.random.default_rng(0)
    for _ in range(150):
        num_parts = int(rng.integers(2, 7))
        h, w = (int(v) for v in rng.integers(3, 14, 2))
        preds, scores, gts = random_split(rng, int(rng.integers(1, 5)),
                                          num_parts, h, w)
        check_reference(preds, scores, gts, num_parts)


def test_iou_table_matches_pairwise_reference():
    rng = np.random.default_rng(1)
    for _ in range(30):
        num_parts = int(rng.integers(2, 6))
        preds, scores, gts = random_split(rng, 1, num_parts, 9, 11)
        table = parsing_iou_table(preds[0], scores[0], gts[0], num_parts)
        kept = [p for p, s in zip(preds[0], scores[0]) if s >= 0.001]
        persons = [g for g in gts[0] if (g > 0).any()]
        assert table['ious'].shape == (len(kept), len(persons), num_parts)
        for i, p in enumerate(kept):
            for j, g in enumerate(persons):
                np.testing.assert_array_equal(table['ious'][i, j],
                                              pair_ious(p, g, num_parts))
