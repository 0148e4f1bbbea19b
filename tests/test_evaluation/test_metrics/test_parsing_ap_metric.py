"""ParsingAPMetric: AP^p / PCP, global mIoU and the MHP-v2 submission."""

import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import BaseDataElement, InstanceData, PixelData

from mmhumanparse.evaluation import ParsingAPMetric, eval_parsing_ap
from mmhumanparse.registry import METRICS
from mmhumanparse.structures.paint import paint_persons

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
            'pred_sem_seg': painted_map(preds, scores),
            'gt_instances': {
                'parsings': torch.from_numpy(gt)
            },
            'gt_sem_seg': {
                'sem_seg': torch.from_numpy(sem)
            },
        })
        raw.append((preds, scores, gt))
    return samples, raw


def painted_map(parsings, scores, score_thr=0.001) -> dict:
    """``pred_sem_seg`` as a detector without a semantic branch writes it:
    the persons painted by the one painter."""
    sem, _ = paint_persons(np.asarray(parsings), np.asarray(scores),
                           score_thr)
    return {'sem_seg': torch.from_numpy(sem)[None]}


def as_data_element(sample: dict, cls=BaseDataElement):
    """A sample of :func:`multi_person_samples` as a data element of
    ``cls`` (what a model's test_step returns)."""
    element = cls(metainfo=dict(img_path=sample['img_path']))
    element.pred_instances = InstanceData(**sample['pred_instances'])
    element.gt_instances = InstanceData(**sample['gt_instances'])
    element.gt_sem_seg = PixelData(**sample['gt_sem_seg'])
    element.pred_sem_seg = PixelData(**sample['pred_sem_seg'])
    return element


def run_metric(metric, samples, batch=2):
    for i in range(0, len(samples), batch):
        metric.process({}, samples[i:i + batch])
    return metric.compute_metrics(metric.results)


def two_person_sample(gt_sem=None):
    """4x4 image, parts 1 and 2 (K = 3).

    GT semantic map, every row ``[1, 1, 2, 0]``. Person A (score 0.9)
    predicts ``[1, 1, 0, 0]``, person B (score 0.5) ``[0, 2, 2, 0]``: they
    overlap in column 1, where the higher score (A, label 1) must win, so
    the painted map (``pred_sem_seg``) equals the GT.
    """
    if gt_sem is None:
        gt_sem = np.tile(np.array([1, 1, 2, 0], np.uint8), (4, 1))
    a = np.tile(np.array([1, 1, 0, 0], np.uint8), (4, 1))
    b = np.tile(np.array([0, 2, 2, 0], np.uint8), (4, 1))
    gt_a = np.tile(np.array([1, 1, 0, 0], np.uint8), (4, 1))
    gt_b = np.tile(np.array([0, 0, 2, 0], np.uint8), (4, 1))
    return {
        'img_path': 'x/img0.jpg',
        'ori_shape': (4, 4),
        'pred_instances': {
            'scores': torch.tensor([0.9, 0.5]),
            'parsings': torch.from_numpy(np.stack([a, b])),
        },
        'pred_sem_seg': painted_map([a, b], [0.9, 0.5]),
        'gt_instances': {
            'parsings': torch.from_numpy(np.stack([gt_a, gt_b]))
        },
        'gt_sem_seg': {
            'sem_seg': torch.from_numpy(gt_sem[None])
        },
    }


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
    assert set(first) == {'name', 'table', 'sem_areas'}
    assert all(v.nbytes <= 8 * 4 for v in first['table'].values()
               if isinstance(v, np.ndarray))
    assert first['sem_areas'].shape == (4, K)


def test_painted_semantic_map_mIoU_by_hand():
    out = run_metric(ParsingAPMetric(num_parts=3), [two_person_sample()])
    # painted map == GT (the higher-scoring person wins the overlap)
    assert out['mIoU'] == 100.0 and out['aAcc'] == 100.0
    assert out['mAcc'] == 100.0
    # A matches its person with IoU 1; B its person with mean IoU
    # (8/12 + 4/8) / 2 > 0.5, but its part IoU 0.5 is not > 0.5 (PCP)
    assert out['AP_p50'] == 100.0 and out['PCP50'] == 50.0


