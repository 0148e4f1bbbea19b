"""EdgeMetric: BSDS protocol (pyEdgeEval) and the fast disk preview."""
import numpy as np
import pytest
import torch

from mmhumanparse.evaluation import EdgeMetric
from mmhumanparse.registry import METRICS

PROTOCOLS = ('bsds', 'fast')


def is_100(value, protocol):
    """100 exactly for 'fast'; for 'bsds' up to the matcher's noise: its
    random sparse outlier graph (seeded from the clock) leaves about 0.25 %
    of the pixels of a perfect map unmatched on average (0-4 of 320 in 300
    runs), i.e. a pixel or two of these 20-40 px lines at most (F >= 97;
    AP loses 1/101 per recall level 0.01 above the recall: >= 95)."""
    return value == 100.0 if protocol == 'fast' else 95.0 <= value <= 100.0


def run_metric(metric, samples, batch=2):
    for i in range(0, len(samples), batch):
        metric.process({}, samples[i:i + batch])
    return metric.compute_metrics(metric.results)


def sample(prob, gt, name='img'):
    return {
        'img_path': f'val/{name}.jpg',
        'pred_edge': {
            'data': torch.as_tensor(prob, dtype=torch.float32)[None]
        },
        'gt_edge_map': {'data': torch.as_tensor(gt)[None]}
    }


def vertical_edge(h, w, col, rows):
    gt = np.zeros((h, w), np.uint8)
    gt[rows[0]:rows[1], col] = 1
    return gt


@pytest.mark.parametrize('protocol', PROTOCOLS)
def test_perfect_prediction_scores_100(protocol):
    gt = vertical_edge(30, 40, 20, (5, 25))
    gt[:, 35:] = 255
    prob = gt * np.float32(0.9)
    prob[:, 35:] = 0
    prob[5:25, 5] = 0.3  # a false edge below the best threshold
    metric = METRICS.build(dict(type='EdgeMetric', protocol=protocol))
    out = run_metric(metric, [sample(prob, gt), sample(prob, gt)])
    assert set(out) == ({'ODS', 'OIS', 'AP'} if protocol == 'bsds' else
                        {'ODS', 'OIS'})
    for value in out.values():
        assert is_100(value, protocol), out


def interpolated_best_f(r, p):
    """BSDS ODS by hand: best F on the PR segment between two points."""
    best = 0.0
    for d in np.linspace(0, 1, 101):
        rr = r[1] * d + r[0] * (1 - d)
        pp = p[1] * d + p[0] * (1 - d)
        best = max(best, 2 * pp * rr / (pp + rr))
    return best


@pytest.mark.parametrize('protocol', PROTOCOLS)
def test_ods_and_ois_differ(protocol):
    # thresholds 0.25, 0.5, 0.75. Image 1: its edge at 0.4 (found at 0.25
    # only). Image 2: its edge at 0.9 plus a false line at 0.45 (best at
    # 0.5). Each image is perfect at its own best threshold: OIS = 100.
    gt = vertical_edge(40, 60, 30, (5, 35))
    p1 = gt * np.float32(0.4)
    p2 = gt * np.float32(0.9)
    p2[5:35, 10] = 0.45
    metric = EdgeMetric(protocol=protocol, num_thresholds=3)
    out = run_metric(metric, [sample(p1, gt, 'a'), sample(p2, gt, 'b')])
    assert is_100(out['OIS'], protocol)
    # split: at 0.25 P = 60/90, R = 1; at 0.5 P = 1, R = 1/2 (0.75 alike)
    if protocol == 'fast':
        ods = 2 * (2 / 3) / (5 / 3)  # best of the thresholds: 0.8
        tol = 0.006
    else:
        ods = interpolated_best_f([1, 0.5], [2 / 3, 1])
        tol = 3.5  # a few pixels left unmatched, see is_100
    assert out['ODS'] == pytest.approx(100 * ods, abs=tol)
    assert out['ODS'] < out['OIS'] - 10


def test_doubled_edge_bsds_matches_one_to_one():
    # tolerance 0.0075 * diag(100x120) = 1.17 px; the prediction is two
    # parallel lines 1 px either side of the GT line. Fast: every predicted
    # pixel has a GT pixel within the disk (P = 1). BSDS: each GT pixel
    # takes one predicted pixel, the other line is unmatched (P = 1/2).
    gt = vertical_edge(100, 120, 60, (20, 80))
    prob = np.zeros(gt.shape, np.float32)
    prob[20:80, 59] = prob[20:80, 61] = 0.8
    fast = run_metric(EdgeMetric(protocol='fast'), [sample(prob, gt)])
    bsds = run_metric(EdgeMetric(protocol='bsds'), [sample(prob, gt)])
    assert fast['ODS'] == 100.0
    assert bsds['ODS'] == pytest.approx(100 * 2 * 0.5 / 1.5, abs=0.006)


