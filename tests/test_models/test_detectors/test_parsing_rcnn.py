"""ParsingRCNN (Parsing R-CNN / RP R-CNN): combination (Fig. 4) on a
hand-made detector output, paper-size configs, flip augmentation, metrics
from the detector's outputs, overfitting, toy training (slow) and use from
a stock mmdet config."""
import copy
import glob
import os.path as osp
import re

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.structures import InstanceData

from mmhumanparse.registry import DATASETS, MODELS
from mmhumanparse.testing.det_samples import persons_det_sample
from mmhumanparse.testing.toy_cihp import cihp_config, write_cihp_coco

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
TOY = osp.join(REPO, 'configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py')
PAPER_CONFIGS = sorted(
    glob.glob(osp.join(REPO, 'configs/parsing_rcnn/*_r50_*.py')) +
    glob.glob(osp.join(REPO, 'configs/rp_rcnn/*_r50_*.py')))


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
@pytest.fixture(scope='module')
def toy_cihp(toy_roots, tmp_path_factory):
    root = toy_roots['CIHP']
    return root, write_cihp_coco(root, str(tmp_path_factory.mktemp('ann')))


def fixed_batch(cfg: Config, n: int = 2, split: str = 'train') -> dict:
    """One collated batch of the first ``n`` samples (flip off)."""
    ds_cfg = copy.deepcopy(
        cfg.train_dataloader.dataset
        if split == 'train' else cfg.val_dataloader.dataset)
    if split == 'train':
        ds_cfg.pipeline = [
            t for t in ds_cfg.pipeline if t.type != 'HumanDetRandomFlip'
        ]
    ds = DATASETS.build(ds_cfg)
    return pseudo_collate([ds[i] for i in range(n)])


def hand_made_batch(num_parts: int, size: int = 64) -> dict:
    """One image with two persons, their part maps and the global map."""
    torch.manual_seed(0)
    parsings = torch.zeros((2, size, size), dtype=torch.uint8)
    parsings[0, 8:56, 6:28] = 1
    parsings[0, 30:56, 6:28] = num_parts - 1
    parsings[1, 4:60, 34:60] = 2
    return dict(
        inputs=[torch.randint(0, 255, (3, size, size), dtype=torch.uint8)],
        data_samples=[persons_det_sample(parsings)])


def flat_losses(losses: dict) -> dict:
    """Loss terms only, per-level lists (RPN) summed."""
    return {
        k: sum(v) if isinstance(v, (list, tuple)) else v
        for k, v in losses.items() if 'loss' in k
    }


def loss_sum(losses: dict) -> torch.Tensor:
    return sum(flat_losses(losses).values())


