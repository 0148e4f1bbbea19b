"""parsing_target_single: nearest RoI crops of per-person part maps, the
official crop-and-resize and the cell-centre sampling."""
import cv2
import numpy as np
import pytest
import torch

from mmhumanparse.structures import parsing_target, parsing_target_single


def _maps():
    """Two 8 x 8 persons: person 0 has distinct labels 1..16 on its 4 x 4
    top-left block and 255 at (1, 1); person 1 is label 7 on the right."""
    maps = torch.zeros((2, 8, 8), dtype=torch.uint8)
    maps[0, :4, :4] = torch.arange(1, 17, dtype=torch.uint8).reshape(4, 4)
    maps[0, 1, 1] = 255
    maps[1, :, 5:] = 7
    return maps


def _reference(box, gt, size):
    """Slow per-cell loop: the pixel under each cell centre, 0 outside."""
    x1, y1, x2, y2 = box
    out = np.zeros((size, size), np.int64)
    for i in range(size):
        for j in range(size):
            x = x1 + (j + 0.5) * (x2 - x1) / size
            y = y1 + (i + 0.5) * (y2 - y1) / size
            c, r = int(np.floor(x)), int(np.floor(y))
            if 0 <= r < gt.shape[0] and 0 <= c < gt.shape[1]:
                out[i, j] = gt[r, c]
    return out


def test_identity_crop_and_dtype():
    maps = _maps()
    t = parsing_target_single(
        torch.tensor([[0., 0., 8., 8.]]), torch.tensor([0]), maps, 8)
    assert t.dtype == torch.int64 and t.shape == (1, 8, 8)
    np.testing.assert_array_equal(t[0].numpy(), maps[0].numpy())
    assert t[0, 1, 1] == 255  # ignore kept, not interpolated away


def test_nearest_upsampling_keeps_labels():
    maps = _maps()
    t = parsing_target_single(
        torch.tensor([[0., 0., 4., 4.]]), torch.tensor([0]), maps, 8)[0]
    expect = np.repeat(np.repeat(maps[0, :4, :4].numpy(), 2, 0), 2, 1)
    np.testing.assert_array_equal(t.numpy(), expect)
    # only labels that exist in the map: no blending of 3 and 4 into 3.5
    assert set(np.unique(t.numpy())) <= set(np.unique(maps[0].numpy()))


def test_matched_person_and_background_outside_person():
    maps = _maps()
    boxes = torch.tensor([[4., 0., 8., 8.], [4., 0., 8., 8.]])
    t = parsing_target_single(boxes, torch.tensor([1, 0]), maps, 4)
    # person 1: columns 4..7, label 7 from column 5 on, 0 at column 4
    np.testing.assert_array_equal(t[0].numpy(), maps[1, 1::2, 4:].numpy())
    assert (t[0, :, 0] == 0).all() and (t[0, :, 1:] == 7).all()
    # person 0 has nothing there: all background, never person 1's labels
    assert (t[1] == 0).all()


def test_box_crossing_the_border():
    maps = _maps()
    t = parsing_target_single(
        torch.tensor([[-4., -4., 4., 4.]]), torch.tensor([0]), maps, 8,
        mode='sample')[0]
    assert (t[:4] == 0).all() and (t[:, :4] == 0).all()
    np.testing.assert_array_equal(t[4:, 4:].numpy(), maps[0, :4, :4].numpy())


def test_random_boxes_match_reference():
    rng = np.random.default_rng(0)
    maps = torch.from_numpy(rng.integers(0, 20, (3, 23, 31)).astype(np.uint8))
    xy = rng.uniform(-10, 35, (12, 2))
    wh = rng.uniform(1, 25, (12, 2))
    boxes = torch.from_numpy(np.hstack([xy, xy + wh])).float()
    inds = torch.from_numpy(rng.integers(0, 3, 12))
    t = parsing_target_single(boxes, inds, maps, 7, mode='sample')
    for k in range(12):
        np.testing.assert_array_equal(
            t[k].numpy(),
            _reference(boxes[k].tolist(), maps[inds[k]].numpy(), 7))


def test_empty_and_batch():
    maps = _maps()
    empty = parsing_target_single(
        torch.zeros((0, 4)), torch.zeros((0, ), dtype=torch.long), maps, 5)
    assert empty.shape == (0, 5, 5) and empty.dtype == torch.int64
    batch = parsing_target(
        [torch.tensor([[0., 0., 8., 8.]]),
         torch.zeros((0, 4))], [torch.tensor([1]),
                                torch.zeros((0, ), dtype=torch.long)],
        [maps, maps], 8)
    assert batch.shape == (1, 8, 8)
    with pytest.raises(ValueError, match='gt_parsings'):
        parsing_target_single(
            torch.tensor([[0., 0., 8., 8.]]), torch.tensor([0]), maps[0], 8)


def _official(box, gt, size):
    """The official target in numpy / OpenCV, written from reading
    soeaver/RP-R-CNN ``rcnn/modeling/parsing_rcnn/loss.py``: rounded box,
    crop clipped to the image, INTER_NEAREST resize."""
    x1, y1, x2, y2 = torch.round(torch.tensor(box)).int().tolist()
    crop = np.ascontiguousarray(gt[max(0, y1):y2, max(0, x1):x2])
    return cv2.resize(crop, (size, size), interpolation=cv2.INTER_NEAREST)


@pytest.mark.parametrize('size', [7, 128])
def test_crop_resize_matches_the_official_opencv_target(size):
    rng = np.random.default_rng(1)
    maps = torch.from_numpy(rng.integers(0, 20, (3, 211, 251)).astype(
        np.uint8))
    xy = rng.uniform(-10, 90, (40, 2))
    wh = rng.uniform(3, 120, (40, 2))
    boxes = np.hstack([xy, xy + wh])
    boxes[:5] = [[0.5, 1.5, 96.5, 64.5], [2.5, 3.5, 50.5, 99.],
                 [10., 10., 42., 106.], [-3., 0., 93., 97.],  # exact halves
                 [0., 0., 186., 198.]]  # OpenCV's 1 / (S / w) step matters
    boxes = torch.from_numpy(boxes).float()
    inds = torch.from_numpy(rng.integers(0, 3, 40))
    t = parsing_target_single(boxes, inds, maps, size)  # default: official
    for k in range(40):
        np.testing.assert_array_equal(
            t[k].numpy(),
            _official(boxes[k].tolist(), maps[inds[k]].numpy(), size))


def test_crop_resize_stretches_the_in_image_part_and_empty_is_background():
    maps = _maps()
    t = parsing_target_single(
        torch.tensor([[-4., -4., 4., 4.], [9., 9., 12., 12.]]),
        torch.tensor([0, 0]), maps, 8)
    # the in-image 4 x 4 block fills the whole target
    expect = np.repeat(np.repeat(maps[0, :4, :4].numpy(), 2, 0), 2, 1)
    np.testing.assert_array_equal(t[0].numpy(), expect)
    assert (t[1] == 0).all()  # box outside the image
    with pytest.raises(ValueError, match='parsing_target.py: mode'):
        parsing_target_single(
            torch.tensor([[0., 0., 8., 8.]]), torch.tensor([0]), maps, 8,
            mode='bilinear')
