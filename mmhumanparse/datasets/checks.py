"""Dataset checks, in two depths.

- Cheap, at dataset construction (:func:`missing_files`, the
  ``*_record_problem`` functions, :func:`raise_problems`): every listed file
  exists (one ``stat`` each), the split is not empty, the json records have
  their keys. Each problem names the list / json and the record.
- Per sample, in ``tools/misc/check_dataset.py`` (:func:`check_sample`):
  the image decodes, every label map opens, has the image's size and holds
  values ``< num_classes`` or the ignore value 255.

A problem is a ``(path, message)`` pair: ``path`` is the faulty file (or
the list / json for a problem of the split itself).
"""
import os.path as osp
from typing import Iterable, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmhumanparse.converters.label_io import read_label_png

Problem = Tuple[str, str]
NOT_FOUND = 'not found'
# problems listed in an exception raised at dataset construction
MAX_RAISED = 10
IMAGE_KEYS = ('id', 'file_name', 'height', 'width')
ANNOTATION_KEYS = ('image_id', 'bbox', 'parsing')


def missing_files(records: Iterable[Tuple[str, Sequence[str]]]
                  ) -> List[Problem]:
    """Files that do not exist, one ``stat`` per distinct path.

    Args:
        records: ``(record, paths)`` pairs; ``record`` names where the
            paths were listed (e.g. ``'train_id.txt line 17'``).

    Returns:
        list[tuple[str, str]]: ``(path, 'not found (<record>)')``.
    """
    seen, found = set(), []
    for record, paths in records:
        for path in paths:
            if path is None or path in seen:
                continue
            seen.add(path)
            if not osp.isfile(path):
                found.append((path, f'{NOT_FOUND} ({record})'))
    return found


def record_name(what: str, index: int, rec) -> str:
    """``'images[3] (id 17)'``: a json record, for messages."""
    ident = f' (id {rec["id"]})' if isinstance(rec, dict) and (
        'id' in rec) else ''
    return f'{what}[{index}]{ident}'


def image_record_problem(rec) -> str:
    """What an image record of a parsing json lacks (``id, file_name,
    height, width``), or ''."""
    lacking = [k for k in IMAGE_KEYS if not isinstance(rec, dict)
               or k not in rec]
    return f'missing key(s) {lacking}' if lacking else ''


def annotation_record_problem(rec, image_ids) -> str:
    """What is wrong with an annotation record, or ''.

    It needs ``image_id`` (one of ``image_ids``), a 4-number ``bbox`` and
    a ``parsing`` dict with ``file`` (and ``human_id`` beside
    ``human_file``).
    """
    lacking = [k for k in ANNOTATION_KEYS if not isinstance(rec, dict)
               or k not in rec]
    if lacking:
        return f'missing key(s) {lacking}'
    parsing, bbox = rec['parsing'], rec['bbox']
    if not isinstance(parsing, dict) or 'file' not in parsing:
        return 'parsing has no "file"'
    if 'human_file' in parsing and 'human_id' not in parsing:
        return 'parsing has "human_file" but no "human_id"'
    if not isinstance(bbox, (list, tuple)) or len(bbox) != 4:
        return f'bbox {bbox!r} is not [x, y, w, h]'
    if rec['image_id'] not in image_ids:
        return f'image_id {rec["image_id"]!r} is no image of the json'
    return ''


def format_problems(problems: Sequence[Problem],
                    limit: int = None) -> str:
    """One ``path: message`` line per problem (the first ``limit``)."""
    shown = problems if limit is None else problems[:limit]
    lines = [f'  {path}: {msg}' for path, msg in shown]
    if len(problems) > len(shown):
        lines.append(f'  ... and {len(problems) - len(shown)} more')
    return '\n'.join(lines)


