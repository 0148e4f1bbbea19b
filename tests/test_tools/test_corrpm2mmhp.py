"""tools/model_converters/corrpm2mmhp.py: the released CorrPM checkpoint
onto the ``corrpm`` config, checked against a model written in the
released code's layout (names, shapes, forward) on the same weights."""
import copy
import os.path as osp

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm

from mmhumanparse.registry import MODELS
from mmhumanparse.testing.tool_scripts import load_tool
from mmhumanparse.utils.corrpm_checkpoint import UNUSED, convert_corrpm

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'htcorrm',
                  'corrpm_r101-d16_2xb4-180e_lip-384x384.py')


class ABN(nn.Module):
    """InPlace-ABN's state (no num_batches_tracked), eval mode: BN, then
    LeakyReLU(0.01) unless ``act`` is False."""

    def __init__(self, c, act=True):
        super().__init__()
        self.act = act
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.register_buffer('running_mean', torch.zeros(c))
        self.register_buffer('running_var', torch.ones(c))

    def forward(self, x):
        x = F.batch_norm(x, self.running_mean, self.running_var, self.weight,
                         self.bias, False, 0.0, 1e-5)
        return F.leaky_relu(x, 0.01) if self.act else x


def conv_abn(cin, cout, k=1, rate=1, pool=False):
    layers = [nn.AdaptiveAvgPool2d(1)] if pool else []
    return nn.Sequential(
        *layers,
        nn.Conv2d(cin,
                  cout,
                  k,
                  padding=rate * (k // 2),
                  dilation=rate,
                  bias=False), ABN(cout))


class Block(nn.Module):
    """CE2P bottleneck: stride on the 3x3, plain BN (InPlace-ABN 'none')."""

    def __init__(self, cin, planes, stride=1, rate=1):
        super().__init__()
        cout = planes * 4
        self.conv1 = nn.Conv2d(cin, planes, 1, bias=False)
        self.bn1 = ABN(planes, act=False)
        self.conv2 = nn.Conv2d(planes,
                               planes,
                               3,
                               stride,
                               rate,
                               rate,
                               bias=False)
        self.bn2 = ABN(planes, act=False)
        self.conv3 = nn.Conv2d(planes, cout, 1, bias=False)
        self.bn3 = ABN(cout, act=False)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False),
                ABN(cout, act=False))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        skip = x if self.downsample is None else self.downsample(x)
        return F.relu(y + skip)


class CorrPMLayout(nn.Module):
    """CorrPM as its networks/model.py names and wires it (read with the
    search tool, written anew): deep-stem ResNet-101 at output stride 16,
    ASPP ``layer5``, decoder ``layer6``, ``edge_layer``, SimpleBaseline
    ``pose_layer``, ``conv_fuse`` + ``nl_SEP`` and ``out_layer``."""

    def __init__(self, q=20, k=16, blocks=(3, 4, 23, 3)):
        super().__init__()
        for i, (cin, cout, s) in enumerate([(3, 64, 2), (64, 64, 1),
                                            (64, 128, 1)], 1):
            setattr(self, f'conv{i}', nn.Conv2d(cin, cout, 3, s, 1,
                                                bias=False))
            setattr(self, f'bn{i}', ABN(cout, act=False))
        cin = 128
        for i, (n, planes, s, r) in enumerate(
                zip(blocks, (64, 128, 256, 512), (1, 2, 2, 1), (1, 1, 1, 2)),
                1):
            layer = [Block(cin, planes, s, r)]
            layer += [Block(planes * 4, planes, 1, r) for _ in range(n - 1)]
            setattr(self, f'layer{i}', nn.Sequential(*layer))
            cin = planes * 4
        aspp = nn.Module()
        aspp.conv1 = conv_abn(2048, 256, pool=True)
        aspp.conv2 = conv_abn(2048, 256)
        for i, r in enumerate((12, 24, 36), 3):
            setattr(aspp, f'conv{i}', conv_abn(2048, 256, 3, r))
        aspp.bottleneck = nn.Sequential(*conv_abn(1280, 512),
                                        nn.Dropout2d(0.1))
        self.layer5 = aspp
        edge = nn.Module()
        for i, c in enumerate((256, 512, 1024), 1):
            setattr(edge, f'conv{i}', conv_abn(c, 256))
        edge.conv4 = nn.Conv2d(256, 2, 3, padding=1)  # output discarded
        edge.conv5 = nn.Conv2d(512, 2, 1)
        edge.conv6 = nn.Conv2d(768, 512, 1, bias=False)
        self.edge_layer = edge
        pose = nn.Module()
        pose.deconv_layers = nn.Sequential(
            nn.ConvTranspose2d(2048, 256, 4, 2, 1, bias=False),
            nn.BatchNorm2d(256), nn.ReLU(),
            nn.ConvTranspose2d(256, 512, 4, 2, 1, bias=False),
            nn.BatchNorm2d(512), nn.ReLU())
        pose.final_layer = nn.Conv2d(512, k, 1)
        self.pose_layer = pose
        dec = nn.Module()
        dec.conv1 = conv_abn(512, 256)  # defined, never called
        dec.conv2 = conv_abn(256, 48)  # defined, never called
        dec.conv3 = conv_abn(768, 512)
        dec.conv4 = nn.Conv2d(512, q, 1)
        self.layer6 = dec
        self.out_layer = nn.Conv2d(512, q, 1)
        self.conv_fuse = conv_abn(1536, 512)
        nl = nn.Module()
        nl.g = nn.Sequential(nn.Conv2d(512, 256, 1), nn.MaxPool2d(2))
        nl.theta = nn.Conv2d(512, 256, 1)
        nl.phi = nn.Sequential(nn.Conv2d(512, 256, 1), nn.MaxPool2d(2))
        nl.W = nn.Sequential(nn.Conv2d(256, 512, 1), ABN(512, act=False))
        self.nl_SEP = nl

    def forward(self, x):
        for i in (1, 2, 3):
            x = F.relu(getattr(self, f'bn{i}')(getattr(self, f'conv{i}')(x)))
        x2 = self.layer1(F.max_pool2d(x, 3, 2, 1))
        x3 = self.layer2(x2)
        x4 = self.layer3(x3)
        x5 = self.layer4(x4)
        a, size = self.layer5, x2.shape[2:]

        def up(t, align):
            return F.interpolate(t, size, mode='bilinear', align_corners=align)

        pooled = F.interpolate(a.conv1(x5),
                               x5.shape[2:],
                               mode='bilinear',
                               align_corners=True)
        aspp = a.bottleneck(
            torch.cat([pooled] +
                      [getattr(a, f'conv{i}')(x5) for i in (2, 3, 4, 5)], 1))
        e = self.edge_layer
        e_fea = e.conv6(
            torch.cat(
                [e.conv1(x2),
                 up(e.conv2(x3), True),
                 up(e.conv3(x4), True)], 1))
        p_fea = self.pose_layer.deconv_layers(x5)
        f_p = self.layer6.conv3(torch.cat([up(aspp, False), x2], 1))
        nl, n = self.nl_SEP, x.shape[0]
        hyb = self.conv_fuse(torch.cat([f_p, e_fea, p_fea], 1))
        theta = nl.theta(hyb).view(n, 256, -1).transpose(1, 2)
        att = torch.softmax(theta @ nl.phi(f_p).view(n, 256, -1), dim=-1)
        y = att @ nl.g(f_p).view(n, 256, -1).transpose(1, 2)
        y = y.transpose(1, 2).reshape(n, 256, *f_p.shape[2:])
        return dict(main=self.out_layer(nl.W(y) + f_p),
                    parsing=self.layer6.conv4(f_p),
                    edge=e.conv5(e_fea),
                    pose=self.pose_layer.final_layer(p_fea))


