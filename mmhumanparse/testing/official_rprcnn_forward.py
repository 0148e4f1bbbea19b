"""What the official RP R-CNN / Parsing R-CNN modules compute, written as
plain functions over an official state dict (keys without ``module.``, as
:func:`mmhumanparse.testing.official_rprcnn.official_state_dict` names
them), from reading soeaver/RP-R-CNN @ dfcc227 (``models/imagenet/
resnet.py``, ``rcnn/modeling/fpn/FPN.py``, ``rcnn/modeling/semseg/heads/
semseg_heads.py``, ``rcnn/modeling/rpn/rpn.py``, ``rcnn/modeling/fast_rcnn
/heads/mlp_heads.py``, ``rcnn/modeling/parsing_rcnn/heads/gce_heads.py``,
``models/ops/nonlocal2d.py``, ``rcnn/modeling/parsing_rcnn/parsingiou/
heads.py``). The converter tests compare our converted modules with them.
"""
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

State = Dict[str, Tensor]


def make_conv(sd: State, name: str, x: Tensor, stride: int = 1,
              dilation: int = 1, relu: bool = False) -> Tensor:
    """``utils/net.py``'s ``make_conv``: a bare conv (``name.weight``) or
    ``Sequential(conv, [GN(32)], [ReLU])`` (``name.0``, ``name.1``)."""
    if name + '.weight' in sd:
        weight, bias, gn = sd[name + '.weight'], sd.get(name + '.bias'), None
    else:
        weight, bias = sd[name + '.0.weight'], sd.get(name + '.0.bias')
        gn = name + '.1' if name + '.1.weight' in sd else None
    pad = dilation * (weight.shape[-1] - 1) // 2
    x = F.conv2d(x, weight, bias, stride, pad, dilation)
    if gn is not None:
        x = F.group_norm(x, 32, sd[gn + '.weight'], sd[gn + '.bias'], 1e-5)
    return F.relu(x) if relu else x


def _affine(sd: State, name: str, x: Tensor) -> Tensor:
    """``AffineChannel2d``: x * weight + bias per channel."""
    return x * sd[name + '.weight'].view(1, -1, 1, 1) + sd[
        name + '.bias'].view(1, -1, 1, 1)


def resnet50(sd: State, x: Tensor) -> List[Tensor]:
    """Caffe-style R-50 with affine norms: (N, 3, H, W) -> C2-C5."""
    p = 'Conv_Body.'
    x = F.conv2d(x, sd[p + 'conv1.weight'], None, 2, 3)
    x = F.max_pool2d(F.relu(_affine(sd, p + 'bn1', x)), 3, 2, 1)
    outs = []
    for stage, blocks in enumerate((3, 4, 6, 3), 1):
        for b in range(blocks):
            q = f'{p}layer{stage}.{b}.'
            stride = 2 if b == 0 and stage > 1 else 1
            out = F.conv2d(x, sd[q + 'conv1.weight'], None, stride)
            out = F.relu(_affine(sd, q + 'bn1', out))
            out = F.conv2d(out, sd[q + 'conv2.weight'], None, 1, 1)
            out = F.relu(_affine(sd, q + 'bn2', out))
            out = _affine(sd, q + 'bn3',
                          F.conv2d(out, sd[q + 'conv3.weight']))
            if b == 0:
                x = _affine(
                    sd, q + 'downsample.1',
                    F.conv2d(x, sd[q + 'downsample.0.weight'], None,
                             stride))
            x = F.relu(out + x)
        outs.append(x)
    return outs


def fpn(sd: State, feats: List[Tensor]) -> List[Tensor]:
    """C2-C5 -> P2-P6 (laterals listed top-down, P6 = 1x1 max-pool / 2)."""
    p = 'Conv_Body_FPN.'
    px = make_conv(sd, p + 'p5_in', feats[-1])
    outs = [make_conv(sd, p + 'p5_out', px)]
    for i in range(3):
        lateral = make_conv(sd, f'{p}fpn_in.{i}', feats[-i - 2])
        if lateral.shape[-2:] != px.shape[-2:]:
            px = F.interpolate(px, scale_factor=2, mode='nearest')
        px = lateral + px
        outs.insert(0, make_conv(sd, f'{p}fpn_out.{i}', px))
    return outs + [F.max_pool2d(outs[-1], 1, 2)]


def semseg(sd: State, feats: List[Tensor]) -> Tuple[Tensor, List[Tensor]]:
    """GSE ``fused_head`` + output: P2-P6 -> (part logits at P2, S2-S5)."""
    p = 'SemSeg.Head.'
    x = make_conv(sd, p + 'lateral_convs.0', feats[0], relu=True)
    for i, feat in enumerate(feats[1:], 1):
        feat = F.interpolate(
            feat, size=x.shape[-2:], mode='bilinear', align_corners=True)
        x = x + make_conv(sd, f'{p}lateral_convs.{i}', feat, relu=True)
    for i in range(4):
        x = make_conv(sd, f'{p}convs.{i}', x, relu=True)
    logits = make_conv(sd, 'SemSeg.Output.conv_logits', x)
    emb = make_conv(sd, p + 'conv_embedding', x, relu=True)
    enhanced = [
        feats[i] + F.interpolate(
            emb, scale_factor=0.5**i, mode='bilinear', align_corners=False)
        for i in range(4)
    ]
    return logits, enhanced


