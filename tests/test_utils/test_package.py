"""mmhumanparse/__init__.py: the version guard, and an import that pulls in
nothing of the OpenMMLab stack."""
import os
import os.path as osp
import subprocess
import sys

import pytest

import mmhumanparse
from mmhumanparse import check_versions

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
    from mmhumanparse import _parse
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
