"""SS-NAN head (Skip-Net dense classifier, Eq. 4 product loss) and the
scale aggregations (Sec. 3.2, Eq. 2-3)."""
import itertools

import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmhumanparse.models.decode_heads import (AverageAggregation,
                                              MaxAggregation,
                                              NeuralAggregation, SSNANHead)
from mmhumanparse.models.losses import SSJointLoss
from mmhumanparse.registry import MODELS

GROUPS = [(1, 2), (3, ), (4, )]


def _probs(num_scales=3, n=2, c=5, h=6, w=7, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [
        torch.randn(n, c, h, w, generator=g).mul(2).softmax(1)
        for _ in range(num_scales)
    ]


def _feats(n=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(n, 8, 8, 6, generator=g),
            torch.randn(n, 16, 8, 6, generator=g),
            torch.randn(n, 32, 4, 3, generator=g))


def _samples(n, h, w, c=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(h, w), pad_shape=(h, w)))
        label = torch.randint(0, c, (1, h, w), generator=g)
        label[:, :2, :2] = 255
        s.gt_sem_seg = PixelData(data=label)
        out.append(s)
    return out


def _head(**kw):
    cfg = dict(
        type='SSNANHead',
        in_channels=[8, 16, 32],
        in_index=[0, 1, 2],
        num_classes=5,
        dropout_ratio=0.,
        loss_decode=dict(
            type='mmseg.CrossEntropyLoss', avg_non_ignore=True,
            loss_weight=1.0))
    cfg.update(kw)
    return MODELS.build(cfg)


# ---------------------------------------------------------------- head
def test_head_is_one_3x3_classifier_on_concatenated_stages():
    head = _head()
    assert isinstance(head, SSNANHead)
    assert head.conv_seg.weight.shape == (5, 8 + 16 + 32, 3, 3)
    convs = [m for m in head.modules() if isinstance(m, torch.nn.Conv2d)]
    assert convs == [head.conv_seg]  # no other layer (Sec. 3.1)
    feats = _feats()
    out = head(feats)
    assert out.shape == (2, 5, 8, 6)
    # the same as the 3x3 conv on the concatenation (res5 upsampled)
    cat = torch.cat([
        feats[0], feats[1],
        F.interpolate(feats[2], size=(8, 6), mode='bilinear')
    ], 1)
    ref = F.conv2d(cat, head.conv_seg.weight, head.conv_seg.bias, padding=1)
    torch.testing.assert_close(out, ref)
    with pytest.raises(ValueError, match='channels'):
        _head(channels=64)


def test_head_without_joint_loss_is_plain_ce():
    head = _head()
    losses = head.loss(_feats(), _samples(2, 16, 12), None)
    assert set(losses) == {'loss_ce', 'acc_seg'}


def _conv_grad(head, loss):
    head.zero_grad()
    loss.backward()
    return head.conv_seg.weight.grad.clone()


def test_head_loss_eq4_joint_as_weight():
    head = _head(loss_joint=dict(type='SSJointLoss', joint_groups=GROUPS,
                                 unit=2))
    feats = _feats()
    samples = _samples(2, 16, 12)
    losses = head.loss(feats, samples, None)
    assert set(losses) == {'loss_ss_nan', 'parsing_ce', 'joint_l2', 'acc_seg'}
    # by hand: CE (non-ignored mean) and L_joint on the upsampled logits
    logits = F.interpolate(head(feats), size=(16, 12), mode='bilinear')
    label = torch.stack([s.gt_sem_seg.data[0] for s in samples])
    ce = F.cross_entropy(logits, label, ignore_index=255)
    joint = SSJointLoss(GROUPS, unit=2)(logits, label)
    torch.testing.assert_close(losses['parsing_ce'], ce)
    torch.testing.assert_close(losses['joint_l2'], joint)
    torch.testing.assert_close(losses['loss_ss_nan'], ce * joint)
    assert not losses['parsing_ce'].requires_grad  # logged, not summed
    # L_joint weighs the CE without a gradient of its own (Fig. 3, LIP_SSL):
    # the gradient is L_joint times the CE's
    grad = _conv_grad(head, losses['loss_ss_nan'])
    torch.testing.assert_close(grad, joint.detach() * _conv_grad(head, ce))


