"""SS-NAN Share-Net segmentor: configs, scale loop, losses, predict, flip
test, and learning (fast overfit; slow toy-LIP training)."""
import copy
import gc
import glob
import os.path as osp
import re
import time

import pytest
import torch
import torch.nn.functional as F
from mmengine import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmhumanparse.datasets.metainfo import LIP_METAINFO, PPP_METAINFO
from mmhumanparse.models.segmentors import MultiScaleEncoderDecoder
from mmhumanparse.registry import MODELS
from mmhumanparse.structures.flip import swap_flip_channels

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
CFG_DIR = osp.join(REPO, 'configs', 'ss_nan')
TOY1 = osp.join(CFG_DIR,
                'ss-nan-stage1_r18-d4_1xb4-200iter_toy-lip-128x96.py')
TOY = osp.join(CFG_DIR, 'ss-nan_r18-d4_1xb4-100iter_toy-lip-128x96.py')
PAPER = osp.join(CFG_DIR, 'ss-nan_r101-d8_1xb30-30e_lip-321x321.py')
LIP_PAIRS = [(14, 15), (16, 17), (18, 19)]


def _toy_model(path=TOY, **model_opts):
    model_cfg = copy.deepcopy(Config.fromfile(path).model)
    for key, value in model_opts.items():
        model_cfg[key] = value  # whole keys replaced, not merged
    torch.manual_seed(0)
    return MODELS.build(model_cfg)


def _samples(n, h, w, c=20, seed=0, ori=None):
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        s = SegDataSample(
            metainfo=dict(
                img_shape=(h, w), pad_shape=(h, w), ori_shape=ori or (h, w),
                flip_pairs=LIP_PAIRS))
        s.gt_sem_seg = PixelData(
            data=torch.randint(0, c, (1, h, w), generator=g))
        out.append(s)
    return out


# ------------------------------------------------------------- configs
def test_every_ss_nan_config_follows_the_paper_recipe():
    names = sorted(glob.glob(osp.join(CFG_DIR, '*.py')))
    assert len(names) >= 12
    for path in names:
        name = osp.basename(path)
        cfg = Config.fromfile(path)
        m = cfg.model
        assert m.type == 'MultiScaleEncoderDecoder', name
        assert tuple(m.scales) == (0.5, 0.75, 1.0), name
        assert m.decode_head.loss_decode.avg_non_ignore, name
        agg = {'avg': 'AverageAggregation', 'max': 'MaxAggregation'}
        kind = re.match(r'ss-nan-(avg|max)', name)
        assert m.aggregation.type == (agg[kind.group(1)] if kind else
                                      'NeuralAggregation'), name
        joint = m.decode_head.get('loss_joint')
        assert (joint is None) == ('stage1' in name or 'nojoint' in name), \
            name
        if joint is not None:
            meta = PPP_METAINFO if '_ppp-' in name else LIP_METAINFO
            assert [tuple(g) for g in joint.joint_groups] == \
                [tuple(g) for g in meta['joint_groups']], name
        if 'toy' in name:
            if 'stage1' not in name:
                assert cfg.load_from == (
                    'work_dirs/' + osp.basename(TOY1)[:-3] + '/iter_200.pth')
            continue
        # Sec. 4.1: the recipe of the paper-size configs
        assert m.backbone.depth == 101 and m.backbone.type == \
            'mmseg.ResNetV1c'
        assert tuple(m.backbone.strides) == (1, 2, 1, 1)
        assert tuple(m.backbone.dilations) == (1, 1, 2, 4)
        assert cfg.train_dataloader.batch_size == 30
        opt = cfg.optim_wrapper.optimizer
        assert (opt.type, opt.lr, opt.momentum, opt.weight_decay) == (
            'SGD', 0.001, 0.9, 0.0005)
        assert cfg.optim_wrapper.paramwise_cfg.custom_keys[
            'decode_head.conv_seg'].lr_mult == 10.
        poly = cfg.param_scheduler[0]
        assert poly.type == 'PolyLR' and poly.power == 0.9
        pipe = {t.type: t for t in cfg.train_dataloader.dataset.pipeline}
        assert tuple(pipe['RandomResize'].ratio_range) == (0.6, 1.4)
        assert 'HumanRandomFlip' in pipe
        assert cfg.crop_size == (321, 321)
        if 'stage1' in name:
            assert cfg.train_cfg.max_epochs == 40 and cfg.load_from is None
        else:
            assert cfg.train_cfg.max_epochs == 30
            stage1 = re.sub(r'(ss-nan(-avg|-max)?)(-nojoint|-flip)?_(.*)-30e_',
                            r'\1-stage1_\4-40e_', name)[:-3]
            assert cfg.load_from == f'work_dirs/{stage1}/epoch_40.pth', name
            assert osp.isfile(osp.join(CFG_DIR, stage1 + '.py'))


