"""HeterogeneousNonLocal ("On the Correlation among Edge, Pose and
Parsing", TPAMI 2021, Sec. 3.3, Eq. 1-3)."""
import pytest
import torch
import torch.nn as nn

from mmhumanparse.models.utils.heterogeneous_non_local import \
    HeterogeneousNonLocal


def _inputs(n=2, c=8, h=5, w=7, task_channels=(8, 6, 4), seed=0):
    g = torch.Generator().manual_seed(seed)
    main = torch.randn(n, c, h, w, generator=g)
    tasks = [torch.randn(n, t, h, w, generator=g) for t in task_channels]
    return main, tasks


def _randomise(hnl, seed=1):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in hnl.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)


def _reference(hnl, main, tasks):
    """Eq. 1-3 written out with the 1x1 weights as matrices."""

    def lin(conv, x):  # (N, Cin, L) -> (N, Cout, L)
        w = conv.conv.weight[:, :, 0, 0]
        return torch.einsum('oc,ncl->nol', w, x) + conv.conv.bias[:, None]

    n, c, h, w = main.shape
    fm = main.flatten(2)
    fh = lin(hnl.w1, torch.cat(tasks, 1).flatten(2))  # Eq. 1
    f1, f2, f3 = lin(hnl.theta, fh), lin(hnl.phi, fm), lin(hnl.g, fm)
    out = torch.empty_like(fm)
    for b in range(n):
        s = torch.softmax(f1[b].T @ f2[b], dim=1)  # Eq. 2, (L, L)
        y = (s @ f3[b].T).T  # S F3 -> (c, L)
        out[b] = lin(hnl.w2, y[None])[0] + fm[b]  # Eq. 3
    return out.reshape(n, c, h, w)


def test_zero_w2_returns_main_feature_exactly():
    hnl = HeterogeneousNonLocal(8, (8, 6, 4), 4)
    main, tasks = _inputs()
    assert torch.count_nonzero(hnl.w2.conv.weight) == 0
    assert torch.count_nonzero(hnl.w2.conv.bias) == 0
    assert torch.equal(hnl(main, tasks), main)
    # init_weights (e.g. a Kaiming init_cfg) keeps W2 at zero
    hnl = HeterogeneousNonLocal(8, (8, 6, 4),
                                4,
                                init_cfg=dict(type='Kaiming', layer='Conv2d'))
    hnl.init_weights()
    assert torch.equal(hnl(main, tasks), main)
    assert torch.count_nonzero(hnl.theta.conv.weight) > 0


def test_matches_equations():
    hnl = HeterogeneousNonLocal(8, (8, 6, 4), 4)
    _randomise(hnl)
    main, tasks = _inputs()
    out = hnl(main, tasks)
    assert out.shape == main.shape
    torch.testing.assert_close(out, _reference(hnl, main, tasks))
    # the result depends on the auxiliary features (heterogeneous)
    tasks2 = [tasks[0], tasks[1] + 1, tasks[2]]
    assert not torch.allclose(hnl(main, tasks2), out)


@pytest.mark.parametrize('chunk', [1, 7, 16, 35, 1000])
def test_chunked_equals_dense(chunk):
    dense = HeterogeneousNonLocal(8, 8, 4)
    _randomise(dense)
    chunked = HeterogeneousNonLocal(8, 8, 4, chunk_size=chunk)
    chunked.load_state_dict(dense.state_dict())
    main, tasks = _inputs(task_channels=(8, 8, 8))
    main.requires_grad_(True)
    out_d = dense(main, tasks)
    out_c = chunked(main, tasks)
    torch.testing.assert_close(out_c, out_d, rtol=1e-5, atol=1e-6)
    # gradients agree too (chunks are checkpointed in training)
    g_d = torch.autograd.grad(out_d.square().sum(),
                              [main] + list(dense.parameters()))
    g_c = torch.autograd.grad(out_c.square().sum(),
                              [main] + list(chunked.parameters()))
    for a, b in zip(g_c, g_d):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    with torch.no_grad():
        torch.testing.assert_close(chunked(main, tasks),
                                   out_d.detach(),
                                   rtol=1e-5,
                                   atol=1e-6)


