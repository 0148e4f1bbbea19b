"""Released RP R-CNN / Parsing R-CNN checkpoints -> our models' weights.

The official code (soeaver/RP-R-CNN @ dfcc227, soeaver/Parsing-R-CNN) saves
``{'model': state_dict, 'optimizer', 'scheduler'}``; the model is wrapped
in DistributedDataParallel (keys start with ``module.``) and the scheduler
entry pickles a class of the official repo (``utils.collections.AttrDict``),
so a plain ``torch.load`` of a released file fails. Layout differences this
module bridges (official -> ours):

- backbone: ``AffineChannel2d`` norms (weight, bias only) -> frozen BN with
  running mean 0 and running variance 1 - eps (``y = w * x + b`` exactly);
- ``make_conv`` (``Sequential(conv, GN, ReLU)``, or a bare conv) ->
  ``ConvModule`` (``conv``, ``gn``);
- FPN laterals / outputs listed top-down (P5, P4, P3, P2) -> bottom-up;
- box classifier rows ``[background, person]`` -> mmdet's
  ``[person, background]``; box regression for both classes -> person's.

Our GCE head concatenates its ASPP branches in the official order (image
pooling first), so the fuse conv needs no permutation.
"""
import pickle
import re
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from torch import Tensor, nn
from torch.nn.modules.batchnorm import _BatchNorm

# globals a checkpoint may name and that are resolved for real; any other
# class becomes a plain-dict stand-in (``_unknown_class``)
_TRUSTED_MODULES = ('torch', 'collections', 'numpy', '_codecs', 'copyreg')
_TRUSTED_BUILTINS = ('dict', 'list', 'tuple', 'set', 'frozenset', 'int',
                     'float', 'complex', 'str', 'bytes', 'bytearray', 'bool',
                     'slice', 'object')


def _unknown_class(module: str, name: str) -> type:
    """A dict subclass standing in for ``module.name``: keeps whatever the
    pickle stores in it (items, attributes, constructor arguments)."""

    def __init__(self, *args, **kwargs):
        try:
            dict.__init__(self, *args, **kwargs)
        except (TypeError, ValueError):
            self.args = args

    def __setstate__(self, state):
        if isinstance(state, dict):
            self.__dict__.update(state)

    return type(name, (dict, ), {
        '__module__': module,
        '__init__': __init__,
        '__setstate__': __setstate__
    })


class _TolerantUnpickler(pickle.Unpickler):
    """Resolves torch / numpy / collections globals; stands in for the
    rest, so the official repo need not be importable."""

    def find_class(self, module, name):
        if module == 'builtins' and name in _TRUSTED_BUILTINS:
            return super().find_class(module, name)
        if module.split('.')[0] in _TRUSTED_MODULES:
            return super().find_class(module, name)
        return _unknown_class(module, name)


class _TolerantPickle:
    """The ``pickle_module`` handed to ``torch.load``."""
    Unpickler = _TolerantUnpickler
    __name__ = 'mmhumanparse_tolerant_pickle'

    @staticmethod
    def load(file, **kwargs):
        return _TolerantUnpickler(file, **kwargs).load()


def load_official_state_dict(path: str) -> 'OrderedDict[str, Tensor]':
    """The model weights of an official checkpoint file.

    Args:
        path (str): ``model_*.pth`` of the official checkpointer (or a bare
            state dict).

    Returns:
        OrderedDict: key -> tensor, ``module.`` prefix removed.

    Raises:
        ValueError: the file holds no state dict of tensors.
    """
    ckpt = torch.load(
        path,
        map_location='cpu',
        pickle_module=_TolerantPickle,
        weights_only=False)
    state = ckpt.get('model', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state or not all(
            isinstance(v, Tensor) for v in state.values()):
        raise ValueError(f'{path}: no state dict of tensors (expected the '
                         "official checkpoint's 'model' entry)")
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state.items())


