"""HTCorrMHead: encoders (Sec. 3.2), HNL wiring (Sec. 3.3), Eq. 4 losses."""
import glob
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.structures import InstanceData, PixelData
from mmseg.structures import SegDataSample

from mmhumanparse.registry import MODELS
from mmhumanparse.testing.overfit import drop_pretrained

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
CFG_DIR = osp.join(REPO, 'configs', 'htcorrm')
TOY = {
    t: osp.join(CFG_DIR, f'htcorrm-{t}_r18-d16_1xb8-300iter_toy-lip-128x96.py')
    for t in ('parsing', 'pose', 'edge')
}
# Sec. 4.2 "Training details": Eq. 4 (alpha, beta, gamma) per main task
EQ4 = dict(parsing=(1, 50, 2), pose=(0.001, 1, 0.0025), edge=(0.08, 200, 1))


def _head_cfg(path, **kw):
    cfg = Config.fromfile(path).model.decode_head
    drop_pretrained(cfg)
    cfg.update(kw)
    return cfg


def _build(cfg):
    with MODELS.switch_scope_and_registry('mmhumanparse') as reg:
        return reg.build(cfg)


def _feats(n=2, h=32, w=24, chans=(16, 32, 64, 128), strides=(1, 2, 4, 4)):
    """Toy backbone outputs: G1 at (h, w), res3 1/2, res4/res5 1/4 of G1."""
    g = torch.Generator().manual_seed(0)
    return [
        torch.randn(n, c, h // s, w // s, generator=g)
        for c, s in zip(chans, strides)
    ]


def _samples(n=2, h=128, w=96, k=16, hm=(32, 24), q=20, seed=0):
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(h, w)))
        seg = torch.randint(0, q, (1, h, w), generator=g)
        seg[:, :5] = 255
        s.gt_sem_seg = PixelData(data=seg)
        edge = (torch.rand(1, h, w, generator=g) < 0.1).long()
        edge[:, :5] = 255
        s.gt_edge_map = PixelData(data=edge)
        s.gt_heatmaps = PixelData(data=torch.rand(k, *hm, generator=g))
        s.gt_keypoints = InstanceData(
            keypoints=torch.rand(k, 2, generator=g) * 90,
            visible=torch.ones(k),
            heatmap_weights=(torch.arange(k) % 3 != 0).float())
        out.append(s)
    return out


@pytest.mark.parametrize('task,channels', [('parsing', 20), ('pose', 16),
                                           ('edge', 2)])
def test_forward_shapes(task, channels):
    head = _build(_head_cfg(TOY[task])).eval()
    assert head.main_task == task
    outs = head.forward_tasks(_feats())
    assert outs['main'].shape == (2, channels, 32, 24)
    assert outs['parsing'].shape == (2, 20, 32, 24)
    assert outs['pose'].shape == (2, 16, 32, 24)
    assert outs['edge'].shape == (2, 2, 32, 24)
    assert torch.equal(head(_feats()), outs['main'])


def test_paper_encoders_match_sec_3_2():
    cfg = _head_cfg(osp.join(
        CFG_DIR, 'htcorrm-parsing_r101-d16_4xb8-180e_lip-384x384.py'),
                    norm_cfg=dict(type='BN', requires_grad=True))
    head = _build(cfg).eval()
    pe = head.parsing_encoder
    # image pooling + 1x1 + three 3x3 atrous at 12 / 24 / 36
    assert isinstance(pe.image_pool[0], torch.nn.AdaptiveAvgPool2d)
    assert [m.conv.kernel_size for m in pe.aspp] == [(1, 1)] + [(3, 3)] * 3
    assert [m.conv.dilation[0] for m in pe.aspp] == [1, 12, 24, 36]
    assert pe.reduce.conv.kernel_size == (1, 1)
    assert pe.fuse.conv.in_channels == 256 + 256  # ASPP + G1 (Res2)
    # pose: two 4x4 stride-2 transposed convs
    deconvs = [m.conv for m in head.pose_encoder]
    assert all(isinstance(d, torch.nn.ConvTranspose2d) for d in deconvs)
    assert [(d.kernel_size, d.stride)
            for d in deconvs] == [((4, 4), (2, 2))] * 2
    # edge: 1x1 on G1, G2, G3 (Res2-4), then 3x3, then 1x1
    assert [m.conv.in_channels
            for m in head.edge_encoder.lateral] == [256, 512, 1024]
    assert all(m.conv.kernel_size == (1, 1) for m in head.edge_encoder.lateral)
    assert [m.conv.kernel_size for m in head.edge_encoder.fuse] == [(3, 3),
                                                                    (1, 1)]
    # F_p, F_k, F_b and F_r are C = 512 wide at G1's size (Sec. 4.2)
    seen = {}
    head.hnl.register_forward_hook(
        lambda m, args, out: seen.update(main=args[0], tasks=args[1], r=out))
    feats = _feats(1, 16, 16, (256, 512, 1024, 2048), (1, 2, 4, 4))
    with torch.no_grad():
        outs = head.forward_tasks(feats)
    assert [tuple(t.shape) for t in seen['tasks']] == [(1, 512, 16, 16)] * 3
    assert seen['main'] is seen['tasks'][0]  # F_m = F_p for parsing main
    # W2 = 0 at initialisation: F_r = F_m
    assert torch.equal(seen['r'], seen['main'])
    assert outs['main'].shape == (1, 20, 16, 16)
    assert head.hnl.chunk_size == 2304


