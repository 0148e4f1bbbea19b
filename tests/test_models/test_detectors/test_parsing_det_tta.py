"""ParsingDetTTAModel: flip views merged, part maps un-flipped with the
left/right swap, the combined map painted with ``combine_score_thr``."""
import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.config import ConfigDict
from mmengine.model import BaseModel
from mmengine.structures import InstanceData, PixelData

from mmhumanparse.models.detectors import ParsingDetTTAModel

PAIRS = ((1, 2), )


class Stub(BaseModel):  # the wrapped detector, unused by merge_preds

    def forward(self, *args, **kwargs):
        return []


def view(flip, maps, boxes, scores, global_map=None):
    """One view's detector output on a 4 x 6 image."""
    s = DetDataSample(
        metainfo=dict(ori_shape=(4, 6), flip=flip,
                      flip_direction='horizontal' if flip else None,
                      flip_pairs=PAIRS))
    s.pred_instances = InstanceData(
        bboxes=torch.tensor(boxes), scores=torch.tensor(scores),
        labels=torch.zeros(len(scores), dtype=torch.long), parsings=maps)
    # what the view painted itself (stale for the merged persons)
    s.pred_sem_seg = PixelData(sem_seg=maps.max(0)[0][None] + 9)
    if global_map is not None:
        s.pred_global_seg = PixelData(sem_seg=global_map[None])
    return s


def tta_model(**cfg):
    return ParsingDetTTAModel(
        module=Stub(),
        tta_cfg=ConfigDict(
            nms=dict(type='nms', iou_threshold=0.5), max_per_img=5, **cfg))


def test_flip_tta_unflips_and_swaps_part_maps():
    person = torch.zeros((1, 4, 6), dtype=torch.uint8)
    person[0, 1:3, 0:2] = 1  # a "left" part on the image's left
    person[0, 1:3, 2] = 3
    # the flipped view sees the person mirrored with sides swapped
    mirrored = torch.tensor([0, 2, 1, 3])[person.long().flip(-1)].to(
        torch.uint8)
    merged = tta_model().merge_preds([[
        view(False, person, [[0., 1., 3., 3.]], [0.6]),
        view(True, mirrored, [[3., 1., 6., 3.]], [0.9])
    ]])[0]
    inst = merged.pred_instances
    assert len(inst) == 1  # same person in both views: NMS keeps one
    torch.testing.assert_close(inst.scores, torch.tensor([0.9]))
    torch.testing.assert_close(inst.bboxes, torch.tensor([[0., 1., 3., 3.]]))
    assert torch.equal(inst.parsings, person)  # un-flipped and swapped back
    assert torch.equal(merged.pred_sem_seg.sem_seg, person)


@pytest.mark.parametrize('thr', [None, 0.1])
def test_combine_score_thr_on_hand_made_views(thr):
    """Survivor M65: person B (0.2) is below the default 0.3 and is not
    painted; with combine_score_thr=0.1 it is. The un-flipped view's
    global map lies under the persons."""
    maps = torch.zeros((2, 4, 6), dtype=torch.uint8)
    maps[0, 0:2, 0:2] = 3  # A, 0.9
    maps[1, 2:4, 4:6] = 4  # B, 0.2
    global_map = torch.zeros((4, 6), dtype=torch.uint8)
    global_map[:, 2:4] = 5
    boxes = [[0., 0., 2., 2.], [4., 2., 6., 4.]]
    flipped = torch.flip(maps, [-1])
    flipped_boxes = [[4., 0., 6., 2.], [0., 2., 2., 4.]]
    cfg = {} if thr is None else dict(combine_score_thr=thr)
    merged = tta_model(**cfg).merge_preds([[
        view(True, flipped, flipped_boxes, [0.85, 0.15]),
        view(False, maps, boxes, [0.9, 0.2], global_map),
    ]])[0]
    assert len(merged.pred_instances) == 2
    expect = global_map.clone()
    expect[0:2, 0:2] = 3
    if thr is not None:
        expect[2:4, 4:6] = 4
    assert torch.equal(merged.pred_sem_seg.sem_seg[0], expect)
