from .parsing_det_tta import ParsingDetTTAModel
from .parsing_rcnn import ParsingRCNN

__all__ = ['ParsingRCNN', 'ParsingDetTTAModel']
