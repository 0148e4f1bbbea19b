"""Export an mmseg ``EncoderDecoder`` parser to ONNX and compare runtimes.

The graph is the model's own ``inference`` (``encode_decode``, plus the
left/right-swapping flip test if ``test_cfg.flip``) traced at one input
size, with the data preprocessor's channel swap and mean/std in front and
the argmax behind:

- input ``img``: (N, 3, H, W) float32 **BGR** pixels in 0..255;
- outputs ``logits`` (N, C, H, W) float32 and ``labels`` (N, H, W) int64.

Used by ``tools/deployment/pytorch2onnx.py`` and
``tools/analysis_tools/benchmark.py --onnx``. ``onnx`` and ``onnxruntime``
are imported inside the functions that need them.
"""
import os
import os.path as osp
from typing import Sequence, Tuple

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
        logits = self.model.inference(x, [self.meta] * img.shape[0])
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


def export_onnx(model: torch.nn.Module,
                shape: Sequence[int],
                out: str,
                opset: int = 17) -> ExportableParser:
    """Trace ``model`` at (1, 3, H, W) and write ``out``.

    Returns:
        ExportableParser: the traced wrapper (eager), for comparisons.
    """
    wrapper = ExportableParser(model, shape).eval()
    dummy = torch.rand(1, 3, *shape) * 255
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            wrapper, (dummy, ),
            out,
            input_names=['img'],
            output_names=['logits', 'labels'],
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False)
    try:
        import onnx
        onnx.checker.check_model(onnx.load(out))
    except ImportError:
        pass
    return wrapper


def ort_session(path: str, threads: int = 0):
    """ONNX Runtime CPU session with all graph optimizations.

    Args:
        threads (int): intra-op threads; 0 = ONNX Runtime's default.
    """
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        opts.intra_op_num_threads = threads
    return ort.InferenceSession(
        path, opts, providers=['CPUExecutionProvider'])


def agreement(wrapper: ExportableParser, session,
              images: Sequence[np.ndarray], shape: Sequence[int]) -> float:
    """Share of pixels whose ONNX Runtime label equals the PyTorch label.

    Each BGR image is resized (bilinear) to ``shape`` (H, W) first.
    """
    equal = total = 0
    for img in images:
        x = cv2.resize(img, (shape[1], shape[0]),
                       interpolation=cv2.INTER_LINEAR)
        x = x.transpose(2, 0, 1)[None].astype(np.float32)
        with torch.no_grad():
            ref = wrapper(torch.from_numpy(x))[1].numpy()
        got = session.run(['labels'], {'img': x})[0]
        equal += int((ref == got).sum())
        total += ref.size
    return equal / total
