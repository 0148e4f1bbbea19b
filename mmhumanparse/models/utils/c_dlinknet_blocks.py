"""Blocks of C-DLinkNet's head.

"C-DLinkNet: Considering Multi-level Semantic Features for Human Parsing"
(Lu et al., arXiv:2001.11690):

- ``CDLinkNetASPP``: the ASPP centre of Sec. 2.1, Eq. (1);
- ``DBlock``: the D-LinkNet centre (cascaded dilated 3x3 convs), the
  baseline "B" of Table 1;
- ``LinkDecoderBlock``: the LinkNet decoder block of Sec. 2.2, also the
  learned projection of the Smooth module (Sec. 2.3).

``CDLinkNetHead`` (``decode_heads/c_dlinknet_head.py``) assembles them.
"""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.aspp_head import ASPPModule
from mmseg.models.utils import resize
from torch import Tensor

from mmhumanparse.registry import MODELS


@MODELS.register_module()
class CDLinkNetASPP(nn.Module):
    """ASPP centre whose output has as many channels as its input.

    Channel flow of Eq. (1) with the defaults and ``in_channels=2048``:
    2048 -(1x1)-> 1024 -(branches: 1x1, 3x3 @ 12, 24, 36)-> 4 x 256
    -(concat)-> 1024 -(1x1)-> 2048.

    Args:
        in_channels (int): Channels of the encoder output (E5).
        reduce_channels (int, optional): Channels after the first 1x1
            reduction. Defaults to ``in_channels // 2`` (Sec. 2.1: "reduces
            the E5 layer output channels to 1/2").
        channels (int): Channels of every ASPP branch. Defaults to 256.
        dilations (Sequence[int]): One branch per dilation, 1 is a 1x1 conv.
            Defaults to (1, 12, 24, 36) (Sec. 2.1).
        out_channels (int, optional): Output channels. Defaults to
            ``in_channels`` (Sec. 2.1: same number as the input).
        image_pool (bool): Add DeepLabv3's global-pooling branch. Not in
            Eq. (1); defaults to False.
        conv_cfg, norm_cfg, act_cfg (dict, optional): ``ConvModule`` configs.

    Shapes:
        input: (N, in_channels, H, W); output: (N, out_channels, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 reduce_channels: Optional[int] = None,
                 channels: int = 256,
                 dilations: Sequence[int] = (1, 12, 24, 36),
                 out_channels: Optional[int] = None,
                 image_pool: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = dict(type='ReLU')) -> None:
        super().__init__()
        reduce_channels = reduce_channels or in_channels // 2
        out_channels = out_channels or in_channels
        cfgs = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.reduce = ConvModule(in_channels, reduce_channels, 1, **cfgs)
        self.image_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            ConvModule(reduce_channels, channels, 1, **
                       cfgs)) if image_pool else None
        self.aspp = ASPPModule(tuple(dilations), reduce_channels, channels,
                               **cfgs)
        num_branches = len(dilations) + int(image_pool)
        self.fuse = ConvModule(num_branches * channels, out_channels, 1,
                               **cfgs)

    def forward(self, x: Tensor) -> Tensor:
        """Reduce, run the parallel atrous branches, concat and restore."""
        x = self.reduce(x)
        outs = self.aspp(x)
        if self.image_pool is not None:
            outs.insert(
                0,
                resize(self.image_pool(x), size=x.shape[2:], mode='bilinear'))
        return self.fuse(torch.cat(outs, dim=1))


@MODELS.register_module()
class DBlock(nn.Module):
    """D-LinkNet centre: cascaded dilated 3x3 convs, all outputs summed.

    ``y = x + c1(x) + c2(c1(x)) + c4(c2(c1(x))) + ...`` with ``c_d`` a 3x3
    conv of dilation ``d`` that keeps the channel count (D-LinkNet, the
    baseline "B" of Table 1).

    Args:
        in_channels (int): Channels of the input and of every conv.
        dilations (Sequence[int]): Dilations of the cascade.
            Defaults to (1, 2, 4, 8).
        conv_cfg, norm_cfg, act_cfg (dict, optional): ``ConvModule`` configs
            (D-LinkNet has no normalisation here; the head passes its own
            ``norm_cfg`` unless the centre config sets one).

    Shapes:
        input and output: (N, in_channels, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 dilations: Sequence[int] = (1, 2, 4, 8),
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = dict(type='ReLU')) -> None:
        super().__init__()
        self.convs = nn.ModuleList(
            ConvModule(
                in_channels,
                in_channels,
                3,
                padding=d,
                dilation=d,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg) for d in dilations)

    def forward(self, x: Tensor) -> Tensor:
        """Sum the input and every stage of the dilated cascade."""
        out = x
        for conv in self.convs:
            x = conv(x)
            out = out + x
        return out


