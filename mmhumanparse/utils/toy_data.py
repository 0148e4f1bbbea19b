"""Synthetic ("toy") human-parsing datasets in the real on-disk layouts.

The toy datasets let every loader, transform, model and metric run end to end
on CPU in seconds, and are learnable: a small CNN trained for a few minutes
reaches a useful mIoU on them. Layouts follow ``docs/data_conventions.md``.

How an image is made:

* A stick-figure skeleton (MPII joints) is sampled with random joint angles
  (shoulder / elbow / hip / knee) and a small global tilt. Limbs always point
  away from the body midline, so every left part stays on its side.
* An outfit is sampled per person (top, bottom or full-body clothes, hat,
  glasses, gloves, socks, footwear, accessories ...) from shuffled "decks",
  so every class of the dataset shows up within a few persons.
* Parts are painted into a label map in a fixed depth order with cv2
  polygons / thick lines (no per-pixel Python loops).
* The RGB image is rendered from the label map: every class has its own
  colour (far apart in Lab space and far from the grey background) and its own
  texture (plain, stripes at a class angle, checker), plus per-person colour
  jitter, a slight blur and Gaussian noise. The background is a neutral grey
  with a smooth random texture.

Conventions chosen here:

* The persons face the camera, so the person's **left** parts (``left-arm``,
  ``left-leg``, ``left-shoe``, MPII ``l_*`` joints) lie on the **image's right
  side** (larger x), as in LIP / CIHP annotations.
* Default image sizes (H, W): 128 x 96 for LIP, ATR and PASCAL-Person-Part
  (one person filling most of the frame), 160 x 160 for CIHP and MHP-v2
  (2-4 overlapping persons).
* Image IDs are digits only (train ``1000000 + i``, val ``2000000 + i``) so
  they never contain ``_`` (MHP files are ``ID_NN_MM.png``) and train / val IDs
  never clash in the shared ATR / PPP image folders.
* Multi-person scenes: persons are numbered back to front (CIHP
  ``Human_ids`` 1..N, MHP ``MM`` = 01..NN), so painting the MHP person maps in
  file order reproduces the visible image. A person less than 20 % visible is
  dropped. MHP annotation PNGs hold the person's full part map in R, a ramp in
  G and 0 in B (a grey or BGR read gives wrong labels).
* Same ``seed`` => byte-identical files. Each (dataset, split) has its own
  random stream, so ``dataset='lip'`` writes the same files as ``'all'``.

Use::

    from mmhumanparse.utils.toy_data import make_toy_data
    roots = make_toy_data('data/toy', dataset='all', num=8, seed=0)
"""
import colorsys
import os
import os.path as osp
import shutil
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmhumanparse.datasets.metainfo import (ATR_CLASSES, CIHP_CLASSES,
                                            LIP_CLASSES, LIP_KEYPOINTS,
                                            MHP_CLASSES, PPP_CLASSES)

DATASETS = ('lip', 'atr', 'ppp', 'cihp', 'mhp')
ROOT_NAMES = dict(lip='LIP', atr='ATR', ppp='PPP', cihp='CIHP', mhp='MHP')
CLASSES = dict(
    lip=LIP_CLASSES,
    atr=ATR_CLASSES,
    ppp=PPP_CLASSES,
    cihp=CIHP_CLASSES,
    mhp=MHP_CLASSES)
DEFAULT_SIZES = dict(
    lip=(128, 96), atr=(128, 96), ppp=(128, 96), cihp=(160, 160),
    mhp=(160, 160))
MULTI_PERSON = ('cihp', 'mhp')
# A root holding this file was written by make_toy_data and may be rewritten.
MARKER = '.mmhumanparse_toy_data'

_SHIFT = 3  # cv2 sub-pixel bits
_SCALE = 1 << _SHIFT
_BG_GREY = (128.0, 128.0, 128.0)

# ---------------------------------------------------------------------------
# Colours and textures
# ---------------------------------------------------------------------------


def _rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """(N, 3) float RGB in [0, 255] -> (N, 3) float Lab."""
    arr = np.asarray(rgb, np.float32).reshape(-1, 1, 3) / 255.0
    return cv2.cvtColor(arr, cv2.COLOR_RGB2Lab).reshape(-1, 3)


def class_colors(num_classes: int) -> np.ndarray:
    """Well separated RGB colours, one per class (index 0 = background grey).

    Farthest-point sampling in Lab space over a grid of saturated HSV
    colours, starting from the background grey, so the part colours are far
    from each other and from the background. Independent of any seed.

    Args:
        num_classes (int): number of classes including background.

    Returns:
        np.ndarray: (num_classes, 3) float32 RGB.
    """
    cands = []
    for sv in ((1.0, 1.0), (0.6, 1.0), (1.0, 0.62), (0.55, 0.75),
               (1.0, 0.38), (0.35, 1.0)):
        for hue in range(0, 360, 12):
            r, g, b = colorsys.hsv_to_rgb(hue / 360.0, *sv)
            cands.append((r * 255, g * 255, b * 255))
    cands.append((20.0, 20.0, 20.0))  # near black
    cands.append((245.0, 245.0, 245.0))  # near white
    cands = np.array(cands, np.float32)
    lab = _rgb_to_lab(cands)
    # background greys the image may use: keep parts away from all of them
    greys = _rgb_to_lab(np.array([[g, g, g] for g in (100, 128, 155)]))
    dist = np.min(
        np.linalg.norm(lab[:, None] - greys[None], axis=-1), axis=1)
    colors = [np.array(_BG_GREY, np.float32)]
    for _ in range(num_classes - 1):
        i = int(np.argmax(dist))
        colors.append(cands[i])
        dist = np.minimum(dist, np.linalg.norm(lab - lab[i], axis=1))
    return np.stack(colors).astype(np.float32)


