"""Registered metrics: ParsingAPMetric, ATRMetric, PCKhMetric, EdgeMetric."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.structures import BaseDataElement, InstanceData, PixelData

from mmhumanparse.evaluation import (ATRMetric, EdgeMetric, ParsingAPMetric,
                                     PCKhMetric, eval_parsing_ap, pckh)
from mmhumanparse.registry import METRICS

K = 5
H, W = 16, 20


def random_person(rng):
    m = np.zeros((H, W), np.uint8)
    y0, x0 = rng.integers(0, H - 4), rng.integers(0, W - 4)
    y1, x1 = rng.integers(y0 + 3, H + 1), rng.integers(x0 + 3, W + 1)
    m[y0:y1, x0:x1] = rng.integers(1, K, (y1 - y0, x1 - x0))
    return m


def multi_person_samples(num=7, seed=0):
    """Data-sample dicts as mmengine's Evaluator hands them to process()."""
    rng = np.random.default_rng(seed)
    samples, raw = [], []
    for i in range(num):
        gt = np.stack([random_person(rng) for _ in range(rng.integers(1, 4))])
        preds = []
        for g in gt:
            noisy = np.where(rng.random((H, W)) < 0.15, 0, g)
            preds.append(noisy)
        preds.append(random_person(rng))  # a false positive
        preds = np.stack(preds).astype(np.uint8)
        scores = rng.random(len(preds))
        sem = gt.max(axis=0)[None]
        sem[0, 0, 0] = 255
        samples.append({
            'img_path': f'data/val/images/{i:04d}.jpg',
            'ori_shape': (H, W),
            'pred_instances': {
                'scores': torch.from_numpy(scores),
                'parsings': torch.from_numpy(preds),
            },
            'gt_instances': {
                'parsings': torch.from_numpy(gt)
            },
            'gt_sem_seg': {
                'sem_seg': torch.from_numpy(sem)
            },
        })
        raw.append((preds, scores, gt))
    return samples, raw


def run_metric(metric, samples, batch=2):
    for i in range(0, len(samples), batch):
        metric.process({}, samples[i:i + batch])
    return metric.compute_metrics(metric.results)


def test_parsing_ap_metric_matches_kernel():
    samples, raw = multi_person_samples()
    metric = METRICS.build(dict(type='ParsingAPMetric', num_parts=K))
    out = run_metric(metric, samples)
    ref = eval_parsing_ap([r[0] for r in raw], [r[1] for r in raw],
                          [r[2] for r in raw], K)
    assert out['AP_p50'] == pytest.approx(ref['AP_p50'] * 100, abs=0.006)
    assert out['AP_p_vol'] == pytest.approx(ref['AP_p_vol'] * 100, abs=0.006)
    assert out['PCP50'] == pytest.approx(ref['PCP50'] * 100, abs=0.006)
    assert {'mIoU', 'aAcc', 'mAcc'} <= set(out)
    # results hold a few numbers per prediction, not masks
    first = metric.results[0]
    assert set(first) == {'name', 'table', 'sem_cm'}
    assert all(v.nbytes <= 8 * 4 for v in first['table'].values()
               if isinstance(v, np.ndarray))


def test_parsing_ap_metric_split_over_two_processes():
    samples, _ = multi_person_samples(num=9, seed=1)
    single = ParsingAPMetric(num_parts=K)
    whole = run_metric(single, samples)
    # DefaultSampler: rank r gets samples r, r + 2, ...; collect_results
    # (cpu) interleaves the ranks' results back into dataset order
    ranks = [ParsingAPMetric(num_parts=K) for _ in range(2)]
    for r, m in enumerate(ranks):
        for s in samples[r::2]:
            m.process({}, [s])
    collected = []
    for pair in zip(ranks[0].results, ranks[1].results + [None]):
        collected.extend(p for p in pair if p is not None)
    assert len(collected) == len(samples)
    split = ParsingAPMetric(num_parts=K).compute_metrics(collected)
    assert split == whole