def _weights(cfg):
    h = cfg.model.decode_head
    return (h.loss_decode.loss_weight, h.loss_parsing.loss_weight,
            h.loss_pose.loss_weight, h.loss_edge.loss_weight)


@pytest.mark.parametrize('path',
                         sorted(glob.glob(osp.join(CFG_DIR, 'htcorrm-*.py'))),
                         ids=osp.basename)
def test_eq4_weights_per_main_task(path):
    cfg = Config.fromfile(path)
    task = cfg.model.decode_head.main_task
    assert osp.basename(path).startswith(f'htcorrm-{task}_')
    assert _weights(cfg) == (1, ) + EQ4[task]
    # every cross entropy averages over non-ignored pixels
    for key in ('loss_decode', 'loss_parsing', 'loss_edge'):
        loss = cfg.model.decode_head[key]
        if 'CrossEntropy' in loss.type:
            assert loss.avg_non_ignore is True


def _ce(logits, label, class_weight=None):
    """CE averaged over the (class-weighted) non-ignored pixels."""
    logits = F.interpolate(logits, label.shape[1:], mode='bilinear')
    w = None if class_weight is None else torch.tensor(class_weight)
    return F.cross_entropy(logits, label, weight=w, ignore_index=255)


@pytest.mark.parametrize('task', ['parsing', 'pose', 'edge'])
def test_loss_is_eq4(task):
    head = _build(_head_cfg(TOY[task]))
    head.train()
    samples = _samples()
    torch.manual_seed(0)
    outs = head.forward_tasks(_feats())
    losses = head.loss_by_feat(outs, samples)
    seg = torch.stack([s.gt_sem_seg.data[0] for s in samples])
    edge = torch.stack([s.gt_edge_map.data[0] for s in samples])
    hm = torch.stack([s.gt_heatmaps.data for s in samples])
    w = torch.stack([s.gt_keypoints.heatmap_weights for s in samples])
    # CorrPM's criterion: per-batch weights, edge pixels n0 / (n0 + n1)
    n0, n1 = float((edge == 0).sum()), float((edge == 1).sum())
    cw = [n1 / (n0 + n1), n0 / (n0 + n1)]
    assert 5 < cw[1] / cw[0] < 15  # ~10 % edge pixels in _samples

    def mse(pred):
        return ((pred - hm)**2 * w[:, :, None, None]).mean()

    unit = dict(parsing=lambda x: _ce(x, seg),
                pose=mse,
                edge=lambda x: _ce(x, edge, cw))
    alpha, beta, gamma = EQ4[task]
    expected = {
        f'loss_{task}': unit[task](outs['main']),
        'loss_aux_parsing': alpha * unit['parsing'](outs['parsing']),
        'loss_aux_pose': beta * unit['pose'](outs['pose']),
        'loss_aux_edge': gamma * unit['edge'](outs['edge']),
    }
    for key, value in expected.items():
        torch.testing.assert_close(losses[key], value, rtol=1e-5, atol=1e-7)
    assert set(losses) == set(expected) | ({'acc_seg'}
                                           if task == 'parsing' else set())


def test_fixed_edge_weights_switch():
    fixed = dict(type='WeightedCrossEntropyLoss',
                 class_weight=[1.0, 10.0],
                 loss_weight=2.0)
    head = _build(_head_cfg(TOY['parsing'], loss_edge=fixed))
    samples = _samples()
    outs = head.forward_tasks(_feats())
    edge = torch.stack([s.gt_edge_map.data[0] for s in samples])
    torch.testing.assert_close(
        head.loss_by_feat(outs, samples)['loss_aux_edge'],
        2.0 * _ce(outs['edge'], edge, [1.0, 10.0]))