# (official module pattern, our module candidates). ``{i}`` in a target
# is the pattern's first group, ``{j}`` = 2 - that group (FPN order). The
# first candidate present in our model wins (our non-local block may put
# a max-pool before phi / g, shifting their index).
_SEM = 'semantic_head'
_GCE = 'roi_head.mask_head'
_PRSN = 'roi_head.parsing_iou_head'
_NL = _GCE + '.nonlocal_block'
_MODULE_RULES: List[Tuple[str, Sequence[str]]] = [
    (r'Conv_Body_FPN\.p5_in', ['neck.lateral_convs.3']),
    (r'Conv_Body_FPN\.fpn_in\.(\d)', ['neck.lateral_convs.{j}']),
    (r'Conv_Body_FPN\.p5_out', ['neck.fpn_convs.3']),
    (r'Conv_Body_FPN\.fpn_out\.(\d)', ['neck.fpn_convs.{j}']),
    (r'SemSeg\.Head\.lateral_convs\.(\d)', [_SEM + '.lateral_convs.{i}']),
    (r'SemSeg\.Head\.convs\.(\d)', [_SEM + '.convs.{i}']),
    (r'SemSeg\.Head\.conv_embedding', [_SEM + '.conv_embedding']),
    (r'SemSeg\.Output\.conv_logits', [_SEM + '.conv_logits']),
    (r'RPN\.head\.conv', ['rpn_head.rpn_conv']),
    (r'RPN\.head\.cls_logits', ['rpn_head.rpn_cls']),
    (r'RPN\.head\.bbox_pred', ['rpn_head.rpn_reg']),
    (r'Fast_RCNN\.Head\.fc6', ['roi_head.bbox_head.shared_fcs.0']),
    (r'Fast_RCNN\.Head\.fc7', ['roi_head.bbox_head.shared_fcs.1']),
    (r'Fast_RCNN\.Output\.cls_score', ['roi_head.bbox_head.fc_cls']),
    (r'Fast_RCNN\.Output\.bbox_pred', ['roi_head.bbox_head.fc_reg']),
    (r'Parsing_RCNN\.Head\.asppv3\.(\d)', [_GCE + '.aspp.{i}']),
    (r'Parsing_RCNN\.Head\.im_pool\.1', [_GCE + '.image_pool.1']),
    (r'Parsing_RCNN\.Head\.feat\.0', [_GCE + '.fuse']),
    (r'Parsing_RCNN\.Head\.feat\.1\.(theta|phi|g)',
     [_NL + '.{i}', _NL + '.{i}.1', _NL + '.{i}.0']),
    (r'Parsing_RCNN\.Head\.feat\.1\.out', [_NL + '.conv_out']),
    (r'Parsing_RCNN\.Head\.feat\.1\.gn', [_NL + '.conv_out.gn']),
    (r'Parsing_RCNN\.Head\.conv_after_asppv3\.(\d)', [_GCE + '.convs.{i}']),
    (r'Parsing_RCNN\.Output\.parsing_score_lowres', [_GCE + '.deconv']),
    (r'Parsing_RCNN\.ParsingIoU\.Head\.convx\.(\d)', [_PRSN + '.convs.{i}']),
    (r'Parsing_RCNN\.ParsingIoU\.Head\.parsingiou_fc1', [_PRSN + '.fcs.0']),
    (r'Parsing_RCNN\.ParsingIoU\.Head\.parsingiou_fc2', [_PRSN + '.fcs.2']),
    (r'Parsing_RCNN\.ParsingIoU\.Output\.parsingiou', [_PRSN + '.fc_iou']),
]
# official buffers that are not weights: the RPN's cell anchors (ours come
# from the config's anchor generator)
_SKIP = re.compile(r'RPN\.anchor_generator\.cell_anchors\.\d+$')


def _param_candidates(module: str, rest: str) -> List[str]:
    """Our parameter names for ``rest`` (what follows the official module
    name): ``make_conv``'s ``0`` (conv) / ``1`` (norm) or a bare conv ->
    ``ConvModule``'s ``conv`` / ``gn``, or a plain layer."""
    parts = rest.split('.')
    if len(parts) == 2 and parts[0] == '0':
        return [f'{module}.conv.{parts[1]}', f'{module}.{parts[1]}']
    if len(parts) == 2 and parts[0] == '1':
        return [f'{module}.gn.{parts[1]}', f'{module}.bn.{parts[1]}']
    return [f'{module}.{rest}', f'{module}.conv.{rest}']


