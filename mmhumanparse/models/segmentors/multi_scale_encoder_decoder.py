"""Share-Net segmentor: one backbone and head over several input scales."""
from typing import List, Optional, Sequence, Tuple

import torch.nn.functional as F
from mmseg.models.utils import resize
from mmseg.utils import add_prefix
from torch import Tensor

from mmhumanparse.registry import MODELS
from .parsing_encoder_decoder import ParsingEncoderDecoder


@MODELS.register_module()
class MultiScaleEncoderDecoder(ParsingEncoderDecoder):
    """Share-Net with per-scale deep supervision and a scale aggregation.

    "Self-Supervised Neural Aggregation Networks for Human Parsing"
    (arXiv:1803.07741), Sec. 3.1-3.3, Fig. 2: the input is resized to every
    scale of ``scales`` ({0.5, 0.75, 1.0} in the paper), each copy goes
    through the same backbone and decode head (shared weights), the
    per-scale logits are resized bilinearly to the resolution of the
    largest scale's output and merged by ``aggregation``
    (:class:`NeuralAggregation`, :class:`AverageAggregation` or
    :class:`MaxAggregation`: ``aggregation(probs, values)`` with the lists
    of (N, C, H, W) softmax maps, which the scorer reads, and of the maps
    to merge).

    ``aggregate='logits'`` (default): the scales' logits are merged and the
    softmax / cross-entropy act on the merged scores (Sec. 3.3: "the final
    output is produced by performing a softmax operation on the aggregated
    maps"; LIP_SSL: attention x fc8 score maps, Eltwise SUM,
    SoftmaxWithLoss). ``aggregate='probs'``: the softmax maps are merged
    (Eq. 2 read literally) and the aggregate is used as log-probabilities.

    Training: the decode head's loss is applied to each scale's logits
    (deep supervision, prefix ``decode.s{scale}``, weighted by
    ``scale_loss_weight``) and to the aggregate (``decode.agg``: the merged
    logits, or ``log r`` so that a cross-entropy on it is ``-log r_y``;
    both on the output grid, resized to the labels by the head).
    Any decode head works; with :class:`SSNANHead` and a joint loss each of
    these is L_SS-NAN (Eq. 4).

    Inference: the aggregate at the input size (merged logits, or
    log-probabilities with ``aggregate='probs'``).
    ``test_cfg.flip=True`` adds the mirrored view with the left/right swap
    (:class:`ParsingEncoderDecoder`); ``test_cfg.scales`` may replace the
    training scales (needs an aggregation that accepts them, e.g.
    ``NeuralAggregation(shared_scorer=True)``).

    Args:
        scales (Sequence[float]): Input scale factors. Defaults to
            (0.5, 0.75, 1.0) (Sec. 3.1).
        aggregation (dict): Aggregation config; ``num_scales`` and
            ``in_channels`` are filled in for ``NeuralAggregation`` when
            missing.
        scale_loss_weight (float): Weight of each per-scale loss.
            Defaults to 1.0 (the paper weighs them like the final output).
        aggregate (str): ``'logits'`` or ``'probs'`` (see above). Defaults
            to ``'logits'``.
        eps (float): Floor of the probabilities before the log.
        **kwargs: :class:`ParsingEncoderDecoder` arguments.
    """

    def __init__(self,
                 scales: Sequence[float] = (0.5, 0.75, 1.0),
                 aggregation: dict = dict(type='NeuralAggregation'),
                 scale_loss_weight: float = 1.0,
                 aggregate: str = 'logits',
                 eps: float = 1e-8,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if self.with_auxiliary_head:
            raise ValueError(
                'MultiScaleEncoderDecoder: auxiliary_head is not supported '
                '(deep supervision is applied to every scale instead)')
        self.scales = self._check_scales(scales, 'scales')
        aggregation = dict(aggregation)
        if aggregation.get('type') in ('NeuralAggregation',
                                       'mmhumanparse.NeuralAggregation'):
            aggregation.setdefault('num_scales', len(self.scales))
            aggregation.setdefault('in_channels', self.out_channels)
        self.aggregation = MODELS.build(aggregation)
        self.scale_loss_weight = scale_loss_weight
        if aggregate not in ('logits', 'probs'):
            raise ValueError(
                'MultiScaleEncoderDecoder (mmhumanparse/models/segmentors/'
                "multi_scale_encoder_decoder.py): aggregate must be 'logits' "
                f"or 'probs', got {aggregate!r}")
        self.aggregate = aggregate
        self.eps = eps

    @staticmethod
    def _check_scales(scales: Sequence[float], name: str) -> Tuple[float]:
        if not isinstance(scales, (list, tuple)) or not scales or any(
                float(s) <= 0 for s in scales):
            raise ValueError(f'MultiScaleEncoderDecoder: `{name}` must be a '
                             f'non-empty list of positive factors, got '
                             f'{scales!r}')
        return tuple(float(s) for s in scales)

    def multi_scale_forward(
            self,
            inputs: Tensor,
            scales: Optional[Sequence[float]] = None
    ) -> Tuple[List[Tensor], Tensor]:
        """Run the Share-Net.

        Args:
            inputs (Tensor): (N, 3, H, W) images.
            scales (Sequence[float], optional): Defaults to ``self.scales``.

        Returns:
            tuple: the per-scale logits, a list of (N, C, h_s, w_s), and the
            aggregate (N, C, h, w) at the output size of the largest scale:
            merged logits, or probabilities with ``aggregate='probs'``.
        """
        scales = self.scales if scales is None else scales
        # plain ints: under ONNX tracing the shape entries are tensors,
        # which round() rejects (the export has a fixed input size)
        h, w = (int(v) for v in inputs.shape[-2:])
        logits = []
        for s in scales:
            x = inputs if s == 1.0 else F.interpolate(
                inputs,
                size=(max(1, round(h * s)), max(1, round(w * s))),
                mode='bilinear',
                align_corners=self.align_corners)
            logits.append(self.decode_head.forward(self.extract_feat(x)))
        size = max((lg.shape[-2:] for lg in logits), key=lambda t: t[0] * t[1])
        probs = [self._resize(lg.softmax(dim=1), size) for lg in logits]
        if self.aggregate == 'probs':
            return logits, self.aggregation(probs)
        scores = [self._resize(lg, size) for lg in logits]
        return logits, self.aggregation(probs, scores)

    def _resize(self, x: Tensor, size) -> Tensor:
        """Bilinear resize to ``size`` (a no-op at that size)."""
        return resize(
            x, size=size, mode='bilinear', align_corners=self.align_corners)

    def _scores(self, agg: Tensor, size=None) -> Tensor:
        """The aggregate as scores for softmax / CE (logits, or log-probs
        with ``aggregate='probs'``), resized to ``size`` when given."""
        if size is not None:
            agg = self._resize(agg, size)
        if self.aggregate == 'logits':
            return agg
        return agg.clamp_min(self.eps).log()

    def loss(self, inputs: Tensor, data_samples: list) -> dict:
        """Deeply supervised losses of every scale and of the aggregate.

        Args:
            inputs (Tensor): (N, 3, H, W) images.
            data_samples (list[SegDataSample]): With ``gt_sem_seg``.

        Returns:
            dict[str, Tensor]: ``decode.s{scale}.*`` and ``decode.agg.*``.
        """
        logits, agg = self.multi_scale_forward(inputs)
        losses = dict()
        for s, lg in zip(self.scales, logits):
            scale_losses = self.decode_head.loss_by_feat(lg, data_samples)
            scale_losses = {
                k: v * self.scale_loss_weight if k.startswith('loss') else v
                for k, v in scale_losses.items()
            }
            losses.update(add_prefix(scale_losses, f'decode.s{s:g}'))
        # at the output size: the head resizes the scores to the labels
        losses.update(
            add_prefix(
                self.decode_head.loss_by_feat(self._scores(agg),
                                              data_samples),
                'decode.agg'))
        return losses

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """Aggregate scores (N, C, H, W) at the input size."""
        scales = self.test_cfg.get('scales', None)
        if scales is not None:
            scales = self._check_scales(scales, 'test_cfg.scales')
        _, agg = self.multi_scale_forward(inputs, scales)
        return self._scores(agg, inputs.shape[-2:])

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        """Aggregate scores at the largest scale's output size."""
        _, agg = self.multi_scale_forward(inputs)
        return self._scores(agg)


__all__ = ['MultiScaleEncoderDecoder']