def rpn_head(sd: State, x: Tensor) -> Tuple[Tensor, Tensor]:
    """One level: (objectness (N, 3, H, W), deltas (N, 12, H, W))."""
    t = F.relu(make_conv(sd, 'RPN.head.conv', x))
    return (make_conv(sd, 'RPN.head.cls_logits', t),
            make_conv(sd, 'RPN.head.bbox_pred', t))


def box_head(sd: State, rois: Tensor) -> Tuple[Tensor, Tensor]:
    """(n, 256, 7, 7) RoI features -> (scores (n, 2) [bg, person], deltas
    (n, 8))."""
    x = F.relu(F.linear(rois.flatten(1), sd['Fast_RCNN.Head.fc6.weight'],
                        sd['Fast_RCNN.Head.fc6.bias']))
    x = F.relu(F.linear(x, sd['Fast_RCNN.Head.fc7.weight'],
                        sd['Fast_RCNN.Head.fc7.bias']))
    return (F.linear(x, sd['Fast_RCNN.Output.cls_score.weight'],
                     sd['Fast_RCNN.Output.cls_score.bias']),
            F.linear(x, sd['Fast_RCNN.Output.bbox_pred.weight'],
                     sd['Fast_RCNN.Output.bbox_pred.bias']))


def _nonlocal(sd: State, p: str, x: Tensor) -> Tensor:
    """``NonLocal2d(512, 512, 512, use_gn=True)``: phi / g on the 2 x 2
    max-pooled input, scaled dot product, output conv + GN, residual."""
    n, c, h, w = x.shape
    theta = make_conv(sd, p + 'theta', x).view(n, c, -1).permute(0, 2, 1)
    pooled = F.max_pool2d(x, 2, 2)
    phi = make_conv(sd, p + 'phi', pooled).view(n, c, -1)
    g = make_conv(sd, p + 'g', pooled).view(n, c, -1)
    att = F.softmax(torch.matmul(theta, phi) * c**-0.5, dim=-1)
    t = torch.matmul(g, att.permute(0, 2, 1)).view(n, c, h, w)
    y = F.group_norm(
        make_conv(sd, p + 'out', t), 32, sd[p + 'gn.weight'],
        sd[p + 'gn.bias'], 1e-5)
    return y + x


def gce_head(sd: State, rois: Tensor) -> Tuple[Tensor, Tensor]:
    """(n, 256, 32, 32) RoI features -> (part logits (n, C, 128, 128),
    parsing feature (n, 512, 32, 32))."""
    p = 'Parsing_RCNN.Head.'
    pool = make_conv(
        sd, p + 'im_pool.1', F.adaptive_avg_pool2d(rois, 1), relu=True)
    outs = [
        F.interpolate(
            pool, scale_factor=rois.shape[-1], mode='bilinear',
            align_corners=False)
    ]
    for i, dilation in enumerate((1, 6, 12, 18)):
        outs.append(
            make_conv(
                sd, f'{p}asppv3.{i}', rois, dilation=dilation, relu=True))
    x = make_conv(sd, p + 'feat.0', torch.cat(outs, 1), relu=True)
    x = _nonlocal(sd, p + 'feat.1.', x)
    for i in range(4):
        x = make_conv(sd, f'{p}conv_after_asppv3.{i}', x, relu=True)
    q = 'Parsing_RCNN.Output.parsing_score_lowres.'
    logits = F.conv_transpose2d(x, sd[q + 'weight'], sd[q + 'bias'], 2, 1)
    logits = F.interpolate(
        logits, scale_factor=2, mode='bilinear', align_corners=False)
    return logits, x


def prsn(sd: State, feat: Tensor, logits: Tensor) -> Tensor:
    """PRSN on the parsing feature and the raw part logits -> (n, 1)."""
    p = 'Parsing_RCNN.ParsingIoU.'
    x = torch.cat([feat, F.max_pool2d(logits, 4, 4)], 1)
    x = make_conv(sd, p + 'Head.convx.0', x, relu=True)
    x = make_conv(sd, p + 'Head.convx.1', x, stride=2, relu=True)
    x = F.adaptive_avg_pool2d(x, 1).flatten(1)
    for fc in ('parsingiou_fc1', 'parsingiou_fc2'):
        x = F.relu(
            F.linear(x, sd[f'{p}Head.{fc}.weight'], sd[f'{p}Head.{fc}.bias']))
    return F.linear(x, sd[p + 'Output.parsingiou.weight'],
                    sd[p + 'Output.parsingiou.bias'])