# --------------------------------------------------------------------------
# combination (Fig. 4) on a hand-made detector output
# --------------------------------------------------------------------------
def hand_made_output(model, size: int = 8):
    """Replace the toy model's semantic and RoI predictions by hand-made
    ones; returns the probabilities and what the RoI head was given."""
    probs = torch.full((20, size, size), 0.01)
    probs[3, :, :size // 2] = 0.9  # left half: part 3, confident
    probs[4, :, size // 2:] = 0.6  # right half: part 4, below 0.7
    a = torch.zeros((size, size), dtype=torch.uint8)
    a[1:3, 1:3] = 1  # person A, score 0.9
    b = torch.zeros((size, size), dtype=torch.uint8)
    b[5:7, 5:7] = 2  # person B, score 0.2
    seen = {}

    def roi_predict(x, rpn_results, samples, rescale=False, **kwargs):
        seen.update(kwargs, rescale=rescale)
        return [
            InstanceData(
                bboxes=torch.tensor([[1., 1., 3., 3.], [5., 5., 7., 7.]]),
                scores=torch.tensor([0.9, 0.2]),
                labels=torch.tensor([0, 0]),
                parsings=torch.stack([a, b]),
                masks=torch.stack([a, b]) > 0)
        ]

    model.roi_head.predict = roi_predict
    model.semantic_head.predict = lambda *args, **kwargs: [probs]
    return probs, seen


@pytest.mark.parametrize('combine_thr, semantic_thr',
                         [(0.3, 0.7), (0.1, 0.7), (0.3, 0.0)])
def test_combined_map_on_hand_made_output(combine_thr, semantic_thr,
                                          tmp_path):
    """pred_sem_seg = global map (labels > test_cfg.semantic.score_thr)
    with the persons scoring >= test_cfg.combine.score_thr on top (survivor
    M64: B, at 0.2, is painted only when the threshold allows it)."""
    cfg = Config.fromfile(TOY)
    cfg.model.test_cfg.combine.score_thr = combine_thr
    cfg.model.test_cfg.semantic.score_thr = semantic_thr
    model = MODELS.build(cfg.model).eval()
    probs, seen = hand_made_output(model)
    batch = dict(inputs=[torch.zeros((3, 8, 8), dtype=torch.uint8)],
                 data_samples=[persons_det_sample(
                     torch.ones((1, 8, 8), dtype=torch.uint8))])
    with torch.no_grad():
        out = model.test_step(batch)[0]
    assert seen['rescale'] and seen['sem_probs'][0] is probs
    expect = torch.zeros((8, 8), dtype=torch.uint8)
    expect[:, :4] = 3
    if semantic_thr < 0.6:
        expect[:, 4:] = 4
    assert torch.equal(out.pred_global_seg.sem_seg[0], expect)
    expect[1:3, 1:3] = 1
    if combine_thr <= 0.2:
        expect[5:7, 5:7] = 2
    assert torch.equal(out.pred_sem_seg.sem_seg[0], expect)
    # the MHP-v2 submission writes this very map; its person tags mark the
    # persons painted into it (sem_seg_score_thr = the combine threshold)
    from mmhumanparse.evaluation import ParsingAPMetric
    out.set_metainfo(dict(img_path='val/x.jpg'))
    metric = ParsingAPMetric(num_parts=20, format_only=True,
                             outfile_prefix=str(tmp_path),
                             sem_seg_score_thr=combine_thr)
    metric.process({}, [out.to_dict()])
    seg = cv2.imread(str(tmp_path / 'global_seg' / 'x.png'), 0)
    tag = cv2.imread(str(tmp_path / 'global_tag' / 'x.png'), 0)
    np.testing.assert_array_equal(seg, expect.numpy())
    assert (tag[1:3, 1:3] == 1).all()
    assert (tag[5:7, 5:7] == (2 if combine_thr <= 0.2 else 0)).all()
    assert tag.sum() == 4 + (8 if combine_thr <= 0.2 else 0)


# --------------------------------------------------------------------------
# paper-size configs: build, one loss forward and one predict at 64 px
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    'path', PAPER_CONFIGS, ids=[osp.basename(p) for p in PAPER_CONFIGS])
def test_paper_config_builds_and_runs(path):
    cfg = Config.fromfile(path)
    assert cfg.model.type == 'ParsingRCNN'
    name = osp.basename(path)
    num_parts = cfg.model.roi_head.parsing_head.num_classes
    assert num_parts == (59 if 'mhp-v2' in name else 20)
    assert (cfg.model.get('semantic_head') is not None) == (
        'rp-rcnn_' in name or 'rp-rcnn-gse' in name)
    strides = cfg.model.rpn_head.anchor_generator.strides
    if cfg.model.get('semantic_head') is not None:
        # official GSE: embedding conv, S2-S5 to a 4-level RPN, labels
        # padded with background, global labels kept above 0.7
        sem = cfg.model.semantic_head
        assert sem.with_embedding and sem.num_outs == 4 and sem.num_ins == 5
        assert strides == [4, 8, 16, 32]
        pre = cfg.model.data_preprocessor
        assert pre.pad_seg and pre.seg_pad_value == 0
        assert cfg.model.test_cfg.semantic.score_thr == 0.7
    else:
        assert strides == [4, 8, 16, 32, 64]
    assert ('parsing_iou_head' in cfg.model.roi_head and
            cfg.model.roi_head.parsing_iou_head is not None) == (
                'rp-rcnn_' in name or 'rp-rcnn-prsn' in name)
    # paper schedule (Sec. 4.1): batch 2 x 8, lr 0.02, 512 box RoIs
    assert cfg.optim_wrapper.optimizer.lr == 0.02
    assert cfg.train_dataloader.batch_size == 2
    assert cfg.model.train_cfg.rcnn.sampler.num == 512
    assert cfg.model.train_cfg.rcnn.max_parsing_rois_per_img == 16
    # iterations and lr steps: tests/test_configs/test_paper_constants.py
    # keep the CPU cost small: 1 parsing RoI, few proposals
    cfg.model.backbone.init_cfg = None
    cfg.model.train_cfg.rpn_proposal.max_per_img = 64
    cfg.model.train_cfg.rcnn.max_parsing_rois_per_img = 1
    cfg.model.test_cfg.rpn.max_per_img = 32
    cfg.model.test_cfg.rcnn.max_per_img = 1
    cfg.model.test_cfg.rcnn.score_thr = 0.0
    model = MODELS.build(cfg.model)
    data = model.data_preprocessor(hand_made_batch(num_parts), True)
    # the levels the RPN reads (S2-S5 with the GSE branch)
    assert len(model.extract_feat(data['inputs'])) == len(strides)
    losses = model(**data, mode='loss')
    assert torch.isfinite(loss_sum(losses))
    assert ('loss_semantic_seg' in losses) == model.with_semantic_head
    assert ('loss_parsing_iou' in losses) == model.roi_head.with_parsing_iou
    model.eval()
    with torch.no_grad():
        out = model(
            **model.data_preprocessor(hand_made_batch(num_parts), False),
            mode='predict')[0]
    pred = out.pred_instances
    assert pred.parsings.shape[1:] == (64, 64)
    assert pred.parsings.dtype == torch.uint8 and len(pred) == 1
    assert out.pred_sem_seg.sem_seg.shape == (1, 64, 64)


# --------------------------------------------------------------------------
# flip augmentation swaps part labels per person
# --------------------------------------------------------------------------
def test_flip_augmentation_swaps_part_labels_per_instance(toy_cihp):
    root, anns = toy_cihp
    cfg = cihp_config(TOY, root, anns)
    ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    base = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadMultiPersonAnnotations', with_mask=False)
    ]
    ds_cfg.pipeline = base + [dict(type='PackParsingDetInputs')]
    plain = DATASETS.build(ds_cfg)[0]['data_samples']
    ds_cfg.pipeline = base + [
        dict(type='HumanDetRandomFlip', prob=1.0),
        dict(type='PackParsingDetInputs')
    ]
    ds = DATASETS.build(ds_cfg)
    flipped = ds[0]['data_samples']
    lut = np.arange(256)
    for a, b in ds.metainfo['flip_pairs']:
        lut[a], lut[b] = b, a
    src = plain.gt_instances.parsings.numpy()
    got = flipped.gt_instances.parsings.numpy()
    assert got.shape == src.shape and len(src) >= 2
    swapped = False
    for p_src, p_got in zip(src, got):  # each person on its own
        np.testing.assert_array_equal(p_got, lut[p_src[:, ::-1]])
        swapped |= bool((lut[p_src] != p_src).any())
    assert swapped  # the toy persons do have left/right parts
    np.testing.assert_array_equal(
        flipped.gt_sem_seg.sem_seg[0].numpy(),
        lut[plain.gt_sem_seg.sem_seg[0].numpy()[:, ::-1]])


