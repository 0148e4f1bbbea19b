"""Static int8 quantization of an exported parser with ONNX Runtime.

The fp32 graph of :func:`~.onnx_export.export_onnx` is quantized with
``onnxruntime.quantization.quantize_static``: weights int8 per output
channel, activations uint8 (the VNNI-friendly pairing ONNX Runtime
recommends for x86 CPUs), QDQ format, activation ranges calibrated
(min/max) on a few real images run through the fp32 graph; the layers at
the input resolution and the output tail (the resizes of the logits and
the argmax) stay fp32 (:func:`quantize_int8`). The int8 graph keeps the
fp32 graph's input and outputs (``img`` BGR 0..255, ``logits``,
``labels``) and its dynamic axes. Run it with
:func:`~.onnx_export.ort_session`, which turns off one ONNX Runtime graph
rewrite that slows it down (see there).
"""
import os
import os.path as osp
import tempfile
from typing import List, Sequence

import numpy as np

from .onnx_export import image_batch


def read_images(paths, num: int) -> List[np.ndarray]:
    """BGR images of ``paths`` (a folder, read recursively, or a list of
    files): ``num`` readable ones spread evenly over the sorted list, e.g.
    calibration images from a training list."""
    import cv2

    from mmhumanparse.apis import list_images
    files = list_images(paths) if isinstance(paths, str) else list(paths)
    step = max(1, len(files) // max(num, 1))
    images = [cv2.imread(f) for f in files[::step]]
    return [i for i in images if i is not None][:num]


def input_resolution_nodes(graph) -> List[str]:
    """Names of the nodes before the first strided Conv / pooling of an
    ONNX graph (topological order): the layers at the input resolution."""
    names = []
    for node in graph.node:
        strides = [max(a.ints) for a in node.attribute
                   if a.name == 'strides' and a.ints]
        if node.op_type in ('Conv', 'MaxPool', 'AveragePool') and (
                strides and strides[0] > 1):
            break
        names.append(node.name)
    return [n for n in names if n]


def output_tail_nodes(graph) -> List[str]:
    """Names of the nodes after the last Conv of an ONNX graph
    (topological order): for a parser, the resizes of the classifier's
    logits to the image size and the argmax. Quantizing them would hand
    the argmax uint8 logits, whose ties flip labels."""
    convs = [i for i, n in enumerate(graph.node) if n.op_type == 'Conv']
    if not convs:
        return []
    return [n.name for n in graph.node[convs[-1] + 1:] if n.name]


def unshare_initializers(model, fp32_nodes: Sequence[str]) -> int:
    """Give every node of ``fp32_nodes`` its own copy of the initializers
    it shares with other nodes (in place); returns the number of copies.

    The exporter stores equal constants once (e.g. the all-zero biases of
    BN-folded convs of an untrained model). A constant shared by an fp32
    node and a quantized one is quantized, and the fp32 node then reads a
    DequantizeLinear output instead of a constant, which ONNX Runtime's
    blocked-layout (NCHWc) convolution needs.
    """
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    users: dict = {}
    for node in graph.node:
        for name in set(node.input) & set(inits):
            users[name] = users.get(name, 0) + 1
    keep, copies = set(fp32_nodes), 0
    for node in graph.node:
        if node.name not in keep:
            continue
        for name in dict.fromkeys(node.input):  # each name once, in order
            if users.get(name, 0) < 2:
                continue
            copy = type(inits[name])()
            copy.CopyFrom(inits[name])
            copy.name = f'{name}_fp32_{node.name}'
            graph.initializer.append(copy)
            for i, used in enumerate(node.input):
                if used == name:
                    node.input[i] = copy.name
            users[name] -= 1
            copies += 1
    return copies


def quantize_int8(fp32_path: str,
                  out: str,
                  images: Sequence[np.ndarray],
                  shape: Sequence[int],
                  fp32_input_layers: bool = True) -> str:
    """Write the int8 version of the fp32 graph ``fp32_path`` to ``out``.

    Args:
        fp32_path (str): the fp32 .onnx of ``export_onnx``.
        out (str): the int8 .onnx to write.
        images (list[np.ndarray]): BGR uint8 calibration images (e.g. a
            few of the training list), each resized to ``shape``.
        shape (tuple[int, int]): (H, W) of the calibration inputs.
        fp32_input_layers (bool): keep the layers at the input resolution
            (:func:`input_resolution_nodes`) in fp32. They see the image
            itself, have few channels and are memory-bound: ONNX Runtime
            runs them faster in fp32 (blocked layout) than in int8, whose
            depthwise kernels are slow at 3 to 16 channels, and int8 costs
            the most agreement there. On the toy-trained LIP-Net (400
            iterations, 100 toy val images at 128 x 96) the labels of the
            int8 graph equal the fp32 graph's on 99.06 % of the pixels
            with every layer but the output tail in int8 and on 99.47 %
            with the full-resolution stage 0 in fp32 too; at 512 x 512 on
            one thread the latter is also the faster (86 vs 92 ms).

        The output tail (:func:`output_tail_nodes`) always stays fp32.

    Returns:
        str: ``out``.

    Raises:
        ValueError: no calibration image.
    """
    import onnx
    from onnxruntime.quantization import (CalibrationDataReader,
                                          CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process
    if not len(images):
        raise ValueError('int8 quantization needs calibration images')

    class Reader(CalibrationDataReader):

        def __init__(self):
            self.batches = iter([{'img': image_batch(i, shape)}
                                 for i in images])

        def get_next(self):
            return next(self.batches, None)

    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # shape inference and graph clean-up first, as ONNX Runtime advises
        prepared = osp.join(tmp, 'prepared.onnx')
        quant_pre_process(fp32_path, prepared, skip_symbolic_shape=True)
        model = onnx.load(prepared)
        keep = input_resolution_nodes(
            model.graph) if fp32_input_layers else []
        keep += output_tail_nodes(model.graph)
        if unshare_initializers(model, keep):
            onnx.save(model, prepared)
        quantize_static(
            prepared,
            out,
            Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            nodes_to_exclude=keep)
    return out
