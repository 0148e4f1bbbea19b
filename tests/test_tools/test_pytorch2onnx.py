"""tools/deployment/pytorch2onnx.py and mmhumanparse.deployment:
ONNX Runtime gives the labels of PyTorch (>= 99.9 % equal pixels) on toy
images, for a stock mmseg EncoderDecoder and our single-person segmentors'
toy configs; the graph's batch axis is dynamic (batch 2 and 3 against
PyTorch), and so are H and W where the model allows."""
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
from mmhumanparse.deployment import (ExportableParser, export_onnx,
                                     image_batch, load_parser, ort_session)
from mmhumanparse.testing.random_checkpoint import random_segmentor_checkpoint
from mmhumanparse.testing.tiny_configs import tiny_lip_config
from mmhumanparse.testing.tool_scripts import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _toy(method: str, pattern: str = '*toy*.py') -> str:
    found = sorted(glob.glob(osp.join(REPO, 'configs', method, pattern)))
    assert found, f'no config {pattern} under configs/{method}'
    return found[0]


# H and W follow the input in every graph but SS-NAN's (its multi-scale
# share-net turns the sizes into numbers: traced as constants)
DYNAMIC_HW = {'fcn-tiny': True, 'lipnet': True, 'c_dlinknet': True,
              'htcorrm': True, 'ss_nan': False}


def _config(method, tmp_path, toy_roots):
    if method == 'fcn-tiny':
        cfg = str(tmp_path / 'tiny.py')
        with open(cfg, 'w') as f:
            f.write(tiny_lip_config(toy_roots['LIP']))
        return cfg, (64, 48)
    if method == 'htcorrm':  # the parsing-main model
        return _toy(method, 'htcorrm-parsing_*toy*.py'), (128, 96)
    return _toy(method), (128, 96)


@pytest.mark.parametrize('method', sorted(DYNAMIC_HW))
def test_export_matches_pytorch(method, toy_roots, tmp_path, capsys):
    main = load_tool('deployment/pytorch2onnx.py').main
    cfg, shape = _config(method, tmp_path, toy_roots)
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
    dims = [d.dim_param or d.dim_value
            for d in graph.input[0].type.tensor_type.shape.dim]
    hw = ['H', 'W'] if DYNAMIC_HW[method] else list(shape)
    assert dims == ['N', 3, *hw]
    assert [o.name for o in graph.output] == ['logits', 'labels']


@pytest.mark.parametrize('method', ['lipnet', 'ss_nan'])
def test_dynamic_batch_against_pytorch(method, toy_roots, tmp_path):
    """Batch 2 (at the traced size, and at another size where H, W are
    dynamic): logits and labels equal PyTorch's."""
    cfg, shape = _config(method, tmp_path, toy_roots)
    ckpt = random_segmentor_checkpoint(
        cfg, str(tmp_path / 'm.pth'), dataset_meta=dict(LIP_METAINFO))
    out = str(tmp_path / 'm.onnx')
    wrapper = export_onnx(load_parser(cfg, ckpt), shape, out)
    assert wrapper.dynamic_hw is DYNAMIC_HW[method]
    session = ort_session(out)
    sizes = [shape] + ([(shape[0] - 32, shape[1] + 16)]
                       if wrapper.dynamic_hw else [])
    rng = np.random.default_rng(0)
    for h, w in sizes:
        x = rng.uniform(0, 255, (2, 3, h, w)).astype(np.float32)
        with torch.no_grad():
            ref_logits, ref_labels = wrapper(torch.from_numpy(x))
        logits, labels = session.run(['logits', 'labels'], {'img': x})
        assert logits.shape == (2, 20, h, w)
        np.testing.assert_allclose(logits, ref_logits.numpy(), atol=1e-3)
        assert (labels == ref_labels.numpy()).mean() >= 0.999
        # the two images differ, so must their results
        assert not np.allclose(logits[0], logits[1])


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
    """benchmark.py times the ONNX Runtime export (fp32 and int8) beside
    the eager model (smoke test at a tiny size; speed is never asserted)."""
    bench = load_tool('analysis_tools/benchmark.py')
    entries = bench.benchmark([_toy('lipnet')], (64, 64),
                              repeat=2,
                              warmup=0,
                              device='cpu',
                              onnx=True,
                              variants=['fuse+cl'],
                              threads=1,
                              int8_images=bench.calibration_images(num=2))
    assert [e.name.split(' ', 1)[-1] for e in entries[1:]] == [
        '[fuse_conv_bn] [channels_last]', '[onnxruntime]',
        '[onnxruntime int8]'
    ]
    assert all(len(e.times) == 2 and e.images_per_s > 0 for e in entries)


