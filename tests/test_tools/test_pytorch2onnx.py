"""tools/deployment/pytorch2onnx.py and mmhumanparse.deployment:
ONNX Runtime gives the labels of PyTorch (>= 99.9 % equal pixels) on toy
images, for a stock mmseg EncoderDecoder and our single-person segmentors'
toy configs."""
import glob
import os.path as osp

import cv2
import numpy as np
import onnx
import pytest
import torch

from mmhumanparse.apis import (inference_parser, init_parser, label_map,
                               list_images)
from mmhumanparse.datasets.metainfo import LIP_METAINFO
from mmhumanparse.testing.random_checkpoint import random_segmentor_checkpoint
from mmhumanparse.testing.tiny_configs import tiny_lip_config
from mmhumanparse.testing.tool_scripts import load_tool
from mmhumanparse.deployment import (ExportableParser, export_onnx,
                                     load_parser, ort_session)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _toy(method: str, pattern: str = '*toy*.py') -> str:
    found = sorted(glob.glob(osp.join(REPO, 'configs', method, pattern)))
    assert found, f'no config {pattern} under configs/{method}'
    return found[0]


@pytest.mark.parametrize('method', [
    'fcn-tiny', 'lipnet', 'c_dlinknet', 'htcorrm', 'ss_nan'
])
def test_export_matches_pytorch(method, toy_roots, tmp_path, capsys):
    main = load_tool('deployment/pytorch2onnx.py').main
    if method == 'fcn-tiny':
        cfg = str(tmp_path / 'tiny.py')
        with open(cfg, 'w') as f:
            f.write(tiny_lip_config(toy_roots['LIP']))
        shape = (64, 48)
    elif method == 'htcorrm':  # the parsing-main model
        cfg, shape = _toy(method, 'htcorrm-parsing_*toy*.py'), (128, 96)
    else:
        cfg, shape = _toy(method), (128, 96)
    ckpt = random_segmentor_checkpoint(
        cfg, str(tmp_path / 'm.pth'), dataset_meta=dict(LIP_METAINFO))
    out = str(tmp_path / 'm.onnx')
    code = main([cfg, ckpt, '--shape', *map(str, shape), '--out', out,
                 '--verify', '--verify-num', '3'])
    printed = capsys.readouterr().out
    assert code == 0, printed
    share = float(printed.split('ONNX Runtime vs PyTorch: ')[1].split()[0])
    assert share >= 99.9
    graph = onnx.load(out).graph
    dims = [d.dim_value for d in graph.input[0].type.tensor_type.shape.dim]
    assert dims == [1, 3, *shape]
    assert [o.name for o in graph.output] == ['logits', 'labels']


def test_graph_includes_preprocessing(toy_roots, tmp_path):
    """ONNX labels on a raw BGR toy image at the export size equal
    inference_parser's (whose resize is then the identity)."""
    cfg = _toy('lipnet')
    ckpt = random_segmentor_checkpoint(
        cfg, str(tmp_path / 'm.pth'), dataset_meta=dict(LIP_METAINFO))
    path = list_images(osp.join(toy_roots['LIP'], 'val_images'))[0]
    img = cv2.imread(path)
    assert img.shape[:2] == (128, 96)
    out = str(tmp_path / 'm.onnx')
    export_onnx(load_parser(cfg, ckpt), (128, 96), out)
    x = img.transpose(2, 0, 1)[None].astype(np.float32)
    got = ort_session(out).run(['labels'], {'img': x})[0][0]
    ref = label_map(inference_parser(init_parser(cfg, ckpt), path))
    assert len(np.unique(ref)) > 1
    assert (got == ref).mean() >= 0.999


def test_rejects_detectors_and_bad_shape(tmp_path):
    parse_args = load_tool('deployment/pytorch2onnx.py').parse_args
    with pytest.raises(TypeError, match='EncoderDecoder'):
        ExportableParser(torch.nn.Conv2d(3, 3, 1), (8, 8))
    with pytest.raises(SystemExit):
        parse_args(['c.py', 'm.pth', '--shape', '8'])


def test_benchmark_onnx_mode():
    """benchmark.py times the ONNX Runtime export beside the eager model
    (smoke test at a tiny size; speed is never asserted)."""
    bench = load_tool('analysis_tools/benchmark.py')
    entries = bench.benchmark([_toy('lipnet')], (64, 64),
                              repeat=2,
                              warmup=0,
                              device='cpu',
                              onnx=True,
                              variants=['fuse+cl'],
                              threads=1)
    assert [e.name.split(' ', 1)[-1] for e in entries[1:]] == [
        '[fuse_conv_bn] [channels_last]', '[onnxruntime]'
    ]
    assert all(len(e.times) == 2 and e.images_per_s > 0 for e in entries)
