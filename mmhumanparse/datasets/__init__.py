from .atr import ATRDataset
from .cihp import CIHPDataset, CIHPInstanceDataset
from .lip import LIPDataset
from .mhp import MHPv2Dataset
from .ppp import PPPDataset
from .transforms import *  # noqa: F401,F403

__all__ = [
    'LIPDataset', 'ATRDataset', 'PPPDataset', 'CIHPDataset',
    'CIHPInstanceDataset', 'MHPv2Dataset'
]