def _int8_export(cfg, ckpt, shape, out, calib_root, capsys, *extra):
    """pytorch2onnx.py --int8 --verify; returns (exit code, printed, int8
    vs fp32 agreement in %)."""
    main = load_tool('deployment/pytorch2onnx.py').main
    code = main([
        cfg, ckpt, '--shape', *map(str, shape), '--out', out, '--int8',
        '--calib-num', '8', '--verify', *extra, '--cfg-options',
        f'train_dataloader.dataset.data_root={calib_root}'
    ])
    printed = capsys.readouterr().out
    share = float(printed.split('int8 vs fp32 ONNX Runtime: ')[1].split()[0])
    return code, printed, share


def test_int8_export_untrained(toy_roots, tmp_path, capsys):
    """--int8 writes a quantized graph (int8 conv weights, calibrated on
    the config's training list, the layers at the input resolution kept
    fp32) with the dynamic batch; on an untrained
    LIP-Net its logits stay within 10 % (relative L2) of the fp32 graph's.
    Labels of random weights are too flat to compare: the >= 99 % label
    agreement is checked on the toy-trained LIP-Net (slow test below)."""
    cfg = _toy('lipnet')
    ckpt = random_segmentor_checkpoint(
        cfg, str(tmp_path / 'm.pth'), dataset_meta=dict(LIP_METAINFO))
    out = str(tmp_path / 'm.onnx')
    code, printed, share = _int8_export(
        cfg, ckpt, (128, 96), out, toy_roots['LIP'], capsys,
        '--min-int8-agreement', '0')
    assert code == 0, printed
    assert 'calibrated on 6 images of the training list' in printed
    int8 = str(tmp_path / 'm_int8.onnx')
    graph = onnx.load(int8).graph
    assert {'QuantizeLinear', 'DequantizeLinear'} <= {
        n.op_type for n in graph.node}
    int8_weights = [t for t in graph.initializer
                    if t.data_type == onnx.TensorProto.INT8 and t.dims
                    and len(t.dims) == 4]
    assert len(int8_weights) >= 10  # the conv kernels
    # LIP-Net's full-resolution stage 0 (before the first stride-2 op)
    # stays fp32 with constant weights and biases (the random checkpoint's
    # equal biases are stored once by the exporter: unshared, not
    # dequantized), the later stages run on dequantized int8 tensors
    dequantized = {n.output[0] for n in graph.node
                   if n.op_type == 'DequantizeLinear'}
    convs = [n for n in graph.node if n.op_type == 'Conv']
    assert not any(set(n.input) & dequantized for n in convs
                   if '/stages.0/' in n.name)
    assert all(set(n.input[:2]) <= dequantized for n in convs
               if '/stages.1/' in n.name)
    # the output tail stays fp32: the logits are the final Resize's float
    # output and the argmax reads them (uint8 logits tie and flip labels)
    producer = {o: n for n in graph.node for o in n.output}
    assert producer['logits'].op_type == 'Resize'
    assert producer['labels'].op_type == 'ArgMax'
    assert producer['labels'].input[0] == 'logits'
    assert not any(n.op_type == 'QuantizeLinear'
                   for n in graph.node if 'logits' in n.input)
    dims = [d.dim_param for d in graph.input[0].type.tensor_type.shape.dim]
    assert dims == ['N', '', 'H', 'W']
    images = [cv2.imread(p) for p in list_images(
        osp.join(toy_roots['LIP'], 'val_images'))]
    x = np.concatenate([image_batch(i, (96, 64)) for i in images[:2]])
    ref = ort_session(out).run(['logits'], {'img': x})[0]
    got = ort_session(int8).run(['logits'], {'img': x})[0]
    assert got.shape == (2, 20, 96, 64)
    err = np.linalg.norm(got - ref) / np.linalg.norm(ref - ref.mean())
    assert err < 0.1, err


def test_int8_session_pools_stage0_in_fp32(toy_roots, tmp_path):
    """ort_session keeps the MaxPool after LIP-Net's fp32 stage 0 in fp32:
    ONNX Runtime's QDQ propagation would move the QuantizeLinear behind
    it up front and pool on uint8 in a slow plain-layout kernel (14 of
    100 ms at 512 x 512)."""
    from mmhumanparse.deployment import quantize_int8
    from mmhumanparse.testing import toy_images
    cfg = _toy('lipnet')
    ckpt = random_segmentor_checkpoint(
        cfg, str(tmp_path / 'm.pth'), dataset_meta=dict(LIP_METAINFO))
    fp32, int8 = str(tmp_path / 'm.onnx'), str(tmp_path / 'i.onnx')
    export_onnx(load_parser(cfg, ckpt), (128, 96), fp32)
    quantize_int8(fp32, int8, toy_images(2), (128, 96))
    optimized = str(tmp_path / 'optimized.onnx')
    ort_session(int8, threads=1, optimized_model=optimized)
    graph = onnx.load(optimized).graph
    producer = {o: n for n in graph.node for o in n.output}
    pools = [n for n in graph.node if 'MaxPool' in n.op_type]
    assert len(pools) == 4  # after LIP-Net's stages 1-4
    assert not [
        n.name for n in pools if n.input[0] in producer
        and producer[n.input[0]].op_type == 'QuantizeLinear'
    ]


