from .palette import colorize, palette_lut, part_meta, save_indexed_png
from .panels import labelled_panel, legend, title_strip
from .parsing_visualizer import (ParsingLocalVisualizer, person_colors,
                                 place_labels)

__all__ = [
    'ParsingLocalVisualizer', 'colorize', 'palette_lut', 'part_meta',
    'person_colors', 'place_labels', 'save_indexed_png', 'labelled_panel',
    'legend', 'title_strip'
]
