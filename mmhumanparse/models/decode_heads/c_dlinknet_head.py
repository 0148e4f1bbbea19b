"""C-DLinkNet decode head.

"C-DLinkNet: Considering Multi-level Semantic Features for Human Parsing"
(Lu et al., arXiv:2001.11690), Fig. 2-3, Sec. 2.1-2.3, Eq. (1)-(2). The
encoder (ResNet E1..E5, E5 dilated so its output stride is 16) is the
backbone (``ResNetV1cWithStem``); ``CDLinkNetHead`` holds everything after
it: centre, decoder, deep supervision, Smooth module and the final
full-resolution block. Its blocks (``CDLinkNetASPP``, ``DBlock``,
``LinkDecoderBlock``) are in ``models/utils/c_dlinknet_blocks.py``.
"""
import math
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from mmseg.utils import SampleList
from torch import Tensor

from mmhumanparse.registry import MODELS
from ..utils.c_dlinknet_blocks import LinkDecoderBlock, conv_stack


def _build(cfg: dict) -> nn.Module:
    """Build in the mmhumanparse scope, whatever the current default scope
    (a stock mmseg config using ``type='mmhumanparse.CDLinkNetHead'`` has
    ``default_scope='mmseg'``); borrowed modules keep their prefix."""
    with MODELS.switch_scope_and_registry('mmhumanparse') as registry:
        return registry.build(cfg)