def test_mIoU_reads_pred_sem_seg_only():
    """The global mIoU scores the model's own map, never a re-painting:
    a map painted from A alone gives A's mIoU whatever the thresholds, and
    without ``pred_sem_seg`` there is no mIoU."""
    sample = two_person_sample()
    parsings = sample['pred_instances']['parsings'].numpy()
    sample['pred_sem_seg'] = painted_map(parsings, [0.9, 0.5], 0.6)
    out = run_metric(ParsingAPMetric(num_parts=3, sem_seg_score_thr=0.0),
                     [sample])
    # only A is painted: [1, 1, 0, 0] against GT [1, 1, 2, 0]
    # IoU: bg 4/8, part 1 8/8, part 2 0/4; Acc: bg 1, part 1 1, part 2 0
    assert out['mIoU'] == pytest.approx(100 * (0.5 + 1 + 0) / 3, abs=0.006)
    assert out['aAcc'] == 75.0
    assert out['mAcc'] == pytest.approx(100 * 2 / 3, abs=0.006)
    # the AP^p step still sees B (score_thr is 0.001)
    assert out['AP_p50'] == 100.0
    # score_thr drops B from AP^p (recall 1/2)
    out = run_metric(
        ParsingAPMetric(num_parts=3, score_thr=0.6), [two_person_sample()])
    assert out['AP_p50'] == 50.0 and out['mIoU'] == 100.0
    del sample['pred_sem_seg']
    out = run_metric(ParsingAPMetric(num_parts=3), [sample])
    assert 'mIoU' not in out and out['AP_p50'] == 100.0


def test_ignore_index_of_the_semantic_map():
    gt_sem = np.tile(np.array([1, 1, 2, 0], np.uint8), (4, 1))
    gt_sem[0, 3] = 7  # predicted as background; not a class of K = 3
    gt_sem[1, 0] = 7  # predicted as part 1
    sample = two_person_sample(gt_sem)
    out = run_metric(ParsingAPMetric(num_parts=3, ignore_index=7), [sample])
    assert out['mIoU'] == 100.0 and out['aAcc'] == 100.0
    # with the default ignore_index (255), label 7 is an error
    with pytest.raises(ValueError, match='img0.*GT label 7'):
        ParsingAPMetric(num_parts=3).process({}, [two_person_sample(gt_sem)])


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
    elements = [as_data_element(s) for s in samples]
    as_elements = ParsingAPMetric(num_parts=K)
    assert run_metric(as_elements, elements) == out


def test_parsing_ap_metric_takes_part_classes_before_classes(monkeypatch):
    """Instance datasets' ``classes`` are the detector's ('person', ); the
    metric counts and names the parts from ``part_classes``."""
    import mmhumanparse.evaluation.metrics.parsing_ap_metric as module
    tables = []

    def record(title, columns, rows, logger=None):
        tables.append((title, [list(r) for r in rows]))

    monkeypatch.setattr(module, 'log_table', record)
    samples, _ = multi_person_samples(num=3, seed=4)
    names = tuple(f'part{i}' for i in range(K))
    metric = ParsingAPMetric()
    metric.dataset_meta = dict(classes=('person', ), part_classes=names)
    out = run_metric(metric, samples)
    per_class = [rows for title, rows in tables if 'per class' in title]
    assert len(per_class) == 1
    assert [row[0] for row in per_class[0]] == list(names)
    assert out == run_metric(ParsingAPMetric(num_parts=K), samples)
    # without part_classes, ``classes`` is still the fallback
    metric = ParsingAPMetric()
    metric.dataset_meta = dict(classes=names)
    assert run_metric(metric, samples) == out
    metric = ParsingAPMetric()
    metric.dataset_meta = dict(classes=('person', ))
    with pytest.raises(Exception):  # 1 class cannot hold the K parts
        run_metric(metric, samples)


def test_parsing_ap_metric_uses_pred_sem_seg_when_given():
    samples, _ = multi_person_samples(num=2, seed=3)
    for s in samples:
        s['pred_sem_seg'] = {'sem_seg': s['gt_sem_seg']['sem_seg'] % 255}
    out = run_metric(ParsingAPMetric(num_parts=K), samples)
    assert out['mIoU'] == 100.0 and out['aAcc'] == 100.0
    # an all-background pred_sem_seg is used as given (not the instances)
    sample = two_person_sample()
    sample['pred_sem_seg'] = {'sem_seg': torch.zeros(1, 4, 4).long()}
    out = run_metric(ParsingAPMetric(num_parts=3), [sample])
    assert out['aAcc'] == 25.0
    assert out['mIoU'] == pytest.approx(100 * 0.25 / 3, abs=0.006)


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
    sample = two_person_sample()
    sample['pred_sem_seg'] = {'sem_seg': torch.zeros(1, 4, 3)}
    with pytest.raises(ValueError, match='img0.*size'):
        ParsingAPMetric(num_parts=3).process({}, [sample])


