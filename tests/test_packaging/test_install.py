"""mmhumanparse used the OpenMMLab way from a user's own folder.

A copy of the project is built into a wheel and installed into its own
folder, and installed editable into another prefix (``pip --no-deps
--no-build-isolation``, seconds). A user folder outside the repo then
inherits ``mmhumanparse::`` configs, and ``mim search / train / test
mmhumanparse`` run against the wheel (mim 0.3.9 finds a package through its
distribution's location, which a PEP 660 editable install does not give).
The interpreter runs with ``-S`` and adds the install's site folder before
the environment's, so neither the repo on ``PYTHONPATH`` nor an editable
install of another clone in the environment can answer for the install
under test.
"""
import json
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from mmhumanparse.testing.tiny_configs import REPO

SEG_BASE = 'lipnet/lipnet_1xb8-2k_toy-lip-128x96.py'
DET_BASE = 'rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py'
TOY_CONFIG = 'c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py'
# what a project of its own writes
USER_SEG = (f"_base_ = 'mmhumanparse::{SEG_BASE}'\n"
            'train_cfg = dict(max_iters=3)\n')
USER_DET = (f"_base_ = 'mmhumanparse::{DET_BASE}'\n"
            'model = dict(backbone=dict(depth=34))\n')
LOAD = """
import json, site, sys
for path in {sites!r}:
    site.addsitedir(path)
import mmhumanparse
import mmhumanparse.utils  # registers the mmhumanparse:: scope
from mmengine.config import Config
from mmengine.hub import get_config
seg = Config.fromfile('seg.py')
det = Config.fromfile('det.py')
base, _ = Config._get_cfg_path('mmhumanparse::{seg_base}', 'seg.py')
hub = get_config('mmhumanparse::{det_base}')
print(json.dumps(dict(
    package=mmhumanparse.__file__, base=base,
    seg=[seg.model.backbone.type, seg.train_cfg.max_iters,
         seg.optim_wrapper.optimizer.type],
    det=[det.model.type, det.model.backbone.depth,
         det.model.semantic_head.type],
    hub=[hub.model.type, hub.model.backbone.depth])))
"""
COPY_IGNORE = shutil.ignore_patterns('__pycache__', '*.pyc', '.mim',
                                     '*.egg-info', 'build')


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['OMP_NUM_THREADS'] = '1'
    env.update(extra)
    return env