def test_paper_config_builds_and_runs_one_forward():
    cfg = Config.fromfile(PAPER)
    model = revert_sync_batchnorm(MODELS.build(cfg.model)).eval()
    # architecture against the paper (Sec. 3.1, 3.2, 4.1)
    assert model.decode_head.conv_seg.weight.shape == (20, 3584, 3, 3)
    assert model.aggregation.conv1.conv.weight.shape == (512, 60, 3, 3)
    assert model.aggregation.conv2.weight.shape == (3, 512, 3, 3)
    # Sec. 4.1: one test view; the -flip config adds the mirrored one
    assert not model.test_cfg.flip and model.aggregate == 'logits'
    assert Config.fromfile(PAPER.replace('ss-nan_', 'ss-nan-flip_')
                           ).model.test_cfg.flip
    inputs = torch.randn(1, 3, 65, 49)
    with torch.no_grad():
        logits, agg = model.multi_scale_forward(inputs)
        out = model.predict(inputs, _samples(1, 65, 49))
    assert [tuple(lg.shape[-2:]) for lg in logits] == [(4, 3), (7, 5),
                                                       (9, 7)]
    assert agg.shape == (1, 20, 9, 7)
    assert out[0].pred_sem_seg.data.shape == (1, 65, 49)
    del model
    gc.collect()


# --------------------------------------------------------- scale loop
def test_scale_loop_and_deeply_supervised_losses():
    model = _toy_model(test_cfg=dict(mode='whole', flip=False))
    inputs = torch.randn(2, 3, 64, 48)
    samples = _samples(2, 64, 48)
    logits, agg = model.multi_scale_forward(inputs)
    # one shared backbone and head at 0.5, 0.75, 1.0 (the toy's output
    # stride is 4)
    assert [tuple(lg.shape) for lg in logits] == [(2, 20, 8, 6),
                                                  (2, 20, 12, 9),
                                                  (2, 20, 16, 12)]
    assert agg.shape == (2, 20, 16, 12)
    losses = model.loss(inputs, samples)
    for prefix in ('decode.s0.5', 'decode.s0.75', 'decode.s1', 'decode.agg'):
        for key in ('loss_ss_nan', 'parsing_ce', 'joint_l2'):
            assert torch.isfinite(losses[f'{prefix}.{key}']), prefix
    # the aggregate's parsing loss is the CE of the merged logits
    label = torch.stack([s.gt_sem_seg.data[0] for s in samples])
    model.eval()  # no batch-norm update between the two passes
    with torch.no_grad():
        _, agg = model.multi_scale_forward(inputs)
        ref = F.cross_entropy(
            F.interpolate(agg, size=(64, 48), mode='bilinear'), label)
        agg_losses = model.loss(inputs, samples)
    torch.testing.assert_close(agg_losses['decode.agg.parsing_ce'], ref)


def test_average_aggregation_and_test_scales():
    model = _toy_model(
        aggregation=dict(type='AverageAggregation'),
        test_cfg=dict(mode='whole', scales=(0.5, 0.75, 1.0, 1.25))).eval()
    inputs = torch.randn(1, 3, 64, 48)
    with torch.no_grad():
        logits, agg = model.multi_scale_forward(inputs)
        scores = [
            F.interpolate(lg, size=(16, 12), mode='bilinear')
            for lg in logits
        ]
        torch.testing.assert_close(agg, torch.stack(scores).mean(0))
        out = model.encode_decode(inputs, [{}])  # four test scales
    assert out.shape == (1, 20, 64, 48)
    neural = _toy_model(test_cfg=dict(mode='whole', scales=(0.5, 1.0)))
    with pytest.raises(ValueError, match='scales'):
        neural.encode_decode(inputs, [{}])


