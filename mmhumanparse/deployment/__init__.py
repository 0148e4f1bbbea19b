"""Deployment: ONNX export of the single-person segmentors (dynamic batch,
dynamic H and W where the model allows), static int8 quantization with ONNX
Runtime, ONNX Runtime sessions (``onnx`` / ``onnxruntime`` are imported by
the functions that need them)."""
from .onnx_export import (ExportableParser, agreement, export_onnx,
                          follows_input_size, image_batch, load_parser,
                          ort_session, predict_labels)
from .quantize import quantize_int8, read_images

__all__ = [
    'ExportableParser', 'agreement', 'export_onnx', 'follows_input_size',
    'image_batch', 'load_parser', 'ort_session', 'predict_labels',
    'quantize_int8', 'read_images'
]
