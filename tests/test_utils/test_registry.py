"""Registry nodes: every registered name is reachable through its node's
``locations`` alone, and every location (every package) holds modules."""
import importlib.util
import json
import os
import os.path as osp
import pkgutil
import subprocess
import sys

import pytest
from mmengine.registry import Registry

import mmhumanparse
import mmhumanparse.registry as registry_module

PKG_DIR = osp.dirname(osp.abspath(mmhumanparse.__file__))
REPO = osp.dirname(PKG_DIR)
NODES = {
    name: node
    for name, node in vars(registry_module).items()
    if isinstance(node, Registry) and node.scope == 'mmhumanparse'
}
# One interpreter imports only our registry (plus the heavy third-party
# packages, which never register into our nodes); then, per node, a forked
# child lets the node import its ``locations`` the way mmengine does when it
# builds from the node, and reports the names registered in it.
PROBE = """
import json, os, sys
import mmhumanparse.registry as R
import torch, mmcv.ops, mmengine.runner  # noqa
import mmseg.datasets, mmseg.evaluation, mmseg.models  # noqa
import mmdet.datasets, mmdet.evaluation, mmdet.models  # noqa
assert not [m for m in sys.modules
            if m.startswith('mmhumanparse.') and m != 'mmhumanparse.registry'
            and m != 'mmhumanparse.version']
out = {}
for name in sys.argv[1:]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            node = getattr(R, name)
            node.import_from_location()
            msg = json.dumps(sorted(node.module_dict))
        except BaseException as e:
            msg = json.dumps({'error': repr(e)})
        os.write(w, msg.encode())
        os._exit(0)
    os.close(w)
    data = b''
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    out[name] = json.loads(data)
print('PROBE', json.dumps(out))
"""
WITH_LOCATIONS = sorted(n for n, node in NODES.items() if node._locations)


@pytest.fixture(scope='module')
def probed():
    """{node name: names registered by importing its locations alone}."""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep +
               os.environ.get('PYTHONPATH', ''))
    proc = subprocess.run([sys.executable, '-c', PROBE] + WITH_LOCATIONS,
                          cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith('PROBE ')]
    return json.loads(line[-1][len('PROBE '):])


def test_nodes_with_names_have_locations():
    """(the session registered every module: conftest)"""
    assert NODES['MODELS'].module_dict  # registration happened
    for name, node in NODES.items():
        if node.module_dict:
            assert node._locations, f'{name} holds ' \
                f'{sorted(node.module_dict)} but has no locations'


@pytest.mark.parametrize('name', WITH_LOCATIONS)
def test_registered_names_import_through_locations(name, probed):
    """Every name the session registered in the node is found by a fresh
    process that only lets the node import its ``locations``."""
    found = probed[name]
    assert isinstance(found, list), f'{name}: importing ' \
        f'{NODES[name]._locations} failed: {found}'
    # names registered by the package itself (test modules may register
    # stubs, e.g. tests/test_apis, which no location is meant to import)
    expected = {
        k for k, cls in NODES[name].module_dict.items()
        if getattr(cls, '__module__', '').startswith('mmhumanparse.')
    }
    assert expected <= set(found), f'{name}: not reachable through ' \
        f'{NODES[name]._locations}: {sorted(expected - set(found))}'


@pytest.mark.parametrize('name', sorted(NODES))
def test_locations_are_packages_with_modules(name):
    for loc in NODES[name]._locations:
        spec = importlib.util.find_spec(loc)
        assert spec is not None, f'{name}: location {loc} does not exist'
        assert spec.submodule_search_locations, \
            f'{name}: location {loc} is not a package'
        modules = list(pkgutil.iter_modules(spec.submodule_search_locations))
        assert modules, f'{name}: location {loc} holds no module'


def test_no_empty_packages():
    """A folder appears with its first module: every package of
    mmhumanparse holds at least one module or sub-package."""
    empty = []
    for dirpath, dirnames, files in os.walk(PKG_DIR):
        dirnames[:] = [d for d in dirnames if d != '__pycache__']
        if '__init__.py' not in files:
            continue
        others = [f for f in files if f.endswith('.py') and
                  f != '__init__.py']
        subpkgs = [d for d in dirnames
                   if osp.isfile(osp.join(dirpath, d, '__init__.py'))]
        if not others and not subpkgs:
            empty.append(osp.relpath(dirpath, REPO))
    assert not empty, f'empty placeholder packages: {empty}'


def test_register_all_modules_imports_only_real_packages():
    """Every ``import mmhumanparse.X`` in register_all_modules names a
    package that exists and holds modules."""
    import inspect

    from mmhumanparse.utils import setup_env
    src = inspect.getsource(setup_env.register_all_modules)
    names = [ln.split()[1] for ln in src.splitlines()
             if ln.strip().startswith('import mmhumanparse.')]
    assert names
    for mod in names:
        spec = importlib.util.find_spec(mod)
        assert spec is not None and spec.submodule_search_locations, mod
        assert list(pkgutil.iter_modules(spec.submodule_search_locations))