def _hand_made_logits(model, u, v):
    """Make the decode head return constant logits: ``u`` at the grid of
    scale 0.5 (2 x 2), ``v`` at the grid of scale 1 (4 x 4)."""

    def forward(feats):
        n, (h, w) = feats[0].shape[0], feats[0].shape[-2:]
        vec = {(2, 2): u, (4, 4): v}[(h, w)]
        return vec.view(1, -1, 1, 1).expand(n, -1, h, w).clone()

    model.decode_head.forward = forward
    return model


@pytest.mark.parametrize('kind', ['average', 'neural', 'probs'])
def test_scores_are_merged_before_the_softmax(kind):
    """Sec. 3.3 / LIP_SSL: the scales' logits are weighted and summed, the
    CE acts on the sum; ``aggregate='probs'`` merges softmax maps."""
    u = torch.zeros(20)
    v = torch.zeros(20)
    u[0], v[1] = 2., 2.
    agg = dict(type='NeuralAggregation', channels=8) if kind == 'neural' \
        else dict(type='AverageAggregation')
    model = _toy_model(
        TOY1, scales=(0.5, 1.0), aggregation=agg,
        aggregate='probs' if kind == 'probs' else 'logits').eval()
    seen = []
    if kind == 'neural':
        # weights 3/4 for scale 0.5, 1/4 for scale 1
        torch.nn.init.zeros_(model.aggregation.conv2.weight)
        with torch.no_grad():
            model.aggregation.conv2.bias.copy_(torch.tensor([3., 1.]).log())
        model.aggregation.conv1.register_forward_hook(
            lambda m, inp, out: seen.append(inp[0]))
    _hand_made_logits(model, u, v)
    samples = _samples(1, 16, 16)
    for s in samples:
        s.gt_sem_seg.data.zero_()  # every pixel is class 0
    with torch.no_grad():
        ce = model.loss(torch.zeros(1, 3, 16, 16),
                        samples)['decode.agg.loss_ce']
        out = model.encode_decode(torch.zeros(1, 3, 16, 16), [{}])
    e = torch.e
    expected = {
        # mean logits (1, 1, 0 x 18): -log(e / (2e + 18))
        'average': torch.log(torch.tensor(2 + 18 / e)),
        # 3/4 u + 1/4 v = (1.5, 0.5, 0 x 18)
        'neural': -torch.log(torch.tensor(e**1.5 / (e**1.5 + e**.5 + 18))),
        # mean of the softmax maps: p_0 = (e^2 + 1) / (2 (e^2 + 19))
        'probs': torch.log(torch.tensor(2 * (e**2 + 19) / (e**2 + 1))),
    }[kind]
    torch.testing.assert_close(ce, expected)
    if kind != 'probs':
        ref = torch.tensor([1.5, .5] if kind == 'neural' else [1., 1.])
        torch.testing.assert_close(out[0, :2], ref.view(2, 1, 1).expand(
            2, 16, 16))
    if kind == 'neural':  # the scorer reads the softmax maps
        torch.testing.assert_close(
            seen[0][0, :, 0, 0], torch.cat([u.softmax(0), v.softmax(0)]))


def test_scale_loss_weight_scales_the_per_scale_losses():
    """Deep supervision weighted by ``scale_loss_weight``; the aggregate's
    loss and the logged factors are not."""
    inputs, samples = torch.randn(2, 3, 32, 24), _samples(2, 32, 24)
    full = _toy_model(scale_loss_weight=1.0).loss(inputs, samples)
    half = _toy_model(scale_loss_weight=0.5).loss(inputs, samples)
    for s in ('0.5', '0.75', '1'):
        key = f'decode.s{s}.loss_ss_nan'
        torch.testing.assert_close(half[key], 0.5 * full[key])
        torch.testing.assert_close(half[f'decode.s{s}.parsing_ce'],
                                   full[f'decode.s{s}.parsing_ce'])
    torch.testing.assert_close(half['decode.agg.loss_ss_nan'],
                               full['decode.agg.loss_ss_nan'])


