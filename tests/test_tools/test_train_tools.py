"""tools/train.py, tools/test.py and the launch scripts on toy LIP (CPU)."""
import glob
import importlib.util
import os
import os.path as osp
import pickle
import re
import subprocess
import sys

import pytest

from mmhumanparse.testing.tiny_configs import REPO, tiny_lip_config

TOOLS = osp.join(REPO, 'tools')
# the line the test loop logs after evaluation (never the config dump)
METRIC_LINE = re.compile(
    r'Iter\(test\) \[(\d+)/(\d+)\].*?\bmIoU: (\d+\.\d+)')
# small flip TTA of the tiny config: one scale, flip with left/right swap
TTA = """
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TestTimeAug', transforms=[
        [dict(type='Resize', scale=(48, 64), keep_ratio=False)],
        [dict(type='HumanRandomFlip', prob=0., direction='horizontal'),
         dict(type='HumanRandomFlip', prob=1., direction='horizontal')],
        [dict(type='LoadParsingAnnotations')],
        [dict(type='PackParsingInputs')]])]
"""


def _env(**extra):
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([REPO, env.get('PYTHONPATH', '')])
    env['OMP_NUM_THREADS'] = '1'
    env.update(extra)
    return env


def _run(cmd, cwd, ok=True, **env):
    proc = subprocess.run(
        cmd, cwd=cwd, env=_env(**env), capture_output=True, text=True,
        timeout=600)
    if ok:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc


def _test_miou(proc, num_images):
    """mIoU of the test loop's evaluation line (fails without runner.test)."""
    found = METRIC_LINE.findall(proc.stdout + proc.stderr)
    assert found, 'no "Iter(test) [n/n] ... mIoU: x" line in the log:\n' + \
        (proc.stdout + proc.stderr)[-3000:]
    done, total, miou = found[-1]
    assert int(total) == num_images and done == total
    assert 0.0 <= float(miou) <= 100.0
    return float(miou)


@pytest.fixture(scope='module')
def trained(toy_roots, tmp_path_factory):
    """A tiny LIP model trained for 2 iterations by tools/train.py."""
    tmp = tmp_path_factory.mktemp('train_tools')
    cfg = tmp / 'tiny.py'
    cfg.write_text(tiny_lip_config(toy_roots['LIP'], max_iters=2, extra=TTA))
    work = tmp / 'work'
    _run([sys.executable, osp.join(TOOLS, 'train.py'), str(cfg),
          '--work-dir', str(work)], tmp)
    ckpt = work / 'iter_2.pth'
    assert ckpt.exists()
    return cfg, ckpt, tmp


def test_dist_train_two_cpu_processes_then_resume_then_test(toy_roots,
                                                            tmp_path):
    extra = ("custom_imports = dict(imports=['mmhumanparse.testing."
             "rank_marker'], allow_failed_imports=False)\n"
             "custom_hooks = [dict(type='RankMarkerHook')]")
    cfg = tmp_path / 'tiny.py'
    cfg.write_text(tiny_lip_config(toy_roots['LIP'], max_iters=3, extra=extra))
    work = tmp_path / 'work'
    cmd = ['bash', osp.join(TOOLS, 'dist_train.sh'), str(cfg), '2',
           '--work-dir', str(work)]
    env = dict(PYTHON=sys.executable, PORT='29633')
    _run(cmd, tmp_path, **env)
    for r in (0, 1):
        world, iters, _ = open(work / f'rank{r}.txt').read().split()
        assert (world, iters) == ('2', '3')
    assert (work / 'iter_3.pth').exists()
    # resume from the checkpoint and train 2 more iterations
    _run(cmd + ['--resume', '--cfg-options', 'train_cfg.max_iters=5'],
         tmp_path, **env)
    for r in (0, 1):
        world, iters, it = open(work / f'rank{r}.txt').read().split()
        assert (world, iters, it) == ('2', '2', '5')
    # tools/dist_test.sh: 2 processes share the 3 val images; the metric
    # gathers across ranks and is logged once for the whole split
    proc = _run(['bash', osp.join(TOOLS, 'dist_test.sh'), str(cfg),
                 str(work / 'iter_5.pth'), '2', '--work-dir',
                 str(tmp_path / 'test_work')], tmp_path, **env)
    _test_miou(proc, num_images=2)  # ceil(3 / 2) iterations per rank