def test_unshare_initializers_and_output_tail():
    """Hand-made graph: two convs share a bias, an argmax follows the last
    conv; the fp32 conv gets its own copy of the bias, the other conv keeps
    the original, and the tail is the nodes after the last conv."""
    from onnx import TensorProto, helper, numpy_helper

    from mmhumanparse.deployment.quantize import (output_tail_nodes,
                                                  unshare_initializers)
    w = numpy_helper.from_array(np.ones((2, 2, 1, 1), np.float32), 'w')
    b = numpy_helper.from_array(np.zeros(2, np.float32), 'b')
    nodes = [
        helper.make_node('Conv', ['x', 'w', 'b'], ['y'], name='fp32_conv'),
        helper.make_node('Conv', ['y', 'w', 'b'], ['z'], name='int8_conv'),
        helper.make_node('Relu', ['z'], ['r'], name='relu'),
        helper.make_node('ArgMax', ['r'], ['a'], name='argmax', axis=1)
    ]
    info = [
        helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, 2, 1, 1])
        for n in ('x', 'r')
    ]
    model = helper.make_model(
        helper.make_graph(nodes, 'g', info[:1], info[1:], [w, b]))
    assert output_tail_nodes(model.graph) == ['relu', 'argmax']
    both = onnx.ModelProto()
    both.CopyFrom(model)  # both sharers fp32: the second keeps the original
    assert unshare_initializers(both, ['fp32_conv', 'int8_conv']) == 2
    assert list(both.graph.node[1].input[1:]) == ['w', 'b']
    assert unshare_initializers(model, ['fp32_conv']) == 2
    first, second = model.graph.node[:2]
    assert list(second.input[1:]) == ['w', 'b']
    assert not set(first.input[1:]) & {'w', 'b'}
    inits = {t.name: numpy_helper.to_array(t)
             for t in model.graph.initializer}
    np.testing.assert_array_equal(inits[first.input[1]], inits['w'])
    np.testing.assert_array_equal(inits[first.input[2]], inits['b'])
    onnx.checker.check_model(model)
    assert unshare_initializers(model, ['fp32_conv']) == 0
    # a node reading one shared constant twice gets one copy for both
    model.graph.node.insert(
        1, helper.make_node('Add', ['w', 'w'], ['w2'], name='fp32_add'))
    assert unshare_initializers(model, ['fp32_add']) == 1
    add = model.graph.node[1]  # the graph holds a copy of the node
    assert add.input[0] == add.input[1] != 'w'
    assert model.graph.node[2].input[1] == 'w'
    names = [t.name for t in model.graph.initializer]
    assert len(names) == len(set(names)) == 5


@pytest.mark.slow
def test_int8_agrees_on_toy_trained_lipnet(tmp_path, capsys):
    """The toy-trained LIP-Net (400 iterations) in int8, calibrated on 8
    images of its training list: >= 99 % of the toy val pixels get the
    fp32 graph's label."""
    from mmhumanparse.testing import make_toy_data
    root = make_toy_data(str(tmp_path / 'toy'), dataset='lip', num=200,
                         seed=1)['LIP']
    cfg, work = _toy('lipnet'), str(tmp_path / 'work')
    weights = str(tmp_path / 'class_weights.json')  # LIP-Net's weighted CE
    load_tool('analysis_tools/class_weights.py').main([
        cfg, '--out', weights, '--cfg-options',
        f'train_dataloader.dataset.data_root={root}'
    ])
    load_tool('train.py').main([
        cfg, '--work-dir', work, '--cfg-options',
        f'train_dataloader.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        f'model.decode_head.class_weight_file={weights}',
        'train_cfg.max_iters=400', 'train_cfg.val_interval=10000',
        'default_hooks.checkpoint.interval=400',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False'
    ])
    capsys.readouterr()
    code, printed, share = _int8_export(
        cfg, osp.join(work, 'iter_400.pth'), (128, 96),
        str(tmp_path / 'lipnet.onnx'), root, capsys, '--verify-images',
        osp.join(root, 'val_images'), '--verify-num', '1000')
    print(printed)
    assert code == 0, printed
    assert 'on 100 images' in printed  # the whole toy val split
    assert share >= 99.0
