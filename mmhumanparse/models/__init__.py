"""Models: importing this package registers every model module."""
from . import (backbones, decode_heads, detectors, losses, roi_heads,  # noqa
               seg_heads, segmentors, utils)
from .backbones import *  # noqa: F401,F403
from .decode_heads import *  # noqa: F401,F403
from .detectors import *  # noqa: F401,F403
from .roi_heads import *  # noqa: F401,F403
from .seg_heads import *  # noqa: F401,F403
from .segmentors import *  # noqa: F401,F403
