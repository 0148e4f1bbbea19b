"""Export an mmseg ``EncoderDecoder`` parser to ONNX and compare runtimes.

The graph is the model's own ``inference`` (``encode_decode``, plus the
left/right-swapping flip test if ``test_cfg.flip``) traced at one input
size, with the data preprocessor's channel swap and mean/std in front and
the argmax behind:

- input ``img``: (N, 3, H, W) float32 **BGR** pixels in 0..255;
- outputs ``logits`` (N, C, H, W) float32 and ``labels`` (N, H, W) int64.

``N`` is a dynamic axis; ``H`` and ``W`` are dynamic where the model
allows (:func:`export_onnx`).

Used by ``tools/deployment/pytorch2onnx.py`` and
``tools/analysis_tools/benchmark.py --onnx``. ``onnx`` and ``onnxruntime``
are imported inside the functions that need them.
"""
import os
import os.path as osp
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
import torch


class ExportableParser(torch.nn.Module):
    """BGR image tensor -> (logits, labels) through a segmentor.

    Args:
        model (nn.Module): an mmseg ``EncoderDecoder`` (or subclass) with
            an mmseg ``SegDataPreProcessor``.
        shape (tuple[int, int]): (H, W) the graph is traced at.
    """

    def __init__(self, model: torch.nn.Module, shape: Sequence[int]):
        super().__init__()
        from mmseg.models.segmentors import EncoderDecoder
        if not isinstance(model, EncoderDecoder):
            raise TypeError('ONNX export supports mmseg EncoderDecoder '
                            'segmentors (ParsingEncoderDecoder and its '
                            f'subclasses), got {type(model).__name__}')
        self.model = model
        pre = model.data_preprocessor
        self.swap_rb = bool(getattr(pre, 'channel_conversion', False))
        self.normalize = bool(getattr(pre, '_enable_normalize', False))
        h, w = (int(s) for s in shape)
        meta = dict(
            img_shape=(h, w),
            ori_shape=(h, w),
            pad_shape=(h, w),
            padding_size=[0, 0, 0, 0],
            flip=False)
        flip_pairs = (getattr(model, 'dataset_meta', None)
                      or {}).get('flip_pairs')
        if flip_pairs is not None:
            meta['flip_pairs'] = flip_pairs
        self.meta = meta

    def forward(self, img: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """img (N, 3, H, W) BGR 0..255 -> logits (N, C, H, W), labels
        (N, H, W)."""
        x = img[:, [2, 1, 0]] if self.swap_rb else img
        if self.normalize:
            pre = self.model.data_preprocessor
            x = (x - pre.mean) / pre.std
        # the image size read from the input, so that a trace records it
        # as the input's shape (dynamic H, W) rather than a constant
        hw = img.shape[-2:]
        meta = dict(self.meta, img_shape=hw, ori_shape=hw, pad_shape=hw)
        logits = self.model.inference(x, [meta] * img.shape[0])
        return logits, logits.argmax(dim=1)


def load_parser(config: str,
                checkpoint: str,
                cfg_options=None,
                fuse_conv_bn: bool = False) -> torch.nn.Module:
    """init_parser on CPU (SyncBN reverted), optionally with BN folded."""
    from mmengine.model import revert_sync_batchnorm

    from mmhumanparse.apis import init_parser
    model = revert_sync_batchnorm(
        init_parser(config, checkpoint, 'cpu', cfg_options))
    if fuse_conv_bn:
        from mmcv.cnn import fuse_conv_bn as fuse
        model = fuse(model)
    return model.eval()


def _trace(wrapper: ExportableParser, shape: Sequence[int], out: str,
           opset: int, dynamic_hw: bool) -> None:
    # batch 2: a batch of 1 may be traced as a constant
    dummy = torch.rand(2, 3, *shape) * 255
    axes = {0: 'N', 2: 'H', 3: 'W'} if dynamic_hw else {0: 'N'}
    label_axes = {0: 'N', 1: 'H', 2: 'W'} if dynamic_hw else {0: 'N'}
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            wrapper, (dummy, ),
            out,
            input_names=['img'],
            output_names=['logits', 'labels'],
            dynamic_axes=dict(img=axes, logits=axes, labels=label_axes),
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False)
    try:
        import onnx
        onnx.checker.check_model(onnx.load(out))
    except ImportError:
        pass