class LinkDecoderBlock(nn.Module):
    """LinkNet decoder block (Sec. 2.2), also the Smooth projection.

    1x1 conv to ``mid_channels`` (a quarter of the input by default),
    upsampling by ``stride``, 1x1 conv to ``out_channels``. The upsampling
    is a 3x3 conv for stride 1 (used where the encoder level below has the
    same resolution because of dilation) and ``log2(stride)`` 3x3
    transposed convs of stride 2 otherwise (the Smooth module projects D5,
    D4, D3 by 8, 4, 2 to D2's size, Sec. 2.3).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): 1 or a power of 2. Defaults to 2.
        mid_channels (int, optional): Channels of the upsampling convs.
            Defaults to ``in_channels // 4`` (Sec. 2.2).
        conv_cfg, norm_cfg, act_cfg (dict, optional): ``ConvModule`` configs.
        align_corners (bool): Of the bilinear resize used by ``forward``
            when a ``size`` is given and odd input sizes left a mismatch.

    Shapes:
        input: (N, in_channels, H, W); output: (N, out_channels, stride*H,
        stride*W), or ``size`` when given to ``forward``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 2,
                 mid_channels: Optional[int] = None,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 align_corners: bool = False) -> None:
        super().__init__()
        if stride < 1 or stride & (stride - 1):
            raise ValueError(f'LinkDecoderBlock: stride must be 1 or a power '
                             f'of 2, got {stride}')
        mid = mid_channels or max(in_channels // 4, 1)
        cfgs = dict(norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.stride = stride
        self.align_corners = align_corners
        self.reduce = ConvModule(
            in_channels, mid, 1, conv_cfg=conv_cfg, **cfgs)
        deconv = dict(type='deconv', output_padding=1)
        if stride == 1:
            # A stride-1 transposed 3x3 conv (padding 1) is a 3x3 conv.
            self.up = ConvModule(
                mid, mid, 3, padding=1, conv_cfg=conv_cfg, **cfgs)
        elif stride == 2:
            self.up = ConvModule(
                mid, mid, 3, stride=2, padding=1, conv_cfg=deconv, **cfgs)
        else:
            self.up = nn.Sequential(*[
                ConvModule(
                    mid, mid, 3, stride=2, padding=1, conv_cfg=deconv, **cfgs)
                for _ in range(int(math.log2(stride)))
            ])
        self.expand = ConvModule(
            mid, out_channels, 1, conv_cfg=conv_cfg, **cfgs)

    def forward(self,
                x: Tensor,
                size: Optional[Tuple[int, int]] = None) -> Tensor:
        """Decode; resize to ``size`` if odd input sizes left a mismatch."""
        x = self.expand(self.up(self.reduce(x)))
        if size is not None and tuple(x.shape[2:]) != tuple(size):
            x = resize(
                x, size=size, mode='bilinear',
                align_corners=self.align_corners)
        return x


def conv_stack(in_channels: int, channels: int, num_convs: int,
               cfgs: dict) -> nn.Sequential:
    """``num_convs`` 3x3 ConvModules, the first maps in -> channels."""
    return nn.Sequential(*[
        ConvModule(
            in_channels if i == 0 else channels, channels, 3, padding=1, **
            cfgs) for i in range(num_convs)
    ])