def class_textures(num_classes: int) -> Dict[str, np.ndarray]:
    """Per-class texture parameters (deterministic, independent of seed).

    Returns:
        dict: ``kind`` (0 plain, 1 stripes, 2 checker), ``angle`` (rad),
        ``period`` (px) and ``amp`` (grey levels), each shape (num_classes,).
    """
    idx = np.arange(num_classes)
    kind = np.array([0, 1, 2, 1])[idx % 4]
    kind[0] = 0
    angle = np.deg2rad((idx * 47) % 180).astype(np.float32)
    period = (4.0 + 2.0 * ((idx // 4) % 3)).astype(np.float32)
    amp = np.where(kind == 0, 0.0, 20.0).astype(np.float32)
    return dict(kind=kind, angle=angle, period=period, amp=amp)


def render_image(labels: np.ndarray, person: np.ndarray,
                 rng: np.random.Generator, colors: np.ndarray,
                 textures: Dict[str, np.ndarray]) -> np.ndarray:
    """Render an RGB image from a label map.

    Args:
        labels (np.ndarray): (H, W) uint8 class map (visible parts).
        person (np.ndarray): (H, W) int person index (0 background, 1..N) for
            per-person colour jitter.
        rng (np.random.Generator): random stream.
        colors (np.ndarray): (C, 3) class colours (RGB).
        textures (dict): output of :func:`class_textures`.

    Returns:
        np.ndarray: (H, W, 3) uint8 RGB image.
    """
    h, w = labels.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    # class colour + per-person jitter
    jitter = rng.normal(0.0, 9.0, (int(person.max()) + 1, 3))
    jitter[0] = 0
    img = colors[labels] + jitter[person]
    # class texture
    ang = textures['angle'][labels]
    per = textures['period'][labels]
    phase = rng.uniform(0, 2 * np.pi)
    u = xs * np.cos(ang) + ys * np.sin(ang)
    stripes = np.sign(np.sin(2 * np.pi * u / per + phase))
    checker = np.sign(
        np.sin(2 * np.pi * xs / per + phase) * np.sin(2 * np.pi * ys / per))
    tex = np.where(textures['kind'][labels] == 2, checker, stripes)
    img += (tex * textures['amp'][labels])[..., None]
    # background: neutral grey with a slight tint and a smooth texture
    bg = labels == 0
    grey = rng.uniform(105, 150) + rng.uniform(-6, 6, 3)
    low = rng.normal(0, 1, (max(2, h // 12), max(2, w // 12))).astype(
        np.float32)
    low = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC) * 9.0
    img[bg] = grey + low[bg][:, None]
    # global brightness, blur, sensor noise
    img *= rng.uniform(0.92, 1.08)
    img = cv2.GaussianBlur(img.astype(np.float32), (3, 3), 0.6)
    img += rng.normal(0.0, 6.0, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------
# Skeleton
# ---------------------------------------------------------------------------


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
        ``origin`` / ``pelvis`` / ``tilt`` for :class:`_Canvas`.
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
    return _Canvas.transform_points(sk, pts)


# ---------------------------------------------------------------------------
# Painting
# ---------------------------------------------------------------------------


class _Canvas:
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


def _get(o: dict, key: str, side: str = ''):
    return o.get(f'{side}_{key}' if side else key, 0)


def paint_person(labels: np.ndarray, sk: dict, o: dict) -> None:
    """Paint one person's part labels into ``labels`` (in place).

    Args:
        labels (np.ndarray): (H, W) uint8 map to paint into.
        sk (dict): skeleton from :func:`sample_skeleton`.
        o (dict): outfit: role name -> class label (0 or missing = not drawn)
            plus a few shape switches (``*_kind``, ``sleeve``, ``hair_long``).
            Side roles are prefixed ``l_`` / ``r_``.
    """
    cv = _Canvas(labels, sk)
    hp, sw, hw = sk['h'], sk['sw'], sk['hw']
    f = lambda x, y: np.array([x * hp, y * hp])  # noqa: E731
    sides = (('l', 1.0), ('r', -1.0))

    # things behind the body
    if o.get('backpack'):
        s = o.get('backpack_side', 1.0)
        cv.rect(f(s * 0.03, 0.33) + np.array([s * sw, 0]), 0.06 * hp,
                0.085 * hp, o['backpack'])
    if o.get('hair') and o.get('hair_long'):
        cv.poly([f(-0.075, 0.06), f(0.075, 0.06), f(0.085, 0.25),
                 f(-0.085, 0.25)], o['hair'])

    # legs, stockings, knee protector (under the clothes)
    for side, sign in sides:
        hip, knee, ank = sk[f'{side}_hip'], sk[f'{side}_knee'], sk[
            f'{side}_ank']
        cv.line(hip, knee, sk['thigh_w'], _get(o, 'thigh', side))
        cv.line(knee, ank, sk['shin_w'], _get(o, 'shin', side))
        cv.ellipse(ank + f(sign * 0.012, 0.028), 0.036 * hp, 0.024 * hp,
                   _get(o, 'foot', side))
        if o.get('leg_cover_kind') == 'stockings':
            cv.line(hip + f(0, 0.02), knee, sk['thigh_w'] - 1, o['leg_cover'])
            cv.line(knee, ank, sk['shin_w'], o['leg_cover'])
        if o.get('protector') and o.get('protector_side', 1.0) == sign:
            cv.ellipse(knee, 0.042 * hp, 0.045 * hp, o['protector'])

    def socks_and_shoes():  # over the hems of trousers / robes
        for side, sign in sides:
            knee, ank = sk[f'{side}_knee'], sk[f'{side}_ank']
            foot = ank + f(sign * 0.012, 0.028)
            if o.get('leg_cover_kind') == 'socks':
                cv.line(ank + (knee - ank) * 0.3, ank, sk['shin_w'] + 1,
                        o['leg_cover'])
            shoe = _get(o, 'shoe', side)
            kind = o.get('shoe_kind', 'shoe')
            if shoe and kind == 'boot':
                cv.line(ank + (knee - ank) * 0.4, ank, sk['shin_w'] + 2, shoe)
                cv.ellipse(foot, 0.042 * hp, 0.028 * hp, shoe)
            elif shoe and kind == 'heel':
                cv.poly([ank + f(-sign * 0.02, 0.0),
                         ank + f(sign * 0.05, 0.03),
                         ank + f(sign * 0.045, 0.05),
                         ank + f(-sign * 0.015, 0.05)], shoe)
            elif shoe and kind == 'sandal':
                cv.ellipse(foot + f(0, 0.012), 0.042 * hp, 0.015 * hp, shoe)
            elif shoe:
                cv.ellipse(foot, 0.042 * hp, 0.027 * hp, shoe)

    # neck (face label: skin between chin and collar)
    cv.line(sk['head'], sk['thorax'], 0.045 * hp, o.get('neck', 0))

    # lower-body clothes
    def pants(label, frac):
        if not label:
            return
        cv.poly([f(-0.1, 0.44), f(0.1, 0.44), sk['l_hip'] + f(0.04, 0.06),
                 sk['r_hip'] + f(-0.04, 0.06)], label)
        for side, _ in sides:
            hip, knee, ank = (sk[f'{side}_hip'], sk[f'{side}_knee'],
                              sk[f'{side}_ank'])
            leg = np.concatenate([np.linspace(hip, knee, 6),
                                  np.linspace(knee, ank, 6)[1:]])
            end = leg[int(round(frac * (len(leg) - 1)))]
            mid = knee if frac > 0.5 else end
            cv.line(hip, mid, sk['thigh_w'] + 3, label)
            if frac > 0.5:
                cv.line(knee, end, sk['shin_w'] + 3, label)

    def skirt(label, bottom, flare):
        if label:
            cv.poly([f(-0.095, 0.43), f(0.095, 0.43),
                     f(0.095 + flare, bottom), f(-0.095 - flare, bottom)],
                    label)

    bk = o.get('bottom_kind')
    b = o.get('bottom', 0)
    if bk == 'pants':
        pants(b, 1.0)
    elif bk == 'capri':
        pants(b, 0.75)
    elif bk == 'shorts':
        pants(b, 0.3)
    elif bk == 'skirt':
        skirt(b, o.get('skirt_len', 0.7), 0.08)

    # torso
    top = o.get('top', 0)
    torso = [f(-0.035, 0.155), sk['r_sho'] + f(-0.012, -0.008),
             sk['r_sho'] + f(0.02, 0.09), f(-0.085, 0.4),
             f(-0.1, o.get('torso_bottom', 0.52)),
             f(0.1, o.get('torso_bottom', 0.52)), f(0.085, 0.4),
             sk['l_sho'] + f(-0.02, 0.09), sk['l_sho'] + f(0.012, -0.008),
             f(0.035, 0.155)]
    cv.poly(torso, top)
    if o.get('bra'):
        cv.poly([sk['r_sho'] + f(0.02, 0.03), sk['l_sho'] + f(-0.02, 0.03),
                 f(0.08, 0.3), f(-0.08, 0.3)], o['bra'])
    if o.get('neck_skin'):
        cv.poly([f(-0.04, 0.16), f(0.04, 0.16), f(0, 0.27)], o['neck_skin'])
    full = o.get('full', 0)
    fk = o.get('full_kind')
    if full:
        if fk == 'coat':  # open coat: two panels, the top shows between
            for sign in (1.0, -1.0):
                s = 'l' if sign > 0 else 'r'
                cv.poly([f(sign * 0.03, 0.155), sk[f'{s}_sho'] +
                         f(sign * 0.012, -0.008), sk[f'{s}_sho'] +
                         f(-sign * 0.02, 0.09), f(sign * 0.11, 0.68),
                         f(sign * 0.028, 0.68)], full)
        else:
            cv.poly(torso, full)
            if fk == 'dress':
                skirt(full, 0.72, 0.09)
            elif fk == 'robe':
                skirt(full, 0.93, 0.1)
            elif fk == 'jumpsuit':
                pants(full, 1.0)
            elif fk == 'romper':
                pants(full, 0.3)
    socks_and_shoes()
    if o.get('tie'):
        cv.poly([f(-0.018, 0.17), f(0.018, 0.17), f(0.028, 0.34),
                 f(0, 0.38), f(-0.028, 0.34)], o['tie'])
    if o.get('belt'):
        cv.rect(f(0, 0.445), 0.1 * hp, 0.018 * hp, o['belt'])
    if o.get('pendant'):
        cv.ellipse(f(0, 0.28), 0.028 * hp, 0.028 * hp, o['pendant'])
    if o.get('shoulder_bag'):
        s = o.get('bag_side', 1.0)
        cv.line(sk['l_sho' if s < 0 else 'r_sho'], f(s * 0.12, 0.45),
                0.02 * hp, o['shoulder_bag'])
        cv.rect(f(s * 0.15, 0.5), 0.055 * hp, 0.05 * hp, o['shoulder_bag'])

    # arms, sleeves, hands, wrist accessories
    sleeve = o.get('sleeve', 0)
    sleeve_label = o.get('sleeve_label', top)
    for side, sign in sides:
        sho, elb, wri, hand = (sk[f'{side}_sho'], sk[f'{side}_elb'],
                               sk[f'{side}_wri'], sk[f'{side}_hand'])
        cv.line(sho, elb, sk['arm_w'], _get(o, 'uarm', side))
        cv.line(elb, wri, sk['arm_w'] * 0.9, _get(o, 'farm', side))
        if sleeve and sleeve_label:
            end = sho + (elb - sho) * 0.55 if sleeve == 1 else elb
            cv.line(sho, end, sk['arm_w'] + 2, sleeve_label)
            if sleeve == 2:
                cv.line(elb, wri - (wri - elb) * 0.1, sk['arm_w'] * 0.9 + 2,
                        sleeve_label)
        cv.ellipse(hand, 0.034 * hp, 0.034 * hp, _get(o, 'hand', side))
        if o.get('wrist') and o.get('wrist_side', 1.0) == sign:
            cv.line(wri - (wri - elb) * 0.12, wri + (wri - elb) * 0.02,
                    sk['arm_w'] + 2, o['wrist'])

    # things held in / near a hand
    for label, kind, sign in o.get('held', ()):
        s = 'l' if sign > 0 else 'r'
        hand, fdir = sk[f'{s}_hand'], sk[f'{s}_fore_dir']
        if kind == 'bottle':
            cv.rect(hand + f(0, 0.04), 0.018 * hp, 0.05 * hp, label)
        elif kind == 'bat':
            cv.line(hand, hand + 0.28 * hp * fdir, 0.03 * hp, label)
        elif kind == 'umbrella':
            top_pt = hand + f(sign * 0.06, -0.2)
            cv.line(hand, top_pt, 0.02 * hp, label)
            cv.ellipse(top_pt, 0.13 * hp, 0.06 * hp, label, 180, 360)
        elif kind == 'bag':
            cv.rect(hand + f(0, 0.075), 0.055 * hp, 0.065 * hp, label)
        elif kind == 'purse':
            cv.rect(hand + f(0, 0.03), 0.04 * hp, 0.028 * hp, label)
        elif kind == 'ball':
            cv.ellipse(hand + f(sign * 0.05, 0.02), 0.05 * hp, 0.05 * hp,
                       label)
        elif kind == 'case':
            cv.rect(np.array([sk[f'{s}_ank'][0] + sign * 0.12 * hp,
                              0.86 * hp]), 0.065 * hp, 0.085 * hp, label)

    # head
    head = sk['head']
    if o.get('hair'):
        cv.ellipse(head + f(0, -0.008), 0.07 * hp, 0.074 * hp, o['hair'])
    cv.ellipse(head + f(0, 0.01), 0.053 * hp, 0.064 * hp, o.get('face', 0))
    if o.get('scarf'):
        cv.line(f(-0.055, 0.175), f(0.055, 0.175), 0.05 * hp, o['scarf'])
        cv.line(f(0.03, 0.18), f(0.045, 0.31), 0.035 * hp, o['scarf'])
    hk = o.get('headtop_kind')
    ht = o.get('headtop', 0)
    if hk == 'cap':
        cv.ellipse(head + f(0, -0.025), 0.074 * hp, 0.06 * hp, ht, 180, 360)
        cv.rect(head + f(0.03, -0.028), 0.075 * hp, 0.012 * hp, ht)
    elif hk == 'helmet':
        cv.ellipse(head + f(0, 0.005), 0.082 * hp, 0.088 * hp, ht, 165, 375)
    elif hk == 'band':
        cv.rect(head + f(0, -0.035), 0.072 * hp, 0.02 * hp, ht)
    eyes = o.get('eyes', 0)
    if eyes and o.get('eyes_kind') == 'lenses':
        for sign in (1.0, -1.0):
            cv.ellipse(head + f(sign * 0.025, 0.0), 0.022 * hp, 0.017 * hp,
                       eyes)
    elif eyes:
        cv.rect(head + f(0, 0.0), 0.054 * hp, 0.017 * hp, eyes)


# ---------------------------------------------------------------------------
# Outfits
# ---------------------------------------------------------------------------


class _Deck:
    """Draw options in shuffled rounds so each appears once per round."""

    def __init__(self, rng: np.random.Generator, options: Sequence):
        self.rng, self.options, self.queue = rng, list(options), []

    def draw(self):
        if not self.queue:
            self.queue = list(self.rng.permutation(len(self.options)))
        return self.options[self.queue.pop()]


class _OutfitSampler:
    """Samples outfits (role -> label dicts) for one dataset."""

    def __init__(self, dataset: str, rng: np.random.Generator):
        self.dataset = dataset
        self.rng = rng
        self.c = {n: i for i, n in enumerate(CLASSES[dataset])}
        c = self.c
        d = lambda opts: _Deck(rng, opts)  # noqa: E731
        if dataset == 'ppp':
            return
        if dataset == 'mhp':
            self.head = d([('', 0), ('cap', c['cap/hat']),
                           ('helmet', c['helmet']),
                           ('band', c['headwear'])])
            self.eyes = d([('', 0), ('band', c['sunglasses']),
                           ('lenses', c['eyewear'])])
            tops = ['jacket/windbreaker/hoodie', 't-shirt', 'polo-shirt',
                    'sweater', 'singlet', 'other-upper-body-clothes']
            self.outfit = d(
                [('top', c[t]) for t in tops] +
                [('bikini', 0), ('bare', 0)] +
                [('full', c[n], k) for n, k in
                 (('coat', 'coat'), ('dress', 'dress'), ('robe', 'robe'),
                  ('jumpsuit', 'jumpsuit'),
                  ('other-full-body-clothes', 'romper'))])
            self.bottom = d([(c['pants'], 'pants'),
                             (c['shorts/swim-shorts'], 'shorts'),
                             (c['skirt'], 'skirt'),
                             (c['other-lower-body-clothes'], 'capri')])
            self.shoe = d([('boot', 'left-boot'), ('shoe', 'left-shoe'),
                           ('heel', 'left-highheel'),
                           ('sandal', 'left-sandal'), ('', 'left-foot')])
            self.cover = d([('', 0), ('stockings', c['stockings']),
                            ('socks', c['socks'])])
            self.hands = d([0, 0, c['glove']])
            self.wrist = d([0, c['watch'], c['wristband']])
            self.protector = d([0, 0, c['protector']])
            self.acc = d(['backpack', 'ball', 'bats', 'belt', 'bottle',
                          'carrybag', 'cases', 'scarf', 'umbrella',
                          'wallet/purse', 'tie', 'other-accessary'])
            return
        # LIP / ATR / CIHP
        self.head = d([('', 0), ('', 0), ('cap', c['hat'])])
        self.eyes = d([0, 0, c['sunglasses']])
        # upper: what covers the torso; lower: drawn unless upper is 'full'.
        # Small decks so every class shows up within a few persons.
        uppers = [('top', 0), ('full', c['dress'])]
        if 'coat' in c:
            uppers.append(('coat', c['coat']))
        if 'jumpsuits' in c:
            uppers.append(('full', c['jumpsuits']))
        if 'torso-skin' in c:
            uppers += [('bare', c['torso-skin']), ('top_v', c['torso-skin'])]
        self.upper = d(uppers)
        self.lower = d(['pants', 'skirt'])
        self.hands = d([0, 0, c.get('glove', 0)])
        self.socks = d([0, c.get('socks', 0)])
        self.scarf = d([0, 0, c['scarf']])
        self.belt = d([0, c.get('belt', 0)])
        self.bag = d([0, c.get('bag', 0)])

    def sample(self) -> dict:
        rng, c = self.rng, self.c
        if self.dataset == 'ppp':
            return self._ppp()
        o = dict(hair=c['hair'], face=c['face'], neck=c['face'],
                 hair_long=bool(rng.random() < 0.4),
                 sleeve=int(rng.integers(0, 3)))
        kind, label = self.head.draw()
        o.update(headtop_kind=kind, headtop=label)
        if self.dataset == 'mhp':
            return self._mhp(o)
        o['eyes'] = self.eyes.draw()
        arm = dict(l=c['left-arm'], r=c['right-arm'])
        leg = dict(l=c['left-leg'], r=c['right-leg'])
        glove = self.hands.draw()
        for s in 'lr':
            o.update({f'{s}_uarm': arm[s], f'{s}_farm': arm[s],
                      f'{s}_hand': glove or arm[s], f'{s}_thigh': leg[s],
                      f'{s}_shin': leg[s],
                      f'{s}_shoe': c[f'{"left" if s == "l" else "right"}'
                                     f'-shoe']})
        kind, label = self.upper.draw()
        if kind == 'full':
            o.update(full=label, top=label,
                     full_kind='dress' if label == c['dress'] else 'jumpsuit')
        else:
            o['top'] = c['upper-clothes']
            if kind == 'bare':
                o.update(top=label, sleeve=0)
            elif kind == 'top_v':
                o['neck_skin'] = label
            elif kind == 'coat':
                o.update(full=label, full_kind='coat', sleeve=2,
                         sleeve_label=label)
            low = self.lower.draw()
            if low == 'skirt':
                o.update(bottom=c['skirt'], bottom_kind='skirt',
                         skirt_len=rng.uniform(0.62, 0.74))
            else:
                o.update(bottom=c['pants'],
                         bottom_kind=('pants', 'capri',
                                      'shorts')[int(rng.integers(3))])
        socks = self.socks.draw()
        if socks:
            o.update(leg_cover=socks, leg_cover_kind='socks')
        o['scarf'] = self.scarf.draw()
        o['belt'] = self.belt.draw()
        bag = self.bag.draw()
        if bag:
            o.update(shoulder_bag=bag, bag_side=float(rng.choice([-1, 1])))
        return o

    def _ppp(self) -> dict:
        c = self.c
        o = dict(hair=c['head'], face=c['head'], neck=c['head'],
                 hair_long=bool(self.rng.random() < 0.3), top=c['torso'],
                 torso_bottom=0.56)
        for s in 'lr':
            o.update({f'{s}_uarm': c['upper-arms'],
                      f'{s}_farm': c['lower-arms'],
                      f'{s}_hand': c['lower-arms'],
                      f'{s}_thigh': c['upper-legs'],
                      f'{s}_shin': c['lower-legs'],
                      f'{s}_foot': c['lower-legs']})
        return o

    def _mhp(self, o: dict) -> dict:
        rng, c = self.rng, self.c
        o['eyes_kind'], o['eyes'] = self.eyes.draw()
        glove = self.hands.draw()
        for s, side in (('l', 'left'), ('r', 'right')):
            o.update({f'{s}_uarm': c[f'{side}-arm'],
                      f'{s}_farm': c[f'{side}-arm'],
                      f'{s}_hand': glove or c[f'{side}-hand'],
                      f'{s}_thigh': c[f'{side}-leg'],
                      f'{s}_shin': c[f'{side}-leg'],
                      f'{s}_foot': c[f'{side}-foot']})
        kind, left_name = self.shoe.draw()
        if kind:
            right_name = left_name.replace('left', 'right')
            o.update(l_shoe=c[left_name], r_shoe=c[right_name],
                     shoe_kind=kind)
        cover_kind, cover = self.cover.draw()
        o.update(leg_cover=cover, leg_cover_kind=cover_kind)
        w = self.wrist.draw()
        o.update(wrist=w, wrist_side=float(rng.choice([-1, 1])))
        o.update(protector=self.protector.draw(),
                 protector_side=float(rng.choice([-1, 1])))
        entry = self.outfit.draw()
        if entry[0] == 'full':
            _, label, fk = entry
            o.update(full=label, full_kind=fk, top=label,
                     sleeve_label=label)
            if fk == 'coat':
                o.update(top=c['t-shirt'], sleeve=2)
            if fk in ('coat', 'dress', 'robe'):
                b, bk = self.bottom.draw()
                if fk == 'coat' or bk in ('pants', 'capri'):
                    o.update(bottom=b, bottom_kind=bk, skirt_len=0.68)
        else:
            if entry[0] == 'top':
                o['top'] = entry[1]
                if entry[1] == c['singlet']:
                    o.update(sleeve=0, neck_skin=c['torso-skin'])
            elif entry[0] == 'bikini':
                o.update(top=c['torso-skin'], bra=c['bikini/bra'], sleeve=0)
            else:
                o.update(top=c['torso-skin'], sleeve=0)
            b, bk = self.bottom.draw()
            o.update(bottom=b, bottom_kind=bk,
                     skirt_len=rng.uniform(0.62, 0.74))
        held = []
        for _ in range(1 + int(rng.random() < 0.5)):
            name = self.acc.draw()
            label = c[name]
            sign = float(rng.choice([-1, 1]))
            if name == 'backpack':
                o.update(backpack=label, backpack_side=sign)
            elif name == 'belt':
                o['belt'] = label
            elif name == 'scarf':
                o['scarf'] = label
            elif name == 'tie':
                o['tie'] = label
            elif name == 'other-accessary':
                o['pendant'] = label
            else:
                kind = dict(ball='ball', bats='bat', bottle='bottle',
                            carrybag='bag', cases='case', umbrella='umbrella')
                held.append((label, kind.get(name, 'purse'), sign))
        o['held'] = held
        return o


# ---------------------------------------------------------------------------
# Scenes
# ---------------------------------------------------------------------------


def _single_scene(rng, sampler, size):
    """One person filling most of the frame.

    Returns:
        tuple: labels (H, W) uint8, keypoints (16, 2), skeleton.
    """
    h, w = size
    hp = h * rng.uniform(0.8, 0.93)
    top = rng.uniform(0.01, 0.99 - hp / h) * h
    cx = w / 2 + rng.uniform(-0.06, 0.06) * w
    sk = sample_skeleton(rng, hp, (cx, top + 0.5 * hp))
    labels = np.zeros((h, w), np.uint8)
    paint_person(labels, sk, sampler.sample())
    return labels, skeleton_keypoints(sk)


def _multi_scene(rng, sampler, size, min_visible=0.2):
    """2-4 overlapping persons.

    Returns:
        tuple: per-person full maps (list of (H, W) uint8, back to front),
        composite labels (H, W) uint8, composite person ids (H, W) uint8
        (1..N in the order of the list).
    """
    h, w = size
    n = int(rng.integers(2, 5))
    maps = []
    for i in range(n):
        hp = h * rng.uniform(0.5, 0.85)
        top = rng.uniform(0.01, 0.99 - hp / h) * h
        cx = w * (i + 0.5) / n + rng.uniform(-0.1, 0.1) * w
        sk = sample_skeleton(rng, hp, (cx, top + 0.5 * hp))
        lab = np.zeros((h, w), np.uint8)
        paint_person(lab, sk, sampler.sample())
        maps.append(lab)
    order = rng.permutation(n)  # depth order, back to front
    maps = [maps[i] for i in order]
    while True:
        comp = np.zeros((h, w), np.uint8)
        pid = np.zeros((h, w), np.uint8)
        for k, lab in enumerate(maps):
            m = lab > 0
            comp[m] = lab[m]
            pid[m] = k + 1
        vis = np.bincount(pid.ravel(), minlength=len(maps) + 1)[1:]
        own = np.array([np.count_nonzero(m) for m in maps])
        bad = np.flatnonzero(vis < min_visible * np.maximum(own, 1))
        if len(bad) == 0 or len(maps) == 1:
            return maps, comp, pid
        del maps[int(bad[0])]  # too occluded / outside: drop it


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def _mkdirs(*dirs):
    for d in dirs:
        os.makedirs(d, exist_ok=True)


def _write_jpg(path: str, rgb: np.ndarray) -> None:
    ok = cv2.imwrite(path, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                     [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise OSError(f'could not write {path}')


def _write_png(path: str, arr: np.ndarray) -> None:
    """Write a (H, W) uint8 map, or an (H, W, 3) uint8 array in RGB order."""
    if arr.ndim == 3:
        arr = np.ascontiguousarray(arr[..., ::-1])  # cv2 writes BGR
    if not cv2.imwrite(path, arr):
        raise OSError(f'could not write {path}')


def _write_list(path: str, ids: List[str]) -> None:
    with open(path, 'w') as f:
        f.write(''.join(i + '\n' for i in ids))


def _ids(split: str, n: int) -> List[str]:
    base = 1000000 if split == 'train' else 2000000
    return [str(base + i) for i in range(n)]


def _csv_row(img_id: str, kpts: np.ndarray, rng, size) -> str:
    h, w = size
    fields = [f'{img_id}.jpg']
    missing = rng.random(len(kpts)) < 0.08
    occluded = rng.random(len(kpts)) < 0.1
    for (x, y), miss, occ in zip(kpts, missing, occluded):
        if miss or not (0 <= x <= w - 1 and 0 <= y <= h - 1):
            fields += ['nan', 'nan', 'nan']
        else:
            fields += [f'{x:.1f}', f'{y:.1f}', '0' if occ else '1']
    return ','.join(fields) + '\n'


def _write_single(ds: str, root: str, split: str, n: int, rng, size):
    sampler = _OutfitSampler(ds, rng)
    colors = class_colors(len(CLASSES[ds]))
    textures = class_textures(len(CLASSES[ds]))
    ids = _ids(split, n)
    if ds == 'lip':
        img_dir = osp.join(root, f'{split}_images')
        seg_dir = osp.join(root, f'{split}_segmentations')
        list_file = osp.join(root, f'{split}_id.txt')
        pose_dir = osp.join(root, 'TrainVal_pose_annotations')
        _mkdirs(img_dir, seg_dir, pose_dir)
    else:
        img_dir = osp.join(root, 'JPEGImages')
        seg_dir = osp.join(root, 'SegmentationClassAug' if ds == 'atr' else
                           'SegmentationPart')
        list_dir = root if ds == 'atr' else osp.join(root, 'list')
        list_file = osp.join(list_dir, f'{split}_id.txt')
        _mkdirs(img_dir, seg_dir, list_dir)
    rows = []
    for img_id in ids:
        labels, kpts = _single_scene(rng, sampler, size)
        img = render_image(labels, (labels > 0).astype(np.uint8), rng,
                           colors, textures)
        _write_jpg(osp.join(img_dir, img_id + '.jpg'), img)
        _write_png(osp.join(seg_dir, img_id + '.png'), labels)
        if ds == 'lip':
            rows.append(_csv_row(img_id, kpts, rng, size))
    _write_list(list_file, ids)
    if ds == 'lip':
        with open(osp.join(pose_dir, f'lip_{split}_set.csv'), 'w') as f:
            f.write(''.join(rows))


def _write_multi(ds: str, root: str, split: str, n: int, rng, size):
    sampler = _OutfitSampler(ds, rng)
    colors = class_colors(len(CLASSES[ds]))
    textures = class_textures(len(CLASSES[ds]))
    ids = _ids(split, n)
    if ds == 'cihp':
        base = osp.join(root, 'instance-level_human_parsing',
                        'Training' if split == 'train' else 'Validation')
        sub = {k: osp.join(base, k) for k in
               ('Images', 'Category_ids', 'Human_ids', 'Instance_ids')}
        _mkdirs(*sub.values())
        list_file = osp.join(base, f'{split}_id.txt')
    else:
        base = osp.join(root, 'LV-MHP-v2')
        sub = dict(Images=osp.join(base, split, 'images'),
                   annos=osp.join(base, split, 'parsing_annos'))
        _mkdirs(*sub.values(), osp.join(base, 'list'))
        list_file = osp.join(base, 'list', f'{split}.txt')
    lab_h, lab_w = size
    for img_id in ids:
        maps, comp, pid = _multi_scene(rng, sampler, size)
        img = render_image(comp, pid, rng, colors, textures)
        _write_jpg(osp.join(sub['Images'], img_id + '.jpg'), img)
        if ds == 'cihp':
            _write_png(osp.join(sub['Category_ids'], img_id + '.png'), comp)
            _write_png(osp.join(sub['Human_ids'], img_id + '.png'), pid)
            key = pid.astype(np.int32) * 256 + comp
            uniq, inv = np.unique(key, return_inverse=True)
            inst = inv.reshape(key.shape).astype(np.uint8)
            if uniq[0] != 0:  # no background pixel: ids start at 1
                inst += 1
            _write_png(osp.join(sub['Instance_ids'], img_id + '.png'), inst)
        else:
            nn = len(maps)
            ys, xs = np.mgrid[0:lab_h, 0:lab_w]
            for k, lab in enumerate(maps):
                # R = labels; G = a per-person ramp; B = 0, so reading it as
                # grey or as BGR (channel 0 = B) gives wrong labels
                g = ((xs + 2 * ys + 37 * k) * 3 % 256).astype(np.uint8)
                rgb = np.dstack([lab, g, np.zeros_like(lab)])
                _write_png(
                    osp.join(sub['annos'], f'{img_id}_{nn:02d}_{k + 1:02d}'
                             '.png'), rgb)
    _write_list(list_file, ids)


class ToyRoots(dict):
    """``{dataset: root}`` with lower-case keys (``'lip'``, ...) that also
    answers the root folder names (``roots['LIP']``)."""

    def __getitem__(self, key):
        return super().__getitem__(key.lower() if isinstance(key, str) else
                                   key)

    def __contains__(self, key):
        return super().__contains__(
            key.lower() if isinstance(key, str) else key)

    def get(self, key, default=None):
        return self[key] if key in self else default


def _prepare_root(root: str) -> None:
    """Create an empty root; only a previous toy root is ever deleted."""
    if osp.isdir(root) and os.listdir(root):
        if not osp.isfile(osp.join(root, MARKER)):
            raise FileExistsError(
                f'{root} exists, is not empty and was not written by '
                f'make_toy_data (no {MARKER} file); refusing to overwrite it.')
        shutil.rmtree(root)
    os.makedirs(root, exist_ok=True)
    with open(osp.join(root, MARKER), 'w') as f:
        f.write('synthetic data written by mmhumanparse make_toy_data\n')


def make_toy_data(out: str,
                  dataset: str = 'all',
                  num: int = 8,
                  seed: int = 0,
                  size: Optional[Sequence[int]] = None) -> Dict[str, str]:
    """Write small deterministic synthetic datasets in the real layouts.

    Args:
        out (str): output directory; dataset roots are ``out/LIP``,
            ``out/ATR``, ``out/PPP``, ``out/CIHP``, ``out/MHP``. An existing
            root is replaced only if it was written by this function.
        dataset (str): ``'lip'``, ``'atr'``, ``'ppp'``, ``'cihp'``, ``'mhp'``
            or ``'all'``.
        num (int): number of train images; val gets ``max(2, num // 2)``.
        seed (int): random seed; same seed => byte-identical files.
        size (tuple[int, int], optional): image (H, W) for every dataset
            written; default 128 x 96 (LIP/ATR/PPP), 160 x 160 (CIHP/MHP).

    Returns:
        ToyRoots: ``{dataset: root_dir}`` (the loaders' ``data_root``), keys
        ``'lip'``, ``'atr'``, ... ; ``roots['LIP']`` works too.
    """
    dataset = dataset.lower()
    names = DATASETS if dataset == 'all' else (dataset, )
    if any(n not in DATASETS for n in names):
        raise ValueError(f'dataset must be one of {DATASETS} or "all", '
                         f'got {dataset!r}')
    if num < 1:
        raise ValueError(f'num must be >= 1, got {num}')
    if size is not None:
        size = (int(size[0]), int(size[1]))
        if min(size) < 32:
            raise ValueError(f'size must be at least 32 x 32, got {size}')
    roots = ToyRoots()
    for name in names:
        root = osp.join(out, ROOT_NAMES[name])
        _prepare_root(root)
        hw = size or DEFAULT_SIZES[name]
        for split_idx, (split, n) in enumerate(
                (('train', num), ('val', max(2, num // 2)))):
            rng = np.random.default_rng(
                [int(seed), DATASETS.index(name), split_idx])
            writer = _write_multi if name in MULTI_PERSON else _write_single
            writer(name, root, split, n, rng, hw)
        roots[name] = root
    return roots
