from .palette import colorize, palette_lut, part_meta, save_indexed_png
from .parsing_visualizer import ParsingLocalVisualizer, person_colors

__all__ = [
    'ParsingLocalVisualizer', 'colorize', 'palette_lut', 'part_meta',
    'person_colors', 'save_indexed_png'
]
