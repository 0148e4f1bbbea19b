"""Data structures and the left/right swap shared by both pipelines."""
from .flip import (check_flip_pairs, flip_keypoints, flip_label_map, flip_lut,
                   flip_permutation, resolve_flip_pairs, swap_flip_channels,
                   swap_labels)
from .parsing_target import parsing_target, parsing_target_single

__all__ = [
    'check_flip_pairs', 'flip_keypoints', 'flip_label_map', 'flip_lut',
    'flip_permutation', 'resolve_flip_pairs', 'swap_flip_channels',
    'swap_labels', 'parsing_target', 'parsing_target_single'
]
