"""ParsingIoUHead (PRSN, RP R-CNN Sec. 3.4): target, shapes, loss, score."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import InstanceData

from mmhumanparse.models.roi_heads.parsing_heads.parsing_iou_head import \
    parsing_iou_target
from mmhumanparse.registry import MODELS


def test_target_on_hand_made_prediction():
    pred = torch.tensor([[[0, 1], [1, 1]]])
    target = torch.tensor([[[0, 1], [0, 1]]])
    # class 0: 1 / 2, class 1: 2 / 3, class 2 absent from both (ignored)
    iou = parsing_iou_target(pred, target, num_classes=3)
    torch.testing.assert_close(iou, torch.tensor([(0.5 + 2 / 3) / 2]))
    # an ignored pixel is skipped: the mismatch at (1, 0) disappears
    ignored = target.clone()
    ignored[0, 1, 0] = 255
    torch.testing.assert_close(
        parsing_iou_target(pred, ignored, 3), torch.tensor([1.0]))
    # perfect and all-ignored RoIs, batch of three
    pred3 = torch.stack([pred[0], target[0], pred[0]])
    tgt3 = torch.stack([target[0], target[0], torch.full((2, 2), 255)])
    torch.testing.assert_close(
        parsing_iou_target(pred3, tgt3, 3),
        torch.tensor([(0.5 + 2 / 3) / 2, 1.0, 0.0]))


def test_target_matches_numpy_reference():
    rng = np.random.default_rng(0)
    pred = rng.integers(0, 5, (4, 9, 9))
    tgt = rng.integers(0, 5, (4, 9, 9))
    tgt[tgt == 4] = 255
    got = parsing_iou_target(torch.from_numpy(pred), torch.from_numpy(tgt), 5)
    for n in range(4):
        valid = tgt[n] != 255
        ious = []
        for c in range(5):
            p, t = (pred[n] == c) & valid, (tgt[n] == c) & valid
            union = (p | t).sum()
            if union:
                ious.append((p & t).sum() / union)
        assert got[n].item() == pytest.approx(np.mean(ious), abs=1e-6)


@pytest.mark.parametrize('num_parts,params', [(20, 859_649),
                                              (59, 904_577)],
                         ids=['CIHP', 'MHP-v2'])
def test_official_parameter_count_and_16x16_pooling(num_parts, params):
    """Official PRSN (soeaver/RP-R-CNN parsingiou/heads.py): the second 3x3
    conv has stride 2, so the global average runs over 16 x 16."""
    head = MODELS.build(dict(type='ParsingIoUHead', num_classes=num_parts))
    assert sum(p.numel() for p in head.parameters()) == params
    seen = {}
    head.gap.register_forward_hook(
        lambda m, args, out: seen.update(gap_in=args[0]))
    iou = head(torch.randn(2, 512, 32, 32), torch.randn(2, num_parts, 128,
                                                        128))
    assert iou.shape == (2, )  # one score per RoI
    assert seen['gap_in'].shape == (2, 128, 16, 16)
    one = MODELS.build(
        dict(type='ParsingIoUHead', num_classes=num_parts,
             last_conv_stride=1))
    seen.clear()
    one.gap.register_forward_hook(
        lambda m, args, out: seen.update(gap_in=args[0]))
    one(torch.randn(1, 512, 32, 32), torch.randn(1, num_parts, 128, 128))
    assert seen['gap_in'].shape == (1, 128, 32, 32)


@pytest.mark.parametrize('parsing_input', ['logits', 'probs'])
def test_input_is_max_pooled_logits_or_detached_probs(parsing_input):
    """The first conv sees [features, 4x4 max-pool of the logits] (official)
    or of their softmax, detached (the paper's probability map)."""
    torch.manual_seed(0)
    head = MODELS.build(
        dict(type='ParsingIoUHead', num_classes=3, in_channels=4,
             parsing_input=parsing_input))
    seen = {}
    head.convs[0].register_forward_hook(
        lambda m, args, out: seen.update(conv_in=args[0]))
    feats = torch.randn(2, 4, 8, 8)
    logits = torch.randn(2, 3, 32, 32, requires_grad=True)
    head(feats, logits).sum().backward()
    maps = logits.detach()
    if parsing_input == 'probs':
        maps = maps.softmax(1)
    expect = torch.cat([feats, F.max_pool2d(maps, 4, 4)], 1)
    torch.testing.assert_close(seen['conv_in'], expect)
    # official: the PRSN loss also trains the parsing logits
    assert (logits.grad is not None) == (parsing_input == 'logits')


def test_loss_is_half_squared_error_over_positive_targets():
    torch.manual_seed(0)
    head = MODELS.build(dict(type='ParsingIoUHead', num_classes=2,
                             in_channels=4))
    # three RoIs: targets 1.0 (perfect), 0.0 (no overlap), 0.5
    logits = torch.zeros(3, 2, 2, 2)
    logits[:, 1] = 1.  # everything predicted as part 1
    targets = torch.tensor([[[1, 1], [1, 1]], [[0, 0], [0, 0]],
                            [[1, 1], [0, 0]]])
    iou_preds = torch.tensor([0.8, 0.3, 0.1], requires_grad=True)
    loss = head.loss_and_target(iou_preds, logits,
                                targets)['loss_parsing_iou']
    # IoU targets: 1.0, 0.0 (left out), nan-mean(0 / 2, 2 / 4) = 0.25
    expect = 0.5 * ((0.8 - 1.0)**2 + (0.1 - 0.25)**2) / 2
    assert loss.item() == pytest.approx(expect)
    loss.backward()
    assert iou_preds.grad[1] == 0


def test_final_score_is_sqrt_cls_times_iou():
    head = MODELS.build(
        dict(type='ParsingIoUHead', num_classes=3, in_channels=4))
    results = InstanceData(scores=torch.tensor([0.81, 0.25, 0.5, 0.64]))
    out = head.predict_by_feat((torch.tensor([1.0, 0.64, -0.2, 1.5]), ),
                               [results])[0]
    torch.testing.assert_close(out.scores,
                               torch.tensor([0.9, 0.4, 0.0, 0.8]))
    torch.testing.assert_close(out.bbox_scores,
                               torch.tensor([0.81, 0.25, 0.5, 0.64]))
    torch.testing.assert_close(out.iou_scores,
                               torch.tensor([1.0, 0.64, 0.0, 1.0]))
