"""What an inference input is (an image array or file, a folder, a list, a
video), where its outputs go, and the checks that keep inputs safe."""
import os
import os.path as osp
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.jfif', '.png', '.bmp', '.tif', '.tiff',
                  '.webp')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v')
# Extensions skipped in a folder, with the reason printed for them.
SKIP_REASONS = {
    '.gif': 'GIF is not parsed (animated); convert its frames to PNG or '
    'the file to a video and give that as the input',
}
VIDEO_IN_FOLDER = ('a video inside a folder is not parsed; give the video '
                   'file itself as the input')
NOT_AN_IMAGE = 'not an image extension ({})'.format(', '.join(IMG_EXTENSIONS))


def is_image_file(path: str) -> bool:
    """True if ``path`` has an image extension (case-insensitive)."""
    return osp.splitext(path)[1].lower() in IMG_EXTENSIONS


def is_video_file(path: str) -> bool:
    """True if ``path`` has a video extension (case-insensitive)."""
    return osp.splitext(path)[1].lower() in VIDEO_EXTENSIONS


def list_inputs(folder: str) -> Tuple[List[str], List[Tuple[str, str]]]:
    """Image files under ``folder`` (recursive) and the files skipped.

    Args:
        folder (str): a directory.

    Returns:
        tuple: ``(images, skipped)``: ``images`` are the paths
        ``folder/<relative path>`` of every file with an image extension
        (``IMG_EXTENSIONS``), sorted by relative path; ``skipped`` are
        ``(path, reason)`` pairs for every other file (videos, GIFs, ...).

    Raises:
        NotADirectoryError: if ``folder`` is not a directory.
    """
    if not osp.isdir(folder):
        raise NotADirectoryError(f'not a directory: {folder}')
    found, skipped = [], []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = osp.join(root, name)
            ext = osp.splitext(name)[1].lower()
            if is_image_file(name):
                found.append(path)
            elif is_video_file(name):
                skipped.append((path, VIDEO_IN_FOLDER))
            else:
                skipped.append((path, SKIP_REASONS.get(ext, NOT_AN_IMAGE)))

    def rel(p):
        return osp.relpath(p[0] if isinstance(p, tuple) else p, folder)

    return sorted(found, key=rel), sorted(skipped, key=rel)


def list_images(folder: str) -> List[str]:
    """Image files under ``folder``, recursively, sorted by relative path
    (the first list of :func:`list_inputs`)."""
    return list_inputs(folder)[0]


def check_input_path(src) -> str:
    """``src`` as a str if it is a folder, an image or a video file.

    Raises:
        FileNotFoundError: ``src`` does not exist.
        ValueError: a file that is neither an image nor a video.
    """
    src = str(src)
    if not osp.exists(src):
        raise FileNotFoundError(f'input not found: {src}')
    if osp.isfile(src) and not (is_image_file(src) or is_video_file(src)):
        raise ValueError(f'input {src} is neither an image nor a video (by '
                         f'its extension: {IMG_EXTENSIONS}, '
                         f'{VIDEO_EXTENSIONS})')
    return src


def check_array(img: np.ndarray) -> np.ndarray:
    """An image array as the pipeline reads it: (H, W, 3) uint8 BGR.

    (H, W) and (H, W, 1) grayscale arrays are repeated to 3 channels.
    Only uint8 is accepted: a uint16 or float array has no single right
    conversion (0..65535? 0..1?), so convert it yourself, e.g.
    ``(img / 257).round().astype(np.uint8)`` or
    ``(img * 255).round().astype(np.uint8)``.

    Raises:
        ValueError: another dtype or shape, or an empty array.
    """
    if img.dtype != np.uint8:
        raise ValueError(f'an image array must be uint8 (0..255, as '
                         f'cv2.imread gives), got dtype {img.dtype}; '
                         'convert it first (see check_array)')
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=-1)
    if img.ndim != 3 or img.shape[-1] != 3 or img.size == 0:
        raise ValueError('an image array must be (H, W, 3) BGR or (H, W) '
                         f'grayscale, got shape {img.shape}')
    return img


def output_stems(names: Sequence[str]) -> List[str]:
    """One unique output stem per input name (relative path).

    The stem is the name without its extension (``sub/a.jpg`` ->
    ``sub/a``), unless two names share it (``a.jpg`` and ``a.png``, also
    when only the letter case differs): then both keep their extension in
    the stem (``a_jpg``, ``a_png``). Any stem still taken gets ``_2``,
    ``_3``...

    Args:
        names (list[str]): relative input paths.

    Returns:
        list[str]: stems, in the order of ``names``.
    """
    plain = [osp.splitext(n)[0] for n in names]
    counts: Dict[str, int] = {}
    for s in plain:
        counts[s.lower()] = counts.get(s.lower(), 0) + 1
    stems, taken = [], set()
    for name, stem in zip(names, plain):
        if counts[stem.lower()] > 1:
            stem = stem + '_' + osp.splitext(name)[1].lstrip('.')
        unique, k = stem, 1
        while unique.lower() in taken:
            k += 1
            unique = f'{stem}_{k}'
        taken.add(unique.lower())
        stems.append(unique)
    return stems


def _inside(path: str, folder: str) -> bool:
    path, folder = osp.realpath(path), osp.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_out_dirs(src, out_dirs: Sequence[str]) -> None:
    """Refuse output folders that would mix outputs into a folder input.

    An output folder equal to or inside the input folder would overwrite
    inputs (``person.png`` by its own label map) and a rerun would parse
    the earlier outputs as inputs.

    Raises:
        ValueError: naming both folders.
    """
    if not isinstance(src, (str, Path)) or not osp.isdir(src):
        return
    for out in out_dirs:
        if out and _inside(out, src):
            raise ValueError(
                f'output folder {out} is the input folder {src} or inside '
                'it: outputs could overwrite inputs and a rerun would parse '
                'them as inputs; choose a folder outside the input')


def check_no_overwrite(inputs: Sequence, outputs: Sequence[str]) -> None:
    """Refuse to write any output file onto an input file.

    Raises:
        ValueError: naming the file.
    """
    paths = {
        osp.realpath(str(i))
        for i in inputs if isinstance(i, (str, Path))
    }
    for out in outputs:
        if osp.realpath(out) in paths:
            raise ValueError(f'{out} is an input: refusing to overwrite it '
                             'with an output; choose another output folder')
