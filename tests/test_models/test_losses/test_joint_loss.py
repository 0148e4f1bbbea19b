"""SSJointLoss (SS-NAN Eq. 4, L_joint): hand-computed values, gradients,
absent joints, ignore pixels."""
import pytest
import torch
import torch.nn.functional as F

from mmhumanparse.datasets.metainfo import LIP_METAINFO
from mmhumanparse.models.losses import SSJointLoss
from mmhumanparse.registry import MODELS

GROUPS = [(1, ), (2, )]  # two joints on a 3-class map


def _logits(*class_maps):
    """Logits (1, C, H, W) whose softmax is the given per-class maps
    (class 0 takes the rest)."""
    p = torch.stack(class_maps).double()
    p = torch.cat([1 - p.sum(0, keepdim=True), p])
    return p.clamp_min(1e-30).log()[None]


def _tiny():
    """The 2 x 4 example worked out by hand in the tests below."""
    label = torch.tensor([[1, 0, 0, 2], [1, 0, 0, 0]])[None]
    p1 = torch.tensor([[.5, .5, 0, 0], [0, 0, 0, 0]])
    p2 = torch.tensor([[0, 0, 0, 0], [0, 0, 0, 1.]])
    return _logits(p1, p2), label


def test_hand_computation():
    logits, label = _tiny()
    # in label pixels: joint 0: pred centre (0.5, 0), label (0, 0.5):
    #   squared distance 0.25 + 0.25 = 0.5; joint 1: pred (3, 1), label
    #   (3, 0): 1. L = (0.5 + 1) / (2 * 2) = 0.375.
    assert SSJointLoss(GROUPS, unit=1)(logits, label).item() == \
        pytest.approx(0.375, abs=1e-9)
    # unit = output stride: the distances in grid cells, L / unit^2
    assert SSJointLoss(GROUPS, unit=2)(logits, label).item() == \
        pytest.approx(0.375 / 4, abs=1e-9)
    # the default unit is the paper's output stride 8
    assert SSJointLoss(GROUPS)(logits, label).item() == pytest.approx(
        0.375 / 64, abs=1e-9)
    # 'size': x / W, y / H with W = 4, H = 2. joint 0: (0.125, 0) vs
    #   (0, 0.25): 0.078125; joint 1: (0.75, 0.5) vs (0.75, 0): 0.25.
    size = SSJointLoss(GROUPS, unit='size')(logits, label)
    assert size.item() == pytest.approx(0.08203125, abs=1e-9)
    # loss_weight scales it
    loss2 = SSJointLoss(GROUPS, unit='size', loss_weight=2.)(logits, label)
    assert loss2.item() == pytest.approx(2 * 0.08203125, abs=1e-9)
    for bad in (0, -1., 'grid', True):
        with pytest.raises(ValueError, match='joint_loss.py.*unit'):
            SSJointLoss(GROUPS, unit=bad)


def test_built_from_registry_with_merged_groups():
    loss = MODELS.build(
        dict(type='SSJointLoss', joint_groups=[(1, 2)], unit='size',
             loss_weight=1.))
    logits, label = _tiny()
    # one merged joint: label pixels of 1 and 2: (0,0), (0,1), (3,0) ->
    # centre (1, 1/3); prediction mass 0.5 @ (0,0), 0.5 @ (1,0), 1 @ (3,1)
    # -> centre ((0 + .5 + 3) / 2, 1 / 2) = (1.75, 0.5).
    dx, dy = (1.75 - 1) / 4, (0.5 - 1 / 3) / 2
    assert loss(logits, label).item() == pytest.approx(
        (dx**2 + dy**2) / 2, abs=1e-9)


def test_absent_joints_are_excluded():
    logits, label = _tiny()
    label = label.clone()
    label[label == 2] = 0  # joint 1 absent from the label
    loss = SSJointLoss(GROUPS, unit=1)(logits, label)
    # only joint 0 counts, divided by 2 * 1 (not 2 * 2)
    assert loss.item() == pytest.approx(0.5 / 2, abs=1e-9)
    # an image without any joint does not change the batch value
    empty = torch.zeros_like(label)
    both = SSJointLoss(GROUPS, unit=1)(torch.cat([logits, logits]),
                                       torch.cat([label, empty]))
    assert both.item() == pytest.approx(0.5 / 2, abs=1e-9)
    assert SSJointLoss(GROUPS)(logits, empty).item() == 0


def test_ignore_pixels_count_for_neither_centre():
    logits, label = _tiny()
    label = label.clone()
    label[0, 1, 1] = 255
    other = logits.clone()
    other[0, :, 1, 1] = torch.tensor([-5., 9., -5.]).double()  # mass of 1
    loss = SSJointLoss(GROUPS, unit=1)
    assert loss(other, label).item() == pytest.approx(
        loss(logits, label).item(), abs=1e-12)
    label[0, 1, 1] = 0  # the same pixel, not ignored: the centre moves
    assert loss(other, label).item() != pytest.approx(
        loss(logits, label).item(), abs=1e-4)


def test_zero_when_prediction_is_the_one_hot_label():
    g = torch.Generator().manual_seed(0)
    label = torch.randint(0, 20, (2, 12, 10), generator=g)
    label[0, :3, :3] = 255
    onehot = F.one_hot(label.clamp(max=19), 20).permute(0, 3, 1, 2)
    logits = onehot.double() * 100.
    loss = SSJointLoss(LIP_METAINFO['joint_groups'])(logits, label)
    assert loss.item() < 1e-12
    wrong = torch.roll(logits, 3, dims=-1)
    assert SSJointLoss(LIP_METAINFO['joint_groups'])(wrong,
                                                     label).item() > 1e-4


def test_differentiable():
    g = torch.Generator().manual_seed(1)
    label = torch.randint(0, 3, (2, 5, 6), generator=g)
    label[1, 0, 0] = 255
    logits = torch.randn(2, 3, 5, 6, generator=g, dtype=torch.double,
                         requires_grad=True)
    loss = SSJointLoss(GROUPS)
    assert torch.autograd.gradcheck(lambda x: loss(x, label), (logits, ))
    loss(logits, label).backward()
    assert logits.grad.abs().sum() > 0


def test_logits_resized_to_the_label():
    logits, label = _tiny()
    big = F.interpolate(logits, size=(4, 8), mode='bilinear')
    value = SSJointLoss(GROUPS)(big, label)
    assert torch.isfinite(value) and value.dim() == 0


def test_bad_input():
    loss = SSJointLoss(GROUPS)
    logits, label = _tiny()
    with pytest.raises(ValueError, match='seg_label'):
        loss(logits, label[0])
    with pytest.raises(ValueError, match='outside'):
        loss(logits, label + 5)
