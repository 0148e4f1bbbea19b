from .inference import colorize, inference_parser, init_parser

__all__ = ['init_parser', 'inference_parser', 'colorize']