def raise_problems(problems: Sequence[Problem], what: str) -> None:
    """Raise if there is any problem: ``FileNotFoundError`` when every one
    is a missing file, else ``ValueError``; the message lists the first
    ``MAX_RAISED`` and points to ``tools/misc/check_dataset.py``.

    Args:
        problems: ``(path, message)`` pairs.
        what (str): the dataset and its list / json, for the message.
    """
    if not problems:
        return
    missing = all(msg.startswith(NOT_FOUND) for _, msg in problems)
    kind = FileNotFoundError if missing else ValueError
    raise kind(f'{what}: {len(problems)} problem(s):\n'
               f'{format_problems(problems, MAX_RAISED)}\n'
               'tools/misc/check_dataset.py CONFIG lists every faulty file '
               'of a config\'s splits.')


def label_value_problem(label: np.ndarray, num_classes: int) -> str:
    """The message for values >= num_classes that are not 255, or ''.

    Args:
        label (np.ndarray): (H, W) integer label map.
        num_classes (int): number of classes incl. background.
    """
    bad = (label >= num_classes) & (label != 255)
    if not bad.any():
        return ''
    values = np.unique(label[bad])[:10].tolist()
    return (f'label values {values} are >= num_classes={num_classes} and '
            'not the ignore value 255')


def check_label_values(label: np.ndarray, num_classes: int,
                       path: str) -> None:
    """Raise ``ValueError`` naming ``path`` if ``label`` holds a value
    >= num_classes that is not 255 (see :func:`label_value_problem`)."""
    problem = label_value_problem(label, num_classes)
    if problem:
        raise ValueError(f'{path}: {problem}')


def _label_problems(path: str, channel, shape, num_classes: int
                    ) -> List[Problem]:
    try:
        label = read_label_png(path, channel)
    except (OSError, ValueError) as e:
        return [(path, f'cannot be read as a label map: {e}')]
    found = []
    if shape is not None and label.shape != tuple(shape):
        found.append((path, f'label size {label.shape} (h, w) differs from '
                      f'the image size {tuple(shape)}'))
    problem = label_value_problem(label, num_classes)
    if problem:
        found.append((path, problem))
    return found


def check_sample(info: dict) -> List[Problem]:
    """Open every file of one data info and check the label maps.

    Args:
        info (dict): a data info of an mmhumanparse dataset: ``img_path``,
            ``num_classes``, optional ``seg_map_path`` (single-channel PNG)
            and ``instances`` with ``parsing`` (``file``, ``channel``,
            ``human_file``) and ``height`` / ``width`` (multi-person json).
            Files that do not exist are skipped (:func:`missing_files`
            reports them).

    Returns:
        list[tuple[str, str]]: ``(path, message)`` per problem.
    """
    found, shape = [], None
    img_path = info['img_path']
    if osp.isfile(img_path):
        # decoded as LoadImageFromFile does (OpenCV, EXIF orientation)
        img = cv2.imread(img_path, cv2.IMREAD_COLOR)
        if img is None:
            found.append((img_path, 'cannot be decoded as an image'))
        else:
            shape = img.shape[:2]
            hw = (info.get('height'), info.get('width'))
            if None not in hw and tuple(hw) != shape:
                found.append((img_path, f'image size {shape} (h, w) differs '
                              f'from the json height, width {hw}'))
    for path, channel, num in label_files(info):
        if osp.isfile(path):
            found += _label_problems(path, channel, shape, num)
    return found


def label_files(info: dict) -> List[Tuple[str, Optional[int], int]]:
    """The label maps of one data info, each once.

    Returns:
        list[tuple]: ``(path, channel, bound)``: the channel read (None:
        the PNG must have one) and the bound its values stay below (255
        aside): ``num_classes`` for part maps, 256 for CIHP ``Human_ids``
        maps (person ids, their size is checked only).
    """
    num_classes = info['num_classes']
    labels = []
    if info.get('seg_map_path'):
        channel = None if 'instances' not in info else 0
        labels.append((info['seg_map_path'], channel, num_classes))
    for inst in info.get('instances', []):
        parsing = inst['parsing']
        labels.append(
            (parsing['file'], parsing.get('channel', 0), num_classes))
        if 'human_file' in parsing:
            labels.append((parsing['human_file'], 0, 256))
    return list(dict.fromkeys(labels))
