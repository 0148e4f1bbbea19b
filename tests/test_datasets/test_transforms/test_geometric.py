"""HumanRandomCrop / HumanRandomRotate / HumanDetResize / transform_points:
keypoints and joint centres move with the image, labels stay nearest."""
import numpy as np
import pytest

from mmhumanparse.datasets.transforms.geometric import transform_points
from mmhumanparse.registry import TRANSFORMS

H, W = 20, 30
# keypoints (x, y) on distinct pixels; the label map marks each with k + 1
KPTS = np.array([[2, 3], [25, 4], [15, 10], [5, 17], [28, 18], [12, 1]],
                np.float32)


def _marked(block=0):
    """(H, W) labels with ``k + 1`` on keypoint k (a (2b+1)^2 block)."""
    seg = np.zeros((H, W), np.uint8)
    for k, (x, y) in enumerate(KPTS.astype(int)):
        seg[max(y - block, 0):y + block + 1,
            max(x - block, 0):x + block + 1] = k + 1
    return seg


def _results(seg):
    img = np.dstack([seg] * 3)
    return dict(
        img=img, img_shape=(H, W), gt_seg_map=seg.copy(),
        seg_fields=['gt_seg_map'],
        gt_keypoints=KPTS[None].copy(),
        gt_keypoints_visible=np.ones((1, len(KPTS)), np.float32),
        gt_joint_centers=KPTS[:3].copy(),
        gt_joint_visible=np.array([1, 1, 0], np.float32))


# ----------------------------------------------------------- transform_points
def test_transform_points_shift_and_drop():
    res = dict(
        gt_keypoints=np.array([[[1, 1], [9, 4], [5, 5]]], np.float32),
        gt_keypoints_visible=np.array([[1, 1, 0]], np.float32),
        gt_joint_centers=np.array([[0, 0], [3, 2]], np.float32))
    transform_points(res, lambda p: p + np.float32([1, 0]), (5, 10))
    # (9, 4) -> (10, 4) leaves a 10-wide image (x <= 9 is inside)
    np.testing.assert_allclose(res['gt_keypoints'][0],
                               [[2, 1], [0, 0], [0, 0]])
    np.testing.assert_array_equal(res['gt_keypoints_visible'], [[1, 0, 0]])
    assert res['gt_keypoints_visible'].dtype == np.float32
    # joints without a visibility key are moved, not dropped
    np.testing.assert_allclose(res['gt_joint_centers'], [[1, 0], [4, 2]])
    # the last pixel is inside
    res = dict(gt_keypoints=np.array([[[9, 4]]], np.float32),
               gt_keypoints_visible=np.ones((1, 1), np.float32))
    transform_points(res, lambda p: p, (5, 10))
    assert res['gt_keypoints_visible'][0, 0] == 1


# ---------------------------------------------------------- HumanRandomCrop
@pytest.mark.parametrize('seed', range(6))
def test_random_crop_moves_keypoints_with_the_image(seed):
    np.random.seed(seed)
    crop = TRANSFORMS.build(
        dict(type='HumanRandomCrop', crop_size=(10, 14), cat_max_ratio=1.0))
    seg = _marked()
    res = crop(_results(seg))
    out = res['gt_seg_map']
    assert out.shape == (10, 14) and res['img'].shape[:2] == (10, 14)
    kp, vis = res['gt_keypoints'][0], res['gt_keypoints_visible'][0]
    for k in range(len(KPTS)):
        if vis[k]:
            x, y = kp[k].astype(int)
            assert out[y, x] == k + 1 and res['img'][y, x, 0] == k + 1
        else:
            assert (kp[k] == 0).all() and not (out == k + 1).any()
    # joints move the same way; an invisible joint stays invisible
    jv = res['gt_joint_visible']
    assert jv[2] == 0
    np.testing.assert_allclose(res['gt_joint_centers'][jv > 0],
                               kp[:3][jv > 0])


def test_random_crop_drops_and_keeps():
    seen = set()
    for seed in range(20):
        np.random.seed(seed)
        res = TRANSFORMS.build(
            dict(type='HumanRandomCrop', crop_size=(10, 14)))(
                _results(_marked()))
        seen |= set(res['gt_keypoints_visible'][0].tolist())
    assert seen == {0.0, 1.0}  # both cases happen in the test above


