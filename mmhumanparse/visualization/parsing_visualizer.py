"""Visualizer for single- and multi-person human parsing results."""
import colorsys
from typing import List, Optional, Sequence, Tuple

import cv2
import mmcv
import numpy as np
from mmengine.dist import master_only
from mmseg.visualization import SegLocalVisualizer

from mmhumanparse.datasets.metainfo import DATASET_METAINFO
from mmhumanparse.registry import VISUALIZERS
from mmhumanparse.structures.sample_utils import pixel_labels, to_numpy
from .palette import palette_lut, part_meta


def person_colors(num: int) -> np.ndarray:
    """(num, 3) uint8 RGB outline colours, one per person.

    Hues step by the golden ratio (well separated for any ``num``) at full
    saturation and value, unlike the dark VOC part palette.
    """
    hues = (np.arange(num) * 0.618033988749895) % 1.0
    rgb = [colorsys.hsv_to_rgb(h, 0.85, 1.0) for h in hues]
    return np.round(np.asarray(rgb).reshape(-1, 3) * 255).astype(np.uint8)


def _resize_nearest(labels: np.ndarray, hw) -> np.ndarray:
    if labels.shape[-2:] == tuple(hw):
        return labels
    return cv2.resize(
        labels.astype(np.uint8), (hw[1], hw[0]),
        interpolation=cv2.INTER_NEAREST)


def place_labels(corners: Sequence[Tuple[int, int]],
                 sizes: Sequence[Tuple[int, int]],
                 image_hw: Tuple[int, int]) -> List[Tuple[int, int]]:
    """Top-left corners of text boxes so that no two overlap.

    Each box starts at its wished corner, clamped into the image. Where
    it would overlap a box placed before it (a better person's), it moves
    to the nearest free place just above one of the placed boxes, else just
    below one (inside the image), else below them all.

    Args:
        corners (list): wished (x, y) top-left corners.
        sizes (list): (width, height) of each box.
        image_hw (tuple): (H, W) of the image.

    Returns:
        list: (x, y) top-left corners, in input order.
    """
    h_img, w_img = image_hw
    placed: List[Tuple[int, int, int, int]] = []
    for (x, y), (w, h) in zip(corners, sizes):
        x = int(min(max(x, 0), max(w_img - w, 0)))
        y = int(min(max(y, 0), max(h_img - h, 0)))
        row = [b for b in placed if x < b[0] + b[2] and b[0] < x + w]

        def free(top: int) -> bool:
            return all(top + h <= b[1] or b[1] + b[3] <= top for b in row)

        tops = [y] + [b[1] - h for b in row] + [b[1] + b[3] for b in row]
        inside = [t for t in tops if 0 <= t <= h_img - h and free(t)]
        # up first (labels sit above their persons), nearest first
        y = min(inside, key=lambda t: (t > y, abs(t - y))) if inside else max(
            [b[1] + b[3] for b in row] + [y])
        placed.append((x, y, w, h))
    return [(x, y) for x, y, _, _ in placed]


