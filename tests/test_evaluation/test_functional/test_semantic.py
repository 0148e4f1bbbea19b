"""Confusion matrix, mIoU / pixel acc / mean acc, ATR scores."""
import numpy as np
import pytest

from mmhumanparse.evaluation.functional import (atr_scores, confusion_matrix,
                                                paint_instances,
                                                semantic_scores)


def test_confusion_matrix_ignores_255():
    gt = np.array([[0, 1, 1], [2, 255, 2]])
    pred = np.array([[0, 1, 2], [2, 1, 0]])
    cm = confusion_matrix(pred, gt, 3)
    expected = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 1]])
    np.testing.assert_array_equal(cm, expected)
    assert cm.dtype == np.int64
    # (1, H, W) inputs work the same
    np.testing.assert_array_equal(
        confusion_matrix(pred[None], gt[None], 3), expected)


@pytest.mark.parametrize('pred, gt', [
    (np.zeros((2, 3)), np.zeros((3, 2))),
    (np.full((2, 2), 3), np.zeros((2, 2))),
    (np.zeros((2, 2)), np.full((2, 2), 7)),
])
def test_confusion_matrix_bad_input(pred, gt):
    with pytest.raises(ValueError):
        confusion_matrix(pred, gt, 3)


def test_semantic_scores_by_hand():
    cm = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 1]])
    s = semantic_scores(cm)
    np.testing.assert_allclose(s['IoU'], [1 / 2, 1 / 2, 1 / 3])
    np.testing.assert_allclose(s['Acc'], [1, 1 / 2, 1 / 2])
    assert s['mIoU'] == pytest.approx(4 / 9)
    assert s['mAcc'] == pytest.approx(2 / 3)
    assert s['aAcc'] == pytest.approx(3 / 5)


def test_semantic_scores_absent_class_is_nan():
    cm = np.array([[2, 0, 0], [0, 3, 0], [0, 0, 0]])
    s = semantic_scores(cm)
    assert np.isnan(s['IoU'][2]) and np.isnan(s['Acc'][2])
    assert s['mIoU'] == 1.0 and s['mAcc'] == 1.0


def test_atr_scores_by_hand():
    # rows GT, columns prediction; classes: bg, 1, 2, 3 (3 never in GT)
    cm = np.array([[50, 2, 0, 3],
                   [4, 10, 6, 0],
                   [0, 0, 0, 5],
                   [0, 0, 0, 0]])
    s = atr_scores(cm)
    assert s['aAcc'] == pytest.approx(60 / 80)
    assert s['FgAcc'] == pytest.approx(10 / 25)
    # class 1: P 10/12, R 10/20; class 2: never predicted -> P 0, R 0
    assert s['Precision'] == pytest.approx((10 / 12 + 0) / 2)
    assert s['Recall'] == pytest.approx((10 / 20 + 0) / 2)
    f1_1 = 2 * 10 / (20 + 12)
    assert s['F1'] == pytest.approx((f1_1 + 0) / 2)
    p, r = s['Precision'], s['Recall']
    assert s['F1_hmean'] == pytest.approx(2 * p * r / (p + r))
    assert np.isnan(s['class_precision'][0])  # background
    assert np.isnan(s['class_precision'][3])  # absent from GT
    assert s['class_precision'][2] == 0.0


def test_atr_perfect():
    cm = np.diag([5, 3, 2])
    s = atr_scores(cm)
    for key in ('aAcc', 'FgAcc', 'Precision', 'Recall', 'F1', 'F1_hmean'):
        assert s[key] == 1.0


def test_paint_instances_highest_score_wins():
    a = np.zeros((4, 4), np.uint8)
    a[:, :3] = 1
    b = np.zeros((4, 4), np.uint8)
    b[:, 2:] = 2
    sem, person = paint_instances(np.stack([a, b]), [0.9, 0.5], (4, 4))
    assert (sem[:, :3] == 1).all() and (sem[:, 3] == 2).all()
    assert (person[:, :3] == 1).all() and (person[:, 3] == 2).all()
    sem, person = paint_instances(np.stack([a, b]), [0.5, 0.9], (4, 4))
    assert (sem[:, :2] == 1).all() and (sem[:, 2:] == 2).all()
    assert (person[:, 2:] == 1).all()
    # below the threshold nothing is painted
    sem, person = paint_instances(np.stack([a, b]), [0.5, 0.9], (4, 4),
                                  score_thr=0.95)
    assert not sem.any() and not person.any()
    sem, person = paint_instances(np.zeros((0, 4, 4)), [], (4, 4))
    assert sem.shape == (4, 4) and not sem.any()
