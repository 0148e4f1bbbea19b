"""Map the released CorrPM checkpoint onto the ``corrpm`` config's model.

CorrPM: "Correlating Edge, Pose with Parsing" (CVPR 2020, arXiv:2005.01431),
the conference version of HTCorrM ("On the Correlation among Edge, Pose and
Parsing", TPAMI 2021). The released LIP model was saved from a DataParallel
wrapper, so its keys start with ``module.``; the names below are those of
the authors' ResNet-101 (CE2P layout), ASPP (``layer5``), decoder
(``layer6``), edge and pose branches, the fusion ``conv_fuse`` (W1) and the
non-local block ``nl_SEP``. Their InPlace-ABN layers store ``weight``,
``bias``, ``running_mean`` and ``running_var`` (no ``num_batches_tracked``:
ours is filled with 0, a counter that inference never reads).

Three groups of tensors of the file are never used by the released forward
pass: the decoder's ``conv1`` / ``conv2`` (defined, not called) and the edge
branch's per-level classifier ``conv4`` (its outputs are overwritten by
``conv5``'s). They are listed in :data:`UNUSED` and dropped; every other
tensor must map, and every tensor of our model must be produced, or
:func:`convert_corrpm` refuses with the lists.
"""
from collections import OrderedDict
from typing import Dict, List, Sequence, Tuple

import torch
from torch import Tensor

RESNET101_BLOCKS = (3, 4, 23, 3)
ABN_KEYS = ('weight', 'bias', 'running_mean', 'running_var')
COUNTER = 'num_batches_tracked'
UNUSED = ('layer6.conv1.', 'layer6.conv2.', 'edge_layer.conv4.')


def _conv(ref: str, ours: str, bias: bool = False) -> List[Tuple[str, str]]:
    names = ('weight', 'bias') if bias else ('weight', )
    return [(f'{ref}.{n}', f'{ours}.{n}') for n in names]


def _norm(ref: str, ours: str) -> List[Tuple[str, str]]:
    return [(f'{ref}.{n}', f'{ours}.{n}') for n in ABN_KEYS + (COUNTER, )]


def _conv_norm(ref_conv: str, ref_norm: str,
               ours: str) -> List[Tuple[str, str]]:
    """A ConvModule: ``ours.conv`` and ``ours.bn``."""
    return _conv(ref_conv, f'{ours}.conv') + _norm(ref_norm, f'{ours}.bn')


def _backbone(blocks: Sequence[int]) -> List[Tuple[str, str]]:
    """CE2P's deep-stem ResNet -> mmseg ``ResNetV1c(stem_channels=128)``."""
    pairs = []
    for i, (conv, norm) in enumerate(((0, 1), (3, 4), (6, 7)), start=1):
        pairs += _conv(f'conv{i}', f'backbone.stem.{conv}')
        pairs += _norm(f'bn{i}', f'backbone.stem.{norm}')
    for stage, n in enumerate(blocks, start=1):
        for b in range(n):
            name = f'layer{stage}.{b}'
            for j in (1, 2, 3):
                pairs += _conv(f'{name}.conv{j}', f'backbone.{name}.conv{j}')
                pairs += _norm(f'{name}.bn{j}', f'backbone.{name}.bn{j}')
            if b == 0:
                pairs += _conv(f'{name}.downsample.0',
                               f'backbone.{name}.downsample.0')
                pairs += _norm(f'{name}.downsample.1',
                               f'backbone.{name}.downsample.1')
    return pairs