@VISUALIZERS.register_module()
class ParsingLocalVisualizer(SegLocalVisualizer):
    """Draws part maps of one person, or of every detected person.

    - Semantic samples (``gt_sem_seg`` / ``pred_sem_seg``, mmseg's
      ``data`` or mmdet's ``sem_seg`` key): every part pixel is
      ``(1 - alpha) * image + alpha * palette[label]``; background (label
      0, unless ``draw_background``) and labels past the palette (e.g. the
      255 ignore label) keep the image.
    - Instance samples (``gt_instances`` / ``pred_instances`` with
      ``parsings`` (N, H, W) part labels, or ``masks``): each person's parts
      are painted the same way (lower scores first, so the best person is
      on top), the person is outlined in its own colour
      (:func:`person_colors`, by rank) and its score is written above the
      top left of its box (moved down where it would cover the score of a
      better person, :func:`place_labels`). Predictions below
      ``pred_score_thr`` are skipped.

    With ground truth and prediction both drawn, the panels are side by
    side (ground truth left). Works with ``mmseg.SegVisualizationHook`` and
    ``mmdet.DetVisualizationHook`` (both call :meth:`add_datasample`), and
    takes its classes/palette from ``dataset_meta`` (``part_classes`` /
    ``part_palette`` for multi-person datasets), which the Runner sets.

    Args:
        alpha (float): part opacity in [0, 1]. Defaults to 0.6.
        dataset_name (str, optional): 'lip', 'atr', 'ppp', 'cihp' or 'mhp':
            default classes/palette until ``dataset_meta`` is set. LIP if
            None.
        draw_background (bool): paint label 0 too. Defaults to False.
        line_width (int): person outline width in pixels. Defaults to 2.
        score_thr (float): default ``pred_score_thr``. Defaults to 0.3.
        Other arguments: see ``mmseg.SegLocalVisualizer``.
    """

    def __init__(self,
                 name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Optional[List] = None,
                 save_dir: Optional[str] = None,
                 classes: Optional[Sequence[str]] = None,
                 palette: Optional[Sequence] = None,
                 dataset_name: Optional[str] = None,
                 alpha: float = 0.6,
                 draw_background: bool = False,
                 line_width: int = 2,
                 score_thr: float = 0.3,
                 **kwargs):
        if not 0 <= alpha <= 1:
            raise ValueError(f'alpha must be in [0, 1], got {alpha}')
        super().__init__(
            name, image, vis_backends, save_dir, alpha=alpha, **kwargs)
        self.set_dataset_meta(classes, palette, dataset_name)
        self.draw_background = draw_background
        self.line_width = line_width
        self.score_thr = score_thr

    def set_dataset_meta(self,
                         classes: Optional[Sequence[str]] = None,
                         palette: Optional[Sequence] = None,
                         dataset_name: Optional[str] = None) -> None:
        """Set classes and palette (default: ``dataset_name``'s, else LIP).

        Raises:
            KeyError: unknown ``dataset_name``.
            ValueError: classes and palette of different lengths.
        """
        name = (dataset_name or 'lip').lower()
        if name not in DATASET_METAINFO:
            raise KeyError(f'unknown dataset_name {dataset_name!r}; known: '
                           f'{sorted(DATASET_METAINFO)}')
        meta = DATASET_METAINFO[name]
        classes = list(classes) if classes else list(meta['classes'])
        palette = list(palette) if palette else list(meta['palette'])
        if len(classes) != len(palette):
            raise ValueError(f'{len(classes)} classes but {len(palette)} '
                             'palette colours')
        self.dataset_meta = {'classes': classes, 'palette': palette}

    # ----------------------------------------------------------- drawing
    def _blend_parts(self, canvas: np.ndarray, image: np.ndarray,
                     labels: np.ndarray, where: np.ndarray,
                     lut: np.ndarray) -> None:
        """canvas[where] = blend of image and the part colours (in place)."""
        color = lut[labels[where]].astype(np.float32)
        base = image[where].astype(np.float32)
        canvas[where] = np.clip(
            base * (1 - self.alpha) + color * self.alpha + 0.5, 0,
            255).astype(np.uint8)

    def _part_mask(self, labels: np.ndarray, num_classes: int) -> np.ndarray:
        first = 0 if self.draw_background else 1
        return (labels >= first) & (labels < num_classes)

    def draw_part_map(self,
                      image: np.ndarray,
                      labels: np.ndarray,
                      with_labels: bool = False) -> np.ndarray:
        """Paint an (H, W) part map over an (H, W, 3) RGB image.

        Returns:
            np.ndarray: (H, W, 3) uint8 RGB.
        """
        classes, palette = part_meta(self.dataset_meta)
        lut = palette_lut(palette)
        labels = _resize_nearest(np.asarray(labels), image.shape[:2])
        canvas = image.copy()
        where = self._part_mask(labels, len(classes))
        self._blend_parts(canvas, image, labels, where, lut)
        if with_labels:
            self._put_class_names(canvas, labels, where, classes)
        return canvas

    @staticmethod
    def _font_scale(image: np.ndarray) -> float:
        return max(0.3, min(image.shape[:2]) / 600)

    def _put_class_names(self, canvas, labels, where, classes) -> None:
        scale = self._font_scale(canvas)
        for label in np.unique(labels[where]):
            ys, xs = np.nonzero(labels == label)
            org = (int(np.median(xs)), int(np.median(ys)))
            cv2.putText(canvas, str(classes[label]), org,
                        cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1,
                        cv2.LINE_AA)

    @staticmethod
    def _put_scores(canvas: np.ndarray, labels, scale: float) -> None:
        """Write ``(text, colour, (x, y) box corner)`` labels just above
        their corners, best person first, moved so that none overlaps
        another (:func:`place_labels`)."""
        font = cv2.FONT_HERSHEY_SIMPLEX
        sizes = []
        for text, _, _ in labels:
            (w, h), base = cv2.getTextSize(text, font, scale, 1)
            sizes.append((w, h + base + 1))
        corners = place_labels(
            [(x, y - h - 2) for (_, _, (x, y)), (_, h) in zip(labels, sizes)],
            sizes, canvas.shape[:2])
        for (text, color, _), (x, y), (_, h) in zip(labels, corners, sizes):
            base = cv2.getTextSize(text, font, scale, 1)[1]
            cv2.putText(canvas, text, (x, y + h - base - 1), font, scale,
                        color, 1, cv2.LINE_AA)

    def draw_persons(self,
                     image: np.ndarray,
                     instances,
                     score_thr: Optional[float] = None,
                     with_labels: bool = False) -> np.ndarray:
        """Paint every person's parts, outline and score.

        Args:
            image (np.ndarray): (H, W, 3) uint8 RGB.
            instances (InstanceData): ``parsings`` (N, h, w) part labels
                and/or ``masks`` (N, h, w); optional ``bboxes`` (N, 4) xyxy
                and ``scores`` (N,). Maps of another size than the image
                (ground truth at the network input size) are resized
                (nearest) and the boxes scaled with them.
            score_thr (float, optional): skip persons scoring lower.

        Returns:
            np.ndarray: (H, W, 3) uint8 RGB.
        """
        classes, palette = part_meta(self.dataset_meta)
        lut = palette_lut(palette)
        h, w = image.shape[:2]
        n = len(instances)
        scores = (to_numpy(instances.scores).astype(np.float64)
                  if 'scores' in instances else np.ones(n))
        maps = None
        if 'parsings' in instances:
            maps = to_numpy(instances.parsings)
        elif 'masks' in instances:
            maps = to_numpy(instances.masks).astype(np.uint8)
        boxes = (to_numpy(instances.bboxes).astype(np.float64).reshape(-1, 4)
                 if 'bboxes' in instances else None)
        if maps is not None and maps.ndim == 3 and boxes is not None:
            boxes = boxes * np.array([w / maps.shape[2], h / maps.shape[1]] *
                                     2)
        keep = np.arange(n) if score_thr is None else np.flatnonzero(
            scores >= score_thr)
        order = keep[np.argsort(-scores[keep], kind='stable')]  # best first
        colors = person_colors(len(order))
        canvas = image.copy()
        fgs = {}
        for k in order[::-1]:  # paint best last, so it is on top
            if maps is None:
                continue
            labels = _resize_nearest(maps[k], (h, w))
            if 'parsings' in instances:
                where = self._part_mask(labels, len(classes))
                self._blend_parts(canvas, image, labels, where, lut)
            fgs[k] = labels > 0
        scale = self._font_scale(image)
        labels_at = []  # (rank, k, colour, anchor) of each score label
        for rank, k in enumerate(order):
            color = tuple(int(c) for c in colors[rank])
            fg = fgs.get(k)
            if fg is not None and fg.any():
                contours, _ = cv2.findContours(
                    fg.astype(np.uint8), cv2.RETR_EXTERNAL,
                    cv2.CHAIN_APPROX_NONE)
                cv2.drawContours(canvas, contours, -1, color, self.line_width)
                ys, xs = np.nonzero(fg)
                anchor = (int(xs.min()), int(ys.min()))
            elif boxes is not None:
                x1, y1, x2, y2 = (int(round(v)) for v in boxes[k])
                cv2.rectangle(canvas, (x1, y1), (x2, y2), color,
                              self.line_width)
                anchor = (x1, y1)
            else:
                continue
            if boxes is not None:
                anchor = (int(boxes[k][0]), int(boxes[k][1]))
            labels_at.append((k, color, anchor))
        if 'scores' in instances:
            self._put_scores(canvas, [(f'{scores[k]:.2f}', c, a)
                                      for k, c, a in labels_at], scale)
        if with_labels and maps is not None and fgs:
            merged = np.zeros((h, w), np.int64)
            for k in order[::-1]:
                if k in fgs:
                    labels = _resize_nearest(maps[k], (h, w))
                    merged[fgs[k]] = labels[fgs[k]]
            self._put_class_names(canvas, merged,
                                  self._part_mask(merged, len(classes)),
                                  classes)
        return canvas

    def _draw(self, image, data_sample, prefix: str, score_thr,
              with_labels) -> Optional[np.ndarray]:
        instances = data_sample.get(f'{prefix}_instances', None)
        if instances is not None and ('parsings' in instances
                                      or 'masks' in instances
                                      or 'bboxes' in instances):
            return self.draw_persons(image, instances,
                                     score_thr if prefix == 'pred' else None,
                                     with_labels)
        sem_seg = data_sample.get(f'{prefix}_sem_seg', None)
        if sem_seg is not None:
            return self.draw_part_map(image, pixel_labels(sem_seg),
                                      with_labels)
        return None

    @master_only
    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample=None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       out_file: Optional[str] = None,
                       step: int = 0,
                       with_labels: bool = False,
                       pred_score_thr: Optional[float] = None,
                       **kwargs) -> None:
        """Draw ground truth and/or prediction and show, save or log it.

        Args:
            name (str): image identifier (window name / backend key).
            image (np.ndarray): (H, W, 3) uint8 RGB image.
            data_sample (SegDataSample | DetDataSample, optional): sample
                with ``gt_*`` / ``pred_*`` fields (see the class doc).
            draw_gt, draw_pred (bool): which panels to draw.
            show (bool): display in a window instead of the backends.
            wait_time (float): seconds to show.
            out_file (str, optional): write the drawing here (BGR file)
                instead of to the vis backends.
            step (int): global step for the backends.
            with_labels (bool): write class names on the parts.
            pred_score_thr (float, optional): as mmdet's hook passes it;
                defaults to ``score_thr``.
        """
        thr = self.score_thr if pred_score_thr is None else pred_score_thr
        panels = []
        if data_sample is not None:
            for prefix, wanted in (('gt', draw_gt), ('pred', draw_pred)):
                if wanted:
                    drawn = self._draw(image, data_sample, prefix, thr,
                                       with_labels)
                    if drawn is not None:
                        panels.append(drawn)
        drawn_img = (np.concatenate(panels, axis=1)
                     if panels else image.copy())
        self.set_image(drawn_img)
        if show:
            self.show(drawn_img, win_name=name, wait_time=wait_time)
        if out_file is not None:
            mmcv.imwrite(mmcv.rgb2bgr(drawn_img), out_file)
        else:
            self.add_image(name, drawn_img, step)