def test_softmax_rows_sum_to_one():
    hnl = HeterogeneousNonLocal(8, (8, 6, 4), 4)
    _randomise(hnl)
    main, tasks = _inputs()
    s = hnl.affinity(main, tasks)
    length = main.shape[2] * main.shape[3]
    assert s.shape == (2, length, length)
    assert (s >= 0).all()
    torch.testing.assert_close(s.sum(-1), torch.ones(2, length))
    # the columns are not normalised: the softmax runs over positions j
    assert not torch.allclose(s.sum(-2), torch.ones(2, length))


BN = dict(type='BN')
LEAKY = dict(type='LeakyReLU', negative_slope=0.01)


class _CorrPMLayout(nn.Module):
    """The released CorrPM fusion + non-local block, written from its
    description: W1 = conv (no bias) + BN + LeakyReLU on concat(tasks);
    theta on F_h, phi and g on F_m, both max-pooled 2x2; W = conv + BN;
    z = W(softmax(theta^T phi) g) + F_m."""

    def __init__(self, c, inter, task_c):
        super().__init__()
        self.fuse = nn.Sequential(nn.Conv2d(task_c, c, 1, bias=False),
                                  nn.BatchNorm2d(c), nn.LeakyReLU(0.01))
        self.theta = nn.Conv2d(c, inter, 1)
        self.phi = nn.Sequential(nn.Conv2d(c, inter, 1), nn.MaxPool2d(2))
        self.g = nn.Sequential(nn.Conv2d(c, inter, 1), nn.MaxPool2d(2))
        self.W = nn.Sequential(nn.Conv2d(inter, c, 1), nn.BatchNorm2d(c))

    def forward(self, main, tasks):
        n, c, h, w = main.shape
        q = self.theta(self.fuse(torch.cat(tasks, 1))).flatten(2)
        k = self.phi(main).flatten(2)
        v = self.g(main).flatten(2)
        att = torch.softmax(q.transpose(1, 2) @ k, dim=-1)
        y = (att @ v.transpose(1, 2)).transpose(1, 2).reshape(n, -1, h, w)
        return self.W(y) + main


def test_corrpm_variant_matches_the_released_layout():
    hnl = HeterogeneousNonLocal(8,
                                8,
                                4,
                                sub_sample=2,
                                w1_norm_cfg=BN,
                                w1_act_cfg=LEAKY,
                                w2_norm_cfg=BN)
    main, tasks = _inputs(h=6, w=8, task_channels=(8, 8, 8))
    # W2's BN starts at zero: F_r = F_m, in training too
    assert torch.equal(hnl.train()(main, tasks), main)
    ref = _CorrPMLayout(8, 4, 24)
    g = torch.Generator().manual_seed(2)
    with torch.no_grad():
        for t in list(ref.parameters()) + [
                b for n, b in ref.named_buffers() if 'running' in n
        ]:
            t.copy_(torch.rand(t.shape, generator=g) + 0.5)
    pairs = [(hnl.w1.conv, ref.fuse[0]), (hnl.w1.bn, ref.fuse[1]),
             (hnl.theta.conv, ref.theta), (hnl.phi.conv, ref.phi[0]),
             (hnl.g.conv, ref.g[0]), (hnl.w2.conv, ref.W[0]),
             (hnl.w2.bn, ref.W[1])]
    for ours, theirs in pairs:
        ours.load_state_dict(theirs.state_dict())
    hnl.eval(), ref.eval()
    with torch.no_grad():
        out = hnl(main, tasks)
        torch.testing.assert_close(out, ref(main, tasks))
        assert not torch.allclose(out, main)
    assert hnl.affinity(main, tasks).shape == (2, 48, 12)  # L x L/4


def test_bad_inputs_raise():
    hnl = HeterogeneousNonLocal(8, (8, 6, 4), 4)
    main, tasks = _inputs()
    with pytest.raises(ValueError, match='main_feat'):
        hnl(main[:, :4], tasks)
    with pytest.raises(ValueError, match='task_feats'):
        hnl(main, tasks[:2])
    with pytest.raises(ValueError, match='task_feats'):
        hnl(main, [t[..., :3] for t in tasks])
    with pytest.raises(ValueError, match='chunk_size'):
        HeterogeneousNonLocal(8, 8, 4, chunk_size=0)
    with pytest.raises(ValueError, match='sub_sample'):
        HeterogeneousNonLocal(8, 8, 4, sub_sample=0)
