"""Test fixtures and helpers (as ``mmdet.testing``): toy data, slow
references, tiny configs. Imported by tests, tools and the demo, never by
the library itself."""
from .toy_data import DATASETS, ToyRoots, make_toy_data, toy_images
from .toy_scenes import synthetic_person

__all__ = [
    'DATASETS', 'ToyRoots', 'make_toy_data', 'synthetic_person', 'toy_images'
]
