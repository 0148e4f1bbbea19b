"""LIPNetHead: the LIP-Net decoder (slim DeepLabV3+ head) and its weighted
cross entropy (LIP-Net, Sec. 2.1, 3.1, Table 1)."""
import copy
import json
import os.path as osp

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import DepthwiseSeparableConvModule
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.models.decode_heads.sep_aspp_head import DepthwiseSeparableASPPHead
from mmseg.structures import SegDataSample

from mmhumanparse.models.decode_heads.lipnet_head import (LIPNetHead,
                                                          load_class_weights)
from mmhumanparse.registry import MODELS
from mmhumanparse.utils import register_all_modules

ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
PAPER_CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb4-20k_lip-512x512.py')

# Pinned parameter counts of the paper config (Table 1: 3.97 M for LIP-Net).
PAPER_PARAMS = 4_020_917
HEAD_PARAMS = 2_396_580


def _head_cfg(**kw):
    cfg = copy.deepcopy(Config.fromfile(PAPER_CFG).model.decode_head)
    cfg.update(kw)
    return cfg


def _build_head(**kw):
    register_all_modules(init_default_scope=True)
    return MODELS.build(_head_cfg(**kw))


@pytest.fixture(scope='module')
def paper_model():
    register_all_modules(init_default_scope=True)
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(PAPER_CFG).model).eval()


def _n(module):
    return sum(p.numel() for p in module.parameters())


def test_registered_and_reuses_mmseg_head():
    register_all_modules(init_default_scope=True)
    assert MODELS.get('LIPNetHead') is LIPNetHead
    assert issubclass(LIPNetHead, DepthwiseSeparableASPPHead)


def test_paper_param_count_exact(paper_model):
    """Whole model and head pinned exactly: dropping a branch (e.g. the
    ASPP image pooling, 230 k parameters) or widening a conv shows."""
    assert _n(paper_model) == PAPER_PARAMS
    assert _n(paper_model.decode_head) == HEAD_PARAMS


def test_head_structure(paper_model):
    """Branches of the paper config: image pooling + 1x1 + separable 3x3 at
    rates 6, 12, 18 (Sec. 3.1), 1x1 mix, S3 skip reduced to a quarter
    (Sec. 2.1), one separable 3x3 fuse conv, dropout 0.25, x4 upsampling."""
    head = paper_model.decode_head
    assert head.dilations == (1, 6, 12, 18)
    assert head.with_image_pool
    pool_conv = head.image_pool[1].conv
    assert isinstance(head.image_pool[0], nn.AdaptiveAvgPool2d)
    assert (pool_conv.in_channels, pool_conv.out_channels) == (512, 448)
    assert head.aspp_modules[0].conv.kernel_size == (1, 1)
    for branch, d in zip(list(head.aspp_modules)[1:], (6, 12, 18)):
        assert isinstance(branch, DepthwiseSeparableConvModule)
        assert branch.depthwise_conv.conv.dilation == (d, d)
    # five branches (pool + 4 rates) concatenated, mixed by a 1x1 conv
    mix = head.bottleneck.conv
    assert (mix.in_channels, mix.out_channels, mix.kernel_size) == \
        (5 * 448, 448, (1, 1))
    assert head.c1_bottleneck.conv.in_channels == 64
    assert head.c1_bottleneck.conv.out_channels == 64 // 4
    assert isinstance(head.sep_bottleneck, DepthwiseSeparableConvModule)
    assert head.sep_bottleneck.depthwise_conv.conv.in_channels == 448 + 16
    assert isinstance(head.dropout, nn.Dropout2d) and head.dropout.p == 0.25
    assert head.upsample_factor == 4
    assert head.loss_decode.avg_non_ignore is True


