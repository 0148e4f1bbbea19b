"""LIP-Net decoder head, a slim DeepLabV3+ head.

"LIP Net: Real-Time Semantic Segmentation of Person Body Parts" (Ilyas &
Kim, ICROS 2020; no arXiv version), Sec. 2.1, 3.1 and Fig. 1. The paper
follows DeepLabV3+ ("Encoder-Decoder with Atrous Separable Convolution",
arXiv:1802.02611), so the head subclasses mmseg's
``DepthwiseSeparableASPPHead`` and keeps its module names
(``image_pool``, ``aspp_modules``, ``bottleneck``, ``c1_bottleneck``,
``sep_bottleneck``, ``conv_seg``). Differences from mmseg's head, all to
stay within the paper's 3.97 M parameters (Table 1):

* the ASPP outputs are mixed by a 1x1 conv (DeepLabV3+'s own choice;
  mmseg uses a separable 3x3);
* one separable 3x3 conv after the skip concat instead of two;
* the image-pooling branch can be switched off (``with_image_pool``);
* the logits are upsampled x4 (Sec. 2.1: the decoder upsamples x2, then
  x4; the segmentor's final resize supplies the remaining x2). The 1x1
  classifier runs *before* that bilinear x4: both are linear per pixel and
  bilinear weights sum to one, so the order does not change the result,
  but classifying at stride 8 is much cheaper.

Weighted cross entropy (Sec. 3.1: "For loss function we used weighted cross
entropy"; the weights are not given): ``class_weight_file`` names a json
written by ``tools/analysis_tools/class_weights.py`` from the training
labels (median frequency balancing, see that tool).
"""
import os.path as osp
from typing import List, Optional, Sequence

import mmengine
import torch
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmseg.models.decode_heads.sep_aspp_head import DepthwiseSeparableASPPHead
from mmseg.models.losses import accuracy
from mmseg.models.utils import resize
from mmseg.utils import SampleList
from torch import Tensor

from mmhumanparse.registry import MODELS


def load_class_weights(path: str, num_classes: int) -> List[float]:
    """Read the ``weights`` list of a class-weight json and check it.

    Args:
        path (str): json written by ``tools/analysis_tools/class_weights.py``
            (a dict with ``weights``) or a plain list of floats.
        num_classes (int): Expected length.

    Returns:
        list[float]: one non-negative weight per class.
    """
    data = mmengine.load(path)
    weights = data['weights'] if isinstance(data, dict) else data
    if not isinstance(weights, list) or len(weights) != num_classes or any(
            not isinstance(w, (int, float)) or w < 0 for w in weights):
        raise ValueError(
            f'{path}: expected {num_classes} non-negative class weights, got '
            f'{weights!r:.200}')
    return [float(w) for w in weights]


