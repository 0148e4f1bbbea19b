"""Hand-made multi-person ``DetDataSample``s for detector and RoI-head
tests."""
import torch
from mmdet.structures import DetDataSample
from mmengine.structures import InstanceData, PixelData
from torch import Tensor


def persons_det_sample(parsings: Tensor) -> DetDataSample:
    """The ground truth of hand-drawn persons on one unscaled image.

    Args:
        parsings (Tensor): (n, H, W) uint8 part map of each person (0 is
            background); every person has at least one part pixel.

    Returns:
        DetDataSample: ``gt_instances`` with ``parsings``, ``labels`` (n, )
        all 0 (person) and ``bboxes`` (n, 4), the tight ``(x0, y0, x1, y1)``
        box of each person's part pixels (x1, y1 exclusive); ``gt_sem_seg``
        (1, H, W), the maximum over the persons; the metainfo of an (H, W)
        image seen at its own size, unflipped, alone in its batch.

    Raises:
        ValueError: ``parsings`` is not 3-d, or a person has no part pixel.
    """
    if parsings.dim() != 3:
        raise ValueError('persons_det_sample: parsings must be (n, H, W), '
                         f'got shape {tuple(parsings.shape)}')
    n, h, w = parsings.shape
    parts = parsings > 0
    rows, cols = parts.any(dim=2), parts.any(dim=1)  # (n, H), (n, W)
    if not rows.any(dim=1).all():
        empty = (~rows.any(dim=1)).nonzero()[:, 0].tolist()
        raise ValueError(f'persons_det_sample: persons {empty} have no part '
                         'pixel')

    def first(mask):  # index of the first True per row
        return mask.float().argmax(dim=1)

    bboxes = torch.stack([
        first(cols), first(rows), w - first(cols.flip(1)),
        h - first(rows.flip(1))
    ], dim=1).float()
    sample = DetDataSample(
        metainfo=dict(
            img_shape=(h, w),
            ori_shape=(h, w),
            batch_input_shape=(h, w),
            scale_factor=(1., 1.),
            flip=False,
            flip_direction=None))
    sample.gt_instances = InstanceData(
        bboxes=bboxes,
        labels=torch.zeros(n, dtype=torch.long),
        parsings=parsings)
    sample.gt_sem_seg = PixelData(sem_seg=parsings.max(dim=0)[0][None])
    return sample