def _head() -> List[Tuple[str, str]]:
    """CorrPM's branches -> ``HTCorrMHead`` (``decode_head.``)."""
    h = 'decode_head'
    pe = f'{h}.parsing_encoder'
    pairs = _conv_norm('layer5.conv1.1', 'layer5.conv1.2',
                       f'{pe}.image_pool.1')
    for i in range(4):  # 1x1, then rates 12, 24, 36
        pairs += _conv_norm(f'layer5.conv{i + 2}.0', f'layer5.conv{i + 2}.1',
                            f'{pe}.aspp.{i}')
    pairs += _conv_norm('layer5.bottleneck.0', 'layer5.bottleneck.1',
                        f'{pe}.reduce')
    pairs += _conv_norm('layer6.conv3.0', 'layer6.conv3.1', f'{pe}.fuse')
    pairs += _conv('layer6.conv4', f'{h}.parsing_cls', bias=True)
    for i in range(3):
        pairs += _conv_norm(f'edge_layer.conv{i + 1}.0',
                            f'edge_layer.conv{i + 1}.1',
                            f'{h}.edge_encoder.lateral.{i}')
    pairs += _conv('edge_layer.conv6', f'{h}.edge_encoder.fuse.conv')
    pairs += _conv('edge_layer.conv5', f'{h}.edge_cls', bias=True)
    for i, (conv, norm) in enumerate(((0, 1), (3, 4))):
        pairs += _conv_norm(f'pose_layer.deconv_layers.{conv}',
                            f'pose_layer.deconv_layers.{norm}',
                            f'{h}.pose_encoder.{i}')
    pairs += _conv('pose_layer.final_layer', f'{h}.pose_cls', bias=True)
    pairs += _conv_norm('conv_fuse.0', 'conv_fuse.1', f'{h}.hnl.w1')
    for ref, ours in (('theta', 'theta'), ('phi.0', 'phi'), ('g.0', 'g'),
                      ('W.0', 'w2')):
        pairs += _conv(f'nl_SEP.{ref}', f'{h}.hnl.{ours}.conv', bias=True)
    pairs += _norm('nl_SEP.W.1', f'{h}.hnl.w2.bn')
    pairs += _conv('out_layer', f'{h}.conv_seg', bias=True)
    return pairs


def corrpm_key_map(blocks: Sequence[int] = RESNET101_BLOCKS) -> Dict[str, str]:
    """Reference key (without ``module.``) -> our key, for every tensor of
    our ``corrpm`` model (``num_batches_tracked`` included)."""
    return OrderedDict(_backbone(blocks) + _head())


def _hnl_w1(weight: Tensor) -> Tensor:
    """``conv_fuse`` reads concat(F_p, F_b, F_k); our W1 reads
    concat(F_p, F_k, F_b): swap the last two input-channel blocks."""
    if weight.shape[1] % 3:
        raise ValueError(f'corrpm checkpoint: conv_fuse.0.weight has '
                         f'{weight.shape[1]} input channels, not 3 x C')
    f_p, f_b, f_k = weight.chunk(3, dim=1)
    return torch.cat([f_p, f_k, f_b], dim=1)


def convert_corrpm(
    state_dict: Dict[str, Tensor],
    blocks: Sequence[int] = RESNET101_BLOCKS
) -> Tuple['OrderedDict[str, Tensor]', List[str]]:
    """Convert a CorrPM state dict to ours.

    Args:
        state_dict (dict): The released file's tensors, keys with or
            without the ``module.`` prefix (all or none).
        blocks (Sequence[int]): Bottlenecks per ResNet stage.

    Returns:
        tuple: our state dict (``backbone.*``, ``decode_head.*``) and the
        list of dropped reference keys (:data:`UNUSED`).

    Raises:
        ValueError: keys that map nowhere, or keys of our model the file
            does not provide (``num_batches_tracked`` aside), both listed.
    """
    prefixed = [k.startswith('module.') for k in state_dict]
    if any(prefixed) and not all(prefixed):
        raise ValueError('corrpm checkpoint: some keys start with '
                         "'module.' and some do not")
    src = OrderedDict((k[len('module.'):] if any(prefixed) else k, v)
                      for k, v in state_dict.items())
    key_map = corrpm_key_map(blocks)
    dropped = [k for k in src if k.startswith(UNUSED)]
    unmapped = [k for k in src if k not in key_map and k not in dropped]
    missing = [k for k in key_map if k not in src and not k.endswith(COUNTER)]
    if unmapped or missing:
        raise ValueError(
            f'corrpm checkpoint does not match the CorrPM layout: '
            f'{len(unmapped)} unmapped keys {unmapped}, {len(missing)} '
            f'missing keys {missing}')
    out = OrderedDict()
    for ref, ours in key_map.items():
        if ref in src:
            out[ours] = src[ref]
        else:  # InPlace-ABN keeps no counter
            out[ours] = torch.tensor(0, dtype=torch.long)
    w1 = key_map['conv_fuse.0.weight']
    out[w1] = _hnl_w1(out[w1])
    return out, dropped
