"""GSEFPN (RP R-CNN Sec. 3.3): shapes, enhancement, semantic loss."""
import pytest
import torch
import torch.nn.functional as F
from mmdet.models.necks import FPN

from mmhumanparse.models.necks.gse_fpn import stack_sem_seg
from mmhumanparse.registry import MODELS

GN = dict(type='GN', num_groups=4, requires_grad=True)


def _neck(num_classes=5):
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='GSEFPN',
            in_channels=[8, 16, 32, 64],
            out_channels=16,
            num_outs=5,
            semantic_head=dict(num_classes=num_classes, norm_cfg=GN)))


def _inputs(n=2, size=64):
    return tuple(
        torch.randn(n, c, size // s, size // s)
        for c, s in zip((8, 16, 32, 64), (4, 8, 16, 32)))


def test_shapes_and_layout():
    neck = _neck()
    outs, logits = neck.forward_semantic(_inputs())
    assert [tuple(o.shape) for o in outs] == [  # S2-S6
        (2, 16, 16, 16), (2, 16, 8, 8), (2, 16, 4, 4), (2, 16, 2, 2),
        (2, 16, 1, 1)
    ]
    assert logits.shape == (2, 5, 16, 16)  # C classes at P2 (1/4)
    assert len(neck(_inputs())) == 5
    head = neck.semantic_head
    # one 1x1 conv per level, four 3x3 convs (GN), 1x1 classifier (Fig. 3)
    assert len(head.lateral_convs) == 5
    assert all(c.conv.kernel_size == (1, 1) for c in head.lateral_convs)
    assert len(head.convs) == 4
    assert all(c.conv.kernel_size == (3, 3) and c.norm_name == 'gn'
               for c in head.convs)
    assert head.conv_logits.out_channels == 5
    assert isinstance(head.conv_embedding, torch.nn.Identity)
    assert head.criterion.loss_weight == 2.0  # lambda_s, Table 4


def test_levels_are_fpn_plus_resized_semantic_feature():
    neck = _neck().eval()
    x = _inputs()
    with torch.no_grad():
        plain = FPN.forward(neck, x)
        _, feat = neck.semantic_head(plain)
        outs, _ = neck.forward_semantic(x)
    for p, s in zip(plain, outs):
        expect = p + F.interpolate(
            feat, size=p.shape[-2:], mode='bilinear', align_corners=False)
        torch.testing.assert_close(s, expect)
    torch.testing.assert_close(outs[0], plain[0] + feat)


def test_semantic_loss_matches_manual_ce():
    neck = _neck(num_classes=3)
    _, logits = neck.forward_semantic(_inputs(n=2, size=64))
    seg0 = torch.randint(0, 3, (1, 64, 64))
    seg0[0, 0, 0] = 255
    seg1 = torch.randint(0, 3, (1, 48, 40))  # unpadded, smaller image
    loss = neck.loss(logits, [seg0, seg1], (64, 64))['loss_semantic_seg']
    labels = torch.full((2, 64, 64), 255)
    labels[0] = seg0[0]
    labels[1, :48, :40] = seg1[0]
    small = labels[:, ::4, ::4]  # nearest 1/4 sampling
    expect = 2.0 * F.cross_entropy(logits, small, ignore_index=255)
    torch.testing.assert_close(loss, expect)
    loss.backward()
    assert neck.semantic_head.conv_logits.weight.grad.abs().sum() > 0


def test_stack_sem_seg_and_bad_width():
    out = stack_sem_seg([torch.ones(1, 2, 3, dtype=torch.uint8)], (4, 4))
    assert out.shape == (1, 1, 4, 4)
    assert (out[0, 0, :2, :3] == 1).all() and out[0, 0, 3, 0] == 255
    with pytest.raises(ValueError, match='conv_out_channels'):
        MODELS.build(
            dict(
                type='GSESemanticHead', in_channels=16,
                conv_out_channels=8))


def test_semantic_head_paper_defaults_and_overrides():
    head = MODELS.build(dict(type='GSESemanticHead'))
    assert head.fusion_level == 0 and head.num_ins == 5
    assert head.in_channels == head.conv_out_channels == 256
    assert len(head.convs) == 4 and head.num_classes == 20
    assert all(c.norm_name == 'gn' and c.gn.num_groups == 32
               for c in head.convs)
    assert head.criterion.loss_weight == 2.0  # lambda_s, Table 4
    assert head.criterion.ignore_index == 255
    assert head.criterion.avg_non_ignore
    # an argument replaces its default only
    head = MODELS.build(dict(type='GSESemanticHead', num_convs=2))
    assert len(head.convs) == 2 and head.num_classes == 20
    with pytest.raises(TypeError, match='fusion_level'):
        MODELS.build(dict(type='GSESemanticHead', fusion_level=1))