def _randomise(model, seed=0):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith('num_batches_tracked'):
                continue
            if name.endswith(
                ('running_var', 'bn.weight')) or (t.dim() == 1
                                                  and name.endswith('weight')):
                t.copy_(torch.rand(t.shape, generator=g) * 0.5 + 0.75)
            elif t.dim() == 1:
                t.copy_(torch.randn(t.shape, generator=g) * 0.1)
            else:  # conv weights: variance ~ 1 / fan-in
                t.copy_(
                    torch.randn(t.shape, generator=g) / (t[0].numel()**0.5))


@pytest.fixture(scope='module')
def models():
    ref = CorrPMLayout()
    _randomise(ref)
    cfg = Config.fromfile(CONFIG)
    with MODELS.switch_scope_and_registry('mmhumanparse') as reg:
        ours = reg.build(copy.deepcopy(cfg.model))
    ours = revert_sync_batchnorm(ours)
    sd = {f'module.{k}': v for k, v in ref.state_dict().items()}
    return ref.eval(), ours.eval(), sd


def test_every_key_maps_and_outputs_match(models):
    ref, ours, sd = models
    converted, dropped = convert_corrpm(sd)
    assert sorted(dropped) == sorted(k[len('module.'):] for k in sd
                                     if k[len('module.'):].startswith(UNUSED))
    assert len(dropped) == 2 + 2 * 5  # conv4 (w, b), two conv + ABN
    # strict: every tensor of our model comes from the file, shapes agree
    ours.load_state_dict(converted, strict=True)
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = ref(x)
        got = ours.decode_head.forward_tasks(ours.extract_feat(x))
    for key, value in expected.items():
        torch.testing.assert_close(got[key], value, rtol=1e-4, atol=1e-4)
    # HNL contributes (W2's BN is not zero here) and W1's blocks were
    # re-ordered: unpermuted, the main output differs
    w1 = ours.decode_head.hnl.w1.conv.weight
    with torch.no_grad():
        w1.copy_(sd['module.conv_fuse.0.weight'])
        bad = ours.decode_head.forward_tasks(ours.extract_feat(x))['main']
    assert not torch.allclose(bad, expected['main'], rtol=1e-3, atol=1e-3)


def test_tool_writes_checkpoint_and_refuses_bad_files(models, tmp_path):
    _, ours, sd = models
    tool = load_tool('model_converters/corrpm2mmhp.py')
    src, dst = tmp_path / 'LIP_best.pth', tmp_path / 'out' / 'corrpm.pth'
    torch.save(sd, src)
    ckpt = tool.main([str(src), str(dst)])
    saved = torch.load(dst, weights_only=True)  # as mmengine loads it
    assert saved['meta']['dataset_meta']['classes'][14] == 'left-arm'
    assert len(saved['meta']['dataset_meta']['classes']) == 20
    assert set(saved['state_dict']) == set(ours.state_dict())
    assert set(ckpt['state_dict']) == set(saved['state_dict'])
    # an extra key and a missing key are both listed
    bad = dict(sd)
    bad['module.extra.weight'] = torch.zeros(1)
    del bad['module.layer3.7.conv2.weight']
    torch.save(bad, src)
    with pytest.raises(ValueError) as err:
        tool.main([str(src), str(dst)])
    msg = str(err.value)
    assert str(src) in msg
    assert "1 unmapped keys ['extra.weight']" in msg
    assert "1 missing keys ['layer3.7.conv2.weight']" in msg
    # keys without the DataParallel prefix are accepted too
    plain = {k[len('module.'):]: v for k, v in sd.items()}
    assert set(convert_corrpm(plain)[0]) == set(ckpt['state_dict'])
