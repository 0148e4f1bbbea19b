"""EncoderDecoder with a flip test that swaps left/right part channels."""
from typing import List, Optional, Sequence

import torch
from mmseg.models.segmentors import EncoderDecoder
from torch import Tensor

from mmhumanparse.models.utils.parsing_flip import swap_flip_channels
from mmhumanparse.registry import MODELS


def resolve_flip_pairs(explicit: Optional[Sequence],
                       img_meta: dict,
                       dataset_meta: Optional[dict] = None,
                       who: str = 'flip test') -> Sequence:
    """Pick the left/right label pairs for one sample.

    Order: ``explicit`` (a config argument), the sample's
    ``metainfo['flip_pairs']``, ``dataset_meta['flip_pairs']``.

    Raises:
        ValueError: if none of them gives the pairs; silently averaging
            unswapped left/right channels would corrupt the labels.
    """
    for source in (explicit, img_meta.get('flip_pairs'),
                   (dataset_meta or {}).get('flip_pairs')):
        if source is not None:
            return source
    raise ValueError(
        f'{who}: no left/right flip pairs for image '
        f'{img_meta.get("img_path", "<unknown>")!r}. Set `flip_pairs` in the '
        f'config (e.g. model.test_cfg.flip_pairs=[(14, 15), ...]; () for a '
        f'dataset without left/right classes) or let the pipeline put '
        f'`flip_pairs` into the data-sample metainfo.')


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
        mirrored = torch.stack([
            swap_flip_channels(
                m,
                resolve_flip_pairs(explicit, meta, dataset_meta,
                                   'ParsingEncoderDecoder flip test'),
                dim=0) for m, meta in zip(mirrored, batch_img_metas)
        ])
        return (seg_logits + mirrored) / 2
