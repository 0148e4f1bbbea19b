"""Smoke tests of tools/analysis_tools/{get_flops,benchmark}.py (subprocess,
tiny shapes, one repeat). Speed itself is never asserted here."""
import os
import os.path as osp
import re
import subprocess
import sys


ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(ROOT, 'tools', 'analysis_tools')
CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb4-20k_lip-512x512.py')
TOY_CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb8-2k_toy-lip-128x96.py')


def _run(*args):
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run([sys.executable, *args],
                          cwd=ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_get_flops():
    out = _run(osp.join(TOOLS, 'get_flops.py'), CFG, '--shape', '64', '64')
    assert 'Input shape: (1, 3, 64, 64)' in out
    params = float(re.search(r'Params: .*\(([\d.]+) M', out).group(1))
    assert 3.5 <= params <= 4.5
    assert re.search(r'Flops: \S+', out)


def _stock_mmseg_config():
    import mmseg
    path = osp.join(
        osp.dirname(mmseg.__file__), '.mim', 'configs', 'deeplabv3',
        'deeplabv3_r18-d8_4xb2-80k_cityscapes-512x1024.py')
    # the pinned mmsegmentation 1.2.2 wheel ships its configs under .mim
    assert osp.exists(path), f'mmseg wheel ships no {path}'
    return path


def test_benchmark_compare_with_stock_mmseg_config():
    # ours (default_scope mmhumanparse) against a stock mmseg config
    # (default_scope mmseg, SyncBN, pretrained weights) in one process
    stock = _stock_mmseg_config()
    out = _run(
        osp.join(TOOLS, 'benchmark.py'), CFG, '--shape', '64', '64',
        '--repeat', '1', '--warmup', '0', '--threads', '1',
        '--channels-last', '--fuse-conv-bn', '--compare', stock)
    assert out.count('images/s:') == 2
    assert 'input 1x3x64x64' in out
    assert re.search(r'speed ratio .*: [\d.]+x', out)


def test_benchmark_default_shape():
    out = _run(
        osp.join(TOOLS, 'benchmark.py'), TOY_CFG, '--repeat', '1',
        '--warmup', '0', '--threads', '1')
    assert 'input 1x3x128x96' in out  # the toy config's test size (h, w)
