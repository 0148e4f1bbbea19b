"""CDLinkNetHead (C-DLinkNet, arXiv:2001.11690).

Paper-size configs are built and run once at 64 x 48; the small ResNet-18
variant runs forward + loss + predict and a full gradient check.
"""
import gc
import os.path as osp

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine import Config
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmhumanparse.models.decode_heads.c_dlinknet_head import CDLinkNetHead
from mmhumanparse.models.utils.c_dlinknet_blocks import CDLinkNetASPP, DBlock
from mmhumanparse.registry import MODELS
from mmhumanparse.utils import register_all_modules

register_all_modules()

CFG_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__))))), 'configs')
PAPER = 'c_dlinknet/c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py'
SMALL = 'c_dlinknet/c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py'
LIP_PAIRS = [(14, 15), (16, 17), (18, 19)]
# config -> (centre, smooth, deep supervision, num_classes); Table 1 rows.
PAPER_SIZE = {
    'c_dlinknet/c-dlinknet-b_r101-d16_2xb8-120e_lip-256x192.py':
    ('DBlock', False, False, 20),
    'c_dlinknet/c-dlinknet-ba_r101-d16_2xb8-120e_lip-256x192.py':
    ('CDLinkNetASPP', False, False, 20),
    'c_dlinknet/c-dlinknet-bs_r101-d16_2xb8-120e_lip-256x192.py':
    ('DBlock', True, False, 20),
    'c_dlinknet/c-dlinknet-bas_r101-d16_2xb8-120e_lip-256x192.py':
    ('CDLinkNetASPP', True, False, 20),
    PAPER: ('CDLinkNetASPP', True, True, 20),
    'c_dlinknet/c-dlinknet_r101-d16_2xb8-120e_atr-512x512.py':
    ('CDLinkNetASPP', True, True, 18),
    'c_dlinknet/c-dlinknet_r101-d16_2xb8-120e_ppp-512x512.py':
    ('CDLinkNetASPP', True, True, 7),
}


def _cfg(name):
    cfg = Config.fromfile(osp.join(CFG_DIR, name))
    cfg.model.backbone.init_cfg = None
    return cfg


def _build(name, **head):
    cfg = _cfg(name)
    cfg.model.decode_head.update(head)
    return MODELS.build(cfg.model)


def _samples(n, h, w, num_classes, pairs=LIP_PAIRS, seed=0):
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        s = SegDataSample(
            metainfo=dict(
                img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w),
                flip_pairs=pairs))
        s.gt_sem_seg = PixelData(
            data=torch.randint(0, num_classes, (1, h, w), generator=g))
        out.append(s)
    return out


def _n_params(module):
    return sum(p.numel() for p in module.parameters())


@pytest.fixture(scope='module')
def paper_model():
    model = _build(PAPER).eval()
    yield model
    del model
    gc.collect()


# the small config classifies at stride 2 with bilinear Smooth projections
# (see its header); the tests below give it the paper head back
PAPER_HEAD = dict(smooth_upsample='deconv', final_upsample=True)


@pytest.fixture(scope='module')
def small_model():
    torch.manual_seed(0)
    return _build(SMALL, **PAPER_HEAD)


def test_registered_once():
    assert MODELS.get('CDLinkNetHead') is CDLinkNetHead
    assert MODELS.get('CDLinkNetASPP') is CDLinkNetASPP
    assert MODELS.get('DBlock') is DBlock
    assert MODELS.get('ASPPSmoothHead') is None  # the old alias is gone


def test_aspp_channel_flow_eq1(paper_model):
    """Eq. (1): 2048 -> 1024 -> 256 per branch -> concat 1024 -> 2048."""
    centre = paper_model.decode_head.centre
    assert type(centre) is CDLinkNetASPP
    conv = centre.reduce.conv
    assert (conv.in_channels, conv.out_channels, conv.kernel_size) == \
        (2048, 1024, (1, 1))
    branches = [m.conv for m in centre.aspp]
    assert [b.dilation[0] for b in branches] == [1, 12, 24, 36]
    assert [b.kernel_size[0] for b in branches] == [1, 3, 3, 3]
    assert all(b.in_channels == 1024 and b.out_channels == 256
               for b in branches)
    assert centre.image_pool is None
    fuse = centre.fuse.conv
    assert (fuse.in_channels, fuse.out_channels) == (1024, 2048)


def test_paper_param_count(paper_model):
    """Pinned: the head of the paper config (Eq. (1) centre, Sec. 2.2
    decoder + deep supervision, Sec. 2.3 learned Smooth projections, final
    x2 block) and the whole model with ResNet-101 (42.52 M)."""
    head = paper_model.decode_head
    assert _n_params(paper_model.backbone) == 42_519_392
    # deconv 512 -> 32 (4x4, no bias) + BN; 3x3 conv 32 -> 32 + BN
    assert _n_params(head.final) == (512 * 32 * 16 + 64) + (32 * 32 * 9 + 64)
    assert _n_params(head) == 33_403_364


