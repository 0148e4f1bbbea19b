"""GSESemanticHead (RP R-CNN Sec. 3.3 / official semseg fused_head):
layout, parameter counts, enhanced levels, loss on padded labels, and the
cropped, resized probabilities."""
import pytest
import torch
import torch.nn.functional as F
from mmdet.models.data_preprocessors import DetDataPreprocessor
from mmdet.models.necks import FPN
from mmdet.structures import DetDataSample
from mmengine.structures import PixelData

from mmhumanparse.registry import MODELS

GN = dict(type='GN', num_groups=4, requires_grad=True)


def _head(num_classes=5, **kwargs):
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='GSESemanticHead',
            in_channels=16,
            conv_out_channels=16,
            num_classes=num_classes,
            norm_cfg=GN,
            **kwargs))


def _levels(n=2, size=64):  # P2-P6 of a 16-channel FPN
    return tuple(
        torch.randn(n, 16, size // s, size // s) for s in (4, 8, 16, 32, 64))


def _num_params(module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_official_layout_and_parameter_counts():
    """20 parts at 256 channels: the official fused_head (1x1 laterals,
    four 3x3 convs, 3x3 conv_embedding, all GN + ReLU; 1x1 classifier)
    has 3,287,060 parameters; with the official FPN (GN on its 8 convs)
    the GSE-FPN module has 6,633,492; the paper-text reading (no embedding)
    over the plain FPN has 6,041,108."""
    head = MODELS.build(dict(type='GSESemanticHead'))
    emb = head.conv_embedding
    assert emb.conv.kernel_size == (3, 3) and emb.norm_name == 'gn'
    assert emb.with_activation and emb.conv.bias is None
    assert head.num_outs == 4 and head.num_ins == 5
    assert _num_params(head) == 3_287_060
    fpn_gn = FPN([256, 512, 1024, 2048], 256, 5,
                 norm_cfg=dict(type='GN', num_groups=32))
    assert _num_params(head) + _num_params(fpn_gn) == 6_633_492
    paper = MODELS.build(
        dict(type='GSESemanticHead', with_embedding=False, num_outs=5))
    assert paper.conv_embedding is None
    fpn = FPN([256, 512, 1024, 2048], 256, 5)
    assert _num_params(paper) + _num_params(fpn) == 6_041_108
    assert head.criterion.loss_weight == 2.0  # lambda_s, Table 4


def test_levels_are_fpn_plus_embedded_feature():
    """S2-S5 (official): level + the embedded semantic feature resized to
    it; P6 is dropped. The fused feature is rebuilt here from the head's
    own layers as the official forward computes it."""
    head = _head().eval()
    feats = _levels()
    with torch.no_grad():
        out = head(feats)
        x = head.lateral_convs[0](feats[0])
        for i in range(1, 5):
            x = x + head.lateral_convs[i](
                F.interpolate(feats[i], scale_factor=2**i, mode='bilinear',
                              align_corners=True))
        for conv in head.convs:
            x = conv(x)
        logits = head.conv_logits(x)
        emb = head.conv_embedding(x)
    torch.testing.assert_close(out['seg_preds'], logits)
    assert len(out['feats']) == 4
    for i, (level, s) in enumerate(zip(feats, out['feats'])):
        # the official enhance_feature: scale factor 0.5 ** i
        expect = level + F.interpolate(
            emb, scale_factor=0.5**i, mode='bilinear', align_corners=False)
        torch.testing.assert_close(s, expect)


def test_paper_reading_enhances_s2_to_s6_without_embedding():
    head = _head(with_embedding=False, num_outs=5).eval()
    feats = _levels()
    feature = {}
    head.convs[-1].register_forward_hook(
        lambda m, i, o: feature.update(x=o))
    with torch.no_grad():
        out = head(feats)
    assert len(out['feats']) == 5
    torch.testing.assert_close(out['feats'][0], feats[0] + feature['x'])
    torch.testing.assert_close(
        out['feats'][4], feats[4] + F.interpolate(
            feature['x'], size=(1, 1), mode='bilinear', align_corners=False))
    with pytest.raises(ValueError, match='num_outs'):
        _head(num_outs=6)
    with pytest.raises(ValueError, match='conv_out_channels'):
        MODELS.build(dict(type='GSESemanticHead', in_channels=16,
                          conv_out_channels=8, with_embedding=False))
    with pytest.raises(ValueError, match='levels in'):
        head(feats[:4])


def _sample(seg: torch.Tensor, shape) -> DetDataSample:
    s = DetDataSample(metainfo=dict(img_shape=shape, ori_shape=shape))
    s.gt_sem_seg = PixelData(sem_seg=seg)
    return s


def test_loss_on_labels_padded_by_the_data_preprocessor():
    """Two images of different sizes; mmdet's DetDataPreprocessor(pad_seg)
    pads the labels with 0 (the official semseg_batch_resize: padding is
    trained as background); labels sampled nearest at 1/4."""
    head = _head(num_classes=3)
    seg0 = torch.randint(0, 3, (1, 64, 64))
    seg0[0, 0, 0] = 255
    seg1 = torch.randint(1, 3, (1, 48, 40))  # smaller image, no background
    pre = DetDataPreprocessor(pad_size_divisor=32, pad_seg=True,
                              seg_pad_value=0)
    data = pre(dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8),
                            torch.zeros(3, 48, 40, dtype=torch.uint8)],
                    data_samples=[_sample(seg0, (64, 64)),
                                  _sample(seg1, (48, 40))]), True)
    logits = head(_levels(n=2))['seg_preds']
    loss = head.loss(logits, data['data_samples'])['loss_semantic_seg']
    labels = torch.zeros((2, 64, 64), dtype=torch.long)
    labels[0] = seg0[0]
    labels[1, :48, :40] = seg1[0]
    small = labels[:, ::4, ::4]  # nearest 1/4 sampling
    expect = 2.0 * F.cross_entropy(logits, small, ignore_index=255)
    torch.testing.assert_close(loss, expect)
    loss.backward()
    assert head.conv_logits.weight.grad.abs().sum() > 0
    # not padded by the preprocessor: a clear error
    with pytest.raises(ValueError, match='pad_seg=True'):
        head.loss(logits, [_sample(seg0, (64, 64)), _sample(seg1, (48, 40))])


