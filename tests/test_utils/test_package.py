"""mmhumanparse/__init__.py: the version guard, and an import that pulls in
nothing of the OpenMMLab stack."""
import os
import os.path as osp
import subprocess
import sys

import pytest

import mmhumanparse
import mmhumanparse.utils
from mmhumanparse.version import _parse, check_versions

GOOD = {
    'mmcv': '2.1.0',
    'mmengine': '0.10.7',
    'mmsegmentation': '1.2.2',
    'mmdet': '3.3.0'
}


def test_installed_versions_pass():
    check_versions()
    check_versions(GOOD)


@pytest.mark.parametrize('dist,bad', [('mmcv', '1.7.1'), ('mmcv', '2.2.0'),
                                      ('mmengine', '0.9.0'),
                                      ('mmsegmentation', '0.30.0'),
                                      ('mmdet', '2.28.2')])
def test_wrong_version_is_named(dist, bad):
    with pytest.raises(ImportError, match=f'{dist}=={bad} is installed'):
        check_versions(dict(GOOD, **{dist: bad}))


def test_missing_package_is_named():
    found = dict(GOOD)
    del found['mmdet']
    with pytest.raises(ImportError, match='needs mmdet .* not installed'):
        check_versions(found)


def test_missing_package_is_skipped_when_missing_ok():
    found = dict(GOOD)
    del found['mmdet']
    check_versions(found, missing_ok=True)
    with pytest.raises(ImportError, match='mmdet==2.28.2 is installed'):
        check_versions(dict(found, mmdet='2.28.2'), missing_ok=True)


@pytest.mark.parametrize('lo,hi', [('2.0.0rc4', '2.0.0'),
                                   ('2.0.0', '2.1.0'), ('0.9.0', '0.10.0'),
                                   ('1.7.1', '2.0.0rc4'), ('2.1.0', '2.1.1'),
                                   ('3.3.0rc1', '3.3.0rc2')])
def test_version_order(lo, hi):
    assert _parse(lo) < _parse(hi)
    assert _parse(lo) == _parse(lo)
    assert _parse('2.1.0+cu121') == _parse('2.1.0')


def test_import_pulls_in_no_mm_package():
    """``import mmhumanparse`` must not import torch or the mm stack (the
    converters run without them); register_all_modules is resolved lazily."""
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    code = ('import sys, mmhumanparse\n'
            'heavy = {"torch", "mmcv", "mmengine", "mmseg", "mmdet"}\n'
            'print(sorted({m.split(".")[0] for m in sys.modules} & heavy))\n'
            'f = mmhumanparse.register_all_modules\n'
            'print(f.__module__)\n')
    env = dict(os.environ, PYTHONPATH=repo + os.pathsep +
               os.environ.get('PYTHONPATH', ''))
    proc = subprocess.run([sys.executable, '-c', code], env=env, cwd=repo,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split('\n')[:2] == [
        '[]', 'mmhumanparse.utils.setup_env']
    with pytest.raises(AttributeError, match='no attribute'):
        mmhumanparse.no_such_name


def test_version():
    assert mmhumanparse.__version__ == mmhumanparse.version.__version__


def _imported_modules(path: str, package: str):
    """Absolute names of the modules imported by the file at ``path``,
    which lives in ``package`` (relative imports resolved)."""
    import ast
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split('.')
            base = base[:len(base) - node.level + 1] if node.level else []
            mod = '.'.join(base + ([node.module] if node.module else []))
            names.append(mod)
            if node.module is None:  # from . import x
                names += [f'{mod}.{a.name}' for a in node.names]
    return names


# packages that sit above utils/ (apis builds models, testing writes toy
# data, deployment exports; the package __init__ imports utils lazily)
ABOVE_UTILS = ('mmhumanparse', 'mmhumanparse.apis', 'mmhumanparse.testing',
               'mmhumanparse.deployment')


def test_no_import_runs_up_from_utils():
    """utils/ imports version.py and the modules it registers, never the
    package __init__, apis, testing or deployment (no arrow up)."""
    utils = osp.dirname(mmhumanparse.utils.__file__)
    up = []
    for name in sorted(os.listdir(utils)):
        if name.endswith('.py'):
            for mod in _imported_modules(osp.join(utils, name),
                                         'mmhumanparse.utils'):
                if mod in ABOVE_UTILS or mod.startswith(
                        tuple(m + '.' for m in ABOVE_UTILS[1:])):
                    up.append(f'utils/{name} imports {mod}')
    assert not up, up