# -------------------------------------------------------- HumanRandomRotate
def test_rotate_90_is_exact():
    rot = TRANSFORMS.build(
        dict(type='HumanRandomRotate', prob=1.0, degree=(90, 90),
             auto_bound=True))
    seg = _marked()
    res = rot(_results(seg))
    out = res['gt_seg_map']
    assert out.shape == (W, H) and res['img_shape'] == (W, H)
    # clockwise by 90: (x, y) -> (H - 1 - y, x)
    np.testing.assert_array_equal(out, np.rot90(seg, k=-1))
    kp = res['gt_keypoints'][0]
    exp = np.stack([H - 1 - KPTS[:, 1], KPTS[:, 0]], 1)
    np.testing.assert_allclose(kp, exp, atol=1e-3)
    assert (res['gt_keypoints_visible'] == 1).all()


@pytest.mark.parametrize('degree, auto_bound', [(30, True), (-20, False),
                                                (45, False)])
def test_rotate_keypoints_land_on_their_marks(degree, auto_bound):
    rot = TRANSFORMS.build(
        dict(type='HumanRandomRotate', prob=1.0, degree=(degree, degree),
             auto_bound=auto_bound))
    seg = _marked(block=1)
    res = rot(_results(seg))
    out = res['gt_seg_map']
    # nearest interpolation: no new labels, border filled with 255
    assert set(np.unique(out)) <= set(np.unique(seg)) | {255}
    kp, vis = res['gt_keypoints'][0], res['gt_keypoints_visible'][0]
    h, w = out.shape
    for k in range(len(KPTS)):
        if vis[k]:
            x, y = np.rint(kp[k]).astype(int)
            assert out[y, x] == k + 1, (k, kp[k])
        else:
            assert (kp[k] == 0).all()
    if not auto_bound and degree == 45:
        assert vis[4] == 0  # (28, 18), near a corner, leaves the image


@pytest.mark.parametrize('auto_bound', [False, True])
def test_rotate_pads_labels_with_ignore(auto_bound):
    """The uncovered corners of a 45-degree rotation are 255 (ignored by the
    loss), not 0 (background); the image corners get ``pal_val``."""
    rot = TRANSFORMS.build(
        dict(type='HumanRandomRotate', prob=1.0, degree=(45, 45),
             auto_bound=auto_bound))
    seg = np.full((H, W), 7, np.uint8)  # one part, no background
    r = _results(seg)
    r['img'] = np.full((H, W, 3), 100, np.uint8)
    res = rot(r)
    out, img = res['gt_seg_map'], res['img']
    h, w = out.shape
    corners = [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1)]
    assert [int(out[y, x]) for y, x in corners] == [255] * 4
    assert [int(img[y, x, 0]) for y, x in corners] == [0] * 4
    assert out[h // 2, w // 2] == 7 and img[h // 2, w // 2, 0] == 100
    assert set(np.unique(out)) == {7, 255}


def test_rotate_not_applied():
    rot = TRANSFORMS.build(
        dict(type='HumanRandomRotate', prob=0.0, degree=30))
    r = _results(_marked())
    res = rot(r)
    np.testing.assert_array_equal(res['gt_keypoints'][0], KPTS)


# ----------------------------------------------------------- HumanDetResize
def test_det_resize_parsings_nearest():
    parsings = np.stack([_marked(), _marked()[::-1]])
    res = TRANSFORMS.build(
        dict(type='HumanDetResize', scale=(15, 10), keep_ratio=False))(
            dict(img=np.zeros((H, W, 3), np.uint8), img_shape=(H, W),
                 gt_parsings=parsings, gt_seg_map=parsings[0].copy()))
    out = res['gt_parsings']
    assert out.shape == (2, 10, 15) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, parsings[:, ::2, ::2])
    empty = TRANSFORMS.build(
        dict(type='HumanDetResize', scale=(15, 10), keep_ratio=False))(
            dict(img=np.zeros((H, W, 3), np.uint8), img_shape=(H, W),
                 gt_parsings=np.zeros((0, H, W), np.uint8)))
    assert empty['gt_parsings'].shape == (0, 10, 15)