# --------------------------------------------------------------------------
# the detector's outputs feed ParsingAPMetric, CocoMetric (tools/test.py)
# --------------------------------------------------------------------------
def test_metrics_run_on_detector_outputs(toy_cihp, tmp_path):
    from mmengine.runner import Runner
    root, anns = toy_cihp
    cfg = cihp_config(TOY, root, anns)
    cfg.work_dir = str(tmp_path)
    cfg.default_hooks.visualization = dict(type='mmdet.DetVisualizationHook')
    cfg.model.test_cfg.rcnn.score_thr = 0.0
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    for key in ('AP_p50', 'AP_p_vol', 'PCP50', 'mIoU', 'coco/bbox_mAP'):
        assert key in metrics and np.isfinite(metrics[key]), key
    # and what the metric reads is what the detector writes
    model = runner.model.eval()
    with torch.no_grad():
        out = model.test_step(fixed_batch(cfg, n=1, split='val'))[0]
    h, w = out.ori_shape
    assert out.pred_instances.parsings.shape[1:] == (h, w)
    assert out.pred_instances.parsings.dtype == torch.uint8
    assert out.pred_sem_seg.sem_seg.shape == (1, h, w)
    assert out.gt_instances.parsings.shape[1:] == (h, w)


# --------------------------------------------------------------------------
# overfitting a fixed batch through the real toy config (<= 60 s)
# --------------------------------------------------------------------------
def test_toy_overfits_fixed_batch(toy_cihp):
    """Every loss falls on a fixed batch (loss_bbox from its early peak; the
    PRSN's MSE regresses a target that moves as the parsing improves, from
    ~0: it must stay small while the parsing loss falls), the sum at least
    halves, and every parameter
    gets a finite non-zero gradient (checked after the first steps: the
    non-local block's output conv starts at zero, as in mmcv)."""
    root, anns = toy_cihp
    cfg = cihp_config(TOY, root, anns)
    # the toy model on the images at their own 160 px (CPU time)
    cfg.train_dataloader.dataset.pipeline[2].scale = [(160, 160), (160, 160)]
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    data = model.data_preprocessor(fixed_batch(cfg), True)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    history = []
    for _ in range(30):
        losses = flat_losses(model(**copy.deepcopy(data), mode='loss'))
        opt.zero_grad()
        sum(losses.values()).backward()
        history.append({k: v.item() for k, v in losses.items()})
        opt.step()
    first = {k: np.mean([h[k] for h in history[:3]]) for k in history[0]}
    # mmdet averages loss_bbox over every sampled RoI, positive or not: it
    # rises while the RPN's proposals turn into positives, then falls.
    # Judge it from its peak in the first third of the steps.
    first['loss_bbox'] = max(h['loss_bbox'] for h in history[:10])
    last = {k: np.mean([h[k] for h in history[-3:]]) for k in history[0]}
    assert set(first) == {
        'loss_rpn_cls', 'loss_rpn_bbox', 'loss_cls', 'loss_bbox',
        'loss_parsing', 'loss_parsing_iou', 'loss_semantic_seg'
    }
    for key in first:
        if key != 'loss_parsing_iou':
            assert last[key] < first[key], (key, first[key], last[key])
    assert last['loss_parsing_iou'] < 0.02
    assert sum(last.values()) < 0.5 * sum(first.values())
    for name, p in model.named_parameters():
        assert p.grad is not None, name
        assert torch.isfinite(p.grad).all(), name
        assert p.grad.abs().sum() > 0, name