def test_without_image_pool_is_a_different_model():
    """The ablation switch removes the pooling branch and one fifth of the
    1x1 mix: 448 x 512 + 2 x 448 + 448 x 448 parameters fewer."""
    full = _build_head()
    slim = _build_head(with_image_pool=False)
    assert slim.image_pool is None
    assert slim.bottleneck.conv.in_channels == 4 * 448
    assert _n(full) - _n(slim) == 448 * 512 + 2 * 448 + 448 * 448
    x = [torch.rand(1, 64, 8, 8), torch.rand(1, 512, 4, 4)]
    with torch.no_grad():
        assert slim.eval()(x).shape == (1, 20, 32, 32)


def test_forward_shapes_and_classifier_before_upsampling():
    """(S3 at stride 8, S6 at 16) -> logits at stride 2; the classifier
    commutes with the bilinear x4, as the module docstring claims."""
    head = _build_head().eval()
    torch.manual_seed(0)
    x = [torch.rand(2, 64, 8, 6), torch.rand(2, 512, 4, 3)]
    with torch.no_grad():
        out = head(x)
        feat = head._forward_feature(x)
        late = head.conv_seg(
            F.interpolate(feat, scale_factor=4, mode='bilinear'))
    assert out.shape == (2, 20, 32, 24)
    torch.testing.assert_close(out, late, atol=1e-5, rtol=1e-4)


def test_rejects_old_two_input_interface():
    with pytest.raises(ValueError, match='in_channels'):
        _build_head(in_channels=(64, 512), in_index=(2, 5),
                    input_transform='multiple_select')
    with pytest.raises(ValueError, match='c1_channels'):
        _build_head(c1_channels=0)


def _samples(n, h, w, seed=0):
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(h, w), pad_shape=(h, w)))
        s.gt_sem_seg = PixelData(
            data=torch.randint(0, 20, (1, h, w), generator=g))
        out.append(s)
    return out


def test_weighted_ce_from_class_weight_file(tmp_path):
    """The loss equals F.cross_entropy with the json's class weights: the
    weighted mean over the labelled pixels (255 padding included in the
    batch, which mmseg 1.2.2's own class-weight path cannot handle)."""
    weights = [0.1 * (i + 1) for i in range(20)]
    path = tmp_path / 'w.json'
    path.write_text(json.dumps(dict(method='median_frequency',
                                    weights=weights)))
    head = _build_head(class_weight_file=str(path), dropout_ratio=0).eval()
    assert head.loss_decode.class_weight == pytest.approx(weights)
    torch.manual_seed(0)
    logits = torch.randn(2, 20, 16, 12)
    samples = _samples(2, 16, 12)
    samples[0].gt_sem_seg.data[:, :4] = 255
    label = torch.cat([s.gt_sem_seg.data for s in samples])
    loss = head.loss_by_feat(logits, samples)['loss_ce']
    expected = F.cross_entropy(
        logits, label, weight=torch.tensor(weights), ignore_index=255)
    torch.testing.assert_close(loss, expected)
    # not the unweighted mean
    assert not torch.isclose(
        loss, F.cross_entropy(logits, label, ignore_index=255))


def test_missing_class_weight_file_fails_at_first_loss(tmp_path):
    """Builds (inference, FLOPs need no training data); the loss names the
    file and the tool that writes it."""
    missing = str(tmp_path / 'nope.json')
    head = _build_head(class_weight_file=missing)
    with pytest.raises(FileNotFoundError, match='nope.json.*class_weights'):
        head.loss_by_feat(torch.randn(1, 20, 4, 4), _samples(1, 4, 4))


def test_bad_class_weight_files(tmp_path):
    short = tmp_path / 'short.json'
    short.write_text(json.dumps([1.0] * 19))
    with pytest.raises(ValueError, match='short.json.*20'):
        load_class_weights(str(short), 20)
    neg = tmp_path / 'neg.json'
    neg.write_text(json.dumps(dict(weights=[-1.0] + [1.0] * 19)))
    with pytest.raises(ValueError, match='neg.json'):
        load_class_weights(str(neg), 20)
