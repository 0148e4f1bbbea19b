"""Toy data, part 2: stick-figure skeletons (MPII joints) and the canvas that
paints body-frame shapes into a label map (see
:mod:`mmhumanparse.testing.toy_data`)."""
from typing import Optional, Tuple

import cv2
import numpy as np

from mmhumanparse.datasets.metainfo import LIP_KEYPOINTS

_SHIFT = 3  # cv2 sub-pixel bits
_SCALE = 1 << _SHIFT


def _limb_dir(angle_deg: float, sign: float) -> np.ndarray:
    """Unit vector ``angle`` degrees away from straight down, outward."""
    a = np.deg2rad(angle_deg)
    return np.array([sign * np.sin(a), np.cos(a)])


def sample_skeleton(rng: np.random.Generator,
                    height: float,
                    center: Tuple[float, float],
                    tilt: Optional[float] = None) -> dict:
    """Sample a person's joints.

    Body frame: origin at the head top, x to the person's left (= image
    right, the person faces the camera), y down, units pixels. All limbs point
    outward (away from the midline), so left parts stay at x > 0.

    Args:
        rng (np.random.Generator): random stream.
        height (float): person height in pixels (head top to soles).
        center (tuple): image position (x, y) of the pelvis.
        tilt (float, optional): global rotation in degrees about the pelvis;
            random in [-7, 7] when None.

    Returns:
        dict: body-frame joints (``np.ndarray`` (2,)), part sizes, and
        ``origin`` / ``pelvis`` / ``tilt`` for :class:`Canvas`.
    """
    hp = float(height)
    u = rng.uniform
    sk = dict(h=hp)
    sw = 0.11 * u(0.9, 1.1) * hp  # half shoulder width
    hw = 0.062 * u(0.9, 1.1) * hp  # half hip width
    sk.update(sw=sw, hw=hw)
    sk['head_top'] = np.array([0.0, 0.0])
    sk['head'] = np.array([0.0, 0.078 * hp])
    sk['neck'] = np.array([0.0, 0.15 * hp])
    sk['thorax'] = np.array([0.0, 0.195 * hp])
    sk['pelvis'] = np.array([0.0, 0.5 * hp])
    sk['arm_w'] = 0.058 * u(0.9, 1.1) * hp
    sk['thigh_w'] = 0.085 * u(0.9, 1.1) * hp
    sk['shin_w'] = 0.068 * u(0.9, 1.1) * hp
    for side, sign in (('l', 1.0), ('r', -1.0)):
        sho = np.array([sign * sw, 0.2 * hp])
        up = u(8, 72)
        fore = float(np.clip(up + u(-45, 60), -12, 150))
        elb = sho + 0.165 * hp * _limb_dir(up, sign)
        wri = elb + 0.15 * hp * _limb_dir(fore, sign)
        hand = wri + 0.028 * hp * _limb_dir(fore, sign)
        hip = np.array([sign * hw, 0.5 * hp])
        th = u(-2, 18)
        sh = float(np.clip(th + u(-14, 10), -4, 28))
        knee = hip + 0.215 * hp * _limb_dir(th, sign)
        ank = knee + 0.215 * hp * _limb_dir(sh, sign)
        sk.update({
            f'{side}_sho': sho, f'{side}_elb': elb, f'{side}_wri': wri,
            f'{side}_hand': hand, f'{side}_hip': hip, f'{side}_knee': knee,
            f'{side}_ank': ank, f'{side}_fore_dir': _limb_dir(fore, sign)
        })
    sk['tilt'] = float(u(-7, 7)) if tilt is None else float(tilt)
    sk['origin'] = np.asarray(center, np.float64)
    return sk


def skeleton_keypoints(sk: dict) -> np.ndarray:
    """The 16 MPII joints (``LIP_KEYPOINTS`` order) in image coordinates.

    Returns:
        np.ndarray: (16, 2) float64 x, y in pixels.
    """
    name_map = dict(
        r_ankle='r_ank', r_knee='r_knee', r_hip='r_hip', l_hip='l_hip',
        l_knee='l_knee', l_ankle='l_ank', pelvis='pelvis', thorax='thorax',
        upper_neck='neck', head_top='head_top', r_wrist='r_wri',
        r_elbow='r_elb', r_shoulder='r_sho', l_shoulder='l_sho',
        l_elbow='l_elb', l_wrist='l_wri')
    pts = np.stack([sk[name_map[k]] for k in LIP_KEYPOINTS])
    return Canvas.transform_points(sk, pts)


class Canvas:
    """Paints body-frame shapes into an (H, W) uint8 label map."""

    def __init__(self, labels: np.ndarray, sk: dict):
        self.lab = labels
        self.sk = sk

    @staticmethod
    def transform_points(sk: dict, pts: np.ndarray) -> np.ndarray:
        """Body frame -> image: rotate by tilt about the pelvis, translate."""
        pts = np.asarray(pts, np.float64).reshape(-1, 2) - sk['pelvis']
        t = np.deg2rad(sk['tilt'])
        rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
        return pts @ rot.T + sk['origin']

    def _fix(self, pts) -> np.ndarray:
        img = self.transform_points(self.sk, pts)
        return np.rint(img * _SCALE).astype(np.int32)

    def poly(self, pts, label: int) -> None:
        if label:
            cv2.fillPoly(self.lab, [self._fix(pts)], int(label), cv2.LINE_8,
                         _SHIFT)

    def line(self, p, q, width: float, label: int) -> None:
        if label:
            a, b = self._fix(np.stack([p, q]))
            cv2.line(self.lab, tuple(int(v) for v in a),
                     tuple(int(v) for v in b), int(label),
                     max(1, int(round(width))), cv2.LINE_8, _SHIFT)

    def ellipse(self, c, ax: float, ay: float, label: int,
                t0: float = 0.0, t1: float = 360.0) -> None:
        """Filled ellipse (or the sector t0..t1 degrees, 0 = +x, 90 = +y)."""
        if label:
            t = np.deg2rad(np.linspace(t0, t1, 25))
            pts = np.stack([c[0] + ax * np.cos(t), c[1] + ay * np.sin(t)], 1)
            self.poly(pts, label)

    def rect(self, c, half_w: float, half_h: float, label: int,
             angle: float = 0.0) -> None:
        """Rectangle centred at ``c`` rotated by ``angle`` degrees."""
        a = np.deg2rad(angle)
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        corners = np.array([[-half_w, -half_h], [half_w, -half_h],
                            [half_w, half_h], [-half_w, half_h]])
        self.poly(corners @ rot.T + np.asarray(c), label)
