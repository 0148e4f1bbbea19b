"""WeightedCrossEntropyLoss: class weights with ignored pixels."""
import pytest
import torch
import torch.nn.functional as F

from mmhumanparse.models.losses import WeightedCrossEntropyLoss


def test_matches_torch_weighted_mean_and_ignores_255():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(2, 2, 6, 5, generator=g)
    label = torch.randint(0, 2, (2, 6, 5), generator=g)
    label[0, :2] = 255
    loss = WeightedCrossEntropyLoss(class_weight=[1.0, 10.0], loss_weight=2)
    ref = F.cross_entropy(logits,
                          label,
                          weight=torch.tensor([1.0, 10.0]),
                          ignore_index=255)
    torch.testing.assert_close(loss(logits, label), 2 * ref)
    # by hand on one pixel per class: (1 * ce0 + 10 * ce1) / 11
    lg = torch.tensor([[[[2.0]], [[0.0]]], [[[0.0]], [[1.0]]]])
    lb = torch.tensor([[[0]], [[1]]])
    ce0 = -torch.log_softmax(torch.tensor([2.0, 0.0]), 0)[0]
    ce1 = -torch.log_softmax(torch.tensor([0.0, 1.0]), 0)[1]
    torch.testing.assert_close(
        WeightedCrossEntropyLoss([1.0, 10.0])(lg, lb), (ce0 + 10 * ce1) / 11)
    # only ignored pixels: zero, not NaN
    assert loss(logits, torch.full_like(label, 255)) == 0


def test_batch_balanced_weights_by_hand():
    """CorrPM's criterion: class 0 weighs n1 / n, class 1 weighs n0 / n,
    counted over the whole batch's non-ignored pixels."""
    # two images of 2 x 2: three edge pixels, four non-edge, one ignored
    label = torch.tensor([[[0, 1], [255, 0]], [[1, 1], [0, 0]]])
    logits = torch.zeros(2, 2, 2, 2)
    logits[:, 1] = torch.tensor([[[1.0, 2.0], [0.0, -1.0]],
                                 [[0.5, 3.0], [2.0, 0.0]]])
    ce = -torch.log_softmax(logits, 1)  # (N, 2, H, W)
    ce0 = ce[:, 0][label == 0]  # four pixels
    ce1 = ce[:, 1][label == 1]  # three pixels
    w0, w1 = 3 / 7, 4 / 7
    expected = (w0 * ce0.sum() + w1 * ce1.sum()) / (4 * w0 + 3 * w1)
    loss = WeightedCrossEntropyLoss('batch_balanced', loss_weight=2.0)
    torch.testing.assert_close(loss(logits, label), 2.0 * expected)
    # the weights follow the batch: with one image only they change
    w0, w1 = 1 / 3, 2 / 3  # image 0: one edge, two non-edge pixels
    ce0, ce1 = ce[0, 0][label[0] == 0], ce[0, 1][label[0] == 1]
    torch.testing.assert_close(
        loss(logits[:1], label[:1]),
        2.0 * (w0 * ce0.sum() + w1 * ce1.sum()) / (2 * w0 + w1))
    # no edge pixel: every weight is 0, the loss too (not NaN)
    assert loss(logits, torch.zeros_like(label)) == 0
    with pytest.raises(ValueError, match='class_weight'):
        WeightedCrossEntropyLoss('balanced')


def test_bad_arguments():
    with pytest.raises(ValueError, match='avg_non_ignore'):
        WeightedCrossEntropyLoss([1.0, 2.0], avg_non_ignore=False)
    with pytest.raises(ValueError, match='class_weight'):
        WeightedCrossEntropyLoss([1.0])
    with pytest.raises(ValueError, match='channels'):
        WeightedCrossEntropyLoss([1.0, 2.0])(torch.zeros(1, 3, 2, 2),
                                             torch.zeros(1, 2, 2).long())
