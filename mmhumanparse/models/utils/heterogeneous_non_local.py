"""Heterogeneous non-local (HNL) module of HTCorrM.

"On the Correlation among Edge, Pose and Parsing" (Zhang et al., TPAMI 2021;
journal version of CorrPM, "Correlating Edge, Pose with Parsing",
arXiv:2005.01431), Sec. 3.3, Fig. 4, Eq. 1-3.
"""
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor
from torch.utils.checkpoint import checkpoint

from mmhumanparse.registry import MODELS


def _attend(f1: Tensor, f2: Tensor, f3: Tensor) -> Tensor:
    """``softmax(f1 f2) f3``: (N, q, c), (N, c, L), (N, L, c)."""
    return torch.bmm(torch.softmax(torch.bmm(f1, f2), dim=-1), f3)


@MODELS.register_module()
class HeterogeneousNonLocal(BaseModule):
    """Correlate a main-task feature with the hybrid of all task features.

    With ``L = H * W`` positions (Eq. 1-3)::

        F_h = W1 concat(F_p, F_k, F_b)                  (C_h = in_channels)
        F1 = theta(F_h), F2 = phi(F_m), F3 = g(F_m)     (channels each)
        S = softmax(F1^T F2)   (L, L), row i over all positions j
        F_r = W2 (S F3) + F_m

    ``S[i, j]`` relates position ``i`` of the hybrid feature to position
    ``j`` of the main feature; each row sums to 1, so ``F_r`` at ``i`` is
    ``F_m`` plus a convex combination of ``F3`` over all positions. ``W2``
    starts at zero (its norm's scale and shift when it has a norm, else its
    weight and bias), so at initialisation ``F_r == F_m`` exactly. With the
    defaults all convolutions are 1x1 and linear (no norm, no activation),
    as Eq. 1-3 write them. The main head's classifier ``W3`` is not part of
    this module.

    The released CorrPM code (the conference version) differs; its layout
    is reached with ``channels = C / 2``, ``w1_norm_cfg`` = BN with
    ``w1_act_cfg`` = LeakyReLU(0.01) (Eq. 1 as conv + BN + activation),
    ``sub_sample=2`` (F2 and F3 max-pooled 2x2, so ``S`` is
    ``L x L/4``) and ``w2_norm_cfg`` = BN (``W2`` = conv with bias + BN, the
    BN zero-initialised).

    Memory: ``S`` has ``L^2`` entries per image (85 M at 96 x 96, 340 MB in
    float32). With ``chunk_size`` the queries ``i`` are processed
    ``chunk_size`` rows at a time; each row's softmax still spans all ``L``
    positions, so the result equals the dense one and peak memory falls to
    about ``chunk_size * L`` entries. When gradients are needed each chunk
    is checkpointed (its ``S`` recomputed in backward), so training memory
    falls as well (measured by ``tools/analysis_tools/benchmark_hnl.py``).

    Args:
        in_channels (int): Channels C of the main feature ``F_m`` (and of
            ``F_h`` and ``F_r``).
        task_channels (int | Sequence[int]): Channels of each task feature
            in ``task_feats`` (an int means three features of that many
            channels).
        channels (int): Channels of F1, F2, F3 (the embedding width).
        chunk_size (int, optional): Queries per chunk; None computes the
            whole ``(L, L)`` affinity at once. Defaults to None.
        use_scale (bool): Divide ``F1^T F2`` by ``sqrt(channels)`` (not in
            Eq. 2). Defaults to False.
        sub_sample (int): Max-pooling kernel (and stride) applied to F2 and
            F3 (1: none). Defaults to 1.
        w1_norm_cfg, w1_act_cfg (dict, optional): Norm and activation after
            ``W1``. Default to None (linear, Eq. 1).
        w2_norm_cfg (dict, optional): Norm after ``W2`` (its convolution
            keeps a bias). Defaults to None.
        conv_cfg (dict, optional): Config of the 1x1 convolutions.
        init_cfg (dict, optional): Initialisation config. ``W2`` is zeroed
            after it (``init_weights``).
    """

    def __init__(self,
                 in_channels: int,
                 task_channels: Union[int, Sequence[int]],
                 channels: int,
                 chunk_size: Optional[int] = None,
                 use_scale: bool = False,
                 sub_sample: int = 1,
                 w1_norm_cfg: Optional[dict] = None,
                 w1_act_cfg: Optional[dict] = None,
                 w2_norm_cfg: Optional[dict] = None,
                 conv_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(task_channels, int):
            task_channels = (task_channels, ) * 3
        self.task_channels = tuple(int(c) for c in task_channels)
        if chunk_size is not None and int(chunk_size) < 1:
            raise ValueError(f'HeterogeneousNonLocal: chunk_size must be a '
                             f'positive int or None, got {chunk_size}')
        self.in_channels = in_channels
        self.channels = channels
        self.chunk_size = None if chunk_size is None else int(chunk_size)
        self.use_scale = use_scale
        if int(sub_sample) < 1:
            raise ValueError(f'HeterogeneousNonLocal: sub_sample must be a '
                             f'positive int, got {sub_sample}')
        self.sub_sample = int(sub_sample)

        def conv1x1(cin, cout, norm_cfg=None, act_cfg=None, bias='auto'):
            return ConvModule(cin,
                              cout,
                              1,
                              bias=bias,
                              conv_cfg=conv_cfg,
                              norm_cfg=norm_cfg,
                              act_cfg=act_cfg)

        # Eq. 1
        self.w1 = conv1x1(sum(self.task_channels), in_channels, w1_norm_cfg,
                          w1_act_cfg)
        self.theta = conv1x1(in_channels, channels)  # F1 from F_h
        self.phi = conv1x1(in_channels, channels)  # F2 from F_m
        self.g = conv1x1(in_channels, channels)  # F3 from F_m
        self.pool = (nn.MaxPool2d(self.sub_sample)
                     if self.sub_sample > 1 else nn.Identity())
        # Eq. 3, zero at init
        self.w2 = conv1x1(channels, in_channels, w2_norm_cfg, bias=True)
        self._zero_w2()

    def _zero_w2(self) -> None:
        last = self.w2.norm if self.w2.with_norm else self.w2.conv
        nn.init.zeros_(last.weight)
        if last.bias is not None:
            nn.init.zeros_(last.bias)

    def init_weights(self) -> None:
        """Apply ``init_cfg``, then set ``W2`` to zero (Sec. 3.3)."""
        super().init_weights()
        self._zero_w2()

    def _check(self, main_feat: Tensor, task_feats: Sequence[Tensor]) -> None:
        if main_feat.dim() != 4 or main_feat.shape[1] != self.in_channels:
            raise ValueError(
                f'HeterogeneousNonLocal: main_feat must be (N, '
                f'{self.in_channels}, H, W), got {tuple(main_feat.shape)}')
        shapes = [tuple(f.shape) for f in task_feats]
        expected = [(main_feat.shape[0], c, *main_feat.shape[2:])
                    for c in self.task_channels]
        if shapes != expected:
            raise ValueError(
                f'HeterogeneousNonLocal: task_feats must have shapes '
                f'{expected} ([F_p, F_k, F_b] at the size of main_feat), got '
                f'{shapes}')

    def embed(self, main_feat: Tensor, task_feats: Sequence[Tensor]):
        """Flattened F1 (N, L, c), F2 (N, c, L') and F3 (N, L', c), with
        ``L' = L`` or the pooled positions (``sub_sample``)."""
        self._check(main_feat, task_feats)
        f_h = self.w1(torch.cat(list(task_feats), dim=1))
        f1 = self.theta(f_h).flatten(2).transpose(1, 2)
        f2 = self.pool(self.phi(main_feat)).flatten(2)
        f3 = self.pool(self.g(main_feat)).flatten(2).transpose(1, 2)
        if self.use_scale:
            f1 = f1 / self.channels**0.5
        return f1, f2, f3

    def affinity(self, main_feat: Tensor,
                 task_feats: Sequence[Tensor]) -> Tensor:
        """The dense relation map ``S`` (N, L, L') of Eq. 2 (for analysis).

        Row ``i`` (a hybrid-feature position) is a softmax over the main
        feature positions ``j``.
        """
        f1, f2, _ = self.embed(main_feat, task_feats)
        return torch.softmax(torch.bmm(f1, f2), dim=-1)

    def forward(self, main_feat: Tensor,
                task_feats: Sequence[Tensor]) -> Tensor:
        """Refined main feature.

        Args:
            main_feat (Tensor): F_m (N, C, H, W), C = ``in_channels``.
            task_feats (Sequence[Tensor]): ``[F_p, F_k, F_b]``, each
                (N, task_channels[t], H, W).

        Returns:
            Tensor: F_r (N, C, H, W), the shape of ``main_feat``.
        """
        f1, f2, f3 = self.embed(main_feat, task_feats)
        n, length, _ = f1.shape
        if self.chunk_size is None or self.chunk_size >= length:
            y = _attend(f1, f2, f3)
        else:
            # recompute each chunk's S in backward instead of keeping all of
            # them, so training memory falls too
            grad = torch.is_grad_enabled() and any(t.requires_grad
                                                   for t in (f1, f2, f3))
            y = torch.cat([
                checkpoint(_attend, q, f2, f3, use_reentrant=False)
                if grad else _attend(q, f2, f3)
                for q in f1.split(self.chunk_size, dim=1)
            ],
                          dim=1)
        y = y.transpose(1, 2).reshape(n, self.channels, *main_feat.shape[2:])
        return self.w2(y) + main_feat
