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
    per-scale softmax maps are resized bilinearly to the resolution of the
    largest scale's output and merged by ``aggregation``
    (:class:`NeuralAggregation`, :class:`AverageAggregation` or
    :class:`MaxAggregation`; any module mapping a list of (N, C, H, W)
    probability maps to one).

    Training: the decode head's loss is applied to each scale's logits
    (deep supervision, prefix ``decode.s{scale}``, weighted by
    ``scale_loss_weight``) and to the aggregate (``decode.agg``, passed to
    the head as log-probabilities, so a cross-entropy on it is
    ``-log r_y``). Any decode head works; with
    :class:`SSNANHead` and a joint loss each of these is L_SS-NAN (Eq. 4).

    Inference: the aggregate at the input size, returned as
    log-probabilities (argmax and softmax are those of the aggregate).
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
        eps (float): Floor of the probabilities before the log.
        **kwargs: :class:`ParsingEncoderDecoder` arguments.
    """

    def __init__(self,
                 scales: Sequence[float] = (0.5, 0.75, 1.0),
                 aggregation: dict = dict(type='NeuralAggregation'),
                 scale_loss_weight: float = 1.0,
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
            aggregate probabilities (N, C, h, w) at the output size of the
            largest scale.
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
        probs = [
            resize(
                lg.softmax(dim=1),
                size=size,
                mode='bilinear',
                align_corners=self.align_corners) for lg in logits
        ]
        return logits, self.aggregation(probs)

    def _log_probs(self, probs: Tensor, size) -> Tensor:
        """Aggregate probabilities resized to ``size``, as log-probs."""
        probs = resize(
            probs,
            size=size,
            mode='bilinear',
            align_corners=self.align_corners)
        return probs.clamp_min(self.eps).log()

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
        agg_log = self._log_probs(agg, inputs.shape[-2:])
        losses.update(
            add_prefix(
                self.decode_head.loss_by_feat(agg_log, data_samples),
                'decode.agg'))
        return losses

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """Aggregate log-probabilities (N, C, H, W) at the input size."""
        scales = self.test_cfg.get('scales', None)
        if scales is not None:
            scales = self._check_scales(scales, 'test_cfg.scales')
        _, agg = self.multi_scale_forward(inputs, scales)
        return self._log_probs(agg, inputs.shape[-2:])

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        """Aggregate log-probabilities at the largest scale's output size."""
        _, agg = self.multi_scale_forward(inputs)
        return agg.clamp_min(self.eps).log()


__all__ = ['MultiScaleEncoderDecoder']
