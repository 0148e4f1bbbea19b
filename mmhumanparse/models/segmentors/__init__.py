from .multi_scale_encoder_decoder import MultiScaleEncoderDecoder
from .multi_task_encoder_decoder import MultiTaskEncoderDecoder
from .parsing_encoder_decoder import ParsingEncoderDecoder
from .parsing_tta import ParsingTTAModel

__all__ = [
    'ParsingEncoderDecoder', 'ParsingTTAModel', 'MultiTaskEncoderDecoder',
    'MultiScaleEncoderDecoder'
]
