"""C-DLinkNet decode head: centre, LinkNet decoder, deep supervision, Smooth.

Paper: c-dlinknet.txt ("C-DLinkNet"), Fig. 2-3, Sec. 2.1-2.3, Eq. (1)-(2).
The encoder (ResNet E1..E5, E5 dilated so its output stride is 16) is the
backbone; this head holds everything after it.
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from mmseg.utils import SampleList
from torch import Tensor

from mmhumanparse.models.utils.cdlinknet_blocks import LinkDecoderBlock
from mmhumanparse.registry import MODELS


def _conv_stack(in_channels: int, channels: int, num_convs: int,
                cfgs: dict) -> nn.Sequential:
    """``num_convs`` 3x3 ConvModules, the first maps in -> channels."""
    return nn.Sequential(*[
        ConvModule(
            in_channels if i == 0 else channels, channels, 3, padding=1, **
            cfgs) for i in range(num_convs)
    ])


def _build(cfg: dict) -> nn.Module:
    """Build in the mmhumanparse scope, whatever the current default scope
    (a stock mmseg config using ``type='mmhumanparse.CDLinkNetHead'`` has
    ``default_scope='mmseg'``); borrowed modules keep their prefix."""
    with MODELS.switch_scope_and_registry('mmhumanparse') as registry:
        return registry.build(cfg)


@MODELS.register_module()
class CDLinkNetHead(BaseDecodeHead):
    """C-DLinkNet head (also registered as ``ASPPSmoothHead``).

    Data flow, with ``in_channels = [E1, E2, E3, E4, E5]`` (low to high):

    1. centre (Sec. 2.1): ``CDLinkNetASPP`` (Eq. (1)) or ``DBlock``
       (D-LinkNet baseline) on E5;
    2. decoder (Sec. 2.2): D5 ... D2, each a ``LinkDecoderBlock`` whose
       output has the channels and size of the next encoder level below and
       is summed with it (D5 -> E4, D4 -> E3, D3 -> E2, D2 -> E1);
    3. deep supervision (Sec. 2.2, Eq. (2)), training only: every decoder
       output -> two 3x3 convs -> 1x1 classifier, a CE loss each
       (``loss_d5`` ... ``loss_d2``, weight 0.5 by default);
    4. refiner / Smooth module (Sec. 2.3): every decoder output is
       projected by a decoder block (stride 1, ``smooth_channels`` out) and
       bilinearly resized to D2's size, the projections are concatenated,
       ``num_smooth_convs`` 3x3 convs blend them to ``channels`` (512) and
       ``conv_seg`` classifies: the final prediction (``loss_ce``). Without
       the Smooth module the final prediction is two 3x3 convs and
       ``conv_seg`` on D2.

    Args:
        in_channels (Sequence[int]): Channels of E1..E5 (any number >= 2 of
            encoder levels, low to high).
        channels (int): Channels entering ``conv_seg``. 512 in Sec. 2.3.
        dec_strides (Sequence[int]): Transposed-conv stride of each decoder
            block, top (D5) to bottom (D2); 1 where the encoder level below
            has the same size (dilated E5). Defaults to (1, 2, 2, 2).
        centre (dict, optional): Config of the centre module; its
            ``in_channels`` and (unless set) conv/norm/act configs are filled
            in. None: no centre. Defaults to the ASPP of Eq. (1).
        smooth (bool): Use the Smooth module. Defaults to True.
        smooth_channels (int): Channels of each projected decoder output.
            Defaults to 256.
        num_smooth_convs (int): 3x3 convs after the concat. Defaults to 2.
        deep_supervision (bool): Classify every decoder output in training.
            Defaults to True.
        ds_channels (int): Channels of the two 3x3 convs of each deep-
            supervision branch. Defaults to 256.
        loss_ds (dict): Loss of each deep-supervision branch; its
            ``loss_weight`` is the 0.5 of Eq. (2).
        **kwargs: ``BaseDecodeHead`` arguments (``num_classes``,
            ``norm_cfg``, ``loss_decode``, ``dropout_ratio``, ...).

    Shapes:
        inputs: tuple of (N, in_channels[i], H_i, W_i), E1 first.
        forward output: (N, num_classes, H_1, W_1) logits at E1's size.
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
                 num_smooth_convs: int = 2,
                 deep_supervision: bool = True,
                 ds_channels: int = 256,
                 loss_ds: dict = dict(
                     type='mmseg.CrossEntropyLoss',
                     use_sigmoid=False,
                     loss_weight=0.5),
                 loss_decode: Union[dict, Sequence[dict]] = dict(
                     type='mmseg.CrossEntropyLoss',
                     use_sigmoid=False,
                     loss_weight=1.0),
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
                    _conv_stack(c, ds_channels, 2, cfgs),
                    nn.Conv2d(ds_channels, self.out_channels, 1))
                for c in dec_channels)
            self.loss_ds = _build(loss_ds)

        self.smooth = smooth
        if smooth:
            self.smooth_projs = nn.ModuleList(
                LinkDecoderBlock(c, smooth_channels, stride=1, **cfgs)
                for c in dec_channels)
            self.refine = _conv_stack(num_blocks * smooth_channels, channels,
                                      num_smooth_convs, cfgs)
        else:
            self.refine = _conv_stack(dec_channels[-1], channels, 2, cfgs)

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
        """Decoder outputs -> final logits at D2's size (Sec. 2.3)."""
        if self.smooth:
            size = dec_outs[-1].shape[2:]
            x = torch.cat([
                resize(
                    proj(d),
                    size=size,
                    mode='bilinear',
                    align_corners=self.align_corners)
                for proj, d in zip(self.smooth_projs, dec_outs)
            ], dim=1)
        else:
            x = dec_outs[-1]
        return self.cls_seg(self.refine(x))

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


MODELS.register_module(name='ASPPSmoothHead', module=CDLinkNetHead)
