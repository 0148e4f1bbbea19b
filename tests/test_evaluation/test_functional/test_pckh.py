"""PCKh kernel."""
import numpy as np
import pytest

from mmhumanparse.datasets.metainfo import LIP_KEYPOINTS
from mmhumanparse.evaluation.functional import MPII_JOINT_GROUPS, pckh


def test_groups_follow_lip_keypoint_names():
    names = dict(MPII_JOINT_GROUPS)
    expect = {
        'Head': {'upper_neck', 'head_top'},
        'Shoulder': {'r_shoulder', 'l_shoulder'},
        'Elbow': {'r_elbow', 'l_elbow'},
        'Wrist': {'r_wrist', 'l_wrist'},
        'Hip': {'r_hip', 'l_hip'},
        'Knee': {'r_knee', 'l_knee'},
        'Ankle': {'r_ankle', 'l_ankle'},
    }
    for group, joints in expect.items():
        assert {LIP_KEYPOINTS[j] for j in names[group]} == joints


def person(head=10.0):
    gt = np.zeros((16, 2))
    gt[:, 0] = np.arange(16) * 20.0
    gt[:, 1] = 100.0
    gt[8] = (50.0, 50.0)  # upper neck
    gt[9] = (50.0, 50.0 - head)  # head top
    return gt


def test_perfect_and_threshold_inclusive():
    gt = person(head=10.0)[None]
    vis = np.ones((1, 16))
    out = pckh(gt.copy(), gt, vis)
    assert out['Mean'] == 1.0
    assert all(out[g] == 1.0 for g, _ in MPII_JOINT_GROUPS)
    # exactly 0.5 head sizes away counts as correct, a bit more does not
    pred = gt.copy()
    pred[0, 0, 0] += 5.0  # r_ankle: distance 5 = 0.5 * 10
    pred[0, 5, 0] += 5.01  # l_ankle
    out = pckh(pred, gt, vis)
    assert out['per_joint'][0] == 1.0 and out['per_joint'][5] == 0.0
    assert out['Ankle'] == 0.5
    assert out['Mean'] == pytest.approx(13 / 14)


def test_missing_joints_and_persons_without_head():
    gt = np.stack([person(10.0), person(10.0), person(10.0)])
    vis = np.ones((3, 16))
    pred = gt.copy()
    pred[:, 10] += 100.0  # r_wrist always wrong
    vis[0, 10] = 0  # ... but missing in person 0
    vis[2, 9] = 0  # person 2 has no head top: excluded entirely
    pred[2] += 1000.0
    out = pckh(pred, gt, vis)
    assert out['num_unusable'] == 1
    assert out['joint_counts'][10] == 1 and out['per_joint'][10] == 0.0
    assert out['joint_counts'][0] == 2
    assert out['Wrist'] == pytest.approx(0.5)  # mean of r (0) and l (1)
    # pooled over the 14 grouped joints: 2*14 - 1 evaluated, 1 wrong
    assert out['Mean'] == pytest.approx(26 / 27)
    # pelvis / thorax are scored per joint but not in Mean
    assert out['per_joint'][6] == 1.0


def test_nan_prediction_is_wrong_and_shapes_checked():
    gt = person()[None]
    pred = gt.copy()
    pred[0, 3] = np.nan
    out = pckh(pred, gt, np.ones((1, 16)))
    assert out['per_joint'][3] == 0.0
    with pytest.raises(ValueError):
        pckh(pred[:, :15], gt, np.ones((1, 16)))
    with pytest.raises(ValueError):
        pckh(pred, gt, np.ones((1, 15)))
