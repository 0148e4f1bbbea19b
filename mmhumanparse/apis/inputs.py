"""What an inference input is: an image, a list of them, a folder, a video."""
import os
import os.path as osp
from typing import List

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v')


def is_image_file(path: str) -> bool:
    """True if ``path`` has an image extension (case-insensitive)."""
    return osp.splitext(path)[1].lower() in IMG_EXTENSIONS


def is_video_file(path: str) -> bool:
    """True if ``path`` has a video extension (case-insensitive)."""
    return osp.splitext(path)[1].lower() in VIDEO_EXTENSIONS


def list_images(folder: str) -> List[str]:
    """Image files under ``folder``, recursively, sorted by relative path.

    Args:
        folder (str): a directory.

    Returns:
        list[str]: paths ``folder/<relative path>`` of every file with an
        image extension (see ``IMG_EXTENSIONS``).

    Raises:
        NotADirectoryError: if ``folder`` is not a directory.
    """
    if not osp.isdir(folder):
        raise NotADirectoryError(f'not a directory: {folder}')
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(
            osp.join(root, f) for f in sorted(files) if is_image_file(f))
    return sorted(found, key=lambda p: osp.relpath(p, folder))
