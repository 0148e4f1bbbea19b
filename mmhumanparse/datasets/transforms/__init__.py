from .flip import HumanDetRandomFlip, HumanRandomFlip
from .formatting import PackParsingDetInputs, PackParsingInputs
from .geometric import HumanDetResize, HumanRandomCrop, HumanRandomRotate
from .loading import LoadMultiPersonAnnotations, LoadParsingAnnotations
from .targets import *  # noqa: F401,F403
from .targets import __all__ as _target_names

__all__ = [
    'HumanRandomFlip', 'HumanDetRandomFlip', 'PackParsingInputs',
    'PackParsingDetInputs', 'HumanRandomCrop', 'HumanRandomRotate',
    'HumanDetResize', 'LoadParsingAnnotations', 'LoadMultiPersonAnnotations'
]
__all__ += list(_target_names)