def _run(cmd, cwd, **env):
    proc = subprocess.run(cmd, cwd=cwd, env=_env(**env), capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, (' '.join(map(str, cmd)) + '\n' +
                                  proc.stdout[-3000:] + proc.stderr[-5000:])
    return proc


IGNORE_INSTALLED = '--ignore-installed'


def _pip(*args, cwd):
    return _run([sys.executable, '-m', 'pip', '-q', *args], cwd)


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    """A copy of the project (its sources, configs, tools, packaging)."""
    src = tmp_path_factory.mktemp('project')
    for name in ('setup.py', 'setup.cfg', 'MANIFEST.in', 'README.md',
                 'model-index.yml'):
        shutil.copy(osp.join(REPO, name), src / name)
    for name in ('requirements', 'configs', 'tools', 'mmhumanparse'):
        shutil.copytree(osp.join(REPO, name), src / name,
                        ignore=COPY_IGNORE)
    return src


@pytest.fixture(scope='module')
def wheel_site(project, tmp_path_factory):
    """(wheel path, folder the wheel is installed into)."""
    out = tmp_path_factory.mktemp('dist')
    _pip('wheel', '--no-deps', '--no-build-isolation', '-w', str(out),
         str(project), cwd=out)
    wheel = [f for f in os.listdir(out) if f.endswith('.whl')]
    assert len(wheel) == 1, wheel
    site = tmp_path_factory.mktemp('wheel_site')
    _pip('install', '--no-deps', '--no-index', '--target', str(site),
         str(out / wheel[0]), cwd=out)
    return str(out / wheel[0]), str(site)


@pytest.fixture(scope='module')
def editable_site(project, wheel_site, tmp_path_factory):
    """site-packages of an editable install (PEP 660) of the copy."""
    prefix = tmp_path_factory.mktemp('editable_prefix')
    # --ignore-installed: without it pip uninstalls the running env's own
    # mmhumanparse before installing into the other prefix
    _pip('install', '--no-deps', '--no-build-isolation', IGNORE_INSTALLED,
         '--prefix', str(prefix), '-e', str(project), cwd=prefix)
    return sysconfig.get_paths(vars=dict(base=str(prefix),
                                         platbase=str(prefix)))['purelib']


def test_wheel_carries_configs_tools_and_model_index(wheel_site):
    with zipfile.ZipFile(wheel_site[0]) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    for name in (f'mmhumanparse/.mim/configs/{SEG_BASE}',
                 f'mmhumanparse/.mim/configs/{DET_BASE}',
                 'mmhumanparse/.mim/configs/_base_/default_runtime.py',
                 'mmhumanparse/.mim/configs/rp_rcnn/metafile.yml',
                 'mmhumanparse/.mim/tools/train.py',
                 'mmhumanparse/.mim/tools/test.py',
                 'mmhumanparse/.mim/tools/dist_train.sh',
                 'mmhumanparse/.mim/model-index.yml'):
        assert name in infos, name
    mim = [n for n in infos if n.startswith('mmhumanparse/.mim/')]
    # every config and tool of the repo, as plain files (no links)
    for top in ('configs', 'tools'):
        for root, _, files in os.walk(osp.join(REPO, top)):
            for f in files:
                if f.endswith(('.py', '.yml', '.md', '.sh')):
                    rel = osp.relpath(osp.join(root, f), REPO)
                    assert f'mmhumanparse/.mim/{rel}' in infos, rel
    assert not [n for n in mim if '__pycache__' in n]
    links = [n for n in mim
             if (infos[n].external_attr >> 16) & 0o170000 == 0o120000]
    assert not links
    assert not [n for n in infos if n.split('/')[0] in ('configs', 'tools',
                                                        'tests')]


def test_editable_install_links_the_source_folders(project, editable_site):
    mim = project / 'mmhumanparse' / '.mim'
    for name in ('configs', 'tools', 'model-index.yml'):
        assert osp.islink(mim / name), name
        assert osp.realpath(mim / name) == osp.realpath(project / name)


@pytest.mark.parametrize('install', ['wheel', 'editable'])
def test_user_folder_inherits_package_configs(install, wheel_site,
                                              editable_site, project,
                                              tmp_path):
    if install == 'wheel':
        site, pkg = wheel_site[1], osp.join(wheel_site[1], 'mmhumanparse')
    else:
        site, pkg = editable_site, str(project / 'mmhumanparse')
    (tmp_path / 'seg.py').write_text(USER_SEG)
    (tmp_path / 'det.py').write_text(USER_DET)
    code = LOAD.format(sites=[site, sysconfig.get_paths()['purelib']],
                       seg_base=SEG_BASE, det_base=DET_BASE)
    proc = _run([sys.executable, '-S', '-c', code], tmp_path)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert osp.dirname(out['package']) == pkg
    assert out['base'] == osp.join(pkg, '.mim', 'configs', SEG_BASE)
    # wheel: a copy inside the install; editable: a link to the source
    source = out['base']
    if install == 'editable':
        source = str(project / 'configs' / SEG_BASE)
    assert osp.realpath(out['base']) == osp.realpath(source)
    assert out['seg'] == ['LIPNet', 3, 'Adam']
    assert out['det'] == ['ParsingRCNN', 34, 'GSESemanticHead']
    assert out['hub'] == ['ParsingRCNN', 18]


def _mim(args, cwd, site):
    return _run([sys.executable, '-m', 'mim', *args], cwd, PYTHONPATH=site)


def test_mim_search_lists_the_model_index(wheel_site, tmp_path):
    import yaml
    proc = _mim(['search', 'mmhumanparse'], tmp_path, wheel_site[1])
    with open(osp.join(REPO, 'model-index.yml')) as f:
        index = yaml.safe_load(f)['Import']
    names = []
    for rel in index:
        with open(osp.join(REPO, rel)) as f:
            names += [m['Name'] for m in yaml.safe_load(f)['Models']]
    listed = [ln.split(':', 1)[1].strip() for ln in proc.stdout.splitlines()
              if ln.startswith('config id:')]
    assert sorted(listed) == sorted(names)
    # a paper number of the C-DLinkNet metafile (Table 2) in its entry
    entry = proc.stdout.split(
        'config id: c-dlinknet_r101-d16_2xb8-120e_lip-256x192')[1]
    entry = entry.split('config id:')[0]
    assert 'lip/miou' in entry and '53.05' in entry


@pytest.fixture(scope='module')
def mim_trained(wheel_site, tmp_path_factory):
    """(work folder, log) of ``mim train mmhumanparse`` for 2 iterations on
    toy LIP written into the user's folder."""
    from mmhumanparse.testing import make_toy_data
    user = tmp_path_factory.mktemp('mim_user')
    make_toy_data(str(user / 'data' / 'toy'), dataset='lip', num=4)
    proc = _mim([
        'train', 'mmhumanparse', TOY_CONFIG, '--work-dir', 'work',
        '--cfg-options', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.logger.interval=1', 'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False'
    ], user, wheel_site[1])
    return user, proc.stdout + proc.stderr


def test_mim_train_runs_two_iterations(mim_trained, wheel_site):
    user, log = mim_trained
    train = osp.join(wheel_site[1], 'mmhumanparse', '.mim', 'tools',
                     'train.py')
    assert f'Training command is {sys.executable} {train} ' in log
    assert 'Iter(train) [2/2]' in log and 'Iter(train) [3/' not in log
    assert 'Iter(val) [2/2]' in log
    assert sorted(p for p in os.listdir(user / 'work')
                  if p.endswith('.pth')) == ['iter_2.pth']


def test_mim_test_evaluates_the_checkpoint(mim_trained, wheel_site):
    user, _ = mim_trained
    proc = _mim([
        'test', 'mmhumanparse', TOY_CONFIG, '--checkpoint',
        str(user / 'work' / 'iter_2.pth'), '--work-dir', 'work_test',
        '--cfg-options', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ], user, wheel_site[1])
    log = proc.stdout + proc.stderr
    test = osp.join(wheel_site[1], 'mmhumanparse', '.mim', 'tools', 'test.py')
    assert f'Testing command is {sys.executable} {test} ' in log
    assert re.search(r'Iter\(test\) \[2/2\].*mIoU: \d+\.\d+', log), log[-2000:]


def test_other_prefix_install_keeps_the_running_envs_own(
        editable_site, tmp_path):
    """Installing into another prefix must not uninstall the package from
    the env that runs the tests (later tools and slow tests import it)."""
    proc = subprocess.run(
        [sys.executable, '-c', 'import mmhumanparse, sys; '
         'sys.stdout.write(mmhumanparse.__file__)'],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'editable_prefix' not in proc.stdout
