"""tools/dataset_converters/{cihp,mhp}2coco.py: command line, and a run on a
"data machine" where torch and the OpenMMLab stack cannot be imported."""
import json
import os
import os.path as osp
import subprocess
import sys
import textwrap

import pytest

from mmhumanparse.converters import cihp_to_coco, mhp_to_coco
from mmhumanparse.testing.tool_scripts import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONV = osp.join(REPO, 'tools', 'dataset_converters')
BLOCKED = ('torch', 'mmcv', 'mmengine', 'mmdet', 'mmseg', 'torchvision')

# Installs an import blocker, runs a tool as __main__, then reports which
# top-level modules were imported. Every import of a blocked package (or a
# submodule) raises ImportError, as on a machine without it.
RUNNER = textwrap.dedent('''
    import runpy, sys
    BLOCKED = set(sys.argv[1].split(','))

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split('.')[0] in BLOCKED:
                raise ImportError(f'{name} is blocked in this test')
            return None

    sys.meta_path.insert(0, Blocker())
    tool = sys.argv[2]
    sys.argv = [tool] + sys.argv[3:]
    runpy.run_path(tool, run_name='__main__')
    print('IMPORTED', ','.join(sorted({m.split('.')[0]
                                       for m in sys.modules})))
''')


def _env():
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    return env


def test_blocker_blocks(tmp_path):
    """The blocker itself works: a tool importing torch fails."""
    tool = tmp_path / 'uses_torch.py'
    tool.write_text('import mmhumanparse.utils.setup_env\n')
    proc = subprocess.run(
        [sys.executable, '-c', RUNNER, ','.join(BLOCKED), str(tool)],
        cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert 'mmengine is blocked in this test' in proc.stderr


@pytest.mark.parametrize('name,convert', [('cihp', cihp_to_coco),
                                          ('mhp', mhp_to_coco)])
def test_converter_runs_without_mm_stack(toy_roots, tmp_path, name,
                                         convert):
    out = tmp_path / 'ann' / f'{name}_val.json'
    proc = subprocess.run(
        [sys.executable, '-c', RUNNER, ','.join(BLOCKED),
         osp.join(CONV, f'{name}2coco.py'), toy_roots[name], '--split',
         'val', '--out', str(out)],
        cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    imported = set(lines[-1].split(' ', 1)[1].split(','))
    assert not imported & set(BLOCKED), imported & set(BLOCKED)
    assert {'numpy', 'PIL', 'mmhumanparse'} <= imported
    with open(out) as f:
        coco = json.load(f)
    assert coco == convert(toy_roots[name], 'val', verbose=False)
    assert len(coco['images']) == 3 and len(coco['annotations']) >= 3
    # progress bar on stderr, one-line summary last
    assert '3/3' in proc.stderr
    assert lines[-2] == (f'wrote {out} ({len(coco["images"])} images, '
                         f'{len(coco["annotations"])} persons)')


def test_cli_in_process(toy_roots, tmp_path, capsys):
    cli = load_tool('dataset_converters/cihp2coco.py')
    out = str(tmp_path / 'cihp_train.json')
    cli.main([toy_roots['cihp'], '--split', 'train', '--out', out])
    assert '0 empty persons skipped' in capsys.readouterr().out
    with open(out) as f:
        assert json.load(f) == cihp_to_coco(toy_roots['cihp'], 'train',
                                            verbose=False)


def test_cli_bad_root_names_it(tmp_path):
    proc = subprocess.run(
        [sys.executable, osp.join(CONV, 'mhp2coco.py'),
         str(tmp_path / 'nowhere'), '--split', 'val', '--out',
         str(tmp_path / 'x.json')],
        cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert 'nowhere' in proc.stderr and 'not found' in proc.stderr
