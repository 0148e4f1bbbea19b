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

Where it lives (``mmhumanparse/testing/``): ``toy_render.py`` (colours,
textures, RGB rendering), ``toy_skeleton.py`` (skeleton sampling, the
label-map canvas), ``toy_paint.py`` (painting one person), ``toy_outfits.py``
(outfit decks per dataset), ``toy_scenes.py`` (one / several persons,
:func:`synthetic_person`), ``toy_writers.py`` (the five dataset layouts) and
this file (:func:`make_toy_data`).

Use::

    from mmhumanparse.testing import make_toy_data
    roots = make_toy_data('data/toy', dataset='all', num=8, seed=0)
"""
import os
import os.path as osp
import shutil
from typing import Dict, Optional, Sequence

import numpy as np

from .toy_writers import write_multi, write_single

DATASETS = ('lip', 'atr', 'ppp', 'cihp', 'mhp')
ROOT_NAMES = dict(lip='LIP', atr='ATR', ppp='PPP', cihp='CIHP', mhp='MHP')
DEFAULT_SIZES = dict(
    lip=(128, 96), atr=(128, 96), ppp=(128, 96), cihp=(160, 160),
    mhp=(160, 160))
MULTI_PERSON = ('cihp', 'mhp')
# A root holding this file was written by make_toy_data and may be rewritten.
MARKER = '.mmhumanparse_toy_data'


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
            writer = write_multi if name in MULTI_PERSON else write_single
            writer(name, root, split, n, rng, hw)
        roots[name] = root
    return roots


def toy_images(num: int, seed: int = 0) -> list:
    """``num`` BGR uint8 toy LIP training images (written to a temporary
    folder by :func:`make_toy_data`, read back with OpenCV): calibration
    and verification inputs for the deployment tools when no image folder
    is given."""
    import tempfile

    import cv2
    with tempfile.TemporaryDirectory() as tmp:
        root = make_toy_data(tmp, dataset='lip', num=num, seed=seed)['LIP']
        folder = os.path.join(root, 'train_images')
        return [
            cv2.imread(os.path.join(folder, f))
            for f in sorted(os.listdir(folder))
        ]
