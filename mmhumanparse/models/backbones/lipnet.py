"""LIP-Net backbone: "LIP Net: Real-Time Semantic Segmentation of Person Body
Parts" (Ilyas & Kim, ICROS 2020; no arXiv version), Sec. 2.1 and Fig. 1.

Six stages of two SE-ResNet ("SER") blocks each. The 3x3 convolutions of a
block are dilated depthwise-separable convolutions; the block ends with a
squeeze-and-excitation gate (reduction ``r = 8``, Sec. 3.1) before the
residual addition. Stages 1-4 are followed by 2x2 max pooling, so the encoder
output stride is 16 (Sec. 2.1).

Output of stage ``i`` (after its pooling, if any), for an ``H x W`` input:

=====  ========  ==========  ======================
stage  dilation  channels    resolution (stride)
=====  ========  ==========  ======================
S1     1         16          H/2  x W/2   (2)
S2     1         32          H/4  x W/4   (4)
S3     2         64          H/8  x W/8   (8)
S4     4         128         H/16 x W/16  (16)
S5     8         256         H/16 x W/16  (16)
S6     2         512         H/16 x W/16  (16)
=====  ========  ==========  ======================

The convolutions of a stage run *before* its pooling, i.e. S1 at stride 1,
S2 at 2, S3 at 4, S4 at 8, S5 and S6 at 16.

Channels: the paper sets the base width ``C = 16`` and says channels grow
with every stage (Sec. 3.1) but the per-stage numbers are only in Fig. 1,
which our text copy lacks. We double per stage, ``C * 2**(i-1)`` =
16 ... 512; with :class:`LIPNetHead` at 448 channels the model has 4.02 M
parameters for 20 classes (Table 1: 3.97 M).

Dilations: ``d = 1, 1, 2, 4, 8`` for S1-S5 are given in Sec. 2.1. The S6 rate
is garbled in the paper ("again has a dilation rate of ... to avoid the
gridding artifact"). We use ``d = 2``: a smaller rate after ``d = 8`` fills the
holes a stack of ``d = 8`` convolutions leaves (the de-gridding idea of
dilated residual networks, ref. [7]), "again" reads as a rate used before
(S3), and the ASPP that follows already covers the large rates 6/12/18.
"""
from typing import List, Optional, Sequence, Tuple

import torch.nn as nn
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmengine.model import BaseModule
from mmseg.models.utils import SELayer
from torch import Tensor

from mmhumanparse.registry import MODELS


