"""LIP-Net (Ilyas & Kim, 2020): architecture checks against the paper and
forward / loss / predict of the toy config on tiny CPU inputs."""
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
from mmhumanparse.models.decode_heads.lipnet_head import LIPNetHead
from mmhumanparse.registry import MODELS
from mmhumanparse.utils import register_all_modules

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
PAPER_CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb4-20k_lip-512x512.py')
TOY_CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb8-2k_toy-lip-128x96.py')


def _build(path):
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(path)
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.backbone.init_cfg = None  # no weights, no init needed
    return MODELS.build(model_cfg)


@pytest.fixture(scope='module')
def paper_model():
    torch.manual_seed(0)
    return _build(PAPER_CFG).eval()


def test_registered():
    register_all_modules(init_default_scope=True)
    assert MODELS.get('LIPNet') is LIPNet
    assert MODELS.get('LIPNetHead') is LIPNetHead


def test_paper_param_count(paper_model):
    # Table 1: LIP-Net has 3.97 M parameters.
    n = sum(p.numel() for p in paper_model.parameters())
    assert 3.5e6 <= n <= 4.5e6, n


def test_paper_forward_shapes(paper_model):
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        feats = paper_model.extract_feat(x)
        logits = paper_model(x, mode='tensor')
    # Stage outputs after pooling: strides 2, 4, 8, 16, 16, 16 (Sec. 2.1).
    backbone = paper_model.backbone
    assert backbone.out_strides == (2, 4, 8, 16, 16, 16)
    assert [f.shape[1] for f in feats] == [16, 32, 64, 128, 256, 512]
    assert [64 // f.shape[2] for f in feats] == [2, 4, 8, 16, 16, 16]
    assert [64 // f.shape[3] for f in feats] == [2, 4, 8, 16, 16, 16]
    # Head output: stride 16 -> x2 -> x4 = stride 2, 20 LIP classes.
    assert logits.shape == (1, 20, 32, 32)
    assert torch.isfinite(logits).all()


def test_backbone_dilations_and_se(paper_model):
    backbone = paper_model.backbone
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


def test_head_structure(paper_model):
    head = paper_model.decode_head
    assert isinstance(head, LIPNetHead)
    # ASPP rates 1, 6, 12, 18 (Sec. 3.1)
    assert head.dilations == (1, 6, 12, 18)
    assert head.aspp_modules[0].conv.kernel_size == (1, 1)
    for branch, d in zip(list(head.aspp_modules)[1:], (6, 12, 18)):
        assert branch.depthwise_conv.conv.dilation == (d, d)
    # Dropout 0.25 (Sec. 3.1)
    assert isinstance(head.dropout, nn.Dropout2d)
    assert head.dropout.p == 0.25
    # S3 skip reduced to a quarter of its channels (Sec. 2.1)
    assert tuple(head.in_index) == (2, 5)
    assert head.skip_conv.conv.out_channels == 64 // 4
    # decoder 3x3 conv, depthwise-separable by default (see LIPNetHead)
    assert head.fuse_conv.depthwise_conv.conv.kernel_size == (3, 3)
    assert head.upsample_factor == 4
    # weighted cross entropy with configurable class weights
    loss = head.loss_decode
    assert loss.class_weight is not None and len(loss.class_weight) == 20


def test_head_rejects_single_input():
    with pytest.raises(ValueError, match='two'):
        LIPNetHead(
            in_channels=512,
            in_index=5,
            input_transform=None,
            channels=32,
            num_classes=20)


def test_head_default_loss_resolves_in_scope():
    register_all_modules(init_default_scope=True)
    head = LIPNetHead(
        in_channels=(64, 512), in_index=(2, 5), channels=32, num_classes=20)
    x = [torch.rand(1, 64, 8, 8), torch.rand(1, 512, 4, 4)]
    assert head([None, None, x[0], None, None, x[1]]).shape == (1, 20, 32, 32)


def test_backbone_rejects_bad_lengths():
    with pytest.raises(ValueError, match='one entry per stage'):
        LIPNet(stage_channels=(16, 32), dilations=(1, 1, 2))


def _toy_batch(n=2, h=128, w=96):
    inputs, samples = [], []
    for i in range(n):
        inputs.append(torch.randint(0, 256, (3, h, w), dtype=torch.uint8))
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(
            data=torch.randint(0, 20, (1, h, w), dtype=torch.long))
        sample.set_metainfo(
            dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def test_toy_forward_loss_predict():
    torch.manual_seed(0)
    model = _build(TOY_CFG)
    model.train()
    data = model.data_preprocessor(_toy_batch(), training=True)
    losses = model(**data, mode='loss')
    assert set(losses) >= {'decode.loss_ce', 'decode.acc_seg'}
    loss = losses['decode.loss_ce']
    assert torch.isfinite(loss)
    loss.backward()
    grads = [p.grad for p in model.parameters() if p.requires_grad]
    assert all(g is not None for g in grads)

    model.eval()
    data = model.data_preprocessor(_toy_batch(n=1), training=False)
    with torch.no_grad():
        results = model(**data, mode='predict')
    pred = results[0].pred_sem_seg.data
    assert pred.shape == (1, 128, 96)
    assert int(pred.max()) < 20
