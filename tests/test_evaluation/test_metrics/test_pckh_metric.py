"""PCKhMetric: PCKh per joint group on hand-made keypoints."""
import numpy as np
import pytest
import torch

from mmhumanparse.evaluation import MPII_JOINT_GROUPS, PCKhMetric, pckh
from mmhumanparse.registry import METRICS

NUM_PERSONS = 4
HEAD = 10.0  # head size of every person


def run_metric(metric, samples, batch=2):
    for i in range(0, len(samples), batch):
        metric.process({}, samples[i:i + batch])
    return metric.compute_metrics(metric.results)


def hand_made(good=3.0, bad=7.0):
    """Four persons, head size 10, predictions off by ``good`` or ``bad``.

    Group g (Head, Shoulder, ..., Ankle = 0 ... 6) has 8 (joint, person)
    slots; the first ``7 - g`` of them (in joint-major order) are off by
    ``good`` pixels, the others by ``bad``. So at PCKh@0.5 the groups score
    7/8, 6/8, ..., 1/8. Pelvis and thorax (not in a group) are all off by
    ``bad``.

    Returns:
        tuple: samples, expected {group: fraction at thr 0.5}, pred, gt,
        visible arrays.
    """
    rng = np.random.default_rng(0)
    gt = rng.random((NUM_PERSONS, 16, 2)) * 100
    gt[:, 9] = gt[:, 8] + [0, HEAD]  # head top 10 px below upper neck
    offset = np.full((NUM_PERSONS, 16), bad)
    expected = {}
    for g, (name, joints) in enumerate(MPII_JOINT_GROUPS):
        slots = [(j, p) for j in joints for p in range(NUM_PERSONS)]
        for j, p in slots[:7 - g]:
            offset[p, j] = good
        expected[name] = (7 - g) / 8
    angle = rng.random((NUM_PERSONS, 16)) * 2 * np.pi
    pred = gt + offset[..., None] * np.stack(
        [np.cos(angle), np.sin(angle)], -1)
    vis = np.ones((NUM_PERSONS, 16), np.float32)
    samples = [{
        'pred_keypoints': {'keypoints': torch.from_numpy(pred[i])},
        'gt_keypoints': {'keypoints': torch.from_numpy(gt[i]),
                         'visible': torch.from_numpy(vis[i])},
    } for i in range(NUM_PERSONS)]
    return samples, expected, pred, gt, vis


def test_pckh_metric_every_group_by_hand():
    samples, expected, pred, gt, vis = hand_made()
    out = run_metric(METRICS.build(dict(type='PCKhMetric')), samples)
    assert set(out) == {'PCKh'} | {f'PCKh_{g}' for g in expected}
    for name, frac in expected.items():
        assert out[f'PCKh_{name}'] == pytest.approx(100 * frac, abs=0.006)
    # Mean: 28 of 56 grouped joints; pelvis / thorax (all wrong) left out
    assert out['PCKh'] == 50.0
    ref = pckh(pred, gt, vis)
    assert out['PCKh'] == pytest.approx(100 * ref['Mean'], abs=0.006)


@pytest.mark.parametrize('thr, value', [(0.2, 0.0), (0.5, None),
                                        (0.8, 100.0)])
def test_pckh_metric_thr(thr, value):
    # offsets 3 and 7 px for a head size 10: 0.3 and 0.7 head sizes
    samples, expected, *_ = hand_made()
    out = run_metric(PCKhMetric(thr=thr), samples)
    for name, frac in expected.items():
        want = 100 * frac if value is None else value
        assert out[f'PCKh_{name}'] == pytest.approx(want, abs=0.006)


def test_pckh_metric_missing_joints_and_errors():
    samples, *_ = hand_made()
    # a person without a head top is left out entirely; a missing joint
    # of another person is not evaluated
    samples[0]['gt_keypoints']['visible'][9] = 0
    samples[1]['gt_keypoints']['visible'][0] = 0
    out = run_metric(PCKhMetric(), samples)
    # Ankle (joints 0 and 5), slot order (0, p0), (0, p1), ...: only the
    # first slot (0, p0) was good, and person 0 is gone -> 0 of 5
    assert out['PCKh_Ankle'] == 0.0
    bad = dict(samples[2])
    bad['pred_keypoints'] = {'keypoints': torch.zeros(15, 2)}
    with pytest.raises(ValueError, match='15'):
        PCKhMetric().process({}, [bad])
    with pytest.raises(ValueError, match='pred_keypoints'):
        PCKhMetric().process({},
                             [{'gt_keypoints': samples[0]['gt_keypoints']}])