def test_head_loss_eq4_differentiable_product():
    cfg = dict(type='SSJointLoss', joint_groups=GROUPS, unit=2)
    weight = _head(loss_joint=cfg)
    product = _head(loss_joint=cfg, joint_grad=True)
    product.load_state_dict(weight.state_dict())
    feats, samples = _feats(), _samples(2, 16, 12)
    a = weight.loss(feats, samples, None)['loss_ss_nan']
    b = product.loss(feats, samples, None)['loss_ss_nan']
    torch.testing.assert_close(a, b)  # the same value
    # d(CE * J) = J dCE + CE dJ: the joint term adds to the gradient
    logits = F.interpolate(product(feats), size=(16, 12), mode='bilinear')
    label = torch.stack([s.gt_sem_seg.data[0] for s in samples])
    ce = F.cross_entropy(logits, label, ignore_index=255)
    joint = SSJointLoss(GROUPS, unit=2)(logits, label)
    ref = _conv_grad(product, ce * joint)
    torch.testing.assert_close(_conv_grad(product, b), ref)
    assert (_conv_grad(weight, a) - ref).abs().max() > 1e-6


# ---------------------------------------------------------- aggregation
@pytest.mark.parametrize('shared', [False, True])
def test_weights_sum_to_one_per_pixel(shared):
    torch.manual_seed(0)
    agg = NeuralAggregation(3, 5, channels=16, shared_scorer=shared)
    torch.nn.init.normal_(agg.conv2.weight, std=1.)
    probs = _probs()
    w = agg.scale_weights(probs)
    assert w.shape == (2, 3, 6, 7)
    assert (w >= 0).all()
    torch.testing.assert_close(w.sum(1), torch.ones(2, 6, 7))
    assert w.std() > 0.01  # not trivially uniform
    out = agg(probs)
    assert out.shape == (2, 5, 6, 7)
    # a convex combination of distributions is a distribution (Eq. 2)
    torch.testing.assert_close(out.sum(1), torch.ones(2, 6, 7))
    ref = sum(w[:, s:s + 1] * probs[s] for s in range(3))
    torch.testing.assert_close(out, ref)


@pytest.mark.parametrize('shared', [False, True])
def test_constant_scorer_gives_the_average(shared):
    agg = NeuralAggregation(3, 5, channels=16, shared_scorer=shared)
    torch.nn.init.zeros_(agg.conv2.weight)
    torch.nn.init.constant_(agg.conv2.bias, 3.7)
    probs = _probs()
    torch.testing.assert_close(agg(probs), torch.stack(probs).mean(0))
    torch.testing.assert_close(agg(probs), AverageAggregation()(probs))


@pytest.mark.parametrize('k', [0, 1, 2])
def test_one_hot_scorer_logits_select_that_scale(k):
    agg = NeuralAggregation(3, 5, channels=16)
    torch.nn.init.zeros_(agg.conv2.weight)
    with torch.no_grad():
        agg.conv2.bias.copy_(F.one_hot(torch.tensor(k), 3).float() * 100.)
    probs = _probs()
    torch.testing.assert_close(agg(probs), probs[k])