class SERBlock(BaseModule):
    """SE-ResNet basic block with dilated depthwise-separable convolutions.

    ``x -> DSConv(d) -> DSConv(d) -> SE -> + shortcut(x) -> ReLU``, where a
    DSConv is depthwise 3x3-BN-ReLU then pointwise 1x1-BN-ReLU; the second
    DSConv's pointwise part has no ReLU (it comes after the sum).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        dilation (int): Dilation of both 3x3 depthwise convolutions.
        se_ratio (int): SE reduction ratio ``r`` (paper: 8, Sec. 3.1). The
            squeeze width is ``make_divisible(out_channels // r, 8)`` as in
            mmseg's :class:`SELayer`, i.e. at least 8.
        norm_cfg (dict): Norm layer config.
        act_cfg (dict): Activation config.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 dilation: int = 1,
                 se_ratio: int = 8,
                 norm_cfg: dict = dict(type='BN', requires_grad=True),
                 act_cfg: dict = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.dilation = dilation
        self.se_ratio = se_ratio
        self.conv1 = DepthwiseSeparableConvModule(
            in_channels,
            out_channels,
            3,
            padding=dilation,
            dilation=dilation,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        # No activation after the second pointwise conv: ReLU follows the sum.
        self.conv2 = DepthwiseSeparableConvModule(
            out_channels,
            out_channels,
            3,
            padding=dilation,
            dilation=dilation,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg,
            pw_act_cfg=None)
        self.se = SELayer(
            out_channels,
            ratio=se_ratio,
            act_cfg=(dict(type='ReLU'), dict(type='Sigmoid')))
        if in_channels != out_channels:
            self.shortcut = ConvModule(
                in_channels,
                out_channels,
                1,
                norm_cfg=norm_cfg,
                act_cfg=None)
        else:
            self.shortcut = nn.Identity()
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        """(N, C_in, H, W) -> (N, C_out, H, W)."""
        out = self.se(self.conv2(self.conv1(x)))
        return self.relu(out + self.shortcut(x))


@MODELS.register_module()
class LIPNet(BaseModule):
    """LIP-Net encoder: six stages of SE-ResNet blocks, output stride 16.

    Args:
        in_channels (int): Image channels. Default: 3.
        stage_channels (Sequence[int]): Output channels of S1-S6. Default
            ``(16, 32, 64, 128, 256, 512)`` (base ``C = 16``, Sec. 3.1; see the
            module docstring for how the growth was chosen).
        dilations (Sequence[int]): Dilation per stage. Default
            ``(1, 1, 2, 4, 8, 2)`` (Sec. 2.1; S6 is our choice).
        num_blocks (int | Sequence[int]): SER blocks per stage (paper: 2).
        pool_stages (Sequence[bool]): Whether a 2x2 max pooling follows each
            stage (paper: after S1-S4, Sec. 2.1).
        se_ratio (int): SE reduction ratio (paper: 8).
        out_indices (Sequence[int]): Stages (0-based) whose outputs are
            returned. Default: all six.
        norm_cfg (dict): Norm layer config. Default: BN.
        act_cfg (dict): Activation config. Default: ReLU.
        init_cfg (dict | list[dict], optional): Initialization config.

    Shapes:
        Input ``(N, in_channels, H, W)``; output a tuple with, for each
        ``i`` in ``out_indices``, ``(N, stage_channels[i], H / s_i, W / s_i)``
        with strides ``s = (2, 4, 8, 16, 16, 16)`` by default (H, W divisible
        by 16; otherwise pooling floors).
    """

    def __init__(self,
                 in_channels: int = 3,
                 stage_channels: Sequence[int] = (16, 32, 64, 128, 256, 512),
                 dilations: Sequence[int] = (1, 1, 2, 4, 8, 2),
                 num_blocks=2,
                 pool_stages: Sequence[bool] = (True, True, True, True, False,
                                                False),
                 se_ratio: int = 8,
                 out_indices: Sequence[int] = (0, 1, 2, 3, 4, 5),
                 norm_cfg: dict = dict(type='BN', requires_grad=True),
                 act_cfg: dict = dict(type='ReLU'),
                 init_cfg=[
                     dict(type='Kaiming', layer='Conv2d'),
                     dict(
                         type='Constant',
                         val=1,
                         layer=['_BatchNorm', 'GroupNorm'])
                 ]) -> None:
        super().__init__(init_cfg=init_cfg)
        num_stages = len(stage_channels)
        if isinstance(num_blocks, int):
            num_blocks = [num_blocks] * num_stages
        if not (len(dilations) == len(pool_stages) == len(num_blocks) ==
                num_stages):
            raise ValueError(
                'LIPNet: stage_channels, dilations, pool_stages and '
                f'num_blocks need one entry per stage, got {num_stages}, '
                f'{len(dilations)}, {len(pool_stages)}, {len(num_blocks)}.')
        for i in out_indices:
            if not 0 <= i < num_stages:
                raise ValueError(f'LIPNet: out_indices entry {i} is not a '
                                 f'stage index in [0, {num_stages}).')
        self.stage_channels = tuple(stage_channels)
        self.dilations = tuple(dilations)
        self.pool_stages = tuple(bool(p) for p in pool_stages)
        self.se_ratio = se_ratio
        self.out_indices = tuple(out_indices)

        self.stages = nn.ModuleList()
        cin = in_channels
        for cout, d, n, pool in zip(stage_channels, dilations, num_blocks,
                                    pool_stages):
            layers: List[nn.Module] = []
            for b in range(n):
                layers.append(
                    SERBlock(
                        cin if b == 0 else cout,
                        cout,
                        dilation=d,
                        se_ratio=se_ratio,
                        norm_cfg=norm_cfg,
                        act_cfg=act_cfg))
            if pool:
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            self.stages.append(nn.Sequential(*layers))
            cin = cout

    @property
    def out_strides(self) -> Tuple[int, ...]:
        """Output stride of every stage (after its pooling)."""
        strides, s = [], 1
        for pool in self.pool_stages:
            s *= 2 if pool else 1
            strides.append(s)
        return tuple(strides)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Run the six stages; return the outputs listed in ``out_indices``."""
        outs = []
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)


__all__ = ['LIPNet', 'SERBlock']