@MODELS.register_module()
class LIPNetHead(DepthwiseSeparableASPPHead):
    """ASPP on S6 + one skip connection from S3 (LIP-Net decoder).

    Feed it the backbone outputs (S3, S6), e.g. ``LIPNet(out_indices=(2,
    5))`` with ``in_index=1``: as in mmseg's DeepLabV3+ head the skip is
    ``inputs[0]``.

    Args:
        dilations (Sequence[int]): ASPP rates; paper: ``(1, 6, 12, 18)``
            (Sec. 3.1). Rate 1 is a 1x1 conv, the others dilated
            depthwise-separable 3x3 convs.
        c1_in_channels (int): Channels of the skip (S3) features.
        c1_channels (int): The skip is reduced to this by a 1x1 conv (paper:
            a quarter of S3, Sec. 2.1).
        with_image_pool (bool): Keep the image-level pooling branch of the
            DeepLabV3+ ASPP. Default: True.
        upsample_factor (int): Bilinear upsampling of the logits after the
            decoder conv (paper: 4, Sec. 2.1). 1 disables it.
        separable_fuse (bool): Make the decoder's 3x3 conv
            depthwise-separable (the paper says "3x3 convolution";
            DeepLabV3+ uses separable convs there; a dense one at stride 8
            would be half of the model's FLOPs). Default: True.
        class_weight_file (str, optional): Class-weight json for every
            ``loss_decode``. Read at build time if it exists; a missing file
            raises ``FileNotFoundError`` at the first loss computation (so
            inference and FLOPs counting work without the training data).
        **kwargs: :class:`BaseDecodeHead` arguments (``in_channels`` (S6),
            ``channels``, ``num_classes``, ``dropout_ratio`` (paper: 0.25),
            ``loss_decode`` ...).

    Shapes:
        inputs[0]: ``(N, c1_in_channels, H/8, W/8)``;
        inputs[in_index]: ``(N, in_channels, H/16, W/16)``;
        output: ``(N, num_classes, H/2, W/2)`` with the default factor 4.
    """

    def __init__(self,
                 c1_in_channels: int,
                 c1_channels: int,
                 dilations: Sequence[int] = (1, 6, 12, 18),
                 with_image_pool: bool = True,
                 upsample_factor: int = 4,
                 separable_fuse: bool = True,
                 class_weight_file: Optional[str] = None,
                 **kwargs) -> None:
        if kwargs.get('input_transform') is not None or not isinstance(
                kwargs.get('in_channels'), int):
            raise ValueError(
                'LIPNetHead: in_channels must be the int channel count of '
                'the S6 features (picked by in_index; the S3 skip is '
                f'inputs[0]), got in_channels={kwargs.get("in_channels")!r}, '
                f'input_transform={kwargs.get("input_transform")!r}.')
        if c1_in_channels < 1 or c1_channels < 1:
            raise ValueError(
                'LIPNetHead: the S3 skip needs c1_in_channels >= 1 and '
                f'c1_channels >= 1, got {c1_in_channels}, {c1_channels}.')
        # BaseDecodeHead's default loss is unprefixed and would not resolve
        # in the mmhumanparse scope.
        kwargs.setdefault(
            'loss_decode',
            dict(
                type='mmseg.CrossEntropyLoss',
                use_sigmoid=False,
                loss_weight=1.0,
                avg_non_ignore=True))
        super().__init__(
            c1_in_channels=c1_in_channels,
            c1_channels=c1_channels,
            dilations=tuple(dilations),
            **kwargs)
        common = dict(
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)
        self.with_image_pool = with_image_pool
        if not with_image_pool:
            self.image_pool = None
        num_branches = len(self.dilations) + int(with_image_pool)
        self.bottleneck = ConvModule(num_branches * self.channels,
                                     self.channels, 1, **common)
        fuse_conv = DepthwiseSeparableConvModule if separable_fuse \
            else ConvModule
        self.sep_bottleneck = fuse_conv(
            self.channels + c1_channels,
            self.channels,
            3,
            padding=1,
            **common)
        self.upsample_factor = upsample_factor
        self.separable_fuse = separable_fuse
        self.class_weight_file = class_weight_file
        self._class_weights_loaded = class_weight_file is None
        if class_weight_file is not None and osp.isfile(class_weight_file):
            self._load_class_weights()

    def _load_class_weights(self) -> None:
        """Set the weights of ``class_weight_file`` on every CE loss."""
        if not osp.isfile(self.class_weight_file):
            raise FileNotFoundError(
                f'LIPNetHead: class_weight_file {self.class_weight_file} '
                'does not exist; write it with tools/analysis_tools/'
                'class_weights.py CONFIG (or set class_weight_file=None for '
                'an unweighted loss).')
        weights = load_class_weights(self.class_weight_file,
                                     self.out_channels)
        losses = self.loss_decode if isinstance(
            self.loss_decode, torch.nn.ModuleList) else [self.loss_decode]
        for loss in losses:
            loss.class_weight = weights
        self._class_weights_loaded = True

    def _forward_feature(self, inputs: List[Tensor]) -> Tensor:
        """Decoder features ``(N, channels, H/8, W/8)`` (before classifier)."""
        x = self._transform_inputs(inputs)
        outs: List[Tensor] = []
        if self.image_pool is not None:
            outs.append(
                resize(
                    self.image_pool(x),
                    size=x.shape[2:],
                    mode='bilinear',
                    align_corners=self.align_corners))
        outs.extend(self.aspp_modules(x))
        x = self.bottleneck(torch.cat(outs, dim=1))
        skip = self.c1_bottleneck(inputs[0])
        x = resize(
            x,
            size=skip.shape[2:],
            mode='bilinear',
            align_corners=self.align_corners)
        return self.sep_bottleneck(torch.cat([x, skip], dim=1))

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """(S3, ..., S6) features -> logits ``(N, num_classes, H/2, W/2)``."""
        x = self.cls_seg(self._forward_feature(inputs))
        if self.upsample_factor != 1:
            x = resize(
                x,
                scale_factor=self.upsample_factor,
                mode='bilinear',
                align_corners=self.align_corners)
        return x

    def loss_by_feat(self, seg_logits: Tensor,
                     batch_data_samples: SampleList) -> dict:
        """Weighted CE, the weighted mean over the labelled pixels
        (``sum_i w_{y_i} l_i / sum_i w_{y_i}``, as ``F.cross_entropy``).

        Class weights are loaded on first use (see Args). mmseg 1.2.2's
        ``cross_entropy`` computes that denominator by indexing the class
        weights with the raw labels and fails on 255 pixels (padding), so
        it is passed in as ``avg_factor`` here.

        Args:
            seg_logits (Tensor): (N, C, h, w) logits.
            batch_data_samples (list[SegDataSample]): with ``gt_sem_seg``.

        Returns:
            dict: ``loss_ce`` (one entry per ``loss_decode``) and ``acc_seg``.
        """
        if not self._class_weights_loaded:
            self._load_class_weights()
        losses_decode = self.loss_decode if isinstance(
            self.loss_decode, torch.nn.ModuleList) else [self.loss_decode]
        if self.sampler is not None or all(
                getattr(loss, 'class_weight', None) is None
                for loss in losses_decode):
            return super().loss_by_feat(seg_logits, batch_data_samples)
        seg_label = self._stack_batch_gt(batch_data_samples)
        seg_logits = resize(
            seg_logits,
            size=seg_label.shape[2:],
            mode='bilinear',
            align_corners=self.align_corners)
        seg_label = seg_label.squeeze(1)
        valid = seg_label != self.ignore_index
        losses = dict()
        for loss_decode in losses_decode:
            kwargs = dict(ignore_index=self.ignore_index)
            weight = getattr(loss_decode, 'class_weight', None)
            if weight is not None:
                weight = seg_logits.new_tensor(weight)
                kwargs['avg_factor'] = weight[seg_label[valid]].sum()
            value = loss_decode(seg_logits, seg_label, **kwargs)
            name = loss_decode.loss_name
            losses[name] = losses.get(name, 0) + value
        losses['acc_seg'] = accuracy(
            seg_logits, seg_label, ignore_index=self.ignore_index)
        return losses
