"""LIPNet backbone (LIP-Net, Ilyas & Kim, 2020): stage layout against the
paper (Sec. 2.1, 3.1) and the toy model's forward / loss / predict."""
import copy
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.models.utils import make_divisible
from mmseg.structures import SegDataSample

from mmhumanparse.models.backbones.lipnet import LIPNet, SERBlock
from mmhumanparse.registry import MODELS
from mmhumanparse.utils import register_all_modules

ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
PAPER_CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb4-20k_lip-512x512.py')
TOY_CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb8-2k_toy-lip-128x96.py')


def _build(path):
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(path)
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.decode_head.class_weight_file = None  # no training data here
    return MODELS.build(model_cfg)


@pytest.fixture(scope='module')
def backbone():
    """The paper backbone with all six stage outputs."""
    register_all_modules(init_default_scope=True)
    cfg = copy.deepcopy(Config.fromfile(PAPER_CFG).model.backbone)
    cfg.out_indices = (0, 1, 2, 3, 4, 5)
    torch.manual_seed(0)
    return MODELS.build(cfg).eval()


def test_registered():
    register_all_modules(init_default_scope=True)
    assert MODELS.get('LIPNet') is LIPNet


def test_paper_config_feeds_s3_and_s6():
    cfg = Config.fromfile(PAPER_CFG).model
    assert tuple(cfg.backbone.out_indices) == (2, 5)


def test_backbone_param_count_exact(backbone):
    # pinned; the head holds the rest of the 4.02 M (test_lipnet_head.py)
    assert sum(p.numel() for p in backbone.parameters()) == BACKBONE_PARAMS


BACKBONE_PARAMS = 1_624_337


def test_stage_strides_and_channels(backbone):
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        feats = backbone(x)
    # Stage outputs after pooling: strides 2, 4, 8, 16, 16, 16 (Sec. 2.1).
    assert backbone.out_strides == (2, 4, 8, 16, 16, 16)
    assert [f.shape[1] for f in feats] == [16, 32, 64, 128, 256, 512]
    assert [64 // f.shape[2] for f in feats] == [2, 4, 8, 16, 16, 16]
    assert [64 // f.shape[3] for f in feats] == [2, 4, 8, 16, 16, 16]
    assert all(torch.isfinite(f).all() for f in feats)


def test_dilations_and_se(backbone):
    # d = 1, 1, 2, 4, 8 (Sec. 2.1); 2 in S6 (our choice, garbled in paper)
    assert backbone.dilations == (1, 1, 2, 4, 8, 2)
    assert len(backbone.stages) == 6
    for stage, d, c in zip(backbone.stages, backbone.dilations,
                           backbone.stage_channels):
        blocks = [m for m in stage if isinstance(m, SERBlock)]
        assert len(blocks) == 2  # two SER blocks per stage
        for blk in blocks:
            for conv in (blk.conv1, blk.conv2):
                dw = conv.depthwise_conv.conv
                assert dw.dilation == (d, d)
                assert dw.groups == dw.in_channels  # depthwise
                assert conv.pointwise_conv.conv.kernel_size == (1, 1)
            # SE reduction r = 8 (Sec. 3.1); mmseg's SELayer rounds the
            # squeeze width up to a multiple of 8.
            assert blk.se_ratio == 8
            assert blk.se.conv1.conv.out_channels == make_divisible(c // 8, 8)
            if c >= 64:
                assert blk.se.conv1.conv.out_channels == c // 8
    pools = [any(isinstance(m, nn.MaxPool2d) for m in s)
             for s in backbone.stages]
    assert pools == [True, True, True, True, False, False]


def test_ser_block_residual():
    """With both separable convs zeroed the block is relu(shortcut(x))."""
    blk = SERBlock(8, 8, dilation=2).eval()
    for conv in (blk.conv1, blk.conv2):
        for m in conv.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.zeros_(m.weight)
    # conv2's pointwise BN then gives its (zero) bias: SE(0) = 0
    x = torch.randn(1, 8, 6, 6)
    with torch.no_grad():
        torch.testing.assert_close(blk(x), torch.relu(x))


def test_out_indices_select_stages(backbone):
    register_all_modules(init_default_scope=True)
    two = LIPNet(out_indices=(2, 5)).eval()
    two.load_state_dict(backbone.state_dict())
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        all_feats = backbone(x)
        feats = two(x)
    assert len(feats) == 2
    torch.testing.assert_close(feats[0], all_feats[2])
    torch.testing.assert_close(feats[1], all_feats[5])


def test_backbone_rejects_bad_arguments():
    with pytest.raises(ValueError, match='one entry per stage'):
        LIPNet(stage_channels=(16, 32), dilations=(1, 1, 2))
    with pytest.raises(ValueError, match='out_indices entry 6'):
        LIPNet(out_indices=(2, 6))


def _toy_batch(n=2, h=128, w=96):
    inputs, samples = [], []
    for i in range(n):
        inputs.append(torch.randint(0, 256, (3, h, w), dtype=torch.uint8))
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(
            data=torch.randint(0, 20, (1, h, w), dtype=torch.long))
        sample.set_metainfo(
            dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w),
                 flip_pairs=[(14, 15), (16, 17), (18, 19)]))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def test_toy_forward_loss_predict():
    torch.manual_seed(0)
    model = _build(TOY_CFG)
    assert type(model).__name__ == 'ParsingEncoderDecoder'
    model.train()
    data = model.data_preprocessor(_toy_batch(), training=True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'decode.loss_ce', 'decode.acc_seg'}
    assert torch.isfinite(losses['decode.loss_ce'])

    model.eval()
    model.test_cfg.flip = True  # the flip test is one switch away
    data = model.data_preprocessor(_toy_batch(n=1), training=False)
    with torch.no_grad():
        results = model(**data, mode='predict')
    pred = results[0].pred_sem_seg.data
    assert pred.shape == (1, 128, 96)
    assert int(pred.max()) < 20