@MODELS.register_module()
class CDLinkNetHead(BaseDecodeHead):
    """C-DLinkNet head (arXiv:2001.11690).

    Data flow, with ``in_channels = [E1, E2, E3, E4, E5]`` (low to high):

    1. centre (Sec. 2.1): ``CDLinkNetASPP`` (Eq. (1)) or ``DBlock``
       (D-LinkNet baseline) on E5;
    2. decoder (Sec. 2.2): D5 ... D2, each a ``LinkDecoderBlock`` whose
       output has the channels and size of the next encoder level below and
       is summed with it (D5 -> E4, D4 -> E3, D3 -> E2, D2 -> E1);
    3. deep supervision (Sec. 2.2, Eq. (2)), training only: every decoder
       output -> two 3x3 convs -> 1x1 classifier, a CE loss each
       (``loss_d5`` ... ``loss_d2``, weight 0.5 by default);
    4. refiner / Smooth module (Sec. 2.3, "we use the Decoder block to
       project the output of each layer of Decoder to the size of the
       feature maps from the D2 layer"): every decoder output goes through
       a ``LinkDecoderBlock`` to ``smooth_channels``. With
       ``smooth_upsample='deconv'`` (default) the block's transposed convs
       bring D5, D4, D3 to D2's size (x8, x4, x2); with ``'bilinear'``
       (ablation) the block keeps the size and a bilinear resize follows.
       D2's own projection (stride 1) keeps its input width in the middle
       (``mid_channels = in_channels``) instead of the quarter rule, which
       would squeeze D2's 64 channels to 16. The projections are
       concatenated, ``num_smooth_convs`` 3x3 convs blend them to
       ``channels`` (512). Without the Smooth module: two 3x3 convs on D2;
    5. final block (``final_upsample=True``, default): D2 lives at E1's size
       (stride 2), but "Decoder can restore the F to its original input
       size" (Sec. 2): as D-LinkNet's last layers, a 4x4 transposed conv of
       stride 2 to ``final_channels`` (32 in D-LinkNet) and a 3x3 conv,
       then ``conv_seg`` classifies at the input resolution (``loss_ce``).
       ``final_upsample=False`` classifies at stride 2 (the segmentor
       resizes the logits bilinearly).

    Args:
        in_channels (Sequence[int]): Channels of E1..E5 (any number >= 2 of
            encoder levels, low to high).
        channels (int): Channels after the refiner. 512 in Sec. 2.3.
        dec_strides (Sequence[int]): Transposed-conv stride of each decoder
            block, top (D5) to bottom (D2); 1 where the encoder level below
            has the same size (dilated E5). Defaults to (1, 2, 2, 2).
        centre (dict, optional): Config of the centre module; its
            ``in_channels`` and (unless set) conv/norm/act configs are filled
            in. None: no centre. Defaults to the ASPP of Eq. (1).
        smooth (bool): Use the Smooth module. Defaults to True.
        smooth_channels (int): Channels of each projected decoder output.
            Defaults to 256.
        smooth_upsample (str): ``'deconv'`` (learned, default) or
            ``'bilinear'``.
        num_smooth_convs (int): 3x3 convs after the concat. Defaults to 2.
        deep_supervision (bool): Classify every decoder output in training.
            Defaults to True.
        ds_channels (int): Channels of the two 3x3 convs of each deep-
            supervision branch. Defaults to 256.
        final_upsample (bool): Add the final x2 block. Defaults to True.
        final_channels (int): Its width. Defaults to 32 (D-LinkNet).
        loss_ds (dict): Loss of each deep-supervision branch; its
            ``loss_weight`` is the 0.5 of Eq. (2).
        **kwargs: ``BaseDecodeHead`` arguments (``num_classes``,
            ``norm_cfg``, ``loss_decode``, ``dropout_ratio``, ...).

    Shapes:
        inputs: tuple of (N, in_channels[i], H_i, W_i), E1 first.
        forward output: (N, num_classes, 2 * H_1, 2 * W_1) logits (input
        size) with ``final_upsample``, else (N, num_classes, H_1, W_1).
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 channels: int,
                 dec_strides: Sequence[int] = (1, 2, 2, 2),
                 centre: Optional[dict] = dict(
                     type='CDLinkNetASPP',
                     reduce_channels=None,
                     channels=256,
                     dilations=(1, 12, 24, 36)),
                 smooth: bool = True,
                 smooth_channels: int = 256,
                 smooth_upsample: str = 'deconv',
                 num_smooth_convs: int = 2,
                 deep_supervision: bool = True,
                 ds_channels: int = 256,
                 final_upsample: bool = True,
                 final_channels: int = 32,
                 loss_ds: dict = dict(
                     type='mmseg.CrossEntropyLoss',
                     use_sigmoid=False,
                     loss_weight=0.5,
                     avg_non_ignore=True),
                 loss_decode: Union[dict, Sequence[dict]] = dict(
                     type='mmseg.CrossEntropyLoss',
                     use_sigmoid=False,
                     loss_weight=1.0,
                     avg_non_ignore=True),
                 **kwargs) -> None:
        in_channels = list(in_channels)
        kwargs.setdefault('input_transform', 'multiple_select')
        kwargs.setdefault('in_index', list(range(len(in_channels))))
        super().__init__(
            in_channels, channels, loss_decode=loss_decode, **kwargs)
        if len(dec_strides) != len(in_channels) - 1:
            raise ValueError(
                f'CDLinkNetHead: dec_strides needs one stride per decoder '
                f'block ({len(in_channels) - 1} for {len(in_channels)} '
                f'encoder levels), got {tuple(dec_strides)}')
        if smooth_upsample not in ('deconv', 'bilinear'):
            raise ValueError(
                f"CDLinkNetHead: smooth_upsample must be 'deconv' or "
                f"'bilinear', got {smooth_upsample!r}")
        cfgs = dict(
            conv_cfg=self.conv_cfg, norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)

        if centre is not None:
            centre = dict(centre, in_channels=in_channels[-1])
            for key, value in cfgs.items():
                centre.setdefault(key, value)
            self.centre = _build(centre)
        else:
            self.centre = nn.Identity()

        # Decoder D5 ... D2: block i maps level (L - i) to level (L - 1 - i).
        num_blocks = len(in_channels) - 1
        self.level_names = [
            f'd{num_blocks + 1 - i}' for i in range(num_blocks)
        ]
        dec_channels = in_channels[-2::-1]  # output channels, D5 first
        dec_in_channels = in_channels[:0:-1]  # E5 (after centre), E4, ...
        self.decoder = nn.ModuleList()
        for c_in, c_out, stride in zip(dec_in_channels, dec_channels,
                                       dec_strides):
            self.decoder.append(
                LinkDecoderBlock(
                    c_in, c_out, stride, align_corners=self.align_corners,
                    **cfgs))

        self.deep_supervision = deep_supervision
        if deep_supervision:
            self.ds_branches = nn.ModuleList(
                nn.Sequential(
                    conv_stack(c, ds_channels, 2, cfgs),
                    nn.Conv2d(ds_channels, self.out_channels, 1))
                for c in dec_channels)
            self.loss_ds = _build(loss_ds)

        self.smooth = smooth
        self.smooth_upsample = smooth_upsample
        if smooth:
            # size ratio of each decoder output to D2: D5 x8, D4 x4, ...
            scales = [
                math.prod(dec_strides[i + 1:]) for i in range(num_blocks)
            ]
            self.smooth_projs = nn.ModuleList(
                LinkDecoderBlock(
                    c,
                    smooth_channels,
                    stride=s if smooth_upsample == 'deconv' else 1,
                    mid_channels=c if s == 1 else None,
                    align_corners=self.align_corners,
                    **cfgs) for c, s in zip(dec_channels, scales))
            self.refine = conv_stack(num_blocks * smooth_channels, channels,
                                     num_smooth_convs, cfgs)
        else:
            self.refine = conv_stack(dec_channels[-1], channels, 2, cfgs)

        self.final_upsample = final_upsample
        if final_upsample:
            self.final = nn.Sequential(
                ConvModule(
                    channels,
                    final_channels,
                    4,
                    stride=2,
                    padding=1,
                    conv_cfg=dict(type='deconv'),
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg),
                ConvModule(
                    final_channels, final_channels, 3, padding=1, **cfgs))
            self.conv_seg = nn.Conv2d(final_channels, self.out_channels, 1)

    def forward_decoder(self, inputs: Sequence[Tensor]) -> List[Tensor]:
        """Encoder levels -> decoder outputs [D5, D4, D3, D2].

        Each output has the shape of the encoder level it is summed with
        (E4, E3, E2, E1).
        """
        feats = self._transform_inputs(inputs)
        x = self.centre(feats[-1])
        outs = []
        for block, skip in zip(self.decoder, feats[-2::-1]):
            x = block(x, size=skip.shape[2:]) + skip
            outs.append(x)
        return outs

    def forward_refine(self, dec_outs: Sequence[Tensor]) -> Tensor:
        """Decoder outputs -> final logits (Sec. 2.3 + final block).

        Returns:
            Tensor: (N, num_classes, 2 * H_D2, 2 * W_D2) with
            ``final_upsample``, else at D2's size.
        """
        if self.smooth:
            size = dec_outs[-1].shape[2:]
            x = torch.cat([
                proj(d, size=size)
                for proj, d in zip(self.smooth_projs, dec_outs)
            ], dim=1)
        else:
            x = dec_outs[-1]
        x = self.refine(x)
        if self.final_upsample:
            x = self.final(x)
        return self.cls_seg(x)

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Final (refined) logits; deep-supervision branches are skipped."""
        return self.forward_refine(self.forward_decoder(inputs))

    def forward_all(self, inputs: Sequence[Tensor]) -> Dict[str, Tensor]:
        """Logits of every supervised output.

        Returns:
            dict: ``'refine'`` (final logits) and, with deep supervision,
            one entry per decoder level (``'d5'`` ... ``'d2'``), each
            (N, num_classes, H_i, W_i).
        """
        dec_outs = self.forward_decoder(inputs)
        outs = dict(refine=self.forward_refine(dec_outs))
        if self.deep_supervision:
            for name, branch, d in zip(self.level_names, self.ds_branches,
                                       dec_outs):
                outs[name] = branch(d)
        return outs

    def loss(self, inputs: Tuple[Tensor], batch_data_samples: SampleList,
             train_cfg: dict) -> dict:
        """Losses of the final prediction and of every decoder level."""
        return self.loss_by_feat(self.forward_all(inputs), batch_data_samples)

    def loss_by_feat(self, seg_logits: Union[Tensor, Dict[str, Tensor]],
                     batch_data_samples: SampleList) -> dict:
        """Eq. (2): ``loss_ce`` (refine) + ``loss_d*`` (weighted by 0.5).

        Args:
            seg_logits (Tensor | dict): The output of :meth:`forward_all`
                (or just the final logits).
            batch_data_samples (list[SegDataSample]): With ``gt_sem_seg``.

        Returns:
            dict: ``loss_ce``, ``acc_seg`` and ``loss_d5`` ... ``loss_d2``.
        """
        if isinstance(seg_logits, Tensor):
            return super().loss_by_feat(seg_logits, batch_data_samples)
        losses = super().loss_by_feat(seg_logits['refine'], batch_data_samples)
        aux = [k for k in seg_logits if k != 'refine']
        if not aux:
            return losses
        seg_label = self._stack_batch_gt(batch_data_samples).squeeze(1)
        for name in aux:
            logits = resize(
                seg_logits[name],
                size=seg_label.shape[1:],
                mode='bilinear',
                align_corners=self.align_corners)
            losses[f'loss_{name}'] = self.loss_ds(
                logits, seg_label, ignore_index=self.ignore_index)
        return losses
