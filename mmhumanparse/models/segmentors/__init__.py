from .parsing_encoder_decoder import ParsingEncoderDecoder
from .parsing_tta import ParsingTTAModel

__all__ = ['ParsingEncoderDecoder', 'ParsingTTAModel']
