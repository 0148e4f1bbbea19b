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
# a fresh interpreter: import only the registry, let the node import its
# locations the way mmengine does when it builds from the node
PROBE = ('import json, sys\n'
         'import mmhumanparse.registry as R\n'
         'node = getattr(R, sys.argv[1])\n'
         'node.import_from_location()\n'
         'print(json.dumps(sorted(node.module_dict)))\n')


def test_registry_nodes_are_children_of_mmengine_root():
    from mmengine.registry import DATASETS as ROOT
    from mmhumanparse.registry import DATASETS, MODELS, TRANSFORMS
    assert DATASETS.parent is ROOT and DATASETS.scope == 'mmhumanparse'
    assert 'LIPDataset' in DATASETS.module_dict
    assert 'HumanRandomFlip' in TRANSFORMS.module_dict
    assert 'CDLinkNetHead' in MODELS.module_dict
    # mmseg's own LIPDataset is untouched (no registration into mmseg)
    from mmseg.registry import DATASETS as SEG
    assert SEG.get('LIPDataset').__module__.startswith('mmseg.')


def test_nodes_found():
    assert {'MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'VISUALIZERS',
            'CODECS', 'HOOKS'} <= set(NODES)


@pytest.mark.parametrize(
    'name', sorted(n for n, node in NODES.items() if node.module_dict))
def test_registered_names_import_through_locations(name):
    """The session registered everything (conftest); a fresh process that
    only lets the node import its ``locations`` must find every name."""
    node = NODES[name]
    expected = set(node.module_dict)
    assert node._locations, f'{name} holds {sorted(expected)} but has no ' \
        'locations'
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep +
               os.environ.get('PYTHONPATH', ''))
    proc = subprocess.run([sys.executable, '-c', PROBE, name], cwd=REPO,
                          env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert expected <= found, f'{name}: not reachable through ' \
        f'{node._locations}: {sorted(expected - found)}'


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
