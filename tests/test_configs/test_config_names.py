"""Every config under configs/ (except _base_): its name follows the
OpenMMLab scheme of its pipeline, its model builds (paper-size ones too:
build only, no weights), and the house rules hold.

Names (docs: configs/<method>/README.md, DESIGN.md):

* segmentors (mmseg): ``{algorithm}_{backbone}_{gpus}x{batch}-{schedule}_
  {dataset}-{crop}.py``, e.g. ``c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py``;
  as in mmseg the backbone part is left out when the algorithm fixes its
  own backbone (``fastscnn_8xb4-160k_cityscapes-512x1024.py``; here
  ``lipnet_1xb4-20k_lip-512x512.py``). Toy data sets: ``toy-lip``.
* detectors (mmdet): ``{algorithm}_{backbone}_{neck}_{schedule}_{dataset}.py``,
  e.g. ``rp-rcnn_r50_fpn_3x_cihp.py``, toy ``rp-rcnn_r18_fpn_toy_toy-cihp.py``.

The pipeline of a config is told by its runtime base: segmentor_runtime.py
(mmseg visualization hook) or detector_runtime.py (mmdet's).
"""
import ast
import gc
import glob
import json
import os.path as osp
import re

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmhumanparse.models.segmentors import ParsingEncoderDecoder
from mmhumanparse.registry import MODELS
from mmhumanparse.testing.overfit import drop_pretrained

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG_DIR = osp.join(ROOT, 'configs')
CONFIGS = sorted(
    osp.relpath(p, CFG_DIR)
    for p in glob.glob(osp.join(CFG_DIR, '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(p, CFG_DIR).split(osp.sep))

_TOKEN = r'[a-z][a-z0-9]*(?:[-.][a-z0-9]+)*'
SEGMENTOR_NAME = re.compile(
    rf'^(?P<algorithm>{_TOKEN})(?:_(?P<backbone>{_TOKEN}))?'
    r'_(?P<gpus>\d+)xb(?P<batch>\d+)-(?P<schedule>\d+(?:k|e|iter))'
    rf'_(?P<dataset>{_TOKEN})-(?P<crop>\d+x\d+)\.py$')
DETECTOR_NAME = re.compile(
    rf'^(?P<algorithm>{_TOKEN})_(?P<backbone>{_TOKEN})_(?P<neck>{_TOKEN})'
    r'_(?P<schedule>(?:ms-)?\d+x|\d+e|toy)'
    rf'_(?P<dataset>{_TOKEN})\.py$')
VIS_HOOKS = {
    'mmseg.SegVisualizationHook': 'segmentor',
    'mmdet.DetVisualizationHook': 'detector',
}


def _load(name):
    return Config.fromfile(osp.join(CFG_DIR, name))


def _pipeline(cfg, name):
    hook = cfg.get('default_hooks', {}).get('visualization', {}).get('type')
    assert hook in VIS_HOOKS, (
        f'{name}: inherit _base_/segmentor_runtime.py or '
        f'_base_/detector_runtime.py (visualization hook is {hook!r})')
    assert cfg.visualizer.type == 'mmhumanparse.ParsingLocalVisualizer', name
    return VIS_HOOKS[hook]


def _walk(node, path=''):
    """Yield (path, dict) for every dict in a nested config."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f'{path}.{k}')
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            yield from _walk(v, f'{path}[{i}]')


def test_regexes_on_documented_examples():
    """The regexes accept the documented examples and reject drifts."""
    for good in ('c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py',
                 'ss-nan_r101-d8_4xb8-40e_lip-321x321.py',
                 'c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py',
                 'lipnet_1xb4-20k_lip-512x512.py'):
        assert SEGMENTOR_NAME.match(good), good
    for bad in ('c-dlinknet_r18-d16_1xb8-900iter_lip_128x96.py',
                'c_dlinknet_r18.py', 'lipnet_1x4-20k_lip-512x512.py',
                'lipnet_1xb4-20k_lip.py', 'LIPNet_1xb4-20k_lip-512x512.py'):
        assert not SEGMENTOR_NAME.match(bad), bad
    for good in ('rp-rcnn_r50_fpn_3x_cihp.py',
                 'rp-rcnn_r18_fpn_toy_toy-cihp.py',
                 'parsing-rcnn_r50_fpn_ms-3x_mhp-v2.py'):
        assert DETECTOR_NAME.match(good), good
    for bad in ('rp-rcnn_r50_3x_cihp.py', 'rp_rcnn_r50_fpn_3x_cihp.py',
                'rp-rcnn_r50_fpn_1xb2-3x_cihp.py'):
        assert not DETECTOR_NAME.match(bad), bad


def test_configs_found():
    assert any(n.startswith('c_dlinknet/') for n in CONFIGS)
    assert any(n.startswith('lipnet/') for n in CONFIGS)


@pytest.mark.parametrize('name', CONFIGS)
def test_config_name_and_rules(name):
    """Name per pipeline; batch/crop tokens agree with the config; segmentors
    use ParsingEncoderDecoder; every CE averages over non-ignored pixels."""
    cfg = _load(name)
    base = osp.basename(name)
    assert cfg.get('default_scope') == 'mmhumanparse', name
    kind = _pipeline(cfg, name)
    if kind == 'segmentor':
        m = SEGMENTOR_NAME.match(base)
        assert m, f'{name}: not {SEGMENTOR_NAME.pattern}'
        assert int(m['batch']) == cfg.train_dataloader.batch_size, name
        size = cfg.model.get('data_preprocessor', {}).get('size')
        if size is not None:
            assert m['crop'] == f'{size[0]}x{size[1]}', (name, size)
        assert 'tta_model' in cfg, name
        with DefaultScope.overwrite_default_scope('mmhumanparse'):
            seg_cls = MODELS.get(cfg.model.type)
        assert seg_cls is not None and issubclass(
            seg_cls, ParsingEncoderDecoder), (name, cfg.model.type)
    else:
        assert DETECTOR_NAME.match(base), \
            f'{name}: not {DETECTOR_NAME.pattern}'
    if m := (SEGMENTOR_NAME.match(base) or DETECTOR_NAME.match(base)):
        if m['dataset'].startswith('toy'):
            root = cfg.train_dataloader.dataset.get('data_root', '')
            assert 'toy' in root, (name, root)
    ce = [(p, d) for p, d in _walk(cfg.to_dict())
          if str(d.get('type', '')).endswith('CrossEntropyLoss')]
    for path, loss in ce:
        assert loss.get('avg_non_ignore') is True, (
            f'{name}{path}: CrossEntropyLoss without avg_non_ignore=True')


def test_avg_non_ignore_check_can_fail():
    """The CE walk finds a nested loss without the flag."""
    cfg = _load('c_dlinknet/c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py')
    cfg.model.decode_head.loss_ds.avg_non_ignore = False
    bad = [p for p, d in _walk(cfg.to_dict())
           if str(d.get('type', '')).endswith('CrossEntropyLoss')
           and d.get('avg_non_ignore') is not True]
    assert bad == ['.model.decode_head.loss_ds']


def _model_key(cfg):
    return json.dumps(cfg.to_dict()['model'], sort_keys=True, default=str)


# one build per distinct model dict (ablations share theirs with others)
_SEEN = {}


@pytest.mark.parametrize('name', CONFIGS)
def test_config_model_builds(name):
    """Build only (no weights, no init): paper-size models included."""
    cfg = _load(name)
    drop_pretrained(cfg.model)
    key = _model_key(cfg)
    if key in _SEEN:
        return  # built already for _SEEN[key]
    with DefaultScope.overwrite_default_scope('mmhumanparse'):
        model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 0
    _SEEN[key] = name
    del model
    gc.collect()


def _bases(path):
    """_base_ files of one config file (resolved paths)."""
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == '_base_'
                for t in node.targets):
            value = ast.literal_eval(node.value)
            value = [value] if isinstance(value, str) else value
            return [
                osp.normpath(osp.join(osp.dirname(path), v)) for v in value
            ]
    return []


def test_every_dataset_base_is_used():
    """Each _base_/datasets/*.py is inherited (maybe through another base)
    by at least one leaf config."""
    used, todo = set(), [osp.join(CFG_DIR, n) for n in CONFIGS]
    while todo:
        path = todo.pop()
        for b in _bases(path):
            if b not in used:
                used.add(b)
                todo.append(b)
    datasets = glob.glob(osp.join(CFG_DIR, '_base_', 'datasets', '*.py'))
    unused = sorted(osp.basename(d) for d in datasets
                    if osp.normpath(d) not in used)
    assert not unused, f'dataset bases used by no config: {unused}'


def test_runtime_bases_split_by_pipeline():
    """default_runtime holds no pipeline-specific piece; the schedules hold
    only optimizer, scheduler and loops."""
    shared = Config.fromfile(osp.join(CFG_DIR, '_base_', 'default_runtime.py'))
    text = json.dumps(shared.to_dict())
    assert 'mmseg' not in text and 'mmdet' not in text
    assert 'visualization' not in shared.default_hooks
    seg = Config.fromfile(osp.join(CFG_DIR, '_base_', 'segmentor_runtime.py'))
    assert seg.tta_model.type == 'ParsingTTAModel'
    assert seg.default_hooks.visualization.type == 'mmseg.SegVisualizationHook'
    det = Config.fromfile(osp.join(CFG_DIR, '_base_', 'detector_runtime.py'))
    assert seg.visualizer.type == det.visualizer.type == \
        'mmhumanparse.ParsingLocalVisualizer'
    assert det.default_hooks.visualization.type == 'mmdet.DetVisualizationHook'
    assert 'tta_model' not in det
    # (+ auto_scale_lr, which mmdet's schedules carry with the lr)
    allowed = {'optimizer', 'optim_wrapper', 'param_scheduler', 'train_cfg',
               'val_cfg', 'test_cfg', 'max_iters', 'max_epochs',
               'auto_scale_lr'}
    for path in glob.glob(osp.join(CFG_DIR, '_base_', 'schedules', '*.py')):
        keys = set(Config.fromfile(path).keys())
        assert keys <= allowed, (path, keys - allowed)


def test_atr_config_scores_atr_metric():
    """The ATR config inherits the ATR base: mIoU next to ATRMetric, both
    computed by one evaluator without key clashes."""
    import numpy as np
    import torch
    from mmengine.evaluator import Evaluator
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    from mmhumanparse.datasets.metainfo import ATR_METAINFO
    cfg = _load('c_dlinknet/c-dlinknet_r101-d16_2xb8-120e_atr-512x512.py')
    assert cfg.train_dataloader.dataset.type == 'ATRDataset'
    types = [m['type'] for m in cfg.val_evaluator]
    assert types == ['mmseg.IoUMetric', 'ATRMetric']
    with DefaultScope.overwrite_default_scope('mmhumanparse'):
        evaluator = Evaluator(cfg.val_evaluator)
    evaluator.dataset_meta = dict(ATR_METAINFO)
    label = torch.from_numpy(
        np.random.default_rng(0).integers(0, 18, (1, 8, 8)))
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=label)
    sample.pred_sem_seg = PixelData(data=label.clone())
    evaluator.process([sample.to_dict()])
    out = evaluator.evaluate(1)
    assert out['mIoU'] == 100.0
    assert out['ATR/F1'] == pytest.approx(100.0)


def test_lipnet_tta_resizes_like_its_test_pipeline():
    """LIP-Net (Sec. 3.1) resizes to 512 x 512 at test time; --tta uses the
    same resize, with and without flip."""
    cfg = _load('lipnet/lipnet_1xb4-20k_lip-512x512.py')
    test_resize = [t for t in cfg.test_pipeline if t.type == 'Resize']
    assert [dict(t) for t in test_resize] == [
        dict(type='Resize', scale=(512, 512), keep_ratio=False)
    ]
    scales, flips = cfg.tta_pipeline[1].transforms[:2]
    assert [dict(t) for t in scales] == [dict(t) for t in test_resize]
    assert sorted(t.prob for t in flips) == [0.0, 1.0]
    assert cfg.model.decode_head.class_weight_file.endswith(
        'class_weights.json')