def test_predict_returns_one_map_at_the_input_size():
    model = _toy_model(test_cfg=dict(mode='whole', flip=True)).eval()
    assert isinstance(model, MultiScaleEncoderDecoder)
    inputs = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        out = model.predict(inputs, _samples(2, 64, 48))
        bigger = model.predict(inputs, _samples(2, 64, 48, ori=(80, 60)))
        model.test_cfg.flip = False
        plain = model.predict(inputs, _samples(2, 64, 48))
    assert len(out) == 2
    for s in out:
        assert s.pred_sem_seg.data.shape == (1, 64, 48)
        assert s.seg_logits.data.shape == (20, 64, 48)
    assert bigger[0].pred_sem_seg.data.shape == (1, 80, 60)
    # without flip: the merged logits at the input size
    with torch.no_grad():
        ref = model.encode_decode(inputs, [{}, {}])
    torch.testing.assert_close(plain[1].seg_logits.data, ref[1])


def test_flip_test_swaps_left_and_right():
    model = _toy_model(test_cfg=dict(mode='whole', flip=True)).eval()
    inputs = torch.randn(1, 3, 64, 48)
    meta = [dict(flip_pairs=LIP_PAIRS, ori_shape=(64, 48))]
    with torch.no_grad():
        a = model.inference(inputs, meta)
        b = model.inference(inputs.flip(-1), meta)
    # flip + swap averaging makes the output mirror-equivariant
    torch.testing.assert_close(b, swap_flip_channels(a.flip(-1), LIP_PAIRS))
    assert (b - a.flip(-1)).abs().max() > 1e-4  # the swap matters


# ------------------------------------------------------------ learning
def stage2_gradient_ratio(model_cfg, ckpt, batch):
    """Gradient norm of the stage-2 loss over that of plain CE.

    Both models start from the state dict in ``ckpt`` and see the same
    (pre-processed) ``batch`` in training mode; the plain one is the same
    model without ``decode_head.loss_joint``. Returns (ratio, L_joint of
    the aggregate).
    """
    norms, joint = [], None
    for with_joint in (True, False):
        cfg = copy.deepcopy(model_cfg)
        if not with_joint:
            cfg.decode_head.loss_joint = None
        model = MODELS.build(cfg)
        state = torch.load(ckpt, map_location='cpu', weights_only=False)
        model.load_state_dict(state['state_dict'])
        model.train()
        losses = model(**batch, mode='loss')
        total, _ = model.parse_losses(losses)
        params = [p for p in model.parameters() if p.requires_grad]
        grads = torch.autograd.grad(total, params, allow_unused=True)
        norms.append(
            torch.stack([g.norm() for g in grads if g is not None]).norm())
        if with_joint:
            joint = float(losses['decode.agg.joint_l2'])
    return float(norms[0] / norms[1]), joint


def test_toy_config_overfits_one_batch(toy_roots):
    from mmhumanparse.testing.overfit import overfit_one_batch
    res = overfit_one_batch(
        TOY, steps=15, data_root=toy_roots['LIP'], batch_size=2)
    print(f'overfit: first {res.first:.4f} last {res.last:.4f} '
          f'({res.seconds:.1f} s, {res.num_params} params)')
    res.assert_learns(ratio=0.5)
    res.assert_all_grads()


