"""tools/analysis_tools/{get_flops,benchmark,class_weights}.py: get_flops
and benchmark as subprocesses (tiny shapes, one repeat; speed itself is
never asserted); class_weights against hand-computed weights."""
import importlib.util
import json
import os
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(ROOT, 'tools', 'analysis_tools')
CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb4-20k_lip-512x512.py')
TOY_CFG = osp.join(ROOT, 'configs/lipnet/lipnet_1xb8-2k_toy-lip-128x96.py')
# pinned: LIP-Net paper config, 20 classes (Table 1: 3.97 M); the same
# number as tests/test_models/test_heads/test_lipnet_head.py
LIPNET_PARAMS = 4_020_917


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
    params = int(re.search(r'Params: .*, (\d+) parameters\)', out).group(1))
    assert params == LIPNET_PARAMS
    gflops = float(re.search(r'Flops: \S+ \(([\d.]+) G\)', out).group(1))
    # 64 x 64 is 1/64 of the 512 x 512 input: well under one GFLOP
    assert 0 < gflops < 1
    # the last line sums up the same figures
    assert re.fullmatch(
        rf'get_flops: lipnet_1xb4-20k_lip-512x512.py at 64x64: '
        rf'{gflops:.3f} GFLOPs, {params / 1e6:.3f} M params in [\d.]+ s',
        out.strip().splitlines()[-1]), out


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
        '--channels-last', '--fuse-conv-bn', '--onnx', '--compare', stock)
    assert out.count('images/s:') == 3
    assert 'input 1x3x64x64' in out
    # eager / ONNX, eager / stock, and ONNX / stock: each entry of CONFIG
    # is compared with the --compare config
    ratios = re.findall(r'speed ratio (.*) / (.*): [\d.]+x', out)
    ours, fused = osp.basename(CFG), ' [fuse_conv_bn] [channels_last]'
    theirs = osp.basename(stock) + fused
    assert ratios == [(ours + fused, ours + ' [onnxruntime]'),
                      (ours + fused, theirs),
                      (ours + ' [onnxruntime]', theirs)], out
    # the progress bar goes to stderr; the tables and one summary line,
    # last, to stdout
    assert 'ETA' not in out and '\r' not in out
    assert re.fullmatch(
        r'benchmark: 3 models x 1 runs \(\+0 warm-up\) in [\d.]+ s; '
        'table above', out.strip().splitlines()[-1]), out


def test_benchmark_default_shape():
    out = _run(
        osp.join(TOOLS, 'benchmark.py'), TOY_CFG, '--repeat', '1',
        '--warmup', '0', '--threads', '1')
    assert 'input 1x3x128x96' in out  # the toy config's test size (h, w)


def _class_weights_tool():
    spec = importlib.util.spec_from_file_location(
        'class_weights', osp.join(TOOLS, 'class_weights.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_median_frequency_weights_by_hand():
    tool = _class_weights_tool()
    # class 0: 30 px over images of 40 px total -> 0.75
    # class 1: 10 px in images of 40 px -> 0.25
    # class 2: 5 px in one image of 20 px -> 0.25; class 3 absent
    w = tool.median_frequency_weights([30, 10, 5, 0], [40, 40, 20, 0])
    # median of (0.75, 0.25, 0.25) = 0.25
    np.testing.assert_allclose(w, [1 / 3, 1.0, 1.0, 1.0])


def _write_lip(root, labels):
    for sub in ('train_images', 'train_segmentations'):
        os.makedirs(osp.join(root, sub), exist_ok=True)
    ids = []
    for i, lab in enumerate(labels):
        name = f'img{i}'
        ids.append(name)
        Image.fromarray(np.zeros(lab.shape + (3, ), np.uint8)).save(
            osp.join(root, 'train_images', name + '.jpg'))
        Image.fromarray(lab).save(
            osp.join(root, 'train_segmentations', name + '.png'))
    with open(osp.join(root, 'train_id.txt'), 'w') as f:
        f.write('\n'.join(ids) + '\n')


def test_class_weights_tool_on_hand_made_labels(tmp_path, capsys):
    """Two 4x5 label maps; 255 pixels are not counted."""
    a = np.zeros((4, 5), np.uint8)
    a[0, :] = 1  # 5 px of class 1
    a[3, 4] = 255
    b = np.full((4, 5), 2, np.uint8)  # 20 px of class 2
    b[0, 0] = 1  # 1 px of class 1
    root = str(tmp_path / 'LIP')
    _write_lip(root, [a, b])
    out = str(tmp_path / 'w.json')
    tool = _class_weights_tool()
    tool.main([CFG, '--out', out, '--cfg-options',
               f'train_dataloader.dataset.data_root={root}'])
    res = json.load(open(out))
    counts = [14, 6, 19] + [0] * 17
    assert res['pixel_counts'] == counts
    # freq: c0 14/19 (image a: 19 labelled px); c1 6/(19+20); c2 19/20
    freq = np.array([14 / 19, 6 / 39, 19 / 20])
    expected = np.median(freq) / freq
    np.testing.assert_allclose(res['weights'][:3], expected, rtol=1e-5)
    assert res['weights'][3:] == [1.0] * 17
    assert res['absent'] == res['classes'][3:]
    assert res['num_images'] == 2 and res['method'] == 'median_frequency'
    printed = capsys.readouterr().out
    assert '2 train label maps' in printed
    assert re.fullmatch(
        r'class_weights: 2 train label maps in [\d.]+ s; 20 weights '
        'above, written to ' + re.escape(out),
        printed.strip().splitlines()[-1]), printed


def test_class_weights_tool_errors(tmp_path):
    tool = _class_weights_tool()
    bad = np.zeros((4, 5), np.uint8)
    bad[1, 1] = 30  # >= 20 classes and not 255
    root = str(tmp_path / 'LIP')
    _write_lip(root, [bad])
    with pytest.raises(ValueError, match=r'img0.png.*\[30\]'):
        tool.main([CFG, '--out', str(tmp_path / 'w.json'), '--cfg-options',
                   f'train_dataloader.dataset.data_root={root}'])
    with pytest.raises(FileNotFoundError, match='nope.py'):
        tool.main([str(tmp_path / 'nope.py')])
