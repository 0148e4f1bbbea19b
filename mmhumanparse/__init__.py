"""mmhumanparse: human parsing for OpenMMLab (mmseg / mmdet plugin).

Importing the package imports nothing from the OpenMMLab stack (nor torch):
it checks the *installed* versions of mmcv, mmengine, mmsegmentation and
mmdet from their distribution metadata and raises ``ImportError`` naming a
package whose version is unsupported, as mmseg and mmdet do at import. A
package that is missing altogether is reported by
:func:`register_all_modules` (and by Python when a module needing it is
imported), so the mm-free parts (``mmhumanparse.converters``) work on a data
machine with numpy, Pillow and OpenCV only.
"""
from .version import __version__, check_versions

check_versions(missing_ok=True)


def __getattr__(name: str):
    # ``mmhumanparse.register_all_modules`` without importing mmengine when
    # the package is imported (PEP 562)
    if name == 'register_all_modules':
        from .utils import register_all_modules
        return register_all_modules
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = ['__version__', 'check_versions', 'register_all_modules']
