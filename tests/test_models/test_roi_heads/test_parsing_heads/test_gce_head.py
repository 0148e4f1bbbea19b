"""GCEHead (Parsing R-CNN GCE module, GN as in RP R-CNN): the official
layout (parameter count, ASPP order, non-local op, bilinear x2), targets,
loss, pasting parsings back into the image."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import InstanceData

from mmhumanparse.models.roi_heads.parsing_heads.gce_head import GCENonLocal2d
from mmhumanparse.registry import MODELS

# mmcv's NonLocal2d as our earlier default (inner 256, no sub-sampling)
MMCV_NONLOCAL = dict(
    reduction=2, sub_sample=False, out_bias=False, zeros_init=True)


@pytest.mark.parametrize('num_parts,params', [(20, 13_216_276),
                                              (59, 13_535_803)],
                         ids=['CIHP', 'MHP-v2'])
def test_paper_size_shapes_and_official_parameter_count(num_parts, params):
    """Official GCE (soeaver/RP-R-CNN, CIHP / MHP-v2 R-50 yaml): 512 x 32 x
    32 feature, C x 128 x 128 logits, 13,216,276 parameters with 20 parts.
    """
    head = MODELS.build(dict(type='GCEHead', num_classes=num_parts))
    assert sum(p.numel() for p in head.parameters()) == params
    with torch.no_grad():
        logits, feats = head(torch.randn(1, 256, 32, 32))
    assert logits.shape == (1, num_parts, 128, 128)
    assert feats.shape == (1, head.feat_channels, 32, 32) == (1, 512, 32, 32)
    assert head.loss_parsing.loss_weight == 2.0  # lambda_p, Table 3


def test_mmcv_nonlocal_switch_gives_the_earlier_head():
    head = MODELS.build(
        dict(type='GCEHead', num_classes=20, nonlocal_cfg=MMCV_NONLOCAL))
    assert sum(p.numel() for p in head.parameters()) == 12_690_708
    head.init_weights()  # mmcv's init: the block starts as the identity
    assert (head.nonlocal_block.conv_out.norm.weight == 0).all()


def _official_nonlocal(block, x):
    """The official op's forward written out with F.conv2d on the block's
    weights: theta on x; phi and g on the 2x2 max-pooled x; softmax over
    the pooled positions of theta.phi / sqrt(inner); out conv + GN + x."""

    def conv(module, inp):
        conv = [m for m in module.modules()
                if isinstance(m, torch.nn.Conv2d)][0]
        return F.conv2d(inp, conv.weight, conv.bias)

    n, c, h, w = x.shape
    pooled = F.max_pool2d(x, 2, 2)
    theta = conv(block.theta, x).flatten(2)  # (n, k, hw)
    phi = conv(block.phi, pooled).flatten(2)  # (n, k, hw / 4)
    g = conv(block.g, pooled).flatten(2)
    attn = torch.softmax(
        theta.transpose(1, 2) @ phi / theta.shape[1]**0.5, dim=-1)
    y = (g @ attn.transpose(1, 2)).reshape(n, -1, h, w)
    norm = block.conv_out.norm
    y = F.group_norm(
        conv(block.conv_out, y), norm.num_groups, norm.weight, norm.bias,
        norm.eps)
    return y + x


def test_nonlocal_is_the_official_op():
    torch.manual_seed(0)
    block = GCENonLocal2d(
        16, norm_cfg=dict(type='GN', num_groups=4, requires_grad=True))
    assert block.inter_channels == 16  # NL_RATIO 1.0
    # official init: convs N(0, 0.01) with zero bias, GN scale 1, shift 0
    block.init_weights()
    assert (block.conv_out.norm.weight == 1).all()
    assert (block.conv_out.conv.bias == 0).all()
    for p in block.parameters():  # random weights for the comparison
        p.data.normal_(0, 0.3)
    x = torch.randn(2, 16, 6, 8)
    with torch.no_grad():
        torch.testing.assert_close(block(x), _official_nonlocal(block, x))


def _tiny(num_classes=4, **kwargs):
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='GCEHead',
            num_classes=num_classes,
            in_channels=8,
            roi_feat_size=8,
            aspp_channels=8,
            aspp_dilations=(1, 2),
            conv_out_channels=8,
            num_convs=2,
            norm_cfg=dict(type='GN', num_groups=2, requires_grad=True),
            **kwargs))


def _capture(module, store, key, output=True):
    def hook(mod, args, out):
        store[key] = out if output else args[0]

    return module.register_forward_hook(hook)


def test_aspp_concat_starts_with_image_pooling():
    """Official order [image pool, 1x1, d6, d12, d18]: a converted
    checkpoint's fuse conv needs no channel permutation."""
    head = _tiny().eval()
    x = torch.randn(2, 8, 8, 8)
    seen = {}
    _capture(head.fuse, seen, 'fuse_in', output=False)
    with torch.no_grad():
        head(x)
        pooled = head.image_pool(x).expand(-1, -1, 8, 8)
        branches = [pooled] + head.aspp(x)
    torch.testing.assert_close(seen['fuse_in'], torch.cat(branches, 1))


