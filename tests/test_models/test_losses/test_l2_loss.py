"""L2Loss: the official RP R-CNN PRSN loss (half squared error over the
positive targets), by hand-made values."""
import pytest
import torch

from mmhumanparse.models.losses import L2Loss
from mmhumanparse.models.losses.named_loss import NamedLoss
from mmhumanparse.registry import MODELS


def test_positive_targets_only_half_mean():
    pred = torch.tensor([0.5, 0.2, 0.9, 0.4])
    target = torch.tensor([1.0, 0.0, 0.6, -0.1])
    loss = L2Loss()(pred, target)  # kept: 0 and 2
    assert loss.item() == pytest.approx(0.5 * (0.25 + 0.09) / 2)
    weighted = L2Loss(loss_weight=3.0)(pred, target)
    assert weighted.item() == pytest.approx(3 * 0.5 * 0.34 / 2)


def test_all_targets_when_not_pos_only():
    pred = torch.tensor([0.5, 0.2])
    target = torch.tensor([1.0, 0.0])
    loss = L2Loss(pos_only=False)(pred, target)
    assert loss.item() == pytest.approx(0.5 * (0.25 + 0.04) / 2)


def test_no_positive_target_gives_a_zero_in_the_graph():
    pred = torch.tensor([0.5, 0.2], requires_grad=True)
    loss = L2Loss()(pred, torch.zeros(2))
    assert loss.item() == 0
    loss.backward()
    assert torch.equal(pred.grad, torch.zeros(2))


def test_registered_named_and_checks_shapes():
    loss = MODELS.build(dict(type='L2Loss', loss_weight=2.0))
    assert isinstance(loss, NamedLoss) and loss.loss_weight == 2.0
    assert loss.loss_name == 'loss_l2'
    with pytest.raises(ValueError, match='l2_loss.py'):
        loss(torch.zeros(2), torch.zeros(3))