def follows_input_size(wrapper: ExportableParser, path: str,
                       shape: Sequence[int]) -> bool:
    """Whether the graph at ``path`` gives PyTorch's labels (>= 99.9 %) at
    a size other than the traced ``shape`` (32 px taller and wider): a
    model whose code turns sizes into Python numbers is traced with them
    as constants."""
    probe = np.random.default_rng(0).uniform(
        0, 255, (1, 3, shape[0] + 32, shape[1] + 32)).astype(np.float32)
    try:
        got = predict_labels(ort_session(path), probe)
    except Exception:  # ONNX Runtime rejects the shapes inside the graph
        return False
    ref = predict_labels(wrapper, probe)
    return got.shape == ref.shape and (got == ref).mean() >= 0.999


def export_onnx(model: torch.nn.Module,
                shape: Sequence[int],
                out: str,
                opset: int = 17,
                dynamic_hw: Optional[bool] = None) -> ExportableParser:
    """Trace ``model`` at (2, 3, H, W) and write ``out``.

    The batch axis ``N`` of the graph is dynamic. ``H`` and ``W`` are
    dynamic if ``dynamic_hw`` is True, fixed to ``shape`` if False; None
    (default): dynamic where the model allows it, i.e. where the dynamic
    graph passes :func:`follows_input_size` (needs ``onnxruntime``), else
    fixed.

    Args:
        model (nn.Module): see :class:`ExportableParser`.
        shape (tuple[int, int]): (H, W) of the trace.
        out (str): the .onnx file to write.
        opset (int): ONNX opset.
        dynamic_hw (bool, optional): dynamic H and W axes.

    Returns:
        ExportableParser: the traced wrapper (eager), for comparisons; its
        ``dynamic_hw`` says whether the graph's H and W are dynamic.
    """
    wrapper = ExportableParser(model, shape).eval()
    _trace(wrapper, shape, out, opset, dynamic_hw is not False)
    if dynamic_hw is None:
        dynamic_hw = follows_input_size(wrapper, out, shape)
        if not dynamic_hw:
            _trace(wrapper, shape, out, opset, False)
    wrapper.dynamic_hw = bool(dynamic_hw)
    return wrapper


# ONNX Runtime moves a QuantizeLinear up through the MaxPool in front of
# it; at the fp32 -> int8 border of quantize_int8's graphs (the pooling
# after LIP-Net's fp32 stage 0) that MaxPool then runs on uint8 in a slow
# plain-layout kernel: 14 ms of 100 ms per 512 x 512 image on one thread,
# against 1 ms in fp32. No effect on graphs without QuantizeLinear.
DISABLED_OPTIMIZERS = ('QDQPropagationTransformer', )


def ort_session(path: str, threads: int = 0, optimized_model: str = None):
    """ONNX Runtime CPU session with all graph optimizations but
    :data:`DISABLED_OPTIMIZERS`.

    Args:
        path (str): the .onnx file.
        threads (int): intra-op threads; 0 = ONNX Runtime's default.
        optimized_model (str, optional): also write the graph as ONNX
            Runtime optimized it there (to inspect it).
    """
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        opts.intra_op_num_threads = threads
    if optimized_model:
        opts.optimized_model_filepath = optimized_model
    return ort.InferenceSession(
        path,
        opts,
        providers=['CPUExecutionProvider'],
        disabled_optimizers=list(DISABLED_OPTIMIZERS))


def image_batch(img: np.ndarray, shape: Sequence[int]) -> np.ndarray:
    """A BGR uint8 (H0, W0, 3) image as the graph's (1, 3, H, W) float32
    input, resized (bilinear) to ``shape`` (H, W)."""
    x = cv2.resize(img, (int(shape[1]), int(shape[0])),
                   interpolation=cv2.INTER_LINEAR)
    return x.transpose(2, 0, 1)[None].astype(np.float32)


def predict_labels(parser, x: np.ndarray) -> np.ndarray:
    """labels (N, H, W) int64 of an :class:`ExportableParser` (PyTorch) or
    an ONNX Runtime session for the (N, 3, H, W) float32 BGR input."""
    if isinstance(parser, torch.nn.Module):
        with torch.no_grad():
            return parser(torch.from_numpy(x))[1].numpy()
    return parser.run(['labels'], {'img': x})[0]


def agreement(reference, candidate, images: Sequence[np.ndarray],
              shape: Sequence[int]) -> float:
    """Share of pixels whose ``candidate`` label equals the ``reference``
    label (each an :class:`ExportableParser` or an ONNX Runtime session,
    e.g. PyTorch vs fp32 ONNX, or fp32 vs int8 ONNX).

    Each BGR image is resized (bilinear) to ``shape`` (H, W); all run as
    one batch (N = number of images).
    """
    x = np.concatenate([image_batch(img, shape) for img in images])
    return float(
        (predict_labels(reference, x) == predict_labels(candidate, x)).mean())