def test_logits_are_the_deconv_output_upsampled_bilinearly():
    head = _tiny().eval()
    seen = {}
    _capture(head.deconv, seen, 'deconv')
    with torch.no_grad():
        logits, _ = head(torch.randn(2, 8, 8, 8))
    low = seen['deconv']
    assert low.shape[-2:] == (16, 16) and logits.shape[-2:] == (32, 32)
    assert low.std() > 0
    torch.testing.assert_close(
        logits,
        F.interpolate(
            low, scale_factor=2, mode='bilinear', align_corners=False))


def test_loss_matches_ce_on_nearest_targets():
    head = _tiny()
    logits, _ = head(torch.randn(3, 8, 8, 8))
    assert logits.shape == (3, 4, 32, 32)
    maps = torch.zeros((2, 40, 40), dtype=torch.uint8)
    maps[0, 5:30, 5:20] = 2
    maps[1, 10:35, 20:38] = 3
    maps[1, 12, 25] = 255
    boxes = [torch.tensor([[5., 5., 20., 30.], [0., 0., 40., 40.]]),
             torch.tensor([[20., 10., 38., 35.]])]
    inds = [torch.tensor([0, 1]), torch.tensor([1])]
    gts = [InstanceData(parsings=maps), InstanceData(parsings=maps)]
    out = head.loss_and_target(logits, boxes, inds, gts)
    targets = out['mask_targets']
    assert targets.shape == (3, 32, 32) and targets.dtype == torch.int64
    assert (targets[0] == 2).all()  # the box hugs person 0's part
    assert set(targets[2].unique().tolist()) <= {0, 3, 255}
    expect = 2.0 * F.cross_entropy(logits, targets, ignore_index=255)
    torch.testing.assert_close(out['loss_mask']['loss_parsing'], expect)


def test_target_mode_official_stretches_a_border_crossing_box():
    maps = torch.zeros((1, 16, 16), dtype=torch.uint8)
    maps[0, :8, :8] = 1
    box = [torch.tensor([[-8., -8., 8., 8.]])]
    gts = [InstanceData(parsings=maps)]
    logits = torch.zeros(1, 4, 32, 32)
    official = _tiny().loss_and_target(logits, box, [torch.tensor([0])],
                                       gts)['mask_targets'][0]
    assert (official == 1).all()  # the in-image quarter fills the target
    sampled = _tiny(target_mode='sample').loss_and_target(
        logits, box, [torch.tensor([0])], gts)['mask_targets'][0]
    assert (sampled[16:, 16:] == 1).all() and (sampled[:16] == 0).all()
    with pytest.raises(ValueError, match='gce_head.py: target_mode'):
        _tiny(target_mode='nearest')


@pytest.mark.parametrize('paste_mode', ['expand', 'grid_sample'])
def test_predict_by_feat_rescales_to_original_image(paste_mode):
    head = _tiny(num_classes=3, paste_mode=paste_mode)
    logits = torch.full((1, 3, 32, 32), -10.)
    logits[:, 2] = 10.
    results = InstanceData(
        bboxes=torch.tensor([[4., 4., 12., 20.]]),
        scores=torch.tensor([0.9]),
        labels=torch.tensor([0]))
    meta = dict(img_shape=(32, 32), ori_shape=(16, 16),
                scale_factor=(2., 2.))
    out = head.predict_by_feat((logits, ), [results], [meta],
                               rescale=True)[0]
    assert out.parsings.shape == (1, 16, 16)
    torch.testing.assert_close(out.bboxes, torch.tensor([[2., 2., 6., 10.]]))
    expect = torch.zeros(16, 16, dtype=torch.uint8)
    if paste_mode == 'grid_sample':  # pixel centres inside the box
        expect[2:10, 2:6] = 2
    else:  # box grown by 34 / 32 and truncated: x 1..6, y 1..10
        expect[1:11, 1:7] = 2
    assert torch.equal(out.parsings[0], expect)
    assert torch.equal(out.masks, out.parsings > 0)


def test_predict_by_feat_fuses_semantic_probs_by_test_cfg_weight():
    head = _tiny(num_classes=3)
    logits = torch.zeros((1, 3, 32, 32))
    logits[:, 1] = 1.  # part 1 wins, part 2 close behind
    logits[:, 2] = 0.8
    sem = torch.zeros(3, 16, 16)
    sem[2] = 1.  # the semantic branch says part 2 everywhere

    def run(cfg):
        results = InstanceData(
            bboxes=torch.tensor([[2., 2., 10., 10.]]),
            scores=torch.tensor([0.9]),
            labels=torch.tensor([0]))
        meta = dict(img_shape=(16, 16), ori_shape=(16, 16),
                    scale_factor=(1., 1.))
        return head.predict_by_feat((logits, ), [results], [meta],
                                    rcnn_test_cfg=cfg,
                                    sem_probs=[sem])[0].parsings[0]

    assert set(run(None).unique().tolist()) == {0, 1}  # default weight 0
    fused = run(dict(semseg_fuse_weight=0.2))
    assert set(fused.unique().tolist()) == {0, 2}
    assert torch.equal(fused > 0, run(None) > 0)  # only inside the person
    with pytest.raises(ValueError, match='paste.py'):
        head.predict_by_feat(
            (logits, ), [InstanceData(bboxes=torch.zeros((1, 4)))],
            [dict(img_shape=(8, 8))],
            rcnn_test_cfg=dict(semseg_fuse_weight=0.2),
            sem_probs=[sem])
