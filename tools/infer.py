"""Parse an image, a folder of images or a video with a trained model.

Usage::

    python tools/infer.py CONFIG CHECKPOINT INPUT --out-dir DIR
        [--overlay] [--opacity 0.5] [--save-logits] [--device cpu]
        [--batch-size 1] [--score-thr 0.3] [--cfg-options k=v ...]

INPUT is an image file, a folder (searched recursively; outputs keep the
relative paths) or a video file (.mp4, .avi, ...). For an image
``a/b/x.jpg`` (relative to the folder) it writes:

- ``DIR/a/b/x.png``: the part labels as an 8-bit indexed PNG whose pixel
  values are the labels and whose palette is the dataset palette (as
  LIP/CIHP ship their annotations); for detectors, the combined map of all
  persons;
- ``DIR/a/b/x_overlay.jpg`` with ``--overlay``: the parts painted over the
  image (detectors: each person outlined in its own colour with its score);
- ``DIR/a/b/x_logits.npy`` with ``--save-logits`` (segmentors): float16
  (C, H, W) logits at the image size;
- ``DIR/a/b/x.json`` (detectors): ``{"image", "height", "width",
  "persons": [{"bbox": [x1, y1, x2, y2], "score", "parts": {label: COCO
  RLE}}]}``, every person the model returned, best first.

A video ``v.mp4`` gives ``DIR/v.mp4`` (same size, frame rate and frame
count): the colour part maps, or the overlays with ``--overlay``.

Files that cannot be read are skipped with a warning and listed at the
end; the exit code is 1 if any failed.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time
import warnings
from typing import List, Tuple

import cv2
import mmcv
import numpy as np
from mmengine.config import DictAction
from mmengine.utils import ProgressBar

from mmhumanparse.apis import (inference_parser, init_parser, is_detector,
                               is_image_file, is_video_file, label_map,
                               list_images, logits, persons_to_json)
from mmhumanparse.visualization import (ParsingLocalVisualizer, colorize,
                                        part_meta, save_indexed_png)


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Parse images, a folder or a video with a trained model')
    p.add_argument('config', help='config file')
    p.add_argument('checkpoint', help='checkpoint file')
    p.add_argument('input', help='an image, a folder or a video file')
    p.add_argument('--out-dir', required=True, help='output folder')
    p.add_argument(
        '--overlay', action='store_true', help='also write overlays')
    p.add_argument(
        '--opacity', type=float, default=0.5, help='part opacity, [0, 1]')
    p.add_argument(
        '--save-logits',
        action='store_true',
        help='write float16 (C, H, W) logits as .npy (segmentors)')
    p.add_argument('--device', default='cpu', help="e.g. 'cpu', 'cuda:0'")
    p.add_argument('--batch-size', type=int, default=1)
    p.add_argument(
        '--score-thr',
        type=float,
        default=0.3,
        help='persons drawn in overlays score at least this (detectors)')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value')
    args = p.parse_args(argv)
    if not 0 <= args.opacity <= 1:
        p.error(f'--opacity must be in [0, 1], got {args.opacity}')
    if args.batch_size < 1:
        p.error(f'--batch-size must be >= 1, got {args.batch_size}')
    return args


class Writer:
    """Writes every output of one parsed image."""

    def __init__(self, model, args):
        self.model = model
        self.args = args
        self.detector = is_detector(model)
        self.palette = part_meta(model.dataset_meta)[1]
        self.vis = ParsingLocalVisualizer(
            alpha=args.opacity, score_thr=args.score_thr)
        self.vis.dataset_meta = model.dataset_meta
        if args.save_logits and self.detector:
            warnings.warn('--save-logits: a detector has no per-pixel '
                          'logits; none are written')

    def overlay(self, img_bgr: np.ndarray, sample) -> np.ndarray:
        """(H, W, 3) BGR drawing of the prediction over the image."""
        self.vis.add_datasample(
            'overlay',
            mmcv.bgr2rgb(img_bgr),
            sample,
            draw_gt=False,
            out_file=None)
        return mmcv.rgb2bgr(self.vis.get_image())

    def write(self, img_bgr: np.ndarray, sample, stem: str,
              rel: str) -> None:
        """Write ``stem``.png (+ overlay, logits, json)."""
        os.makedirs(osp.dirname(stem) or '.', exist_ok=True)
        save_indexed_png(stem + '.png', label_map(sample), self.palette)
        if self.args.overlay:
            cv2.imwrite(stem + '_overlay.jpg', self.overlay(img_bgr, sample))
        if self.args.save_logits and not self.detector:
            np.save(stem + '_logits.npy', logits(sample).astype(np.float16))
        if self.detector:
            h, w = img_bgr.shape[:2]
            record = dict(
                image=rel,
                height=h,
                width=w,
                persons=persons_to_json(sample))
            with open(stem + '.json', 'w') as f:
                json.dump(record, f)


def _batches(items: List, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def run_images(model, writer: Writer, files: List[Tuple[str, str]],
               args) -> List[str]:
    """Parse (path, relative path) pairs; return the failed paths."""
    failed = []
    bar = ProgressBar(len(files), file=sys.stdout)
    for chunk in _batches(files, args.batch_size):
        imgs, kept = [], []
        for path, rel in chunk:
            img = cv2.imread(path, cv2.IMREAD_COLOR)
            if img is None:
                warnings.warn(f'skipped {path}: not a readable image')
                failed.append(path)
                bar.update()
                continue
            imgs.append(img)
            kept.append(rel)
        if imgs:
            samples = inference_parser(model, imgs, args.batch_size)
            for img, rel, sample in zip(imgs, kept, samples):
                stem = osp.join(args.out_dir, osp.splitext(rel)[0])
                writer.write(img, sample, stem, rel)
                bar.update()
    return failed


def run_video(model, writer: Writer, path: str, args) -> Tuple[int, str]:
    """Parse every frame of a video; return (frames, output video)."""
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise OSError(f'{path}: cannot open the video')
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    w = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))
    h = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    os.makedirs(args.out_dir, exist_ok=True)
    out = osp.join(args.out_dir, osp.basename(path))
    fourcc = 'MJPG' if out.lower().endswith('.avi') else 'mp4v'
    video = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*fourcc), fps,
                            (w, h))
    if not video.isOpened():
        raise OSError(f'{out}: OpenCV cannot write this video format')
    bar = ProgressBar(max(total, 0), file=sys.stdout)
    frames = 0
    try:
        while True:
            batch = []
            while len(batch) < args.batch_size:
                ok, frame = cap.read()
                if not ok:
                    break
                batch.append(frame)
            if not batch:
                break
            for frame, sample in zip(
                    batch, inference_parser(model, batch, args.batch_size)):
                if args.overlay:
                    drawn = writer.overlay(frame, sample)
                else:
                    drawn = colorize(label_map(sample), writer.palette)
                video.write(drawn)
                frames += 1
                bar.update()
    finally:
        cap.release()
        video.release()
    return frames, out


def main(argv=None) -> int:
    args = parse_args(argv)
    src = args.input
    if not osp.exists(src):
        raise FileNotFoundError(f'INPUT not found: {src}')
    if osp.isfile(src) and not (is_image_file(src) or is_video_file(src)):
        raise ValueError(f'INPUT {src} is neither an image nor a video '
                         '(by its extension)')
    model = init_parser(args.config, args.checkpoint, args.device,
                        args.cfg_options)
    writer = Writer(model, args)
    start = time.perf_counter()
    failed: List[str] = []
    if osp.isfile(src) and is_video_file(src):
        done, out = run_video(model, writer, src, args)
        what = f'wrote {done} frames to {out}'
    else:
        if osp.isdir(src):
            files = [(f, osp.relpath(f, src)) for f in list_images(src)]
            if not files:
                raise FileNotFoundError(f'no images found under {src}')
        else:
            files = [(src, osp.basename(src))]
        failed = run_images(model, writer, files, args)
        done = len(files) - len(failed)
        what = f'wrote {done} results to {args.out_dir}'
    secs = time.perf_counter() - start
    if failed:
        print(f'\n{len(failed)} file(s) could not be read:')
        for f in failed:
            print(f'  {f}')
    print(f'\n{what}; {len(failed)} failed; {secs:.1f} s, '
          f'{done / max(secs, 1e-9):.2f} img/s')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
