"""Models: importing this package registers every model module."""
from . import (backbones, decode_heads, detectors, losses, necks,  # noqa
               roi_heads, segmentors, utils)
from .backbones import *  # noqa: F401,F403
from .decode_heads import *  # noqa: F401,F403
from .detectors import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .roi_heads import *  # noqa: F401,F403
from .segmentors import *  # noqa: F401,F403