def test_test_reports_metrics_shows_and_dumps(trained):
    cfg, ckpt, tmp = trained
    show, out = tmp / 'show', tmp / 'preds.pkl'
    proc = _run([
        sys.executable, osp.join(TOOLS, 'test.py'), str(cfg), str(ckpt),
        '--work-dir', str(tmp / 'test_work'), '--show-dir', str(show),
        '--out', str(out)
    ], tmp)
    _test_miou(proc, num_images=3)
    # --show-dir: one painted prediction per val image
    pngs = glob.glob(osp.join(show, '**', '*.png'), recursive=True)
    assert len(pngs) == 3, pngs
    # --out: a pickle with one prediction per val image at image size
    with open(out, 'rb') as f:
        results = pickle.load(f)
    assert len(results) == 3
    for res in results:
        pred = res['pred_sem_seg']['data']
        assert tuple(pred.shape) == (1, 128, 96)
        assert int(pred.min()) >= 0 and int(pred.max()) < 20
        assert res['img_path'].endswith('.jpg')
        assert 'flip' not in res  # the plain test pipeline


def test_test_tta(trained):
    cfg, ckpt, tmp = trained
    out = tmp / 'tta.pkl'
    proc = _run([
        sys.executable, osp.join(TOOLS, 'test.py'), str(cfg), str(ckpt),
        '--work-dir', str(tmp / 'tta_work'), '--tta', '--out', str(out)
    ], tmp)
    _test_miou(proc, num_images=3)
    with open(out, 'rb') as f:
        results = pickle.load(f)
    assert len(results) == 3
    for res in results:
        # merged by the TTA model from the TestTimeAug views (flip key set)
        assert 'flip' in res
        assert tuple(res['pred_sem_seg']['data'].shape) == (1, 128, 96)


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(
        f'{name}_tool', osp.join(TOOLS, f'{name}.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_test_bad_arguments(trained):
    """Checked before any model is built (in-process, no runner)."""
    cfg, ckpt, tmp = trained
    test = _load_tool('test')
    with pytest.raises(ValueError, match='--out must be a .pkl file'):
        test.main([str(cfg), str(ckpt), '--out', str(tmp / 'x.json')])
    with pytest.raises(FileNotFoundError, match='config file not found'):
        test.main([str(tmp / 'none.py'), str(ckpt)])


@pytest.mark.parametrize('script,nargs', [('dist_train.sh', 2),
                                          ('dist_test.sh', 3),
                                          ('slurm_train.sh', 3)])
def test_launch_scripts_syntax_and_usage(script, nargs, tmp_path):
    path = osp.join(TOOLS, script)
    syntax = subprocess.run(['bash', '-n', path], capture_output=True,
                            text=True)
    assert syntax.returncode == 0, syntax.stderr
    proc = subprocess.run(['bash', path] + ['x'] * (nargs - 1),
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith('Usage: ') and script in proc.stderr


def test_slurm_train_command_line(tmp_path):
    """A fake ``srun`` on PATH records what slurm_train.sh launches."""
    fake = tmp_path / 'bin'
    fake.mkdir()
    (fake / 'srun').write_text('#!/usr/bin/env bash\n'
                               'printf "%s\\n" "$@" > "$SRUN_LOG"\n')
    (fake / 'srun').chmod(0o755)
    log = tmp_path / 'srun.log'
    proc = subprocess.run(
        ['bash', osp.join(TOOLS, 'slurm_train.sh'), 'part', 'job', 'c.py',
         '--work-dir', 'w'], cwd=tmp_path, capture_output=True, text=True,
        env=_env(PATH=f'{fake}{os.pathsep}{os.environ["PATH"]}',
                 SRUN_LOG=str(log), GPUS='8', GPUS_PER_NODE='4',
                 PYTHON='py'))
    assert proc.returncode == 0, proc.stderr
    args = log.read_text().split()
    assert args[:2] == ['-p', 'part']
    assert '--job-name=job' in args and '--ntasks=8' in args
    assert '--ntasks-per-node=4' in args and '--gres=gpu:4' in args
    i = args.index('py')
    assert args[i:i + 2] == ['py', '-u']
    assert args[i + 2].endswith('tools/train.py')
    assert args[i + 3:] == ['c.py', '--launcher=slurm', '--work-dir', 'w']


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
