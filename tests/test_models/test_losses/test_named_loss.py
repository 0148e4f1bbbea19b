"""NamedLoss: the loss_weight / loss_name every loss of ours carries."""
import pytest
import torch

from mmhumanparse.models.losses import SSJointLoss, WeightedCrossEntropyLoss
from mmhumanparse.models.losses.named_loss import NamedLoss


def test_weight_and_read_only_name():
    loss = NamedLoss(0.5, 'loss_x')
    assert isinstance(loss, torch.nn.Module)
    assert loss.loss_weight == 0.5 and loss.loss_name == 'loss_x'
    with pytest.raises(AttributeError):
        loss.loss_name = 'loss_y'


@pytest.mark.parametrize(
    'build,name',
    [(lambda **kw: SSJointLoss([(1, ), (2, )], **kw), 'loss_joint'),
     (lambda **kw: WeightedCrossEntropyLoss([1., 2.], **kw),
      'loss_weighted_ce')],
    ids=['SSJointLoss', 'WeightedCrossEntropyLoss'])
def test_our_losses_are_named_losses(build, name):
    assert isinstance(build(), NamedLoss)
    assert build().loss_name == name and build().loss_weight == 1.0
    custom = build(loss_weight=3.0, loss_name='loss_custom')
    assert custom.loss_weight == 3.0 and custom.loss_name == 'loss_custom'