def test_parsing_ap_metric_data_elements_and_dataset_meta():
    samples, _ = multi_person_samples(num=3, seed=2)
    as_dicts = ParsingAPMetric()
    as_dicts.dataset_meta = dict(classes=tuple(f'c{i}' for i in range(K)))
    out = run_metric(as_dicts, samples)
    elements = []
    for s in samples:
        e = BaseDataElement(metainfo=dict(img_path=s['img_path']))
        e.pred_instances = InstanceData(**s['pred_instances'])
        e.gt_instances = InstanceData(**s['gt_instances'])
        e.gt_sem_seg = PixelData(**s['gt_sem_seg'])
        elements.append(e)
    as_elements = ParsingAPMetric(num_parts=K)
    assert run_metric(as_elements, elements) == out


def test_parsing_ap_metric_uses_pred_sem_seg_when_given():
    samples, _ = multi_person_samples(num=2, seed=3)
    for s in samples:
        s['pred_sem_seg'] = {'sem_seg': s['gt_sem_seg']['sem_seg'] % 255}
    out = run_metric(ParsingAPMetric(num_parts=K), samples)
    assert out['mIoU'] == 100.0 and out['aAcc'] == 100.0


def test_parsing_ap_metric_errors():
    samples, _ = multi_person_samples(num=1)
    del samples[0]['gt_instances']
    with pytest.raises(ValueError, match='gt_instances'):
        ParsingAPMetric(num_parts=K).process({}, samples)
    samples, _ = multi_person_samples(num=1)
    samples[0]['gt_instances']['parsings'] = samples[0]['gt_instances'][
        'parsings'][:, :8]
    with pytest.raises(ValueError, match='0000'):
        ParsingAPMetric(num_parts=K).process({}, samples)
    with pytest.raises(ValueError, match='num_parts'):
        ParsingAPMetric().process({}, samples)
    with pytest.raises(ValueError, match='outfile_prefix'):
        ParsingAPMetric(format_only=True)


def test_parsing_ap_metric_mhp_submission(tmp_path):
    import cv2
    samples, raw = multi_person_samples(num=2, seed=4)
    for s in samples:
        del s['gt_instances'], s['gt_sem_seg']
    metric = ParsingAPMetric(
        num_parts=K, outfile_prefix=str(tmp_path), format_only=True)
    assert run_metric(metric, samples) == {}
    lines = (tmp_path / 'results.txt').read_text().splitlines()
    assert [ln.split()[0] for ln in lines] == ['0000', '0001']
    preds, scores, _ = raw[0]
    items = lines[0].split()[1:]
    assert len(items) == 2 * len(scores)
    ids = [int(v) for v in items[0::2]]
    assert ids == list(range(1, len(scores) + 1))
    best = int(np.argmax(scores))
    assert float(items[1]) == pytest.approx(scores[best], abs=1e-6)
    seg = cv2.imread(osp.join(tmp_path, 'global_seg', '0000.png'),
                     cv2.IMREAD_UNCHANGED)
    tag = cv2.imread(osp.join(tmp_path, 'global_tag', '0000.png'),
                     cv2.IMREAD_UNCHANGED)
    assert seg.shape == (H, W) and tag.shape == (H, W)
    # the best person keeps all its pixels
    fg = preds[best] > 0
    assert (tag[fg] == 1).all() and (seg[fg] == preds[best][fg]).all()


def test_atr_metric():
    classes = ('background', 'a', 'b')
    metric = METRICS.build(dict(type='ATRMetric'))
    metric.dataset_meta = dict(classes=classes)
    gt = torch.tensor([[[0, 1, 1], [2, 255, 2]]])
    pred = torch.tensor([[[0, 1, 2], [2, 1, 0]]])
    sample = {'pred_sem_seg': {'data': pred}, 'gt_sem_seg': {'data': gt}}
    out = run_metric(metric, [sample, sample])
    assert out['aAcc'] == 60.0
    assert out['FgAcc'] == 50.0  # 2 of 4 foreground pixels
    # class a: P 1/1 R 1/2; class b: P 1/2 R 1/2
    assert out['Precision'] == 75.0 and out['Recall'] == 50.0
    assert out['F1'] == pytest.approx(100 * (2 / 3 + 1 / 2) / 2, abs=0.01)
    with pytest.raises(ValueError, match='classes'):
        ATRMetric().process({}, [sample])


