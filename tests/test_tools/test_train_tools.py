"""tools/train.py, tools/test.py and tools/dist_train.sh on toy LIP (CPU)."""
import os
import os.path as osp
import subprocess
import sys

import pytest

from mmhumanparse.testing.tiny_configs import REPO, tiny_lip_config


def _env():
    env = dict(os.environ)
    here = osp.dirname(osp.abspath(__file__))
    env['PYTHONPATH'] = os.pathsep.join(
        [REPO, here, env.get('PYTHONPATH', '')])
    env['OMP_NUM_THREADS'] = '1'
    return env


def _run(cmd, cwd):
    proc = subprocess.run(
        cmd, cwd=cwd, env=_env(), capture_output=True, text=True,
        timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc


def test_dist_train_two_cpu_processes_then_resume(toy_roots, tmp_path):
    extra = ("custom_imports = dict(imports=['mmhumanparse.testing.rank_marker'], "
             "allow_failed_imports=False)\n"
             "custom_hooks = [dict(type='RankMarkerHook')]")
    cfg = tmp_path / 'tiny.py'
    cfg.write_text(tiny_lip_config(toy_roots['LIP'], max_iters=3, extra=extra))
    work = tmp_path / 'work'
    cmd = ['bash', osp.join(REPO, 'tools', 'dist_train.sh'), str(cfg), '2',
           '--work-dir', str(work)]
    env_py = dict(PYTHON=sys.executable, PORT='29633')
    os.environ.update(env_py)
    try:
        _run(cmd, tmp_path)
        for r in (0, 1):
            world, iters, _ = open(work / f'rank{r}.txt').read().split()
            assert (world, iters) == ('2', '3')
        assert (work / 'iter_3.pth').exists()
        # resume from the checkpoint and train 2 more iterations
        _run(cmd + ['--resume', '--cfg-options', 'train_cfg.max_iters=5'],
             tmp_path)
        for r in (0, 1):
            world, iters, it = open(work / f'rank{r}.txt').read().split()
            assert (world, iters, it) == ('2', '2', '5')
    finally:
        for k in env_py:
            os.environ.pop(k, None)


def test_train_then_test_single_process(toy_roots, tmp_path):
    cfg = tmp_path / 'tiny.py'
    cfg.write_text(tiny_lip_config(toy_roots['LIP'], max_iters=2))
    work = tmp_path / 'work'
    _run([sys.executable, osp.join(REPO, 'tools', 'train.py'), str(cfg),
          '--work-dir', str(work)], tmp_path)
    ckpt = work / 'iter_2.pth'
    assert ckpt.exists()
    proc = _run([
        sys.executable, osp.join(REPO, 'tools', 'test.py'), str(cfg),
        str(ckpt), '--work-dir', str(work), '--show-dir', 'vis'
    ], tmp_path)
    assert 'mIoU' in proc.stdout + proc.stderr
    out = _run([
        sys.executable, osp.join(REPO, 'tools', 'infer.py'), str(cfg),
        str(ckpt), osp.join(toy_roots['LIP'], 'val_images'), '--out-dir',
        str(tmp_path / 'infer')
    ], tmp_path)
    assert 'wrote 3 results' in out.stdout
    assert len(os.listdir(tmp_path / 'infer')) == 6


@pytest.mark.parametrize('scope', ['mmhumanparse', 'mmseg'])
def test_registry_paths(toy_roots, tmp_path, scope):
    """Our scope with plain names, and a stock mmseg-scoped config that only
    adds custom_imports and prefixes our modules with 'mmhumanparse.'."""
    text = tiny_lip_config(toy_roots['LIP'], max_iters=1)
    if scope == 'mmseg':
        ours = ('LIPDataset', 'LoadParsingAnnotations', 'HumanRandomFlip',
                'PackParsingInputs')
        for name in ours:
            text = text.replace(f"'{name}'", f"'mmhumanparse.{name}'")
        text = text.replace("'mmseg.", "'").replace(
            'dataset=dict(data_root',
            "dataset=dict(type='mmhumanparse.LIPDataset', data_root")
        text += ("\ndefault_scope = 'mmseg'\ncustom_imports = dict("
                 "imports=['mmhumanparse'], allow_failed_imports=False)\n"
                 "tta_model = dict(type='SegTTAModel')\n")
    cfg = tmp_path / 'cfg.py'
    cfg.write_text(text)
    code = (
        'import sys; from mmengine.config import Config; '
        'from mmengine.runner import Runner; '
        f'cfg = Config.fromfile(r"{cfg}"); '
        f'cfg.work_dir = r"{tmp_path / "w"}"; '
        'r = Runner.from_cfg(cfg); r.train(); '
        'ds = r.train_dataloader.dataset; '
        'print("DATASET", type(ds).__module__, type(ds).__name__); '
        'print("SCOPE", cfg.default_scope)')
    proc = _run([sys.executable, '-c', code], tmp_path)
    assert 'DATASET mmhumanparse.datasets.lip LIPDataset' in proc.stdout
    assert f'SCOPE {scope}' in proc.stdout
