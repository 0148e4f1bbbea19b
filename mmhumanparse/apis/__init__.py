from mmhumanparse.visualization.palette import colorize
from .inference import build_parser, inference_parser, init_parser, is_detector
from .inputs import (check_array, is_image_file, is_video_file, list_images,
                     list_inputs, output_stems)
from .parsing_inferencer import HumanParsingInferencer
from .results import (decode_rle, encode_rle, label_map, logits,
                      parts_from_json, persons_to_json, sample_to_dict,
                      write_prediction)

__all__ = [
    'HumanParsingInferencer', 'init_parser', 'inference_parser',
    'build_parser', 'is_detector', 'colorize', 'check_array', 'list_images',
    'list_inputs', 'output_stems', 'is_image_file', 'is_video_file',
    'label_map', 'logits', 'persons_to_json', 'parts_from_json',
    'sample_to_dict', 'write_prediction', 'encode_rle', 'decode_rle'
]
