"""Fake checkpoints in the layout of the official RP R-CNN / Parsing R-CNN
code (soeaver/RP-R-CNN @ dfcc227, soeaver/Parsing-R-CNN), for the tests of
``tools/model_converters/rprcnn2mmhp.py``.

The key names and shapes below were written from reading the official model
code (``rcnn/modeling/{backbone,fpn,semseg,rpn,fast_rcnn,parsing_rcnn}``,
``models/ops/nonlocal2d.py``, ``utils/net.py``'s ``make_conv``): a
``Generalized_RCNN`` whose ResNet norm layers were turned into affine-only
``AffineChannel2d`` (``MODEL.BATCH_NORM: 'freeze'``), wrapped in
DistributedDataParallel (``module.`` prefix), saved by the official
checkpointer as ``{'model', 'optimizer', 'scheduler'}``. ``make_conv``
returns ``Sequential(conv[, norm][, relu])`` when it adds anything after the
conv and the bare conv otherwise; its conv has a bias only without a norm.
"""
import io
import math
import pickle
import sys
import types
from collections import OrderedDict
from typing import Dict, Tuple

import torch

Shapes = Dict[str, Tuple[int, ...]]


def _conv(shapes: Shapes, name: str, c_in: int, c_out: int, k: int,
          gn: bool, relu: bool) -> None:
    """``make_conv`` keys: ``name.weight`` (+ bias) for a bare conv, else
    ``name.0.*`` and, with GN, ``name.1.{weight,bias}``."""
    conv = name if not (gn or relu) else name + '.0'
    shapes[conv + '.weight'] = (c_out, c_in, k, k)
    if gn:
        shapes[name + '.1.weight'] = (c_out, )
        shapes[name + '.1.bias'] = (c_out, )
    else:
        shapes[conv + '.bias'] = (c_out, )


def _affine(shapes: Shapes, name: str, c: int) -> None:
    shapes[name + '.weight'] = (c, )
    shapes[name + '.bias'] = (c, )


def _linear(shapes: Shapes, name: str, c_in: int, c_out: int) -> None:
    shapes[name + '.weight'] = (c_out, c_in)
    shapes[name + '.bias'] = (c_out, )


def _resnet50(shapes: Shapes, p: str) -> None:
    """Caffe-style R-50 (stride on the 1x1), affine-only norms."""
    shapes[p + 'conv1.weight'] = (64, 3, 7, 7)
    _affine(shapes, p + 'bn1', 64)
    c_in = 64
    for stage, (planes, blocks) in enumerate(
            zip((64, 128, 256, 512), (3, 4, 6, 3)), 1):
        for b in range(blocks):
            q = f'{p}layer{stage}.{b}.'
            for i, (ci, co, k) in enumerate(
                ((c_in, planes, 1), (planes, planes, 3),
                 (planes, planes * 4, 1)), 1):
                shapes[f'{q}conv{i}.weight'] = (co, ci, k, k)
                _affine(shapes, f'{q}bn{i}', co)
            if b == 0:
                shapes[q + 'downsample.0.weight'] = (planes * 4, c_in, 1, 1)
                _affine(shapes, q + 'downsample.1', planes * 4)
            c_in = planes * 4


