"""SS-NAN's Skip-Net dense classifier and its scale aggregations.

"Self-Supervised Neural Aggregation Networks for Human Parsing"
(arXiv:1803.07741): every scale of the Share-Net runs the same Skip-Net, a
dilated ResNet-101 whose res3/res4/res5 features are concatenated and read
by one ``C x 3 x 3`` dense classifier (Sec. 3.1, Fig. 2). The per-scale
maps are merged by an aggregation (Sec. 3.2): the learned
:class:`NeuralAggregation` (Eq. 2-3) or, for ablations, the average or the
maximum over scales. Each reads the scales' probability maps and merges
them, or the ``values`` it is given with them (the scales' logits, which
the Share-Net merges before the softmax, Sec. 3.3). The scale loop itself
lives in :class:`~mmhumanparse.models.segmentors.MultiScaleEncoderDecoder`.
"""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.losses import accuracy
from mmseg.models.utils import resize
from torch import Tensor

from mmhumanparse.registry import MODELS


@MODELS.register_module()
class SSNANHead(BaseDecodeHead):
    """Skip-Net dense classifier of SS-NAN, optionally with the joint loss.

    The selected backbone stages (res3, res4, res5 of an output-stride-8
    ResNet) are resized to the first one and concatenated
    (``input_transform='resize_concat'``); a single ``num_classes x 3 x 3``
    convolution (Sec. 3.1: "the last layer has a spatial convolutional kernel
    with size C x 3 x 3") gives the logits. There are no intermediate convs,
    so ``channels`` is the concatenated width.

    Loss (Sec. 3.3, Eq. 4): ``loss_decode`` is L_parsing (pixel-wise CE);
    with ``loss_joint`` (e.g. :class:`SSJointLoss`) the head returns
    ``loss_ss_nan = L_parsing * L_joint`` and logs both factors
    (``parsing_ce``, ``joint_l2``; no ``loss`` in the names, so they are
    logged but not added to the total). ``joint_grad=False`` (default):
    L_joint is a weight of the cross-entropy without gradient through it
    (Fig. 3: "weighting the pixel-wise Cross-Entropy loss with the joint
    loss"; LIP_SSL's HeatmapError layer has ``propagate_down: false``);
    ``joint_grad=True``: the product is differentiable in both factors.

    Args:
        in_channels (Sequence[int]): Channels of the selected stages, e.g.
            ``[512, 1024, 2048]`` for ResNet-101 res3/res4/res5.
        in_index (Sequence[int]): Their indices in the backbone outputs.
        loss_joint (dict, optional): Config of the joint loss; None trains
            with L_parsing only (the first stage of the paper's schedule).
        joint_grad (bool): Back-propagate through L_joint. Defaults to
            False (a detached weight).
        kernel_size (int): Classifier kernel. Defaults to 3 (Sec. 3.1).
        **kwargs: :class:`mmseg.BaseDecodeHead` arguments (``num_classes``,
            ``loss_decode``, ``dropout_ratio``, ...). ``channels`` and
            ``input_transform`` are fixed here.

    Shapes:
        forward: tuple of (N, C_k, H_k, W_k) features -> (N, num_classes,
        H_0, W_0) logits at the resolution of ``inputs[in_index[0]]``.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 in_index: Sequence[int],
                 loss_joint: Optional[dict] = None,
                 joint_grad: bool = False,
                 kernel_size: int = 3,
                 **kwargs) -> None:
        for key in ('channels', 'input_transform'):
            if key in kwargs:
                raise ValueError(f'SSNANHead: `{key}` is fixed by the head '
                                 '(concatenated inputs); do not set it')
        if not isinstance(in_channels, (list, tuple)) or not isinstance(
                in_index, (list, tuple)) or len(in_channels) != len(in_index):
            raise ValueError(
                'SSNANHead: in_channels and in_index must be sequences of '
                f'equal length, got {in_channels!r} and {in_index!r}')
        super().__init__(
            in_channels=list(in_channels),
            channels=int(sum(in_channels)),
            in_index=list(in_index),
            input_transform='resize_concat',
            **kwargs)
        # Sec. 3.1: the dense classifier is C x 3 x 3 (mmseg's is 1 x 1).
        self.conv_seg = nn.Conv2d(
            self.channels,
            self.out_channels,
            kernel_size=kernel_size,
            padding=kernel_size // 2)
        self.loss_joint = MODELS.build(loss_joint) if loss_joint else None
        self.joint_grad = joint_grad

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Logits (N, num_classes, H, W) from the concatenated stages."""
        return self.cls_seg(self._transform_inputs(inputs))

    def loss_by_feat(self, seg_logits: Tensor,
                     batch_data_samples: list) -> dict:
        """L_parsing, or L_SS-NAN = L_parsing * L_joint (Eq. 4).

        ``BaseDecodeHead.loss_by_feat`` with the logits resized once for
        both factors (and not at all when already at the label size).

        Args:
            seg_logits (Tensor): (N, C, h, w) logits (or log-probabilities);
                resized bilinearly to the label size.
            batch_data_samples (list[SegDataSample]): With ``gt_sem_seg``.

        Returns:
            dict[str, Tensor]: ``loss_ce`` (L_parsing) and ``acc_seg``;
            with ``loss_joint``: ``loss_ss_nan``, ``parsing_ce``,
            ``joint_l2`` and ``acc_seg``.
        """
        seg_label = self._stack_batch_gt(batch_data_samples)
        if seg_logits.shape[-2:] != seg_label.shape[-2:]:
            seg_logits = resize(
                seg_logits,
                size=seg_label.shape[-2:],
                mode='bilinear',
                align_corners=self.align_corners)
        seg_weight = self.sampler.sample(seg_logits, seg_label) \
            if self.sampler is not None else None
        seg_label = seg_label.squeeze(1)
        losses_decode = self.loss_decode if isinstance(
            self.loss_decode, nn.ModuleList) else [self.loss_decode]
        losses = dict()
        for loss_decode in losses_decode:
            value = loss_decode(
                seg_logits,
                seg_label,
                weight=seg_weight,
                ignore_index=self.ignore_index)
            name = loss_decode.loss_name
            losses[name] = losses[name] + value if name in losses else value
        acc = accuracy(seg_logits, seg_label, ignore_index=self.ignore_index)
        if self.loss_joint is None:
            losses['acc_seg'] = acc
            return losses
        parsing = sum(losses.values())
        joint = self.loss_joint(seg_logits, seg_label)
        weight = joint if self.joint_grad else joint.detach()
        return dict(
            loss_ss_nan=parsing * weight,
            parsing_ce=parsing.detach(),
            joint_l2=joint.detach(),
            acc_seg=acc)


