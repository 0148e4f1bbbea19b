"""Test fixtures and helpers (as ``mmdet.testing``): toy data, slow
references, tiny configs. Imported by tests, tools and the demo, never by
the library itself."""
