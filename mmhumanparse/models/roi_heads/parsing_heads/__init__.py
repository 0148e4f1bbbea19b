from .gce_head import GCEHead
from .parsing_iou_head import ParsingIoUHead

__all__ = ['GCEHead', 'ParsingIoUHead']