def test_predict_crops_batch_padding_before_resizing():
    """A padded batch of two sizes (survivor M15): the second image (32 x
    48 in a 64 x 64 batch, original 16 x 24) has part 1 everywhere inside
    it and part 2 in the padding. Its probabilities must show part 1 on
    the whole image, at the original size; resizing the padded map instead
    would stretch part 2 over the image."""
    head = _head(num_classes=3)
    logits = torch.zeros(2, 3, 16, 16)
    logits[:, 2] = 5.0  # padding: part 2
    logits[0, 0] = 10.0  # first image (64 x 64, no padding): background
    logits[1, 1, :8, :12] = 10.0  # second image's own area: part 1
    metas = [
        dict(batch_input_shape=(64, 64), img_shape=(64, 64),
             ori_shape=(64, 64)),
        dict(batch_input_shape=(64, 64), img_shape=(32, 48),
             ori_shape=(16, 24)),
    ]
    probs = head.predict(logits, metas, rescale=True)
    assert probs[0].shape == (3, 64, 64) and probs[1].shape == (3, 16, 24)
    assert (probs[0].argmax(0) == 0).all()
    assert (probs[1].argmax(0) == 1).all()
    torch.testing.assert_close(probs[1].sum(0), torch.ones(16, 24))
    # the reference: probabilities at the input size, cropped, resized
    up = F.interpolate(logits.softmax(1), size=(64, 64), mode='bilinear')
    ref = F.interpolate(up[1:, :, :32, :48], size=(16, 24), mode='bilinear')
    torch.testing.assert_close(probs[1], ref[0])
    kept = head.predict(logits, metas, rescale=False)
    assert kept[1].shape == (3, 32, 48)