def _check_probs(probs: Sequence[Tensor], who: str) -> Tensor:
    """Stack S probability maps (N, C, H, W) into (N, S, C, H, W)."""
    if not isinstance(probs, (list, tuple)) or len(probs) == 0:
        raise ValueError(f'{who}: probs must be a non-empty list of '
                         f'(N, C, H, W) tensors, got {type(probs).__name__}')
    shape = probs[0].shape
    for i, p in enumerate(probs):
        if p.dim() != 4 or p.shape != shape:
            raise ValueError(
                f'{who}: every probability map must be (N, C, H, W) of the '
                f'same shape (resize them to the finest scale first); map 0 '
                f'is {tuple(shape)}, map {i} is {tuple(p.shape)}')
    return torch.stack(list(probs), dim=1)


def _stack_values(probs: Sequence[Tensor], values: Optional[Sequence[Tensor]],
                  who: str) -> Tensor:
    """(N, S, C, H, W) stack of ``values``, or of ``probs`` when None;
    ``values`` must match ``probs`` map by map."""
    stacked = _check_probs(probs, who)
    if values is None:
        return stacked
    if not isinstance(values, (list, tuple)) or len(values) != len(probs) \
            or any(v.shape != probs[0].shape for v in values):
        raise ValueError(
            f'{who}: values must be {len(probs)} maps of the probability '
            f'maps\' shape {tuple(probs[0].shape)}, got '
            f'{[tuple(getattr(v, "shape", ())) for v in values]}')
    return torch.stack(list(values), dim=1)


