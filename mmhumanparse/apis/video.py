"""Video input of :class:`HumanParsingInferencer`: frames in, videos out."""
import os
import os.path as osp
import sys

import cv2
import mmcv
import numpy as np
from mmengine.utils import ProgressBar

from .inputs import check_no_overwrite
from .results import label_map


def _open_video_writer(path: str, fps: float, size) -> cv2.VideoWriter:
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    fourcc = 'MJPG' if path.lower().endswith('.avi') else 'mp4v'
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), fps,
                             size)
    if not writer.isOpened():
        raise OSError(f'{path}: OpenCV cannot write this video format')
    return writer


def parse_video(inferencer, path: str, batch_size: int, fwd: dict, vis: dict,
                post: dict, keep) -> dict:
    """Parse every frame; write ``pred_out_dir/<name>`` (coloured part
    maps) and ``vis_out_dir/<stem>_overlay<ext>`` (overlays), both with
    the video's size, frame rate and frame count. ``keep``: return
    the predictions as data samples (True), dicts ('dicts') or not."""
    from mmhumanparse.visualization import colorize
    pred_dir, vis_dir = post.get('pred_out_dir'), vis.get('vis_out_dir')
    name = osp.basename(path)
    stem, ext = osp.splitext(name)
    outs = {}
    if pred_dir:
        outs['pred'] = osp.join(pred_dir, name)
    if vis_dir:
        outs['vis'] = osp.join(vis_dir, stem + '_overlay' + ext)
    check_no_overwrite([path], list(outs.values()))
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise OSError(f'{path}: cannot open the video')
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    total = max(int(cap.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
    bar = ProgressBar(total, file=sys.stdout) if inferencer.show_progress \
        else None
    vis = dict(vis, vis_out_dir='', return_vis='vis' in outs)
    results = dict(predictions=[], visualization=[], failed=[],
                   skipped=[], written=list(outs.values()), frames=0)
    writers = {}
    try:
        writers = {k: _open_video_writer(p, fps, size)
                   for k, p in outs.items()}
        while True:
            frames = []
            while len(frames) < batch_size:
                ok, frame = cap.read()
                if not ok:
                    break
                frames.append(frame)
            if not frames:
                break
            preds = inferencer.forward(
                [inferencer.load_input(f)['data'] for f in frames], **fwd)
            drawn = inferencer.visualize(frames, preds, [stem] * len(frames),
                                         **vis)
            for i, pred in enumerate(preds):
                labels = label_map(pred)
                if 'pred' in writers:
                    writers['pred'].write(colorize(labels, inferencer.palette))
                if 'vis' in writers:
                    writers['vis'].write(mmcv.rgb2bgr(drawn[i]))
                if keep:  # True: data samples; 'dicts'; False: none
                    results['predictions'].append(
                        pred if keep is True else
                        dict(sem_seg=labels.astype(np.uint8)))
                results['frames'] += 1
                if bar:
                    bar.update()
    finally:
        cap.release()
        for w in writers.values():
            w.release()
    return results