def read_png(path):
    return cv2.imread(str(path), cv2.IMREAD_UNCHANGED)


def test_parsing_ap_metric_mhp_submission(tmp_path):
    # three persons on a 3x6 image, scores 0.4 (P0), 0.8 (P1), 0.0005 (P2,
    # below score_thr 0.001, so absent); P0 and P1 overlap in column 2
    p0 = np.zeros((3, 6), np.uint8)
    p0[:, 0:3] = 1
    p1 = np.zeros((3, 6), np.uint8)
    p1[:, 2:5] = 3
    p1[0, 4] = 0
    p2 = np.full((3, 6), 4, np.uint8)
    samples = [{
        'img_path': 'val/a.jpg',
        'ori_shape': (3, 6),
        'pred_instances': {
            'scores': torch.tensor([0.4, 0.8, 0.0005]),
            'parsings': torch.from_numpy(np.stack([p0, p1, p2]))
        }
    }, {
        'img_path': 'val/b.jpg',
        'ori_shape': (3, 6),
        'pred_instances': {
            'scores': torch.zeros(0),
            'parsings': torch.zeros(0, 3, 6, dtype=torch.uint8)
        }
    }]
    metric = ParsingAPMetric(
        num_parts=K, outfile_prefix=str(tmp_path), format_only=True)
    assert run_metric(metric, samples) == {}
    lines = (tmp_path / 'results.txt').read_text().splitlines()
    # ids in descending score order: id 1 = P1 (0.8), id 2 = P0 (0.4)
    assert lines == ['a 1 0.800000 2 0.400000', 'b']
    tag = read_png(tmp_path / 'global_tag' / 'a.png')
    seg = read_png(tmp_path / 'global_seg' / 'a.png')
    assert tag.dtype == np.uint8 and seg.dtype == np.uint8
    expected_tag = np.array([[2, 2, 1, 1, 0, 0],
                             [2, 2, 1, 1, 1, 0],
                             [2, 2, 1, 1, 1, 0]])
    expected_seg = np.array([[1, 1, 3, 3, 0, 0],
                             [1, 1, 3, 3, 3, 0],
                             [1, 1, 3, 3, 3, 0]])
    np.testing.assert_array_equal(tag, expected_tag)
    np.testing.assert_array_equal(seg, expected_seg)
    # an image without predictions gets empty maps of its ori_shape
    assert not read_png(tmp_path / 'global_tag' / 'b.png').any()
    assert read_png(tmp_path / 'global_seg' / 'b.png').shape == (3, 6)


def test_mhp_submission_uses_16_bit_tags_above_255_persons(tmp_path):
    n = 300
    parsings = np.zeros((n, 20, 20), np.uint8)
    parsings.reshape(n, -1)[np.arange(n), np.arange(n)] = 1  # one pixel each
    scores = np.linspace(0.99, 0.01, n)  # person k has rank k + 1
    sample = {
        'img_path': 'val/crowd.jpg',
        'pred_instances': {
            'scores': torch.from_numpy(scores),
            'parsings': torch.from_numpy(parsings)
        }
    }
    metric = ParsingAPMetric(
        num_parts=K, outfile_prefix=str(tmp_path), format_only=True)
    run_metric(metric, [sample])
    tag = read_png(tmp_path / 'global_tag' / 'crowd.png')
    assert tag.dtype == np.uint16
    expected = np.zeros(400, np.int64)
    expected[:n] = np.arange(1, n + 1)
    np.testing.assert_array_equal(tag.reshape(-1), expected)
    items = (tmp_path / 'results.txt').read_text().split()
    assert len(items) == 1 + 2 * n and items[-2] == str(n)


def test_through_mmengine_evaluator_with_det_samples():
    from mmdet.structures import DetDataSample
    from mmengine.evaluator import Evaluator

    samples, _ = multi_person_samples(num=4, seed=5)
    expected = run_metric(ParsingAPMetric(num_parts=K), samples)
    det = [as_data_element(s, DetDataSample) for s in samples]
    evaluator = Evaluator(
        dict(type='mmhumanparse.ParsingAPMetric', num_parts=K))
    evaluator.process(det[:2])
    evaluator.process(det[2:])
    assert evaluator.evaluate(4) == expected
