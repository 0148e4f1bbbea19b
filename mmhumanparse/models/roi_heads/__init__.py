from .parsing_heads import GCEHead, ParsingIoUHead
from .parsing_roi_head import ParsingRoIHead

__all__ = ['GCEHead', 'ParsingIoUHead', 'ParsingRoIHead']
