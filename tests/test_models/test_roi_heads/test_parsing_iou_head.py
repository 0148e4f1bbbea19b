"""ParsingIoUHead (PRSN, RP R-CNN Sec. 3.4): target, shapes, loss, score."""
import numpy as np
import pytest
import torch
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


def test_paper_size_shapes_and_loss():
    torch.manual_seed(0)
    head = MODELS.build(dict(type='ParsingIoUHead', num_classes=20))
    feats = torch.randn(2, 512, 32, 32)
    probs = torch.rand(2, 20, 128, 128)
    iou = head(feats, probs)
    assert iou.shape == (2, )  # one score per RoI
    assert head.convs[0].conv.in_channels == 512 + 20
    assert [c.conv.out_channels for c in head.convs] == [128, 128]
    assert [m.out_features for m in head.fcs if hasattr(m, 'out_features')
            ] == [256, 256]
    assert head.max_pool.kernel_size == 4 and head.max_pool.stride == 4
    logits = torch.randn(2, 20, 128, 128)
    targets = torch.randint(0, 20, (2, 128, 128))
    loss = head.loss_and_target(iou, logits, targets)['loss_parsing_iou']
    expect = ((iou - parsing_iou_target(logits.argmax(1), targets, 20))**2
              ).mean()
    torch.testing.assert_close(loss, expect)  # MSE, lambda_r = 1.0
    loss.backward()
    assert head.fc_iou.weight.grad.abs().sum() > 0


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
