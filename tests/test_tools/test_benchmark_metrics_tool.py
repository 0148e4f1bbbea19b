"""Smoke test of tools/analysis_tools/benchmark_metrics.py (tiny workload;
the speed itself is never asserted here)."""
import os
import os.path as osp
import re
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_benchmark_metrics_runs_and_agrees():
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools', 'analysis_tools', 'benchmark_metrics.py'),
        '--num-images', '3', '--ref-images', '2', '--size', '64',
        '--max-preds', '12'
    ],
                          cwd=ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'identical results' in proc.stdout
    assert re.search(r'speed-up: [\d.]+x', proc.stdout)
