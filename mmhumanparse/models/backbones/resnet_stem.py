"""ResNetV1c that also returns its stem output (the E1 level of C-DLinkNet).

"C-DLinkNet" (arXiv:2001.11690, Sec. 2.1-2.2) names the ResNet levels
E1..E5 and sums every decoder output with the encoder feature of the same
size; the last decoder block (D2) therefore needs E1, the stride-2 stem
feature that mmseg's ``ResNetV1c`` does not expose. Parameter names are
those of ``ResNetV1c``, so ``open-mmlab://resnet*_v1c`` checkpoints load
unchanged.
"""
from typing import Tuple

from mmseg.models.backbones import ResNetV1c
from torch import Tensor

from mmhumanparse.registry import MODELS


@MODELS.register_module()
class ResNetV1cWithStem(ResNetV1c):
    """``mmseg.ResNetV1c`` whose outputs start with the stem feature.

    Args:
        with_stem_out (bool): Prepend the stem output (before max-pooling,
            stride 2, ``stem_channels`` channels) to the selected stage
            outputs. Defaults to True.
        **kwargs: Arguments of ``mmseg.ResNetV1c`` (``depth``, ``strides``,
            ``dilations``, ``out_indices``, ``norm_cfg``, ...).

    Shapes:
        input: (N, 3, H, W).
        output: tuple of (N, stem_channels, H/2, W/2) followed by the stage
        outputs chosen by ``out_indices``.
    """

    def __init__(self, with_stem_out: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.with_stem_out = with_stem_out

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Run the stem and the residual stages."""
        if self.deep_stem:
            x = self.stem(x)
        else:
            x = self.relu(self.norm1(self.conv1(x)))
        outs = [x] if self.with_stem_out else []
        x = self.maxpool(x)
        for i, layer_name in enumerate(self.res_layers):
            x = getattr(self, layer_name)(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
