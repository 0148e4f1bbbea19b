"""Let mmengine load ``mmhumanparse::<method>/<config>.py`` configs.

mmengine 0.10.7 resolves ``_base_ = 'mmhumanparse::lipnet/x.py'`` and
``mmengine.hub.get_config('mmhumanparse::lipnet/x.py')`` in two steps, and
both need help for a package outside OpenMMLab's own list:

1. ``mmengine.config.utils.MODULE2PACKAGE`` maps the scope before ``::`` to
   a distribution name and is a fixed dict (mmdet, mmseg, mmyolo, ...):
   without an entry mmengine stops with "mmengine does not support to load
   mmhumanparse config". :func:`enable_package_configs` adds
   ``'mmhumanparse': 'mmhumanparse'``.
2. ``get_installed_path('mmhumanparse')`` joins the distribution's location
   with the package name. For a PEP 660 editable install
   (``pip install -e .`` with setuptools >= 64) the location is
   ``site-packages`` while the package stays in the source tree, so the
   path does not exist. The config loader and the hub are given a version
   that answers with the folder of the imported ``mmhumanparse`` (the one
   whose code runs) and asks mmengine for any other package.

The configs themselves live in ``mmhumanparse/.mim/configs`` (links in an
editable install, copies in a wheel; see ``setup.py``).
:mod:`mmhumanparse.utils` calls :func:`enable_package_configs` on import, so
``from mmhumanparse.utils import register_all_modules`` (which every tool
runs before reading its config) is enough. ``import mmhumanparse`` alone
stays free of the OpenMMLab stack and does not do it.
"""
import functools
import os.path as osp

import mmengine.config.config as _config_module
import mmengine.hub.hub as _hub_module
from mmengine.config.utils import MODULE2PACKAGE

PACKAGE = 'mmhumanparse'


def package_dir() -> str:
    """Folder of the imported ``mmhumanparse`` package (holds ``.mim``)."""
    return osp.dirname(osp.dirname(osp.abspath(__file__)))


def _wrap(get_installed_path):
    if getattr(get_installed_path, 'mmhumanparse_wrapped', False):
        return get_installed_path

    @functools.wraps(get_installed_path)
    def wrapped(package: str) -> str:
        if package == PACKAGE:
            return package_dir()
        return get_installed_path(package)

    wrapped.mmhumanparse_wrapped = True
    return wrapped


def enable_package_configs() -> None:
    """Make ``mmhumanparse::`` config paths resolvable (idempotent)."""
    MODULE2PACKAGE.setdefault(PACKAGE, PACKAGE)
    for module in (_config_module, _hub_module):
        module.get_installed_path = _wrap(module.get_installed_path)
