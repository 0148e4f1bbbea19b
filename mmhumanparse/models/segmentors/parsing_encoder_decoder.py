"""EncoderDecoder with a flip test that swaps left/right part channels."""
from typing import List

import torch
from mmseg.models.segmentors import EncoderDecoder
from torch import Tensor

from mmhumanparse.registry import MODELS
from mmhumanparse.structures.flip import resolve_flip_pairs, swap_flip_channels


@MODELS.register_module()
class ParsingEncoderDecoder(EncoderDecoder):
    """``mmseg.EncoderDecoder`` whose test can add a mirrored view.

    With ``test_cfg=dict(flip=True, flip_pairs=None)`` the logits of every
    image are averaged with the logits of its horizontal mirror, mirrored
    back and with the left/right part channels exchanged, so plain val/test
    runs get the flip test of the papers without ``--tta``. Everything else
    (``mode='whole'``/``'slide'``, losses, predict post-processing) is
    ``EncoderDecoder``'s.

    ``test_cfg`` keys added:
        flip (bool): Add the mirrored view. Defaults to False.
        flip_pairs (list[tuple[int, int]] | None): Left/right label pairs.
            None: take them from each sample's ``metainfo['flip_pairs']``
            (then from ``self.dataset_meta``).
    """

    def inference(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        """Logits (N, C, H, W) at the input size, flip-averaged if asked.

        Args:
            inputs (Tensor): (N, 3, H, W) images.
            batch_img_metas (list[dict]): Meta of every image.
        """
        seg_logits = super().inference(inputs, batch_img_metas)
        if not self.test_cfg.get('flip', False):
            return seg_logits
        mirrored = super().inference(inputs.flip(-1), batch_img_metas)
        mirrored = mirrored.flip(-1)
        explicit = self.test_cfg.get('flip_pairs', None)
        dataset_meta = getattr(self, 'dataset_meta', None)
        num_classes = mirrored.shape[1]
        pairs = [
            resolve_flip_pairs(explicit, meta, dataset_meta,
                               'ParsingEncoderDecoder flip test',
                               num_classes) for meta in batch_img_metas
        ]
        if all(p == pairs[0] for p in pairs):
            # one swap for the batch (an ONNX trace keeps N dynamic)
            mirrored = swap_flip_channels(mirrored, pairs[0], dim=1)
        else:
            mirrored = torch.stack([
                swap_flip_channels(m, p, dim=0)
                for m, p in zip(mirrored, pairs)
            ])
        return (seg_logits + mirrored) / 2
