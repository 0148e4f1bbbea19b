"""C-DLinkNet (c-dlinknet.txt): configs, architecture and losses.

Paper-size configs are built and run once at 64 x 48; the small ResNet-18
variant runs forward + loss + predict.
"""
import gc
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine import Config
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmhumanparse.registry import MODELS
from mmhumanparse.utils import register_all_modules

register_all_modules()

CFG_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))), 'configs')
PAPER = 'c_dlinknet/c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py'
SMALL = 'c_dlinknet/c-dlinknet_r18-d16_1xb8-900iter_lip-128x96.py'
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
    'c_dlinknet/c-dlinknet_r101-d16_2xb8-120e_atr-256x192.py':
    ('CDLinkNetASPP', True, True, 18),
    'c_dlinknet/c-dlinknet_r101-d16_2xb8-120e_ppp-512x512.py':
    ('CDLinkNetASPP', True, True, 7),
}


def _cfg(name):
    cfg = Config.fromfile(osp.join(CFG_DIR, name))
    cfg.model.backbone.init_cfg = None
    return cfg


def _build(name):
    return MODELS.build(_cfg(name).model)


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


@pytest.fixture(scope='module')
def paper_model():
    model = _build(PAPER).eval()
    yield model
    del model
    gc.collect()


@pytest.fixture(scope='module')
def small_model():
    torch.manual_seed(0)
    return _build(SMALL)


def test_aspp_channel_flow_eq1(paper_model):
    """Eq. (1): 2048 -> 1024 -> 256 per branch -> concat 1024 -> 2048."""
    centre = paper_model.decode_head.centre
    assert type(centre).__name__ == 'CDLinkNetASPP'
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


def test_paper_model_strides_and_forward(paper_model):
    """E5 dilated: OS 16; D5..D2 match E4..E1 in size and channels."""
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
        assert isinstance(d4.up.conv, torch.nn.ConvTranspose2d)
        assert (d4.reduce.conv.in_channels, d4.reduce.conv.out_channels,
                d4.expand.conv.out_channels) == (1024, 256, 512)
        # Smooth module: concat -> 3x3 convs -> 512 (Sec. 2.3)
        assert head.refine[-1].conv.out_channels == 512
        assert head.conv_seg.in_channels == 512
        assert head.forward_refine(dec).shape == (1, 20, 32, 24)
        pred = paper_model.predict(x, _samples(1, 64, 48, 20))
    assert paper_model.test_cfg.flip is True
    assert pred[0].pred_sem_seg.shape == (64, 48)


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
    assert out.shape == (1, num_classes, 16, 16)
    del model, head
    gc.collect()


def test_small_forward_loss_predict(small_model):
    model = small_model.train()
    x = torch.rand(2, 3, 64, 48)
    losses = model.loss(x, _samples(2, 64, 48, 20))
    assert set(losses) == {
        'decode.loss_ce', 'decode.acc_seg', 'decode.loss_d5',
        'decode.loss_d4', 'decode.loss_d3', 'decode.loss_d2'
    }
    total, _ = model.parse_losses(losses)
    total.backward()
    assert model.decode_head.ds_branches[0][-1].weight.grad is not None
    model.eval()
    with torch.no_grad():
        assert model(x, mode='tensor').shape == (2, 20, 32, 24)
        preds = model.predict(x, _samples(2, 64, 48, 20))
    assert preds[0].pred_sem_seg.shape == (64, 48)
    assert preds[0].seg_logits.data.shape == (20, 64, 48)


def test_deep_supervision_weights_eq2(small_model):
    """Eq. (2): total = Loss_refine + 0.5 * sum_i Loss_Di on a fixed input."""
    model = small_model.eval()  # deterministic: BN stats, no dropout
    torch.manual_seed(1)
    x = torch.rand(2, 3, 64, 48)
    samples = _samples(2, 64, 48, 20, seed=3)
    label = torch.stack([s.gt_sem_seg.data[0] for s in samples])
    with torch.no_grad():
        losses = model.loss(x, samples)
        outs = model.decode_head.forward_all(model.extract_feat(x))
    assert set(outs) == {'refine', 'd5', 'd4', 'd3', 'd2'}
    ce = {
        k: F.cross_entropy(
            F.interpolate(v, size=(64, 48), mode='bilinear'), label)
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
    cfg.decode_head.type = 'mmhumanparse.ASPPSmoothHead'
    cfg.data_preprocessor.type = 'SegDataPreProcessor'
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MMSEG_MODELS.build(cfg)
    assert type(model.decode_head).__name__ == 'CDLinkNetHead'
    assert type(model.decode_head.centre).__name__ == 'CDLinkNetASPP'


def test_bad_dec_strides():
    cfg = _cfg(SMALL).model.decode_head
    cfg.dec_strides = (2, 2, 2)
    with pytest.raises(ValueError, match='dec_strides'):
        MODELS.build(cfg)