@pytest.mark.parametrize('task', ['parsing', 'pose', 'edge'])
def test_hnl_refines_the_main_task_feature(task):
    """F_m is the main task's own encoder feature (Sec. 3.3): with W2 = 0,
    O_m = W3 F_m; with W2 != 0, O_m still changes with F_m's encoder."""
    head = _build(_head_cfg(TOY[task])).eval()
    enc = dict(parsing=head.parsing_encoder,
               pose=head.pose_encoder,
               edge=head.edge_encoder)
    seen = {}
    for name, module in enc.items():
        module.register_forward_hook(
            lambda m, a, out, name=name: seen.update({name: out}))
    with torch.no_grad():
        outs = head.forward_tasks(_feats())
        torch.testing.assert_close(outs['main'], head.conv_seg(seen[task]))
        others = [t for t in enc if t != task]
        for t in others:  # same shape, other values: a wrong F_m shows
            assert not torch.allclose(head.conv_seg(seen[t]), outs['main'])


def test_hrnetv2_representation_feeds_aspp_and_pose():
    from mmseg.models.decode_heads import FCNHead
    cfg = _head_cfg(osp.join(
        CFG_DIR, 'htcorrm-pose_hrnetv2-w48_2xb16-220e_lip-256x256.py'),
                    norm_cfg=dict(type='BN', requires_grad=True))
    head = _build(cfg).eval()
    assert head.parsing_encoder.aspp[0].conv.in_channels == 720
    # pose main at 1/4: one 1x1 convolution, no deconvolution
    assert len(head.pose_encoder) == 1
    assert head.pose_encoder[0].conv.kernel_size == (1, 1)
    assert head.pose_encoder[0].conv.in_channels == 720
    assert [m.conv.in_channels
            for m in head.edge_encoder.lateral] == [48, 192, 384]
    feats = _feats(1, 16, 16, (48, 96, 192, 384), (1, 2, 4, 8))
    ref = FCNHead(in_channels=[48, 96, 192, 384],
                  in_index=[0, 1, 2, 3],
                  input_transform='resize_concat',
                  channels=8,
                  num_classes=3,
                  align_corners=False,
                  loss_decode=dict(type='mmseg.CrossEntropyLoss'))
    x = head._transform_inputs(feats)
    assert len(x) == 5
    torch.testing.assert_close(x[4], ref._transform_inputs(feats))
    outs = head.forward_tasks(feats)
    assert outs['main'].shape == (1, 16, 16, 16)


def test_missing_targets_and_unsupervised_tasks():
    head = _build(_head_cfg(TOY['parsing']))
    samples = _samples()
    for s in samples:
        del s.gt_heatmaps
    outs = head.forward_tasks(_feats())
    with pytest.raises(KeyError, match='GeneratePoseHeatmaps'):
        head.loss_by_feat(outs, samples)
    head = _build(
        _head_cfg(TOY['parsing'], supervised_tasks=('parsing', 'edge')))
    losses = head.loss_by_feat(head.forward_tasks(_feats()), samples)
    assert set(losses) == {
        'loss_parsing', 'loss_aux_parsing', 'loss_aux_edge', 'acc_seg'
    }


def test_heatmaps_padded_like_the_images():
    head = _build(_head_cfg(TOY['pose']))
    outs = head.forward_tasks(_feats())
    small = _samples(hm=(30, 20))  # preprocessor padded the image
    losses = head.loss_by_feat(outs, small)
    hm = torch.stack([s.gt_heatmaps.data for s in small])
    w = torch.stack([s.gt_keypoints.heatmap_weights for s in small])
    padded = F.pad(hm, (0, 4, 0, 2))
    ref = ((outs['main'] - padded)**2 * w[:, :, None, None]).mean()
    torch.testing.assert_close(losses['loss_pose'], ref)
    with pytest.raises(ValueError, match='heatmap_size'):
        head.loss_by_feat(outs, _samples(hm=(40, 24)))


def test_bad_arguments():
    with pytest.raises(ValueError, match='main_task'):
        _build(_head_cfg(TOY['parsing'], main_task='depth'))
    with pytest.raises(ValueError, match='num_classes'):
        _build(_head_cfg(TOY['pose'], num_classes=20))
    with pytest.raises(ValueError, match='g_index'):
        _build(_head_cfg(TOY['parsing'], g_index=(0, 1, 7)))
    with pytest.raises(ValueError, match='supervised_tasks'):
        _build(_head_cfg(TOY['parsing'], supervised_tasks=('depth', )))
    with pytest.raises(ValueError, match='concat_index'):
        _build(_head_cfg(TOY['parsing'], concat_index=(0, 4)))
    with pytest.raises(ValueError, match='last pose deconvolution'):
        _build(_head_cfg(TOY['parsing'], pose_widths=(32, 16)))
    with pytest.raises(ValueError, match='edge_fuse'):
        _build(_head_cfg(TOY['parsing'], edge_fuse='conv5x5'))
    with pytest.raises(ValueError, match='may set'):
        _build(_head_cfg(TOY['parsing'], encoder_cfgs=dict(pose=dict(k=1))))
    with pytest.raises(ValueError, match='unknown encoders'):
        _build(_head_cfg(TOY['parsing'], encoder_cfgs=dict(depth={})))
