"""Per-person maps: the official paste (against an OpenCV re-statement of
the official post-processing), the grid-sample paste and the semantic
fusion, on hand-made and random inputs."""
import cv2
import numpy as np
import pytest
import torch

from mmhumanparse.models.roi_heads.parsing_heads.paste import paste_parsings


def official_maps(probs, boxes, img_shape, sem=None, weight=0.0):
    """The official per-person map in numpy / OpenCV, written from reading
    soeaver/RP-R-CNN ``rcnn/modeling/parsing_rcnn/inference.py``.

    probs (n, C, S, S), boxes (n, 4), sem (C, H, W) or None."""
    h_img, w_img = img_shape
    n, c, s_h, s_w = probs.shape
    maps = np.zeros((n, h_img, w_img), np.uint8)
    for i in range(n):
        x1, y1, x2, y2 = boxes[i]
        cx, cy = (x1 + x2) * 0.5, (y1 + y2) * 0.5
        hw = (x2 - x1) * 0.5 * (s_w + 2.0) / s_w
        hh = (y2 - y1) * 0.5 * (s_h + 2.0) / s_h
        bx1, by1, bx2, by2 = np.array([cx - hw, cy - hh, cx + hw,
                                       cy + hh]).astype(np.int32)
        ring = np.zeros((s_h + 2, s_w + 2, c), np.float32)
        ring[1:-1, 1:-1] = probs[i].transpose(1, 2, 0)
        w, h = max(bx2 - bx1 + 1, 1), max(by2 - by1 + 1, 1)
        box_probs = cv2.resize(ring, (int(w), int(h)),
                               interpolation=cv2.INTER_LINEAR)
        box_probs = box_probs.reshape(h, w, c)  # cv2 drops a 1-channel axis
        xa, xb = max(bx1, 0), min(bx2 + 1, w_img)
        ya, yb = max(by1, 0), min(by2 + 1, h_img)
        inside = box_probs[ya - by1:yb - by1, xa - bx1:xb - bx1]
        if sem is not None:
            person = inside.argmax(2) >= 1
            inside = inside + weight * sem.transpose(
                1, 2, 0)[ya:yb, xa:xb] * person[..., None]
        maps[i, ya:yb, xa:xb] = inside.argmax(2)
    return maps


@pytest.mark.parametrize('fuse', [False, True], ids=['plain', 'fused'])
def test_expand_paste_equals_the_official_post_processing(fuse):
    rng = np.random.default_rng(0)
    n, c, s = 6, 5, 16
    logits = torch.from_numpy(rng.normal(0, 2, (n, c, s, s)).astype(
        np.float32))
    probs = logits.softmax(1)
    # inside, crossing each border, tiny, and wider than the image
    boxes = np.array([[10.3, 5.7, 40.2, 50.9], [-6.4, 20.1, 15.5, 70.2],
                      [45.2, -3.3, 66.8, 30.4], [30.6, 40.2, 31.1, 41.0],
                      [-10., -10., 80., 90.], [2.0, 3.0, 14.0, 9.0]],
                     np.float32)
    sem = rng.random((c, 60, 56)).astype(np.float32) if fuse else None
    ours = paste_parsings(
        probs,
        torch.from_numpy(boxes), (60, 56),
        mode='expand',
        sem_probs=None if sem is None else torch.from_numpy(sem),
        sem_fuse_weight=0.2 if fuse else 0.0)
    expect = official_maps(probs.numpy(), boxes, (60, 56), sem, 0.2)
    assert (expect > 0).sum() > 1000  # a real comparison, not of zeros
    agree = (ours.numpy() == expect).mean()
    assert agree == 1.0, agree


def test_fusion_on_a_hand_made_person():
    """Left half of the RoI: part 1 just ahead of part 2; right half:
    background. Semantic probabilities say part 2 everywhere: with weight
    0.2 the person's left half turns to part 2, the right half (background
    foreground-mask) and the pixels outside the box stay 0."""
    probs = torch.zeros(1, 3, 4, 4)
    probs[0, 1, :, :2], probs[0, 2, :, :2] = 0.5, 0.4
    probs[0, 0, :, 2:] = 0.9
    probs[0, 1, :, 2:] = 0.1
    sem = torch.zeros(3, 12, 12)
    sem[2] = 1.
    box = torch.tensor([[2., 2., 9., 9.]])
    plain = paste_parsings(probs, box, (12, 12), mode='grid_sample')
    fused = paste_parsings(
        probs, box, (12, 12), mode='grid_sample', sem_probs=sem,
        sem_fuse_weight=0.2)
    expect = torch.zeros(12, 12, dtype=torch.uint8)
    expect[2:9, 2:5] = 1
    assert torch.equal(plain[0], expect)
    expect[2:9, 2:5] = 2
    assert torch.equal(fused[0], expect)
    # a weight too small to overturn 0.5 vs 0.4 changes nothing
    small = paste_parsings(
        probs, box, (12, 12), mode='grid_sample', sem_probs=sem,
        sem_fuse_weight=0.05)
    assert torch.equal(small, plain)


def test_grid_sample_paste_bilinear_probabilities_then_argmax():
    # left half label 1, right half label 2 on a 4 x 4 RoI grid
    probs = torch.zeros(1, 3, 4, 4)
    probs[0, 1, :, :2] = 1
    probs[0, 2, :, 2:] = 1
    out = paste_parsings(
        probs, torch.tensor([[2., 2., 10., 6.]]), (12, 12),
        mode='grid_sample')
    assert out.dtype == torch.uint8 and out.shape == (1, 12, 12)
    expect = np.zeros((12, 12), np.uint8)
    expect[2:6, 2:6] = 1
    expect[2:6, 6:10] = 2
    np.testing.assert_array_equal(out[0].numpy(), expect)
    # boxes crossing the border are clipped; empty boxes give empty maps
    out = paste_parsings(
        probs.repeat(2, 1, 1, 1),
        torch.tensor([[-4., -4., 4., 4.], [5., 5., 5.2, 5.2]]), (6, 6),
        mode='grid_sample')
    assert (out[0, :4, :4] > 0).all() and (out[0, 4:] == 0).all()
    assert (out[1] == 0).all()


def test_bad_mode_and_semantic_size_raise():
    probs = torch.rand(1, 3, 4, 4)
    box = torch.tensor([[0., 0., 4., 4.]])
    with pytest.raises(ValueError, match='paste.py: mode'):
        paste_parsings(probs, box, (8, 8), mode='nearest')
    with pytest.raises(ValueError, match='paste.py: sem_probs'):
        paste_parsings(
            probs, box, (8, 8), sem_probs=torch.rand(3, 4, 4),
            sem_fuse_weight=0.2)