# --------------------------------------------------------------------------
# held-out toy training (slow)
# --------------------------------------------------------------------------
@pytest.mark.slow
def test_toy_config_learns_toy_cihp(tmp_path):
    """The toy config (800 iterations) on 24 toy CIHP train images, judged
    once on the 12 held-out val images with the real ``ParsingAPMetric``.

    Measured with this seed on 2 idle cores (2026-11-24, 254 s): AP^p50
    67.1, AP^p_vol 52.6, PCP50 51.2, mIoU 64.7, box AP50 96; one thread:
    72.5 / 53.8 / 54.8 / 63.8 / 97. AP^p50 is noisy on 35 val persons:
    before the fixed RoIAlign sampling grid the same schedule gave
    64.4-70.4, and cut to 600 / 700 iterations 48.2 / 47.3.
    """
    from mmengine.hooks import Hook
    from mmengine.runner import Runner

    from mmhumanparse.testing import make_toy_data
    root = make_toy_data(str(tmp_path / 'data'), 'cihp', num=24,
                         seed=1)['CIHP']
    anns = write_cihp_coco(root, str(tmp_path / 'ann'))
    cfg = cihp_config(TOY, root, anns)
    cfg.work_dir = str(tmp_path / 'work')
    # no checkpoints, no visualisation, validate once (after training)
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=-1, by_epoch=False, save_last=False)
    cfg.default_hooks.visualization = dict(
        type='mmdet.DetVisualizationHook', draw=False)
    cfg.randomness = dict(seed=0)
    cfg.train_cfg.val_interval = cfg.train_cfg.max_iters + 1
    runner = Runner.from_cfg(cfg)
    losses = []

    def record(_, batch_idx, data_batch=None, outputs=None):
        losses.append({k: float(v) for k, v in outputs.items()
                       if 'loss' in k})

    hook = Hook()
    hook.after_train_iter = record
    runner.register_hook(hook)
    runner.train()
    metrics = runner.val_loop.run()
    print('toy CIHP metrics:', metrics)
    assert not glob.glob(osp.join(cfg.work_dir, '**', '*.pth'),
                         recursive=True)
    for key in losses[0]:
        first = np.mean([h[key] for h in losses[:20]])
        last = np.mean([h[key] for h in losses[-20:]])
        if key == 'loss_parsing_iou':  # regresses a target rising from ~0
            assert last < 0.05, (key, first, last)
        else:
            assert last < first, (key, first, last)
    assert metrics['coco/bbox_mAP_50'] > 0.9
    assert metrics['mIoU'] > 58
    assert metrics['AP_p_vol'] > 45
    assert metrics['PCP50'] > 40
    assert metrics['AP_p50'] > 50


