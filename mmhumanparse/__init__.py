"""mmhumanparse: human parsing for OpenMMLab (mmseg / mmdet plugin)."""
from importlib.metadata import PackageNotFoundError, version as _dist_version

from .version import __version__

# (distribution, import name, min inclusive, max exclusive)
_REQUIRED = (
    ('mmcv', 'mmcv', '2.0.0rc4', '2.2.0'),
    ('mmengine', 'mmengine', '0.10.0', '1.0.0'),
    ('mmsegmentation', 'mmseg', '1.2.0', '1.3.0'),
    ('mmdet', 'mmdet', '3.3.0', '3.4.0'),
)


def _parse(v: str):
    from mmengine.utils import digit_version
    return digit_version(v)


def check_versions(found=None):
    """Raise ``ImportError`` naming the package whose version is unsupported.

    Args:
        found (dict, optional): ``{dist_name: version}`` to check instead of the
            installed distributions (used by the tests).
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
            raise ImportError(
                f'mmhumanparse needs {dist} (import name {mod!r}) >= {lo}, '
                f'< {hi}, but it is not installed.')
        if not (_parse(lo) <= _parse(ver) < _parse(hi)):
            raise ImportError(
                f'mmhumanparse needs {dist} >= {lo}, < {hi}, but {dist}=={ver} '
                f'is installed. Please install a compatible {dist}.')


check_versions()

from .utils import register_all_modules  # noqa: E402

__all__ = ['__version__', 'check_versions', 'register_all_modules']