def test_shared_scorer_is_invariant_to_scale_order():
    torch.manual_seed(0)
    shared = NeuralAggregation(3, 5, channels=16, shared_scorer=True)
    fixed = NeuralAggregation(3, 5, channels=16, shared_scorer=False)
    for m in (shared, fixed):
        torch.nn.init.normal_(m.conv2.weight, std=1.)
    probs = _probs()
    ref_shared, ref_fixed = shared(probs), fixed(probs)
    for perm in itertools.permutations(range(3)):
        permuted = [probs[i] for i in perm]
        torch.testing.assert_close(shared(permuted), ref_shared)
        torch.testing.assert_close(
            shared.scale_weights(permuted),
            shared.scale_weights(probs)[:, list(perm)])
    # the paper's (order-bound) scorer is not: the check can fail
    swapped = fixed([probs[1], probs[0], probs[2]])
    assert (swapped - ref_fixed).abs().max() > 1e-4
    # any number of scales with the shared scorer
    assert shared(_probs(5)).shape == (2, 5, 6, 7)
    with pytest.raises(ValueError, match='3 scales'):
        fixed(_probs(2))


def test_neural_aggregation_gradients_and_paper_widths():
    agg = MODELS.build(dict(type='NeuralAggregation', num_scales=3,
                            in_channels=20))
    # Sec. 3.2 / 4.1: 512 x 3 x 3 then N_S x 3 x 3
    assert agg.conv1.conv.weight.shape == (512, 60, 3, 3)
    assert agg.conv2.weight.shape == (3, 512, 3, 3)
    small = NeuralAggregation(3, 5, channels=16)
    probs = [p.requires_grad_() for p in _probs()]
    small(probs).pow(2).sum().backward()
    assert all(p.grad.abs().sum() > 0 for p in probs)
    assert all(p.grad.abs().sum() > 0 for p in small.parameters())


def test_average_and_max_aggregation_values():
    a = torch.tensor([0.6, 0.3, 0.1]).view(1, 3, 1, 1)
    b = torch.tensor([0.2, 0.7, 0.1]).view(1, 3, 1, 1)
    avg = MODELS.build(dict(type='AverageAggregation'))([a, b])
    torch.testing.assert_close(avg.flatten(), torch.tensor([.4, .5, .1]))
    mx = MODELS.build(dict(type='MaxAggregation'))([a, b])
    torch.testing.assert_close(mx.flatten(),
                               torch.tensor([.6, .7, .1]) / 1.4)
    assert isinstance(MaxAggregation(), torch.nn.Module)


def test_aggregations_merge_the_given_values():
    """Weights from the probabilities, merged maps from ``values`` (the
    scales' logits in the Share-Net)."""
    torch.manual_seed(0)
    agg = NeuralAggregation(3, 5, channels=16)
    torch.nn.init.normal_(agg.conv2.weight, std=1.)
    probs = _probs()
    g = torch.Generator().manual_seed(3)
    values = [torch.randn(2, 5, 6, 7, generator=g) for _ in range(3)]
    w = agg.scale_weights(probs)
    ref = sum(w[:, s:s + 1] * values[s] for s in range(3))
    torch.testing.assert_close(agg(probs, values), ref)
    assert (agg(probs, values) - agg(probs)).abs().max() > 0.1
    a = torch.tensor([2., -1., 0.]).view(1, 3, 1, 1)
    b = torch.tensor([0., 3., 1.]).view(1, 3, 1, 1)
    pa, pb = a.softmax(1), b.softmax(1)
    torch.testing.assert_close(
        AverageAggregation()([pa, pb], [a, b]).flatten(),
        torch.tensor([1., 1., .5]))
    # the maximum of the scores, not renormalised
    torch.testing.assert_close(
        MaxAggregation()([pa, pb], [a, b]).flatten(),
        torch.tensor([2., 3., 1.]))
    with pytest.raises(ValueError, match='values'):
        AverageAggregation()([pa, pb], [a, b[:, :2]])


def test_aggregation_rejects_mismatched_maps():
    probs = _probs()
    probs[1] = probs[1][..., :5]
    for agg in (NeuralAggregation(3, 5, channels=8), AverageAggregation(),
                MaxAggregation()):
        with pytest.raises(ValueError, match='same shape'):
            agg(probs)
    with pytest.raises(ValueError, match='in_channels'):
        NeuralAggregation(3, 4, channels=8)(_probs())