@pytest.mark.slow
def test_toy_configs_learn_toy_lip(tmp_path, monkeypatch):
    """The paper's two stages on toy LIP: L_parsing (toy stage 1), then
    L_SS-NAN (toy stage 2, from the stage-1 checkpoint)."""
    from mmengine.runner import Runner

    from mmhumanparse.testing import make_toy_data

    # mmengine checkpoints hold non-tensor objects (torch >= 2.6 refuses
    # them by default); this one was written by this test
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    t0 = time.time()
    root = make_toy_data(str(tmp_path / 'toy'), dataset='lip', num=200,
                         seed=1)['LIP']

    def config(path, work, **opts):
        cfg = Config.fromfile(path)
        cfg.merge_from_dict({
            f'{split}_dataloader.{key}': value
            for split in ('train', 'val', 'test')
            for key, value in (('dataset.data_root', root),
                               ('num_workers', 0),
                               ('persistent_workers', False))
        })
        cfg.merge_from_dict(
            dict(randomness=dict(seed=0), work_dir=str(tmp_path / work),
                 **opts))
        cfg.default_hooks.pop('visualization')  # no images written
        cfg.default_hooks.logger.interval = 10
        return cfg

    # stage 1: no validation, one checkpoint for stage 2
    cfg1 = config(TOY1, 'stage1')
    cfg1.val_cfg = cfg1.val_dataloader = cfg1.val_evaluator = None
    runner1 = Runner.from_cfg(cfg1)
    runner1.train()
    ce1 = runner1.message_hub.get_scalar('train/decode.agg.loss_ce').data[0]
    ckpt = osp.join(str(tmp_path / 'stage1'),
                    f'iter_{cfg1.train_cfg.max_iters}.pth')
    # stage 2
    cfg2 = config(TOY, 'stage2', load_from=ckpt)
    runner2 = Runner.from_cfg(cfg2)
    # L_joint of the untrained model on one training batch
    untrained = MODELS.build(copy.deepcopy(cfg2.model))
    untrained.init_weights()
    loader = iter(
        Runner.build_dataloader(
            copy.deepcopy(cfg2.train_dataloader), seed=0))
    batches = [
        untrained.data_preprocessor(next(loader), True) for _ in range(3)
    ]
    with torch.no_grad():
        joint0 = float(
            untrained(**batches[0], mode='loss')['decode.agg.joint_l2'])
    # stage 2 trains: its gradient is of the order of stage 1's (L_joint in
    # grid cells, a weight of the CE), not ~1 % of it (mean of 3 batches)
    ratios = [
        stage2_gradient_ratio(cfg2.model, ckpt, batch) for batch in batches
    ]
    ratio = sum(r for r, _ in ratios) / len(ratios)
    print('stage-2 / CE gradient norm on the stage-1 checkpoint: '
          f'{ratio:.3f} (batches: ' +
          ', '.join(f'{r:.3f} at L_joint {j:.3f}' for r, j in ratios) + ')')
    assert 0.3 <= ratio <= 3, ratios
    runner2.train()
    hub = runner2.message_hub
    ce2 = hub.get_scalar('train/decode.agg.parsing_ce').data[0]
    joint = hub.get_scalar('train/decode.agg.joint_l2').data[0]
    # the loop validated once, at its last iteration
    metrics = dict(mIoU=hub.get_scalar('val/mIoU').current())
    print(f'toy LIP: parsing CE {ce1[:5].mean():.3f} (stage-1 start) -> '
          f'{ce1[-10:].mean():.3f} (stage-1 end) -> {ce2[-10:].mean():.3f} '
          f'(stage-2 end); L_joint {joint0:.5f} (untrained) -> '
          f'{joint[:10].mean():.5f} (stage-2 start) -> '
          f'{joint[-10:].mean():.5f} (end); mIoU {metrics["mIoU"]:.2f}; '
          f'{time.time() - t0:.0f} s')
    assert ce1[-10:].mean() < 0.5 * ce1[:5].mean()
    assert ce2[-10:].mean() < 0.5 * ce1[:5].mean()
    assert joint[-10:].mean() < 0.5 * joint0
    assert joint[-10:].mean() < joint[:10].mean()
    assert metrics['mIoU'] >= 60, metrics


def test_auxiliary_head_rejected_at_build():
    """An auxiliary head has no place in the per-scale deep supervision: the
    segmentor refuses it when it is built, naming the key."""
    cfg = Config.fromfile(TOY).model
    cfg.auxiliary_head = copy.deepcopy(cfg.decode_head)
    with pytest.raises(ValueError, match='auxiliary_head'):
        MODELS.build(cfg)
