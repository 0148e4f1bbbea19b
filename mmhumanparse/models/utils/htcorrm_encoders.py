"""The three task encoders of HTCorrM (parsing, pose, edge).

"On the Correlation among Edge, Pose and Parsing" (Zhang et al., TPAMI 2021;
journal version of CorrPM, "Correlating Edge, Pose with Parsing",
arXiv:2005.01431), Sec. 3.2; the CorrPM variants follow the authors'
released code. Used by ``HTCorrMHead``.
"""
from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.aspp_head import ASPPModule
from mmseg.models.utils import resize
from torch import Tensor


class ParsingEncoder(nn.Module):
    """ASPP (image pooling, 1x1, three 3x3 at 12/24/36) -> 1x1 reduce
    (-> dropout) -> upsample to G1 -> concat G1 -> 1x1 to ``channels``: F_p
    (Sec. 3.2).

    The last 1x1 brings the concatenation to the common width C of the HNL
    inputs (Fig. 4: F_p, F_k, F_b are all C x H x W). CorrPM reduces the
    ASPP to 512 channels and drops 10 % of them (``reduce_channels``,
    ``dropout``).
    """

    def __init__(self,
                 in_channels: int,
                 g1_channels: int,
                 aspp_channels: int,
                 channels: int,
                 dilations: Sequence[int],
                 cfgs: dict,
                 align_corners: bool,
                 reduce_channels: Optional[int] = None,
                 dropout: float = 0.0) -> None:
        super().__init__()
        self.align_corners = align_corners
        reduce_channels = reduce_channels or aspp_channels
        self.image_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            ConvModule(in_channels, aspp_channels, 1, **cfgs))
        self.aspp = ASPPModule(dilations, in_channels, aspp_channels, **cfgs)
        self.reduce = ConvModule((len(dilations) + 1) * aspp_channels,
                                 reduce_channels, 1, **cfgs)
        self.dropout = nn.Dropout2d(dropout) if dropout > 0 else None
        self.fuse = ConvModule(reduce_channels + g1_channels, channels, 1,
                               **cfgs)

    def forward(self, x: Tensor, g1: Tensor) -> Tensor:
        """(N, C_in, h, w), G1 (N, C_g1, H, W) -> F_p (N, channels, H, W)."""
        pooled = resize(self.image_pool(x),
                        x.shape[2:],
                        mode='bilinear',
                        align_corners=self.align_corners)
        y = self.reduce(torch.cat([pooled] + self.aspp(x), dim=1))
        if self.dropout is not None:
            y = self.dropout(y)
        y = resize(y,
                   g1.shape[2:],
                   mode='bilinear',
                   align_corners=self.align_corners)
        return self.fuse(torch.cat([y, g1], dim=1))


class PoseEncoder(nn.Sequential):
    """4x4 stride-2 transposed convolutions (SimpleBaseline, Sec. 3.2):
    (N, C_in, h, w) -> F_k (N, channels, 2^n h, 2^n w).

    ``widths`` gives each deconvolution's output width (the paper: two, C
    wide; CorrPM: 256 then 512); the last must be ``channels``. With no
    widths (an input already at G1's size, e.g. HRNet's 1/4 level) F_k is
    one 1x1 convolution of the input.
    """

    def __init__(self, in_channels: int, channels: int, cfgs: dict,
                 widths: Sequence[int]) -> None:
        if len(widths) and widths[-1] != channels:
            raise ValueError(f'HTCorrMHead: the last pose deconvolution must '
                             f'be {channels} wide (F_k), got {widths}')
        if not len(widths):
            super().__init__(ConvModule(in_channels, channels, 1, **cfgs))
            return
        deconv = dict(cfgs, conv_cfg=dict(type='deconv'))
        ins = [in_channels] + list(widths[:-1])
        super().__init__(*[
            ConvModule(i, o, 4, stride=2, padding=1, **deconv)
            for i, o in zip(ins, widths)
        ])


class EdgeEncoder(nn.Module):
    """G1, G2, G3 -> 1x1 each -> upsample to G1 -> concat -> fuse: F_b
    (N, channels, H, W) at G1's size (Sec. 3.2).

    ``fuse='conv3x3_conv1x1'`` (the paper): a 3x3 then a 1x1 convolution
    with norm and activation; ``fuse='linear1x1'`` (CorrPM): one 1x1
    convolution without bias, norm or activation.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 edge_channels: int,
                 channels: int,
                 cfgs: dict,
                 align_corners: bool,
                 fuse: str = 'conv3x3_conv1x1') -> None:
        super().__init__()
        self.align_corners = align_corners
        self.lateral = nn.ModuleList(
            ConvModule(c, edge_channels, 1, **cfgs) for c in in_channels)
        cat = len(in_channels) * edge_channels
        if fuse == 'conv3x3_conv1x1':
            self.fuse = nn.Sequential(
                ConvModule(cat, channels, 3, padding=1, **cfgs),
                ConvModule(channels, channels, 1, **cfgs))
        elif fuse == 'linear1x1':
            self.fuse = ConvModule(cat,
                                   channels,
                                   1,
                                   bias=False,
                                   conv_cfg=cfgs.get('conv_cfg'),
                                   norm_cfg=None,
                                   act_cfg=None)
        else:
            raise ValueError("HTCorrMHead: edge_fuse must be "
                             "'conv3x3_conv1x1' or 'linear1x1', got "
                             f'{fuse!r}')

    def forward(self, feats: Sequence[Tensor]) -> Tensor:
        size = feats[0].shape[2:]
        ys = [
            resize(conv(f),
                   size,
                   mode='bilinear',
                   align_corners=self.align_corners)
            for conv, f in zip(self.lateral, feats)
        ]
        return self.fuse(torch.cat(ys, dim=1))
