"""LIP-Net decoder head (Ilyas & Kim, 2020), Sec. 2.1 and Fig. 1 of the paper.

ASPP on the last encoder stage (S6, stride 16) with rates 1, 6, 12, 18
(Sec. 3.1, following DeepLabV3+), then:

1. upsample the ASPP output x2 (stride 16 -> 8);
2. reduce the S3 features (stride 8) by a 1x1 conv to a quarter of their
   channels (Sec. 2.1) and concatenate;
3. 3x3 conv (depthwise-separable by default, see ``separable_fuse``);
4. upsample x4 (stride 8 -> 2, Sec. 2.1) and classify with a 1x1 conv.

The paper says the decoder upsamples by 16 in total, but its two steps are x2
and x4; the segmentor's final resize to the input size supplies the remaining
x2. We apply the 1x1 classifier *before* the x4 bilinear upsampling: both are
linear per pixel and bilinear weights sum to one, so the order does not change
the result (dropout is channel-wise ``Dropout2d`` and commutes as well), but
classifying 20 channels instead of ``channels`` at stride 2 is much cheaper.
"""
from typing import List, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.decode_heads.sep_aspp_head import \
    DepthwiseSeparableASPPModule
from mmseg.models.utils import resize
from torch import Tensor

from mmhumanparse.registry import MODELS


@MODELS.register_module()
class LIPNetHead(BaseDecodeHead):
    """ASPP + one skip connection from S3 (LIP-Net decoder).

    Takes two backbone outputs (``input_transform='multiple_select'``):
    ``in_index = (skip, deep)`` = (S3, S6) with ``in_channels = (C3, C6)``.

    Args:
        dilations (Sequence[int]): ASPP rates; paper: ``(1, 6, 12, 18)``
            (Sec. 3.1). Rate 1 is a 1x1 conv, the others dilated
            depthwise-separable 3x3 convs (as in DeepLabV3+, ref. [8]).
        with_image_pool (bool): Add the image-level pooling branch of the
            DeepLabV3+ ASPP (ref. [8]). Default: True.
        skip_reduction (int): The S3 features are reduced to
            ``C3 // skip_reduction`` channels by a 1x1 conv (paper: 4,
            Sec. 2.1).
        upsample_factor (int): Bilinear upsampling of the logits after the
            decoder conv (paper: 4, Sec. 2.1). 1 disables it.
        separable_fuse (bool): Make the decoder's 3x3 conv depthwise-separable
            (the paper says "3x3 convolution"; DeepLabV3+, ref. [8], whose
            ASPP/decoder the paper follows, uses separable 3x3 convs there).
            A dense 3x3 conv at stride 8 would be half of the model's FLOPs.
            Default: True.
        **kwargs: :class:`BaseDecodeHead` arguments (``in_channels``,
            ``channels``, ``num_classes``, ``dropout_ratio`` (paper: 0.25),
            ``loss_decode`` ...).

    Shapes:
        inputs[in_index[0]]: ``(N, C3, H/8, W/8)``;
        inputs[in_index[1]]: ``(N, C6, H/16, W/16)``;
        output: ``(N, num_classes, H/2, W/2)`` with the default factor 4.
    """

    def __init__(self,
                 dilations: Sequence[int] = (1, 6, 12, 18),
                 with_image_pool: bool = True,
                 skip_reduction: int = 4,
                 upsample_factor: int = 4,
                 separable_fuse: bool = True,
                 **kwargs) -> None:
        kwargs.setdefault('input_transform', 'multiple_select')
        in_channels = kwargs.get('in_channels')
        if kwargs['input_transform'] != 'multiple_select' or not isinstance(
                in_channels, (list, tuple)) or len(in_channels) != 2:
            raise ValueError(
                'LIPNetHead needs input_transform="multiple_select" with two '
                'inputs (S3 skip features, S6 features): in_index=(2, 5), '
                f'in_channels=(C3, C6); got in_channels={in_channels}, '
                f'input_transform={kwargs["input_transform"]!r}.')
        # BaseDecodeHead's default loss is unprefixed and would not resolve
        # in the mmhumanparse scope.
        kwargs.setdefault(
            'loss_decode',
            dict(
                type='mmseg.CrossEntropyLoss',
                use_sigmoid=False,
                loss_weight=1.0))
        super().__init__(**kwargs)
        skip_in, deep_in = self.in_channels
        if skip_in // skip_reduction < 1:
            raise ValueError(
                f'LIPNetHead: skip_reduction={skip_reduction} leaves no '
                f'channels of the {skip_in}-channel skip input.')
        self.dilations = tuple(dilations)
        self.with_image_pool = with_image_pool
        self.skip_reduction = skip_reduction
        self.upsample_factor = upsample_factor
        self.separable_fuse = separable_fuse

        common = dict(
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)
        if with_image_pool:
            self.image_pool = nn.Sequential(
                nn.AdaptiveAvgPool2d(1),
                ConvModule(deep_in, self.channels, 1, **common))
        self.aspp_modules = DepthwiseSeparableASPPModule(
            dilations=self.dilations,
            in_channels=deep_in,
            channels=self.channels,
            **common)
        num_branches = len(self.dilations) + int(with_image_pool)
        self.aspp_bottleneck = ConvModule(
            num_branches * self.channels, self.channels, 1, **common)
        skip_channels = skip_in // skip_reduction
        self.skip_conv = ConvModule(skip_in, skip_channels, 1, **common)
        fuse_conv = DepthwiseSeparableConvModule if separable_fuse \
            else ConvModule
        self.fuse_conv = fuse_conv(
            self.channels + skip_channels,
            self.channels,
            3,
            padding=1,
            **common)

    def _aspp(self, x: Tensor) -> Tensor:
        outs: List[Tensor] = []
        if self.with_image_pool:
            outs.append(
                resize(
                    self.image_pool(x),
                    size=x.shape[2:],
                    mode='bilinear',
                    align_corners=self.align_corners))
        outs.extend(self.aspp_modules(x))
        return self.aspp_bottleneck(torch.cat(outs, dim=1))

    def _forward_feature(self, inputs: List[Tensor]) -> Tensor:
        """Decoder features ``(N, channels, H/8, W/8)`` (before classifier)."""
        skip, deep = self._transform_inputs(inputs)
        x = self._aspp(deep)
        skip = self.skip_conv(skip)
        x = resize(
            x,
            size=skip.shape[2:],
            mode='bilinear',
            align_corners=self.align_corners)
        return self.fuse_conv(torch.cat([x, skip], dim=1))

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Multi-level features -> logits ``(N, num_classes, H/2, W/2)``."""
        x = self.cls_seg(self._forward_feature(inputs))
        if self.upsample_factor != 1:
            x = resize(
                x,
                scale_factor=self.upsample_factor,
                mode='bilinear',
                align_corners=self.align_corners)
        return x