# --------------------------------------------------------------------------
# a stock mmdet config + custom_imports (configs/rp_rcnn/README.md)
# --------------------------------------------------------------------------
def readme_stock_config() -> str:
    """The python block of configs/rp_rcnn/README.md that builds on a stock
    mmdet config (the one with ``custom_imports``)."""
    with open(osp.join(REPO, 'configs/rp_rcnn/README.md')) as f:
        blocks = re.findall(r'^```python\n(.*?)^```', f.read(), re.M | re.S)
    found = [b for b in blocks if 'custom_imports' in b]
    assert len(found) == 1, f'{len(found)} stock-mmdet blocks in the README'
    return found[0]


def test_stock_mmdet_config_trains_two_iterations(toy_cihp, tmp_path):
    """The README's stock-mmdet config (read from the README), run as
    mmdet's tools/train.py does (Runner.from_cfg) for two iterations on toy
    CIHP."""
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    root, anns = toy_cihp
    path = tmp_path / 'parsing-rcnn_stock-mmdet.py'
    path.write_text(readme_stock_config())
    cfg = Config.fromfile(str(path))
    assert cfg.default_scope == 'mmdet'
    cfg.work_dir = str(tmp_path / 'work')
    cfg.model.backbone.init_cfg = None
    # CPU speed only: 2 parsing RoIs of 16 x 16, a narrow GCE head
    cfg.model.train_cfg.rcnn.max_parsing_rois_per_img = 2
    cfg.model.roi_head.parsing_roi_extractor.roi_layer.output_size = 16
    cfg.model.roi_head.parsing_head.update(
        roi_feat_size=16, aspp_channels=32, conv_out_channels=64)
    ds = cfg.train_dataloader.dataset
    ds.data_root = root
    ds.ann_file = anns['train']
    ds.pipeline[2].scale = (128, 96)
    cfg.train_dataloader.batch_size = 1
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=2)
    cfg.param_scheduler = []
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.test_cfg = cfg.test_dataloader = cfg.test_evaluator = None
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=-1, by_epoch=False, save_last=False)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.log_processor = dict(by_epoch=False)
    try:
        runner = Runner.from_cfg(cfg)
        assert type(runner.model).__name__ == 'ParsingRCNN'
        assert type(runner.model.roi_head).__name__ == 'ParsingRoIHead'
        runner.train()
        assert runner.iter == 2
    finally:  # the runner made 'mmdet' the current scope: restore ours
        init_default_scope('mmhumanparse')