def test_pckh_metric():
    rng = np.random.default_rng(0)
    gt = rng.random((4, 16, 2)) * 100
    vis = (rng.random((4, 16)) > 0.2).astype(np.float32)
    vis[:, 8:10] = 1
    pred = gt + rng.normal(0, 5, gt.shape)
    samples = [{
        'pred_keypoints': {'keypoints': torch.from_numpy(pred[i])},
        'gt_keypoints': {'keypoints': torch.from_numpy(gt[i]),
                         'visible': torch.from_numpy(vis[i])},
    } for i in range(4)]
    metric = METRICS.build(dict(type='PCKhMetric'))
    out = run_metric(metric, samples)
    ref = pckh(pred, gt, vis)
    assert out['PCKh'] == pytest.approx(100 * ref['Mean'], abs=0.006)
    assert out['PCKh_Head'] == pytest.approx(100 * ref['Head'], abs=0.006)
    assert len(out) == 8
    samples[0]['pred_keypoints']['keypoints'] = torch.zeros(15, 2)
    with pytest.raises(ValueError):
        PCKhMetric().process({}, samples[:1])


def test_edge_metric():
    gt = np.zeros((1, 30, 40), np.int64)
    gt[0, 5:25, 20] = 1
    gt[0, :, 35:] = 255
    prob = np.zeros((1, 30, 40), np.float32)
    prob[0, 5:25, 20] = 0.9
    prob[0, 5:25, 5] = 0.3
    sample = {'pred_edge': {'data': torch.from_numpy(prob)},
              'gt_edge_map': {'data': torch.from_numpy(gt)}}
    metric = METRICS.build(dict(type='EdgeMetric'))
    out = run_metric(metric, [sample, sample])
    assert out == {'ODS': 100.0, 'OIS': 100.0}
    bad = {'pred_edge': {'data': torch.zeros(1, 10, 10)},
           'gt_edge_map': {'data': torch.from_numpy(gt)}}
    with pytest.raises(ValueError):
        EdgeMetric().process({}, [bad])


def test_through_mmengine_evaluator_with_det_and_seg_samples():
    from mmdet.structures import DetDataSample
    from mmengine.evaluator import Evaluator
    from mmseg.structures import SegDataSample

    samples, _ = multi_person_samples(num=4, seed=5)
    expected = run_metric(ParsingAPMetric(num_parts=K), samples)
    det = []
    for s in samples:
        d = DetDataSample(metainfo=dict(img_path=s['img_path']))
        d.pred_instances = InstanceData(**s['pred_instances'])
        d.gt_instances = InstanceData(**s['gt_instances'])
        d.gt_sem_seg = PixelData(**s['gt_sem_seg'])
        det.append(d)
    evaluator = Evaluator(
        dict(type='mmhumanparse.ParsingAPMetric', num_parts=K))
    evaluator.process(det[:2])
    evaluator.process(det[2:])
    assert evaluator.evaluate(4) == expected

    seg = SegDataSample()
    seg.pred_sem_seg = PixelData(data=torch.tensor([[[0, 1], [1, 1]]]))
    seg.gt_sem_seg = PixelData(data=torch.tensor([[[0, 1], [2, 1]]]))
    evaluator = Evaluator(dict(type='ATRMetric'))
    evaluator.dataset_meta = dict(classes=('bg', 'a', 'b'))
    evaluator.process([seg])
    out = evaluator.evaluate(1)
    assert out['aAcc'] == 75.0 and out['Recall'] == 50.0
