"""HTCorrM head: parsing, pose and edge encoders joined by the HNL module.

"On the Correlation among Edge, Pose and Parsing" (Zhang et al., TPAMI 2021;
journal version of CorrPM, "Correlating Edge, Pose with Parsing",
arXiv:2005.01431): encoders Sec. 3.2, HNL Sec. 3.3 (Eq. 1-3), loss Sec. 3.4
(Eq. 4).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.losses import accuracy
from mmseg.models.utils import resize
from torch import Tensor

from mmhumanparse.models.utils.heterogeneous_non_local import \
    HeterogeneousNonLocal
from mmhumanparse.models.utils.htcorrm_encoders import (EdgeEncoder,
                                                        ParsingEncoder,
                                                        PoseEncoder)
from mmhumanparse.registry import CODECS, MODELS

TASKS = ('parsing', 'pose', 'edge')


def _build(cfg: dict) -> nn.Module:
    """Build in the mmhumanparse scope (borrowed modules keep a prefix)."""
    with MODELS.switch_scope_and_registry('mmhumanparse') as registry:
        return registry.build(cfg)


@MODELS.register_module()
class HTCorrMHead(BaseDecodeHead):
    """Human Task Correlation Machine head with one main task.

    Data flow (all task features at G1's size, e.g. stride 4; with
    ``concat_index`` one more input is appended after the selected ones:
    those levels resized to the first one's size and concatenated, the
    HRNetV2 representation):

    - ``F_p = ParsingEncoder(x[aspp_index], G1)`` -> ``parsing_cls``: coarse
      parsing logits (N, Q, H, W);
    - ``F_k = PoseEncoder(x[pose_index])`` (two deconvolutions, or one 1x1
      convolution of an input at G1's size; resized to G1's size if they
      do not land on it) -> ``pose_cls``: heatmaps (N, K, H, W);
    - ``F_b = EdgeEncoder(G1, G2, G3)`` -> ``edge_cls``: edge logits
      (N, 2, H, W);
    - ``F_r = HNL(F_m, [F_p, F_k, F_b])`` with ``F_m`` the main task's
      feature, ``O_m = conv_seg(dropout(F_r))`` (``W3``): the main output
      with ``num_classes`` = Q, K or 2 channels.

    Loss (Eq. 4): ``L = L_m + alpha L_p + beta L_k + gamma L_b``.
    ``loss_decode`` is ``L_m`` on ``O_m`` (weight 1); ``loss_parsing``,
    ``loss_pose`` and ``loss_edge`` supervise the three encoder outputs, and
    their ``loss_weight`` are alpha, beta and gamma (set per main task in
    the configs, paper Sec. 4.2). Parsing and edge use cross entropy (edge:
    ``WeightedCrossEntropyLoss``, by default with CorrPM's per-batch
    negative / positive weights), pose an MSE
    on the heatmaps weighted per keypoint by
    ``gt_keypoints.heatmap_weights``. Targets per sample: ``gt_sem_seg``,
    ``gt_edge_map`` (``GenerateEdge``) and ``gt_heatmaps`` +
    ``gt_keypoints.heatmap_weights`` (``GeneratePoseHeatmaps``). Logged
    losses: ``loss_<main>`` (L_m) and ``loss_aux_<task>``.

    Args:
        main_task (str): 'parsing', 'pose' or 'edge'.
        num_parsing_classes (int): Q.
        num_keypoints (int): K.
        in_channels (Sequence[int]): Channels of the selected inputs
            (``in_index``, ``input_transform='multiple_select'``).
        channels (int): C, width of F_p, F_k, F_b and F_r.
        g_index (Sequence[int]): Positions of G1, G2, G3 among the selected
            inputs. Defaults to (0, 1, 2).
        concat_index (Sequence[int], optional): Selected inputs resized to
            the first one's size and concatenated into one more input
            (position ``len(in_channels)``), as mmseg's
            ``input_transform='resize_concat'``. Defaults to None.
        aspp_index (int): Position of the ASPP input. Defaults to 3.
        pose_index (int): Position of the pose-encoder input. Defaults to 3.
        aspp_dilations (Sequence[int]): 1 for the 1x1 branch, then the
            atrous rates. Defaults to (1, 12, 24, 36) (Sec. 3.2).
        aspp_channels (int, optional): ASPP width. Defaults to ``channels``.
        reduce_channels (int, optional): Width of the 1x1 after the ASPP.
            Defaults to ``aspp_channels``.
        aspp_dropout (float): Dropout2d after that 1x1. Defaults to 0.
        pose_widths (Sequence[int], optional): Output widths of the pose
            deconvolutions; ``()`` for one 1x1 convolution instead.
            Defaults to ``(channels, channels)``.
        edge_channels (int, optional): Width of the three 1x1 edge
            laterals. Defaults to ``channels // 2``.
        edge_fuse (str): ``'conv3x3_conv1x1'`` or ``'linear1x1'`` (see
            ``EdgeEncoder``). Defaults to ``'conv3x3_conv1x1'``.
        encoder_cfgs (dict, optional): Per encoder (``'parsing'``,
            ``'pose'``, ``'edge'``) overrides of ``conv_cfg``, ``norm_cfg``,
            ``act_cfg`` and ``align_corners``. Defaults to None.
        hnl_channels (int, optional): Width of F1, F2, F3. Defaults to
            ``channels``.
        chunk_size (int, optional): HNL query chunk (memory). Defaults to
            None (dense).
        hnl_cfg (dict, optional): More ``HeterogeneousNonLocal`` arguments
            (``sub_sample``, ``w1_norm_cfg``, ...). Defaults to None.
        supervised_tasks (Sequence[str]): Encoders that get their loss
            (e.g. drop 'pose' for a dataset without pose labels). Defaults
            to all three.
        loss_parsing, loss_pose, loss_edge (dict): Encoder losses (alpha,
            beta, gamma as ``loss_weight``).
        codec (dict, optional): The ``PoseHeatmapCodec`` of the pipeline's
            ``GeneratePoseHeatmaps``; the segmentor decodes heatmaps with
            it. Defaults to None (no keypoint decoding).
        **kwargs: ``BaseDecodeHead`` arguments (``loss_decode`` = L_m).
    """

    def __init__(self,
                 main_task: str,
                 num_parsing_classes: int,
                 num_keypoints: int,
                 g_index: Sequence[int] = (0, 1, 2),
                 concat_index: Optional[Sequence[int]] = None,
                 aspp_index: int = 3,
                 pose_index: int = 3,
                 aspp_dilations: Sequence[int] = (1, 12, 24, 36),
                 aspp_channels: Optional[int] = None,
                 reduce_channels: Optional[int] = None,
                 aspp_dropout: float = 0.0,
                 pose_widths: Optional[Sequence[int]] = None,
                 edge_channels: Optional[int] = None,
                 edge_fuse: str = 'conv3x3_conv1x1',
                 encoder_cfgs: Optional[dict] = None,
                 hnl_channels: Optional[int] = None,
                 chunk_size: Optional[int] = None,
                 hnl_cfg: Optional[dict] = None,
                 supervised_tasks: Sequence[str] = TASKS,
                 loss_parsing: dict = dict(type='mmseg.CrossEntropyLoss',
                                           avg_non_ignore=True),
                 loss_pose: dict = dict(type='mmdet.MSELoss'),
                 loss_edge: dict = dict(type='WeightedCrossEntropyLoss',
                                        class_weight='batch_balanced'),
                 codec: Optional[dict] = None,
                 **kwargs) -> None:
        if main_task not in TASKS:
            raise ValueError(f'HTCorrMHead: main_task must be one of {TASKS}'
                             f', got {main_task!r}')
        bad = set(supervised_tasks) - set(TASKS)
        if bad:
            raise ValueError(f'HTCorrMHead: unknown supervised_tasks {bad}')
        out = dict(parsing=num_parsing_classes, pose=num_keypoints, edge=2)
        num_classes = kwargs.setdefault('num_classes', out[main_task])
        if num_classes != out[main_task]:
            raise ValueError(
                f'HTCorrMHead: num_classes={num_classes} but the {main_task} '
                f'output has {out[main_task]} channels')
        kwargs.setdefault('out_channels', num_classes)
        kwargs.setdefault('input_transform', 'multiple_select')
        kwargs.setdefault(
            'init_cfg',
            dict(type='Normal',
                 std=0.01,
                 override=[
                     dict(name=n) for n in ('conv_seg', 'parsing_cls',
                                            'pose_cls', 'edge_cls')
                 ]))
        super().__init__(**kwargs)
        if self.input_transform != 'multiple_select':
            raise ValueError("HTCorrMHead needs input_transform="
                             "'multiple_select' (it reads several levels)")
        ch = list(self.in_channels)
        self.concat_index = None
        if concat_index is not None:
            self.concat_index = tuple(concat_index)
            self._check_index('concat_index', self.concat_index, len(ch))
            ch.append(sum(ch[i] for i in self.concat_index))
        for name, idx in (('g_index', tuple(g_index)),
                          ('aspp_index', (aspp_index, )), ('pose_index',
                                                           (pose_index, ))):
            self._check_index(name, idx, len(ch))
        if len(g_index) != 3:
            raise ValueError(f'HTCorrMHead: g_index must name G1, G2, G3, '
                             f'got {g_index}')
        self.main_task = main_task
        self.num_keypoints = num_keypoints
        self.g_index = tuple(g_index)
        self.aspp_index = aspp_index
        self.pose_index = pose_index
        self.supervised_tasks = tuple(supervised_tasks)
        c = self.channels
        cfgs = self._encoder_cfgs(encoder_cfgs)
        g1_ch = ch[self.g_index[0]]
        self.parsing_encoder = ParsingEncoder(ch[aspp_index],
                                              g1_ch,
                                              aspp_channels or c,
                                              c,
                                              aspp_dilations,
                                              *cfgs['parsing'],
                                              reduce_channels=reduce_channels,
                                              dropout=aspp_dropout)
        self.pose_encoder = PoseEncoder(
            ch[pose_index], c, cfgs['pose'][0],
            (c, c) if pose_widths is None else tuple(pose_widths))
        self.edge_encoder = EdgeEncoder([ch[i] for i in self.g_index],
                                        edge_channels or c // 2,
                                        c,
                                        *cfgs['edge'],
                                        fuse=edge_fuse)
        self.parsing_cls = nn.Conv2d(c, num_parsing_classes, 1)
        self.pose_cls = nn.Conv2d(c, num_keypoints, 1)
        self.edge_cls = nn.Conv2d(c, 2, 1)
        self.hnl = HeterogeneousNonLocal(c, c, hnl_channels or c, chunk_size,
                                         **(hnl_cfg or {}))
        self.codec = codec if codec is None or not isinstance(
            codec, dict) else CODECS.build(codec)
        self.aux_losses = nn.ModuleDict(
            dict(parsing=_build(loss_parsing),
                 pose=_build(loss_pose),
                 edge=_build(loss_edge)))

    @staticmethod
    def _check_index(name: str, idx: Sequence[int], n_in: int) -> None:
        if any(not 0 <= i < n_in for i in idx):
            raise ValueError(f'HTCorrMHead: {name}={idx} out of range for '
                             f'{n_in} inputs')

    def _encoder_cfgs(self, overrides: Optional[dict]) -> dict:
        """Per encoder: (conv/norm/act cfgs, align_corners)."""
        overrides = dict(overrides or {})
        keys = {'conv_cfg', 'norm_cfg', 'act_cfg', 'align_corners'}
        out = {}
        for task in TASKS:
            over = dict(overrides.pop(task, {}))
            if set(over) - keys:
                raise ValueError(f'HTCorrMHead: encoder_cfgs[{task!r}] may '
                                 f'set {sorted(keys)}, got {sorted(over)}')
            align = over.pop('align_corners', self.align_corners)
            out[task] = (dict(
                dict(conv_cfg=self.conv_cfg,
                     norm_cfg=self.norm_cfg,
                     act_cfg=self.act_cfg), **over), align)
        if overrides:
            raise ValueError(f'HTCorrMHead: encoder_cfgs has unknown '
                             f'encoders {sorted(overrides)}')
        return out

    def _transform_inputs(self, inputs: Sequence[Tensor]) -> List[Tensor]:
        """The selected inputs, then their concatenation if
        ``concat_index`` is set."""
        x = list(super()._transform_inputs(inputs))
        if self.concat_index is None:
            return x
        size = x[self.concat_index[0]].shape[2:]
        return x + [
            torch.cat([
                resize(x[i],
                       size,
                       mode='bilinear',
                       align_corners=self.align_corners)
                for i in self.concat_index
            ],
                      dim=1)
        ]

    # ------------------------------------------------------------------
    def forward_tasks(self, inputs: Sequence[Tensor]) -> Dict[str, Tensor]:
        """All outputs at G1's size (N, *, H, W).

        Returns:
            dict: ``main`` (O_m), ``parsing`` (N, Q, H, W) coarse logits,
            ``pose`` (N, K, H, W) heatmaps, ``edge`` (N, 2, H, W) logits.
        """
        x = self._transform_inputs(inputs)
        g = [x[i] for i in self.g_index]
        f_p = self.parsing_encoder(x[self.aspp_index], g[0])
        f_k = self.pose_encoder(x[self.pose_index])
        if f_k.shape[2:] != g[0].shape[2:]:
            f_k = resize(f_k,
                         g[0].shape[2:],
                         mode='bilinear',
                         align_corners=self.align_corners)
        f_b = self.edge_encoder(g)
        feats = dict(parsing=f_p, pose=f_k, edge=f_b)
        f_r = self.hnl(feats[self.main_task], [f_p, f_k, f_b])
        return dict(main=self.cls_seg(f_r),
                    parsing=self.parsing_cls(f_p),
                    pose=self.pose_cls(f_k),
                    edge=self.edge_cls(f_b))

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Main output O_m (N, num_classes, H, W)."""
        return self.forward_tasks(inputs)['main']

    def loss(self, inputs: Sequence[Tensor], batch_data_samples: List,
             train_cfg: dict) -> Dict[str, Tensor]:
        """Eq. 4 losses of a batch (see the class docstring)."""
        return self.loss_by_feat(self.forward_tasks(inputs),
                                 batch_data_samples)

    # ------------------------------------------------------------------
    def _targets(self, task: str, samples: List) -> Tuple[Tensor, ...]:
        """Stacked targets of ``task`` for the batch."""
        field = dict(parsing=('gt_sem_seg', 'LoadParsingAnnotations'),
                     edge=('gt_edge_map', 'GenerateEdge'),
                     pose=('gt_heatmaps', 'GeneratePoseHeatmaps'))[task]
        for s in samples:
            if field[0] not in s:
                raise KeyError(
                    f'HTCorrMHead ({task} loss): sample '
                    f"{s.metainfo.get('img_path')!r} has no {field[0]}; add "
                    f'{field[1]} to the train pipeline (or drop {task!r} '
                    'from supervised_tasks)')
        if task != 'pose':
            return (torch.stack([getattr(s, field[0]).data
                                 for s in samples])[:, 0].long(), )
        heatmaps = torch.stack([s.gt_heatmaps.data for s in samples])
        weights = torch.stack([
            s.gt_keypoints.heatmap_weights
            if 'gt_keypoints' in s and 'heatmap_weights' in s.gt_keypoints else
            torch.ones(heatmaps.shape[1]) for s in samples
        ]).to(heatmaps)
        return heatmaps, weights

    def _task_loss(self, task: str, pred: Tensor, targets: Tuple[Tensor],
                   loss_fn: nn.Module) -> Tensor:
        if task == 'pose':
            gt, weights = targets
            h, w = pred.shape[2:]
            if gt.shape[2] > h or gt.shape[3] > w:
                raise ValueError(
                    f'HTCorrMHead: GT heatmaps {tuple(gt.shape[2:])} are '
                    f'larger than the predicted {(h, w)}; the codec '
                    "heatmap_size must be the head's output size")
            # the data preprocessor pads images right/bottom only
            gt = F.pad(gt, (0, w - gt.shape[3], 0, h - gt.shape[2]))
            return loss_fn(pred, gt, weight=weights[:, :, None, None])
        label = targets[0]
        pred = resize(pred,
                      label.shape[1:],
                      mode='bilinear',
                      align_corners=self.align_corners)
        return loss_fn(pred, label, ignore_index=self.ignore_index)

    def loss_by_feat(self, outs: Dict[str, Tensor],
                     batch_data_samples: List) -> Dict[str, Tensor]:
        """``loss_<main>`` (L_m), ``loss_aux_<task>`` and, for parsing,
        ``acc_seg`` of the main output."""
        needed = set(self.supervised_tasks) | {self.main_task}
        targets = {t: self._targets(t, batch_data_samples) for t in needed}
        m = self.main_task
        losses = {
            f'loss_{m}':
            self._task_loss(m, outs['main'], targets[m], self.loss_decode)
        }
        for t in self.supervised_tasks:
            losses[f'loss_aux_{t}'] = self._task_loss(t, outs[t], targets[t],
                                                      self.aux_losses[t])
        if m == 'parsing':
            label = targets[m][0]
            logits = resize(outs['main'],
                            label.shape[1:],
                            mode='bilinear',
                            align_corners=self.align_corners)
            losses['acc_seg'] = accuracy(logits,
                                         label,
                                         ignore_index=self.ignore_index)
        return losses
