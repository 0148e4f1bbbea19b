"""Test-time augmentation whose flipped views swap left/right part channels.

mmseg's ``EncoderDecoder.postprocess_result`` mirrors the logits of a flipped
view back (``metainfo['flip']``) but keeps the channel order, so a person's
left arm predicted on the mirror ends up voted as "right arm". Here every
horizontally flipped view gets its left/right channels exchanged before the
views are averaged.
"""
from typing import List, Optional, Sequence

import torch
from mmengine.structures import PixelData
from mmseg.models.segmentors import SegTTAModel
from mmseg.structures import SegDataSample
from mmseg.utils import SampleList

from mmhumanparse.registry import MODELS
from mmhumanparse.structures.flip import resolve_flip_pairs, swap_flip_channels


@MODELS.register_module()
class ParsingTTAModel(SegTTAModel):
    """``mmseg.SegTTAModel`` with the left/right swap of human parsing.

    Args:
        module (dict | nn.Module): The segmentor.
        flip_pairs (list[tuple[int, int]], optional): Left/right label
            pairs. None: each sample's ``metainfo['flip_pairs']``, then the
            module's ``dataset_meta``.
        **kwargs: ``BaseTTAModel`` arguments (``data_preprocessor``).
    """

    def __init__(self,
                 module,
                 flip_pairs: Optional[Sequence[Sequence[int]]] = None,
                 **kwargs) -> None:
        super().__init__(module=module, **kwargs)
        self.flip_pairs = flip_pairs

    def _view_scores(self, data_sample: SegDataSample) -> torch.Tensor:
        """Class scores (C, H, W) of one view, left/right fixed if mirrored."""
        logits = data_sample.seg_logits.data
        meta = data_sample.metainfo
        if meta.get('flip', False) and meta.get('flip_direction',
                                                'horizontal') == 'horizontal':
            pairs = resolve_flip_pairs(
                self.flip_pairs, meta,
                getattr(self.module, 'dataset_meta', None), 'ParsingTTAModel',
                logits.shape[0])
            logits = swap_flip_channels(logits, pairs, dim=0)
        return logits.softmax(dim=0) if logits.shape[0] > 1 \
            else logits.sigmoid()

    def merge_preds(self, data_samples_list: List[SampleList]) -> SampleList:
        """Average the class scores of all views of each image.

        Args:
            data_samples_list (list[list[SegDataSample]]): Per image, the
                predictions of its views (already mirrored back and resized
                to the original shape by ``postprocess_result``).

        Returns:
            list[SegDataSample]: One per image with ``pred_sem_seg`` and,
            when the views carry it, ``gt_sem_seg``.
        """
        predictions = []
        for views in data_samples_list:
            scores = torch.stack([self._view_scores(v) for v in views])
            scores = scores.mean(dim=0)
            if scores.shape[0] > 1:
                pred = scores.argmax(dim=0, keepdim=True)
            else:
                pred = (scores > self.module.decode_head.threshold).long()
            first = views[0]
            merged = SegDataSample(metainfo=first.metainfo)
            merged.pred_sem_seg = PixelData(data=pred)
            if 'gt_sem_seg' in first:
                merged.gt_sem_seg = first.gt_sem_seg
            predictions.append(merged)
        return predictions
