"""ATRMetric: accuracy, foreground accuracy, precision, recall, F-1."""
import pytest
import torch

from mmhumanparse.evaluation import ATRMetric
from mmhumanparse.registry import METRICS


def run_metric(metric, samples, batch=2):
    for i in range(0, len(samples), batch):
        metric.process({}, samples[i:i + batch])
    return metric.compute_metrics(metric.results)


GT = torch.tensor([[[0, 1, 1], [2, 255, 2]]])
PRED = torch.tensor([[[0, 1, 2], [2, 1, 0]]])


def test_atr_metric_by_hand():
    metric = METRICS.build(dict(type='ATRMetric'))
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    sample = {'pred_sem_seg': {'data': PRED}, 'gt_sem_seg': {'data': GT}}
    out = run_metric(metric, [sample, sample])
    assert out['aAcc'] == 60.0
    assert out['FgAcc'] == 50.0  # 2 of 4 foreground pixels
    # class a: P 1/1 R 1/2; class b: P 1/2 R 1/2
    assert out['Precision'] == 75.0 and out['Recall'] == 50.0
    assert out['F1'] == pytest.approx(100 * (2 / 3 + 1 / 2) / 2, abs=0.01)
    assert out['F1_hmean'] == pytest.approx(100 * 2 * .75 * .5 / 1.25,
                                            abs=0.01)
    # per image: (4, K) areas of mmseg's intersect_and_union
    inter, union, pred, label = metric.results[0]
    assert inter.tolist() == [1, 1, 1] and label.tolist() == [1, 2, 2]
    assert pred.tolist() == [2, 1, 2] and union.tolist() == [2, 2, 3]


def test_atr_metric_background_index():
    # the same maps, with class 1 declared the background
    metric = ATRMetric(background=1)
    metric.dataset_meta = dict(classes=('a', 'background', 'b'))
    sample = {'pred_sem_seg': {'data': PRED}, 'gt_sem_seg': {'data': GT}}
    out = run_metric(metric, [sample])
    assert out['aAcc'] == 60.0
    assert out['FgAcc'] == pytest.approx(100 * 2 / 3, abs=0.006)  # 0 and 2
    # class 0: P 1/2 R 1/1; class 2: P 1/2 R 1/2
    assert out['Precision'] == 50.0 and out['Recall'] == 75.0
    assert out['F1'] == pytest.approx(100 * (2 / 3 + 1 / 2) / 2, abs=0.01)


def test_atr_metric_ignore_index_and_errors():
    gt = torch.tensor([[[0, 1, 1], [2, 9, 2]]])
    metric = ATRMetric(ignore_index=9)
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    sample = {'pred_sem_seg': {'data': PRED}, 'gt_sem_seg': {'data': gt}}
    assert run_metric(metric, [sample])['aAcc'] == 60.0
    with pytest.raises(ValueError, match='GT label 9'):
        m = ATRMetric()
        m.dataset_meta = dict(classes=('background', 'a', 'b'))
        m.process({}, [sample])
    with pytest.raises(ValueError, match='classes'):
        ATRMetric().process({}, [sample])
    m = ATRMetric()
    m.dataset_meta = dict(classes=('background', 'a', 'b'))
    with pytest.raises(ValueError, match='pred_sem_seg'):
        m.process({}, [{'gt_sem_seg': {'data': GT}}])
    with pytest.raises(ValueError, match='predicted label 3'):
        m.process({}, [{'pred_sem_seg': {'data': PRED + 1},
                        'gt_sem_seg': {'data': GT}}])


def test_atr_metric_through_evaluator_with_seg_samples():
    from mmengine.evaluator import Evaluator
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    seg = SegDataSample()
    seg.pred_sem_seg = PixelData(data=torch.tensor([[[0, 1], [1, 1]]]))
    seg.gt_sem_seg = PixelData(data=torch.tensor([[[0, 1], [2, 1]]]))
    evaluator = Evaluator(dict(type='mmhumanparse.ATRMetric'))
    evaluator.dataset_meta = dict(classes=('bg', 'a', 'b'))
    evaluator.process([seg])
    out = evaluator.evaluate(1)
    assert out['aAcc'] == 75.0 and out['Recall'] == 50.0
