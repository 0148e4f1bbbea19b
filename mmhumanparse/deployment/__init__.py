"""Deployment: ONNX export of the single-person segmentors and ONNX Runtime
sessions (``onnx`` / ``onnxruntime`` are imported by the functions that
need them)."""
from .onnx_export import (ExportableParser, agreement, export_onnx,
                          load_parser, ort_session)

__all__ = [
    'ExportableParser', 'agreement', 'export_onnx', 'load_parser',
    'ort_session'
]