def test_thick_edge_bsds_thins_the_prediction():
    # tolerance 0.0075 * diag(60x80) = 0.75 px (< 1 px: exact positions).
    # A 3-px-thick band centred on the GT line: fast counts the two side
    # columns as false (P = 1/3); BSDS thins the band to its centre line
    # (P = 1; the ends shorten by a pixel, so R is slightly below 1).
    gt = vertical_edge(60, 80, 40, (10, 50))
    prob = np.zeros(gt.shape, np.float32)
    prob[10:50, 39:42] = 0.8
    metric = EdgeMetric(protocol='bsds')
    bsds = run_metric(metric, [sample(prob, gt)])
    fast = run_metric(EdgeMetric(protocol='fast'), [sample(prob, gt)])
    assert fast['ODS'] == pytest.approx(100 * 2 * (1 / 3) / (4 / 3),
                                        abs=0.006)
    cnt_p, sum_p, cnt_r, sum_r = metric.results[0][:, 0]
    assert 36 <= sum_p <= 40  # one thin line ...
    assert sum_p - cnt_p <= 2  # ... all matched (up to the matcher's noise)
    assert sum_r == 40 and cnt_r == cnt_p  # one-to-one
    assert bsds['ODS'] > 93


@pytest.mark.parametrize('protocol', PROTOCOLS)
def test_num_thresholds(protocol):
    gt = vertical_edge(30, 40, 20, (5, 25))
    prob = gt * np.float32(0.3)
    one = EdgeMetric(protocol=protocol, num_thresholds=1)  # t = 0.5
    assert one.thresholds.tolist() == [0.5]
    assert run_metric(one, [sample(prob, gt)])['ODS'] == 0.0
    three = EdgeMetric(protocol=protocol, num_thresholds=3)  # 0.25, ...
    assert is_100(run_metric(three, [sample(prob, gt)])['ODS'], protocol)
    assert three.results[0].shape == (4, 3)


@pytest.mark.parametrize('protocol', PROTOCOLS)
def test_max_dist(protocol):
    # a 2-px shift: missed at 0.0075 x diag(40x60) = 0.54 px, found at
    # 0.04 x 72.1 = 2.9 px
    gt = vertical_edge(40, 60, 30, (5, 35))
    prob = np.roll(gt, 2, axis=1) * np.float32(0.9)
    out = run_metric(EdgeMetric(protocol=protocol), [sample(prob, gt)])
    assert out['ODS'] == 0.0
    out = run_metric(
        EdgeMetric(protocol=protocol, max_dist=0.04), [sample(prob, gt)])
    assert is_100(out['ODS'], protocol)


@pytest.mark.parametrize('protocol', PROTOCOLS)
def test_ignored_pixels_do_not_count(protocol):
    gt = vertical_edge(40, 60, 30, (5, 35))
    gt[:, 50:] = 255
    prob = gt * np.float32(0)
    prob[5:35, 30] = 1.0
    prob[:, 55] = 1.0  # false edge in the ignored area
    out = run_metric(EdgeMetric(protocol=protocol), [sample(prob, gt)])
    assert is_100(out['ODS'], protocol)
    # ignore_index is honoured: 7 marks the ignored area instead of 255
    gt7 = np.where(gt == 255, 7, gt).astype(np.uint8)
    out = run_metric(
        EdgeMetric(protocol=protocol, ignore_index=7), [sample(prob, gt7)])
    assert is_100(out['ODS'], protocol)


def test_errors_name_the_image_and_the_field():
    gt = vertical_edge(30, 40, 20, (5, 25))
    metric = EdgeMetric(protocol='fast')
    with pytest.raises(ValueError, match=r"'img'.*missing: pred_edge\.data"):
        metric.process({}, [{'img_path': 'img.jpg',
                             'gt_edge_map': {'data': torch.from_numpy(gt)}}])
    with pytest.raises(ValueError, match='missing: gt_edge_map.data'):
        metric.process({}, [{'pred_edge': {'data': torch.zeros(1, 30, 40)}}])
    with pytest.raises(ValueError, match="'img'.*shape"):
        metric.process({}, [sample(np.zeros((10, 10)), gt)])
    with pytest.raises(ValueError, match=r'probability in \[0, 1\]'):
        metric.process({}, [sample(gt * 5.0, gt)])  # logits, not probs
    with pytest.raises(ValueError, match='0, 1 or 255'):
        metric.process({}, [sample(gt * 0.5, gt * 2)])
    with pytest.raises(ValueError, match='protocol'):
        EdgeMetric(protocol='matlab')
    with pytest.raises(ValueError, match='max_dist'):
        EdgeMetric(max_dist=0)


def test_through_mmengine_evaluator_with_seg_samples():
    from mmengine.evaluator import Evaluator
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    gt = vertical_edge(30, 40, 20, (5, 25))
    s = SegDataSample(metainfo=dict(img_path='val/x.jpg'))
    s.pred_edge = PixelData(data=torch.from_numpy(gt * np.float32(0.7))[None])
    s.gt_edge_map = PixelData(data=torch.from_numpy(gt)[None])
    evaluator = Evaluator(dict(type='mmhumanparse.EdgeMetric'))
    evaluator.process([s])
    out = evaluator.evaluate(1)
    assert set(out) == {'ODS', 'OIS', 'AP'}
    assert all(is_100(v, 'bsds') for v in out.values()), out