def test_paper_model_strides_and_forward(paper_model):
    """E5 dilated: OS 16; D5..D2 match E4..E1 in size and channels; the
    final block restores the input size (Sec. 2)."""
    head = paper_model.decode_head
    x = torch.rand(1, 3, 64, 48)
    with torch.no_grad():
        feats = paper_model.extract_feat(x)
        assert [tuple(f.shape[1:]) for f in feats] == [
            (64, 32, 24), (256, 16, 12), (512, 8, 6), (1024, 4, 3),
            (2048, 4, 3)]
        dec = head.forward_decoder(feats)
        assert head.level_names == ['d5', 'd4', 'd3', 'd2']
        assert [d.shape for d in dec] == [f.shape for f in feats[-2::-1]]
        assert [b.up.conv.stride[0] for b in head.decoder] == [1, 2, 2, 2]
        # decoder block: 1x1 to a quarter, 3x3 (transposed), 1x1 (Sec. 2.2)
        d4 = head.decoder[1]
        assert isinstance(d4.up.conv, nn.ConvTranspose2d)
        assert (d4.reduce.conv.in_channels, d4.reduce.conv.out_channels,
                d4.expand.conv.out_channels) == (1024, 256, 512)
        # Smooth module: concat 4 x 256 -> 3x3 convs -> 512 (Sec. 2.3)
        assert head.refine[0].conv.in_channels == 4 * 256
        assert head.refine[-1].conv.out_channels == 512
        # final block: deconv x2 to 32, 3x3 conv, classifier
        deconv, conv = head.final[0].conv, head.final[1].conv
        assert isinstance(deconv, nn.ConvTranspose2d)
        assert (deconv.in_channels, deconv.out_channels, deconv.stride,
                deconv.kernel_size) == (512, 32, (2, 2), (4, 4))
        assert (conv.kernel_size, conv.out_channels) == ((3, 3), 32)
        assert head.conv_seg.in_channels == 32
        assert head.forward_refine(dec).shape == (1, 20, 64, 48)
        pred = paper_model.predict(x, _samples(1, 64, 48, 20))
    assert paper_model.test_cfg.flip is True
    assert pred[0].pred_sem_seg.shape == (64, 48)