def official_shapes(num_parts: int = 20, rp_rcnn: bool = True) -> Shapes:
    """Key -> shape of an official R-50-FPN model's state dict.

    Args:
        num_parts (int): part classes incl. background (CIHP 20, MHP-v2 59).
        rp_rcnn (bool): RP R-CNN (soeaver/RP-R-CNN's yamls: GN in the FPN
            and the GCE head, GSE semantic branch, PRSN) or Parsing R-CNN
            (soeaver/Parsing-R-CNN's CIHP / MHP-v2 yamls: no GN there, convs
            with bias, no semantic branch, no PRSN).

    Returns:
        dict: ``module.``-prefixed key -> shape, in the official order.
    """
    gn = rp_rcnn
    s: Shapes = OrderedDict()
    _resnet50(s, 'module.Conv_Body.')
    p = 'module.Conv_Body_FPN.'
    _conv(s, p + 'p5_in', 2048, 256, 1, gn, False)
    _conv(s, p + 'p5_out', 256, 256, 3, gn, False)
    for i, c_in in enumerate((1024, 512, 256)):  # C4, C3, C2 laterals
        _conv(s, f'{p}fpn_in.{i}', c_in, 256, 1, gn, False)
    for i in range(3):
        _conv(s, f'{p}fpn_out.{i}', 256, 256, 3, gn, False)
    if rp_rcnn:
        p = 'module.SemSeg.Head.'
        for i in range(5):
            _conv(s, f'{p}lateral_convs.{i}', 256, 256, 1, True, True)
        for i in range(4):
            _conv(s, f'{p}convs.{i}', 256, 256, 3, True, True)
        _conv(s, p + 'conv_embedding', 256, 256, 3, True, True)
        _conv(s, 'module.SemSeg.Output.conv_logits', 256, num_parts, 1,
              False, False)
    p = 'module.RPN.'
    # the anchor generator's buffers: one (3, 4) cell per anchor stride
    for i in range(5):
        s[f'{p}anchor_generator.cell_anchors.{i}'] = (3, 4)
    _conv(s, p + 'head.conv', 256, 256, 3, False, False)
    _conv(s, p + 'head.cls_logits', 256, 3, 1, False, False)
    _conv(s, p + 'head.bbox_pred', 256, 12, 1, False, False)
    p = 'module.Fast_RCNN.'
    _linear(s, p + 'Head.fc6', 256 * 7 * 7, 1024)
    _linear(s, p + 'Head.fc7', 1024, 1024)
    _linear(s, p + 'Output.cls_score', 1024, 2)  # [background, person]
    _linear(s, p + 'Output.bbox_pred', 1024, 8)  # 4 per class, both
    p = 'module.Parsing_RCNN.Head.'
    _conv(s, p + 'asppv3.0', 256, 256, 1, gn, True)
    for i in range(1, 4):
        _conv(s, f'{p}asppv3.{i}', 256, 256, 3, gn, True)
    _conv(s, p + 'im_pool.1', 256, 256, 1, gn, True)
    _conv(s, p + 'feat.0', 256 * 5, 512, 1, gn, True)
    for name in ('theta', 'phi', 'g', 'out'):  # NonLocal2d(512, 512, 512)
        _conv(s, f'{p}feat.1.{name}', 512, 512, 1, False, False)
    _affine(s, p + 'feat.1.gn', 512)  # use_gn=True in both repos
    for i in range(4):
        _conv(s, f'{p}conv_after_asppv3.{i}', 512, 512, 3, gn, True)
    s['module.Parsing_RCNN.Output.parsing_score_lowres.weight'] = (
        512, num_parts, 4, 4)
    s['module.Parsing_RCNN.Output.parsing_score_lowres.bias'] = (num_parts, )
    if rp_rcnn:
        p = 'module.Parsing_RCNN.ParsingIoU.'
        _conv(s, p + 'Head.convx.0', 512 + num_parts, 128, 3, False, True)
        _conv(s, p + 'Head.convx.1', 128, 128, 3, False, True)
        _linear(s, p + 'Head.parsingiou_fc1', 128, 256)
        _linear(s, p + 'Head.parsingiou_fc2', 256, 256)
        _linear(s, p + 'Output.parsingiou', 256, 1)
    return s


def official_state_dict(num_parts: int = 20,
                        rp_rcnn: bool = True,
                        seed: int = 0) -> 'OrderedDict[str, torch.Tensor]':
    """Random tensors of :func:`official_shapes` (seeded), at scales that
    keep activations finite through the R-50: conv / linear weights
    N(0, 1 / fan_in), norm scales 1 + N(0, 0.1^2), biases N(0, 0.1^2)."""
    gen = torch.Generator().manual_seed(seed)
    state = OrderedDict()
    for key, shape in official_shapes(num_parts, rp_rcnn).items():
        value = torch.randn(shape, generator=gen)
        if len(shape) > 1:
            value /= math.prod(shape[1:])**0.5
        elif key.endswith('.weight'):
            value = 1 + 0.1 * value
        else:
            value *= 0.1
        state[key] = value
    return state


def save_official_checkpoint(state_dict: dict, path: str) -> str:
    """Save ``state_dict`` the way the official checkpointer does.

    The scheduler entry holds an instance of a class from a module that
    does not exist here (the official ``utils.collections.AttrDict``), so
    ``torch.load`` with ``weights_only`` and plain unpickling both fail on
    the file, as they do on the released checkpoints.
    """
    mod_name = 'official_rprcnn_utils_collections'
    module = types.ModuleType(mod_name)

    class AttrDict(dict):
        pass

    AttrDict.__module__ = mod_name
    AttrDict.__qualname__ = 'AttrDict'
    module.AttrDict = AttrDict
    sys.modules[mod_name] = module
    try:
        solver = AttrDict(BASE_LR=0.02, STEPS=[240000, 260000])
        checkpoint = dict(
            model=state_dict,
            optimizer=dict(state={}, param_groups=[]),
            scheduler=dict(iteration=270000, solver=solver))
        buf = io.BytesIO()
        torch.save(checkpoint, buf, pickle_protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        del sys.modules[mod_name]
    with open(path, 'wb') as f:
        f.write(buf.getvalue())
    return path
