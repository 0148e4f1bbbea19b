"""tools/analysis_tools/benchmark_metrics.py: the figures it prints are
the ones it computed (speed itself is never asserted, DESIGN.md)."""
import importlib.util
import os
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'analysis_tools', 'benchmark_metrics.py')
TINY = ['--num-images', '3', '--ref-images', '2', '--size', '64',
        '--max-preds', '12']


def load_tool(monkeypatch):
    """Import the tool as a module (its import sets thread variables: keep
    them local to the test)."""
    for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
        monkeypatch.setenv(var, os.environ.get(var, '1'))
    spec = importlib.util.spec_from_file_location('benchmark_metrics', TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_prints_the_values_of_the_reference(monkeypatch):
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run([sys.executable, TOOL] + TINY, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = re.search(r'identical results \(AP_p50 ([\d.]+), AP_p_vol '
                  r'([\d.]+), PCP50 ([\d.]+)\)', proc.stdout)
    assert m, proc.stdout
    # the same two images, regenerated, through the slow reference
    tool = load_tool(monkeypatch)
    rng = np.random.default_rng(0)  # as main() with --seed 0
    sampler = tool.OutfitSampler('cihp', rng)
    imgs = tool.make_split(rng, sampler, 2, 64, 12)
    ref = tool.reference_parsing_ap(*imgs, tool.NUM_PARTS)
    for value, key in zip(m.groups(), ('AP_p50', 'AP_p_vol', 'PCP50')):
        assert float(value) == pytest.approx(ref[key], abs=6e-5)
    assert 'fast on all 3 images' in proc.stdout
    lines = proc.stdout.strip().splitlines()
    speed = re.fullmatch(r'speed-up: ([\d.]+)x \(target >= 10x\) (OK|BELOW '
                         r'TARGET)', lines[-2])
    assert speed, proc.stdout
    assert (speed.group(2) == 'OK') == (float(speed.group(1)) >= 10)
    # one summary line last; the progress bar (3 images) went to stderr
    assert re.fullmatch(
        r'benchmark_metrics: 2 images through both, 3 through the fast '
        r'kernel, in [\d.]+ s; results above', lines[-1]), proc.stdout
    assert '3/3' in proc.stderr and 'ETA' not in proc.stdout


def fake_timed(seconds):
    """``timed`` that runs the function but reports fixed times."""

    def timed(fn, *args):
        name = getattr(fn, '__name__', '')
        return fn(*args), seconds.get(name, 0.001)

    return timed


@pytest.mark.parametrize('t_ref, ratio, status',
                         [(1.0, '2.0x', 'BELOW TARGET'),
                          (12.5, '25.0x', 'OK')])
def test_speed_up_line_is_the_measured_ratio(monkeypatch, capsys, t_ref,
                                             ratio, status):
    tool = load_tool(monkeypatch)
    monkeypatch.setattr(
        tool, 'timed',
        fake_timed({'reference_parsing_ap': t_ref, 'eval_parsing_ap': 0.5}))
    monkeypatch.setattr(sys, 'argv', ['benchmark_metrics.py'] + TINY)
    tool.main()
    out = capsys.readouterr().out
    assert f'speed-up: {ratio} (target >= 10x) {status}' in out


def test_tool_stops_on_a_mismatch(monkeypatch):
    tool = load_tool(monkeypatch)
    good = tool.eval_parsing_ap

    def off_by_a_bit(*args):
        out = dict(good(*args))
        out['AP_p_vol'] += 1e-6
        return out

    monkeypatch.setattr(tool, 'eval_parsing_ap', off_by_a_bit)
    monkeypatch.setattr(sys, 'argv', ['benchmark_metrics.py'] + TINY)
    with pytest.raises(SystemExit, match='MISMATCH AP_p_vol'):
        tool.main()