def test_smooth_projections_are_learned_upsampling(paper_model):
    """Sec. 2.3: a decoder block per level brings D5, D4, D3 to D2's size
    by x8, x4, x2 transposed convs; D2's projection keeps 64 channels."""
    head = paper_model.decode_head
    assert head.smooth_upsample == 'deconv'
    n_deconv = [
        sum(isinstance(m, nn.ConvTranspose2d) for m in p.modules())
        for p in head.smooth_projs
    ]
    assert n_deconv == [3, 2, 1, 0]
    assert [p.stride for p in head.smooth_projs] == [8, 4, 2, 1]
    mids = [p.reduce.conv.out_channels for p in head.smooth_projs]
    assert mids == [1024 // 4, 512 // 4, 256 // 4, 64]  # D2: not 16
    x = torch.rand(1, 3, 64, 48)
    with torch.no_grad():
        dec = head.forward_decoder(paper_model.extract_feat(x))
        for proj, d in zip(head.smooth_projs, dec):
            # no resize needed: the block itself reaches D2's size
            assert proj.expand(proj.up(proj.reduce(d))).shape == \
                (1, 256, 32, 24)


def test_bilinear_smooth_and_stride2_options():
    """The ablation options: bilinear Smooth projections (stride-1 blocks)
    and the stride-2 head without the final block."""
    torch.manual_seed(0)
    cfg = _cfg(SMALL).model.decode_head  # the small config's own switches
    assert (cfg.smooth_upsample, cfg.final_upsample) == ('bilinear', False)
    model = _build(SMALL).eval()
    head = model.decode_head
    assert [p.stride for p in head.smooth_projs] == [1, 1, 1, 1]
    assert not any(
        isinstance(m, nn.ConvTranspose2d) for p in head.smooth_projs
        for m in p.modules())
    assert not hasattr(head, 'final')
    assert head.conv_seg.in_channels == 64  # channels
    with torch.no_grad():
        assert model(torch.rand(1, 3, 64, 48), mode='tensor').shape == \
            (1, 20, 32, 24)
    assert _build(SMALL, **PAPER_HEAD).decode_head.final_upsample
    with pytest.raises(ValueError, match='smooth_upsample'):
        _build(SMALL, smooth_upsample='nearest')


@pytest.mark.parametrize('name', [n for n in PAPER_SIZE if n != PAPER])
def test_paper_size_variants(name):
    """Table 1 ablations and the ATR / PPP configs build and run."""
    centre, smooth, ds, num_classes = PAPER_SIZE[name]
    model = _build(name).eval()
    head = model.decode_head
    assert type(head.centre).__name__ == centre
    assert head.smooth is smooth and head.deep_supervision is ds
    assert hasattr(head, 'ds_branches') is ds
    assert hasattr(head, 'smooth_projs') is smooth
    if centre == 'DBlock':
        assert [c.conv.dilation[0] for c in head.centre.convs] == [1, 2, 4, 8]
        assert all(c.conv.in_channels == c.conv.out_channels == 2048
                   for c in head.centre.convs)
    with torch.no_grad():
        out = model(torch.rand(1, 3, 32, 32), mode='tensor')
    assert out.shape == (1, num_classes, 32, 32)
    del model, head
    gc.collect()


def test_small_forward_loss_predict_and_every_gradient(small_model):
    """Every parameter gets a finite non-zero gradient from the summed
    losses (centre, decoder, deep supervision, Smooth, final block)."""
    model = small_model.train()
    torch.manual_seed(0)
    x = torch.rand(2, 3, 64, 48)
    losses = model.loss(x, _samples(2, 64, 48, 20))
    assert set(losses) == {
        'decode.loss_ce', 'decode.acc_seg', 'decode.loss_d5',
        'decode.loss_d4', 'decode.loss_d3', 'decode.loss_d2'
    }
    total, _ = model.parse_losses(losses)
    model.zero_grad()
    total.backward()
    bad = [
        n for n, p in model.named_parameters()
        if p.grad is None or not torch.isfinite(p.grad).all()
        or p.grad.abs().sum() == 0
    ]
    assert not bad, bad
    model.eval()
    with torch.no_grad():
        assert model(x, mode='tensor').shape == (2, 20, 64, 48)
        preds = model.predict(x, _samples(2, 64, 48, 20))
    assert preds[0].pred_sem_seg.shape == (64, 48)
    assert preds[0].seg_logits.data.shape == (20, 64, 48)


def test_deep_supervision_weights_eq2(small_model):
    """Eq. (2): total = Loss_refine + 0.5 * sum_i Loss_Di on a fixed input,
    each CE averaged over the non-ignored pixels only."""
    model = small_model.eval()  # deterministic: BN stats, no dropout
    torch.manual_seed(1)
    x = torch.rand(2, 3, 64, 48)
    samples = _samples(2, 64, 48, 20, seed=3)
    for s in samples:  # a padded border, as after a 0.5-scale crop
        s.gt_sem_seg.data[:, 40:, :] = 255
    label = torch.stack([s.gt_sem_seg.data[0] for s in samples])
    with torch.no_grad():
        losses = model.loss(x, samples)
        outs = model.decode_head.forward_all(model.extract_feat(x))
    assert set(outs) == {'refine', 'd5', 'd4', 'd3', 'd2'}
    assert outs['refine'].shape[2:] == (64, 48)  # final block: full size
    ce = {
        k: F.cross_entropy(
            F.interpolate(v, size=(64, 48), mode='bilinear'),
            label,
            ignore_index=255)  # mean over labelled pixels
        for k, v in outs.items()
    }
    assert model.decode_head.loss_ds.loss_weight == 0.5
    torch.testing.assert_close(losses['decode.loss_ce'], ce['refine'])
    for k in ('d5', 'd4', 'd3', 'd2'):
        torch.testing.assert_close(losses[f'decode.loss_{k}'], 0.5 * ce[k])
    total, _ = model.parse_losses(losses)
    expected = ce['refine'] + 0.5 * sum(ce[k] for k in ('d5', 'd4', 'd3',
                                                        'd2'))
    torch.testing.assert_close(total, expected)


def test_small_without_deep_supervision_has_one_loss():
    cfg = _cfg(SMALL)
    cfg.model.decode_head.deep_supervision = False
    cfg.model.decode_head.centre = dict(type='DBlock')
    cfg.model.decode_head.smooth = False
    model = MODELS.build(cfg.model)
    losses = model.loss(torch.rand(2, 3, 32, 32), _samples(2, 32, 32, 20))
    assert set(losses) == {'decode.loss_ce', 'decode.acc_seg'}


def test_head_from_stock_mmseg_scope():
    """custom_imports path: default scope mmseg, mmhumanparse.* names."""
    from mmseg.registry import MODELS as MMSEG_MODELS
    cfg = _cfg(SMALL).model
    cfg.type = 'mmhumanparse.ParsingEncoderDecoder'
    cfg.backbone.type = 'mmhumanparse.ResNetV1cWithStem'
    cfg.decode_head.type = 'mmhumanparse.CDLinkNetHead'
    cfg.data_preprocessor.type = 'SegDataPreProcessor'
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MMSEG_MODELS.build(cfg)
    assert type(model.decode_head) is CDLinkNetHead
    assert type(model.decode_head.centre) is CDLinkNetASPP


def test_bad_dec_strides():
    cfg = _cfg(SMALL).model.decode_head
    cfg.dec_strides = (2, 2, 2)
    with pytest.raises(ValueError, match='dec_strides'):
        MODELS.build(cfg)
