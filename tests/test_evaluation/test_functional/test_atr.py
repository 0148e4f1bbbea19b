"""ATR scores (accuracy, foreground accuracy, precision, recall, F-1)."""
import numpy as np
import pytest

from mmhumanparse.evaluation.functional import atr_scores


def areas(cm):
    """(intersect, pred, label) areas of a confusion matrix (rows GT)."""
    cm = np.asarray(cm)
    return np.diag(cm), cm.sum(0), cm.sum(1)


def test_atr_scores_by_hand():
    # rows GT, columns prediction; classes: bg, 1, 2, 3 (3 never in GT)
    cm = np.array([[50, 2, 0, 3],
                   [4, 10, 6, 0],
                   [0, 0, 0, 5],
                   [0, 0, 0, 0]])
    s = atr_scores(*areas(cm))
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


def test_atr_scores_background_index():
    # the same matrix with class 1 as the background
    cm = np.array([[50, 2, 0, 3],
                   [4, 10, 6, 0],
                   [0, 0, 0, 5],
                   [0, 0, 0, 0]])
    s = atr_scores(*areas(cm), background=1)
    assert s['FgAcc'] == pytest.approx(50 / 60)
    # class 0: P 50/54 R 50/55; class 2: P 0 R 0
    assert s['Precision'] == pytest.approx((50 / 54) / 2)
    assert s['Recall'] == pytest.approx((50 / 55) / 2)
    assert np.isnan(s['class_precision'][1])


def test_atr_perfect():
    s = atr_scores(*areas(np.diag([5, 3, 2])))
    for key in ('aAcc', 'FgAcc', 'Precision', 'Recall', 'F1', 'F1_hmean'):
        assert s[key] == 1.0


def test_atr_scores_bad_input():
    with pytest.raises(ValueError, match='lengths'):
        atr_scores([1, 2], [1, 2, 3], [1, 2])
