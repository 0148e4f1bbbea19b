"""The package version and the versions of the OpenMMLab stack it needs.

Imports nothing but the standard library: ``mmhumanparse/__init__.py``
checks the installed versions at import (``missing_ok=True``) and
``register_all_modules`` checks them again, naming a missing package.
"""
import re
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version

__version__ = '0.1.0'

# (distribution, import name, min inclusive, max exclusive)
_REQUIRED = (
    ('mmcv', 'mmcv', '2.0.0rc4', '2.2.0'),
    ('mmengine', 'mmengine', '0.10.0', '1.0.0'),
    ('mmsegmentation', 'mmseg', '1.2.0', '1.3.0'),
    ('mmdet', 'mmdet', '3.3.0', '3.4.0'),
)
_PRE = {'a': -3, 'b': -2, 'rc': -1}


def _parse(v: str) -> tuple:
    """Comparable key of a version string, like mmengine's ``digit_version``:
    ``'2.0.0rc4'`` < ``'2.0.0'`` < ``'2.0.1'``; local / dev suffixes ignored.
    """
    m = re.match(r'(\d+(?:\.\d+)*)(?:\.?(a|b|rc)(\d*))?', v.strip())
    if m is None:
        raise ValueError(f'cannot parse version {v!r}')
    nums = [int(x) for x in m.group(1).split('.')]
    nums += [0] * (3 - len(nums))
    pre = (_PRE[m.group(2)], int(m.group(3) or 0)) if m.group(2) else (0, 0)
    return tuple(nums) + pre


def check_versions(found=None, missing_ok: bool = False):
    """Raise ``ImportError`` naming the package whose version is unsupported.

    Args:
        found (dict, optional): ``{dist_name: version}`` to check instead of
            the installed distributions (used by the tests).
        missing_ok (bool): skip packages that are not installed (only the
            versions of installed ones are checked). Package import uses it.
    """
    for dist, mod, lo, hi in _REQUIRED:
        if found is not None:
            ver = found.get(dist)
        else:
            try:
                ver = _dist_version(dist)
            except PackageNotFoundError:
                ver = None
        if ver is None:
            if missing_ok:
                continue
            raise ImportError(
                f'mmhumanparse needs {dist} (import name {mod!r}) >= {lo}, '
                f'< {hi}, but it is not installed.')
        if not (_parse(lo) <= _parse(ver) < _parse(hi)):
            raise ImportError(
                f'mmhumanparse needs {dist} >= {lo}, < {hi}, but '
                f'{dist}=={ver} is installed. Please install a compatible '
                f'{dist}.')