@MODELS.register_module()
class NeuralAggregation(nn.Module):
    """Adaptive neural aggregation of multi-scale probability maps.

    SS-NAN Sec. 3.2: a scorer of two convolutions (``channels x 3 x 3``,
    ReLU, then ``num_scales x 3 x 3``; 512 channels in the paper) reads the
    probability maps and gives a logit ``a_i^s`` per scale s and pixel i;
    ``w_i^s = softmax_s(a_i^s)`` (Eq. 3) and the aggregate is
    ``r_{i,c} = sum_s w_i^s x_{i,c}^s`` (Eq. 2); the weight is shared over
    the classes c. ``x`` is the probability map, or the scale's logits when
    they are passed as ``values`` (LIP_SSL weighs its score maps).

    * ``shared_scorer=False`` (the paper): the scorer reads the
      concatenation of the S maps and outputs S logits, so it is tied to
      ``num_scales`` and to their order.
    * ``shared_scorer=True``: one scorer with ONE output scores every scale
      from the same weights; its input is the scale's map concatenated with
      the mean map over all scales (context that does not depend on the
      order). The result is invariant to permuting the scales and accepts
      any number of scales at test time (the paper's first principle).

    Args:
        num_scales (int): Number of scales S (checked when not shared).
        in_channels (int): Classes C of each probability map.
        channels (int): Hidden width of the scorer. Defaults to 512.
        shared_scorer (bool): See above. Defaults to False.
        act_cfg (dict): Activation between the two convs.

    Shapes:
        forward: probs (and values), lists of S tensors (N, C, H, W) ->
        (N, C, H, W).
    """

    def __init__(self,
                 num_scales: int,
                 in_channels: int,
                 channels: int = 512,
                 shared_scorer: bool = False,
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        if num_scales < 1 or in_channels < 1 or channels < 1:
            raise ValueError(
                'NeuralAggregation: num_scales, in_channels and channels '
                f'must be >= 1, got {num_scales}, {in_channels}, {channels}')
        self.num_scales = num_scales
        self.in_channels = in_channels
        self.shared_scorer = shared_scorer
        scorer_in = 2 * in_channels if shared_scorer else \
            num_scales * in_channels
        self.conv1 = ConvModule(
            scorer_in, channels, 3, padding=1, act_cfg=act_cfg)
        self.conv2 = nn.Conv2d(
            channels, 1 if shared_scorer else num_scales, 3, padding=1)
        # near-zero logits: training starts from the average over scales
        nn.init.normal_(self.conv2.weight, std=0.01)
        nn.init.zeros_(self.conv2.bias)

    def scale_logits(self, probs: Sequence[Tensor]) -> Tensor:
        """Scale logits a (N, S, H, W) of Eq. 3 for S maps (N, C, H, W)."""
        x = _check_probs(probs, type(self).__name__)
        n, s, c, h, w = x.shape
        if c != self.in_channels:
            raise ValueError(f'NeuralAggregation: maps have {c} channels, '
                             f'in_channels is {self.in_channels}')
        if not self.shared_scorer:
            if s != self.num_scales:
                raise ValueError(
                    f'NeuralAggregation: built for {self.num_scales} scales '
                    f'(shared_scorer=False), got {s} maps; use '
                    'shared_scorer=True for a variable number of scales')
            return self.conv2(self.conv1(x.reshape(n, s * c, h, w)))
        context = x.mean(dim=1, keepdim=True).expand_as(x)
        pairs = torch.cat([x, context], dim=2).reshape(n * s, 2 * c, h, w)
        return self.conv2(self.conv1(pairs)).reshape(n, s, h, w)

    def scale_weights(self, probs: Sequence[Tensor]) -> Tensor:
        """Weights w (N, S, H, W) of Eq. 3; they sum to 1 over S."""
        return self.scale_logits(probs).softmax(dim=1)

    def forward(self,
                probs: Sequence[Tensor],
                values: Optional[Sequence[Tensor]] = None) -> Tensor:
        """Aggregate r (N, C, H, W) of Eq. 2.

        The weights are read from ``probs``; they weigh ``values`` (e.g.
        the scales' logits, as LIP_SSL weighs its score maps), or the
        probabilities themselves when ``values`` is None.
        """
        weights = self.scale_weights(probs)
        maps = _stack_values(probs, values, type(self).__name__)
        return (weights.unsqueeze(2) * maps).sum(1)


@MODELS.register_module()
class AverageAggregation(nn.Module):
    """Average of the scales' probability maps (``w = 1 / S`` in Eq. 2);
    the average-pooling baseline of SS-NAN Sec. 3.2.

    Shapes:
        forward: probs (and values), lists of S tensors (N, C, H, W) ->
        (N, C, H, W).
    """

    def forward(self,
                probs: Sequence[Tensor],
                values: Optional[Sequence[Tensor]] = None) -> Tensor:
        """Mean over scales of ``values`` (e.g. logits), or of ``probs``
        when ``values`` is None."""
        return _stack_values(probs, values, type(self).__name__).mean(dim=1)


@MODELS.register_module()
class MaxAggregation(nn.Module):
    """Per-class maximum over scales, renormalised over the classes so the
    result is again a distribution; the max-pooling baseline of SS-NAN
    Sec. 3.2.

    Shapes:
        forward: probs (and values), lists of S tensors (N, C, H, W) ->
        (N, C, H, W).
    """

    def __init__(self, eps: float = 1e-12) -> None:
        super().__init__()
        self.eps = eps

    def forward(self,
                probs: Sequence[Tensor],
                values: Optional[Sequence[Tensor]] = None) -> Tensor:
        """Max over scales of ``values`` (e.g. logits; no renormalisation),
        or of ``probs`` divided by its sum over classes when ``values`` is
        None."""
        peak = _stack_values(probs, values, type(self).__name__).amax(dim=1)
        if values is not None:
            return peak
        return peak / peak.sum(dim=1, keepdim=True).clamp_min(self.eps)


__all__: List[str] = [
    'SSNANHead', 'NeuralAggregation', 'AverageAggregation', 'MaxAggregation'
]
