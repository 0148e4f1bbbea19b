from mmhumanparse.visualization.palette import colorize
from .inference import inference_parser, init_parser, is_detector
from .inputs import is_image_file, is_video_file, list_images
from .results import (decode_rle, encode_rle, label_map, logits,
                      parts_from_json, persons_to_json)

__all__ = [
    'init_parser', 'inference_parser', 'is_detector', 'colorize',
    'list_images', 'is_image_file', 'is_video_file', 'label_map', 'logits',
    'persons_to_json', 'parts_from_json', 'encode_rle', 'decode_rle'
]
