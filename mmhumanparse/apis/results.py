"""Turn inference data samples into plain arrays, json records and files."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

from mmhumanparse.structures.sample_utils import pixel_labels, to_numpy


def label_map(sample) -> np.ndarray:
    """(H, W) int64 part labels of ``sample.pred_sem_seg`` at the input
    size (mmseg's ``data`` or mmdet's ``sem_seg`` key).

    Raises:
        KeyError: the sample has no ``pred_sem_seg``.
    """
    if 'pred_sem_seg' not in sample:
        raise KeyError('the data sample has no pred_sem_seg')
    return pixel_labels(sample.pred_sem_seg).astype(np.int64)


def logits(sample) -> Optional[np.ndarray]:
    """(C, H, W) float32 ``seg_logits`` of a segmentor sample, else None."""
    if 'seg_logits' not in sample:
        return None
    return to_numpy(sample.seg_logits.data).astype(np.float32)


def encode_rle(mask: np.ndarray) -> Dict:
    """COCO RLE (``{'size': [H, W], 'counts': str}``) of an (H, W) mask."""
    from pycocotools import mask as mask_utils
    rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    rle['counts'] = rle['counts'].decode('ascii')
    return rle


def decode_rle(rle: Dict) -> np.ndarray:
    """(H, W) uint8 mask of a COCO RLE written by :func:`encode_rle`."""
    from pycocotools import mask as mask_utils
    rle = dict(rle, counts=rle['counts'].encode('ascii'))
    return mask_utils.decode(rle)


def persons_to_json(sample, score_thr: float = 0.0) -> List[Dict]:
    """One record per detected person, best score first.

    Args:
        sample (DetDataSample): with ``pred_instances`` holding ``bboxes``
            (N, 4) xyxy, ``scores`` (N,) and ``parsings`` (N, H, W) part
            labels.
        score_thr (float): drop persons scoring lower.

    Returns:
        list[dict]: ``{'bbox': [x1, y1, x2, y2], 'score': float,
        'parts': {str(label): COCO RLE of that part, ...}}``; only the part
        labels > 0 present in the person's map appear. Decode with
        :func:`decode_rle` (or ``pycocotools.mask.decode``).
    """
    inst = sample.pred_instances
    scores = to_numpy(inst.scores).astype(np.float64).reshape(-1)
    boxes = to_numpy(inst.bboxes).astype(np.float64).reshape(-1, 4)
    parsings = to_numpy(inst.parsings) if 'parsings' in inst else None
    records = []
    for k in np.argsort(-scores, kind='stable'):
        if scores[k] < score_thr:
            continue
        parts = {}
        if parsings is not None:
            for label in np.unique(parsings[k]):
                if label > 0:
                    parts[str(int(label))] = encode_rle(parsings[k] == label)
        records.append(
            dict(
                bbox=[round(float(v), 2) for v in boxes[k]],
                score=round(float(scores[k]), 5),
                parts=parts))
    return records


def parts_from_json(record: Dict, shape) -> np.ndarray:
    """(H, W) uint8 part map of one person record of
    :func:`persons_to_json`."""
    out = np.zeros(shape, np.uint8)
    for label, rle in record['parts'].items():
        out[decode_rle(rle).astype(bool)] = int(label)
    return out


def sample_to_dict(sample) -> Dict:
    """``{'sem_seg': (H, W) uint8 labels}``, plus ``'persons'`` (the
    records of :func:`persons_to_json`) for a detector sample."""
    out = dict(sem_seg=label_map(sample).astype(np.uint8))
    if 'pred_instances' in sample:
        out['persons'] = persons_to_json(sample)
    return out


def write_prediction(sample,
                     stem: str,
                     source: str,
                     palette: Sequence,
                     save_logits: bool = False) -> str:
    """Write the prediction files of one image.

    - ``stem.png``: the (H, W) part labels as an 8-bit indexed PNG (pixel
      value = label, the dataset palette as its palette);
    - ``stem_logits.npy`` with ``save_logits`` (segmentors): float16
      (C, h, w) logits as the sample holds them;
    - ``stem.json`` (detectors): ``{"image": source, "height", "width",
      "persons": persons_to_json(sample)}``.

    Args:
        sample: a segmentor or detector data sample.
        stem (str): output path without extension.
        source (str): the input's name, written into the json.
        palette (list): RGB triples, index = label.
        save_logits (bool): also write the logits.

    Returns:
        str: the label PNG's path.
    """
    from mmhumanparse.visualization import save_indexed_png
    os.makedirs(osp.dirname(stem) or '.', exist_ok=True)
    save_indexed_png(stem + '.png', label_map(sample), palette)
    if save_logits and 'seg_logits' in sample:
        np.save(stem + '_logits.npy', logits(sample).astype(np.float16))
    if 'pred_instances' in sample:
        h, w = sample.metainfo['ori_shape'][:2]
        record = dict(
            image=source,
            height=int(h),
            width=int(w),
            persons=persons_to_json(sample))
        with open(stem + '.json', 'w') as f:
            json.dump(record, f)
    return stem + '.png'