def _target_name(key: str, ours: Dict[str, Tensor]) -> Optional[str]:
    """Our key for an official (prefix-free) key, None if there is none."""
    if key.startswith('Conv_Body.'):
        name = 'backbone.' + key[len('Conv_Body.'):]
        return name if name in ours else None
    for pattern, targets in _MODULE_RULES:
        m = re.match(pattern + r'\.(.+)$', key)
        if m is None:
            continue
        group = m.group(1) if m.lastindex > 1 else None
        rest = m.group(m.lastindex)
        for target in targets:
            if group is not None:
                j = str(2 - int(group)) if group.isdigit() else group
                target = target.format(i=group, j=j)
            for name in _param_candidates(target, rest):
                if name in ours:
                    return name
        return None
    return None


def _adapt(key: str, value: Tensor) -> Tensor:
    """Re-lay an official tensor where our layout differs."""
    if key.startswith('Fast_RCNN.Output.cls_score'):
        return value[[1, 0]]  # [bg, person] -> [person, bg]
    if key.startswith('Fast_RCNN.Output.bbox_pred'):
        return value[4:8]  # the person class's deltas
    return value


def _frozen_bn_stats(model: nn.Module, ours: Dict[str, Tensor],
                     converted: Dict[str, Tensor]) -> None:
    """Running stats that make each backbone BN the official affine map:
    mean 0, var 1 - eps (so ``var + eps`` is 1)."""
    for name, module in model.named_modules():
        if not (name.startswith('backbone.')
                and isinstance(module, _BatchNorm)):
            continue
        if name + '.weight' not in converted:
            continue  # no official affine for it: reported as missing
        mean = ours[name + '.running_mean']
        converted[name + '.running_mean'] = torch.zeros_like(mean)
        converted[name + '.running_var'] = torch.full_like(
            mean, 1.0 - module.eps)
        if name + '.num_batches_tracked' in ours:
            converted[name + '.num_batches_tracked'] = torch.zeros_like(
                ours[name + '.num_batches_tracked'])


def convert_official(
        official: Dict[str, Tensor],
        model: nn.Module) -> Tuple['OrderedDict[str, Tensor]', dict]:
    """Map official weights onto ``model``'s state dict.

    Args:
        official (dict): official key (``module.`` prefix removed) ->
            tensor, e.g. from :func:`load_official_state_dict`.
        model (nn.Module): our model built from the matching config.

    Returns:
        tuple: the converted state dict (our keys, in our order) and a
        report ``dict(unmapped=[official keys with no place in our model],
        missing=[our keys no official tensor fills], mismatched=[(official
        key, our key, official shape, our shape)], skipped=[official
        non-weight buffers])``. The conversion is complete when the three
        lists are empty.
    """
    ours = model.state_dict()
    converted: Dict[str, Tensor] = {}
    report = dict(unmapped=[], missing=[], mismatched=[], skipped=[])
    for key, value in official.items():
        if _SKIP.search(key):
            report['skipped'].append(key)
            continue
        name = _target_name(key, ours)
        if name is None or name in converted:
            report['unmapped'].append(key)
            continue
        value = _adapt(key, value)
        if tuple(value.shape) != tuple(ours[name].shape):
            report['mismatched'].append(
                (key, name, tuple(value.shape), tuple(ours[name].shape)))
            continue
        converted[name] = value.to(ours[name].dtype).clone()
    _frozen_bn_stats(model, ours, converted)
    report['missing'] = [k for k in ours if k not in converted]
    state = OrderedDict((k, converted[k]) for k in ours if k in converted)
    return state, report


def format_report(report: dict) -> str:
    """The report's problems, one per line (empty when there are none)."""
    lines = []
    for key in report['unmapped']:
        lines.append(f'unmapped official key: {key}')
    for key in report['missing']:
        lines.append(f'missing key of our model: {key}')
    for key, name, theirs, ours in report['mismatched']:
        lines.append(f'shape mismatch: {key} {theirs} -> {name} {ours}')
    return '\n'.join(lines)
