"""Toy data, part 1: class colours, textures and the RGB rendering of a
label map (see :mod:`mmhumanparse.testing.toy_data`)."""
import colorsys
from typing import Dict

import cv2
import numpy as np

_BG_GREY = (128.0, 128.0, 128.0)


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
