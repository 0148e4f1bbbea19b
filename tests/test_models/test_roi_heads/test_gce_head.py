"""GCEHead (Parsing R-CNN GCE module, GN as in RP R-CNN): shapes, targets,
loss, pasting parsings back into the image."""
import numpy as np
import torch
import torch.nn.functional as F
from mmcv.cnn import NonLocal2d
from mmengine.structures import InstanceData

from mmhumanparse.models.roi_heads.parsing_heads.gce_head import paste_parsings
from mmhumanparse.registry import MODELS


def test_paper_size_shapes_and_layout():
    """512 x 32 x 32 feature and C x 128 x 128 logits from 32 x 32 RoIs."""
    torch.manual_seed(0)
    head = MODELS.build(dict(type='GCEHead', num_classes=20))
    with torch.no_grad():
        logits, feats = head(torch.randn(1, 256, 32, 32))
    assert logits.shape == (1, 20, 128, 128)
    assert feats.shape == (1, 512, 32, 32)
    assert head.out_size == 128
    # ASPP: 1x1 + three 3x3 at 6/12/18 + image pooling, 256 each
    assert [m.conv.dilation[0] for m in head.aspp] == [1, 6, 12, 18]
    assert [m.conv.out_channels for m in head.aspp] == [256] * 4
    assert head.image_pool[1].conv.out_channels == 256
    assert head.fuse.conv.in_channels == 5 * 256
    assert head.fuse.conv.out_channels == 512
    assert isinstance(head.nonlocal_block, NonLocal2d)
    assert len(head.convs) == 4 and all(
        c.conv.out_channels == 512 and c.conv.kernel_size == (3, 3)
        and c.norm_name == 'gn' for c in head.convs)
    assert head.deconv.kernel_size == (4, 4) and head.deconv.stride == (2, 2)
    assert head.loss_parsing.loss_weight == 2.0  # lambda_p, Table 3


def _tiny(num_classes=4):
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
            norm_cfg=dict(type='GN', num_groups=2, requires_grad=True)))


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
    targets = out['parsing_targets']
    assert targets.shape == (3, 32, 32) and targets.dtype == torch.int64
    assert (targets[0] == 2).all()  # the box hugs person 0's part
    assert set(targets[2].unique().tolist()) <= {0, 3, 255}
    expect = 2.0 * F.cross_entropy(logits, targets, ignore_index=255)
    torch.testing.assert_close(out['loss_parsing']['loss_parsing'], expect)


def test_paste_bilinear_probabilities_then_argmax():
    # left half label 1, right half label 2 on a 4 x 4 RoI grid
    probs = torch.zeros(1, 3, 4, 4)
    probs[0, 1, :, :2] = 1
    probs[0, 2, :, 2:] = 1
    out = paste_parsings(probs, torch.tensor([[2., 2., 10., 6.]]), (12, 12))
    assert out.dtype == torch.uint8 and out.shape == (1, 12, 12)
    expect = np.zeros((12, 12), np.uint8)
    expect[2:6, 2:6] = 1
    expect[2:6, 6:10] = 2
    np.testing.assert_array_equal(out[0].numpy(), expect)
    # boxes crossing the border are clipped; empty boxes give empty maps
    out = paste_parsings(
        probs.repeat(2, 1, 1, 1),
        torch.tensor([[-4., -4., 4., 4.], [5., 5., 5.2, 5.2]]), (6, 6))
    assert (out[0, :4, :4] > 0).all() and (out[0, 4:] == 0).all()
    assert (out[1] == 0).all()


def test_predict_by_feat_rescales_to_original_image():
    head = _tiny(num_classes=3)
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
    expect[2:10, 2:6] = 2
    assert torch.equal(out.parsings[0], expect)
    assert torch.equal(out.masks, out.parsings > 0)
