"""ATR: single-person parsing, 18 classes."""
from mmhumanparse.registry import DATASETS
from .base import ParsingSegDataset
from .metainfo import ATR_METAINFO


@DATASETS.register_module()
class ATRDataset(ParsingSegDataset):
    """ATR. Layout ``JPEGImages/ID.jpg``, ``SegmentationClassAug/ID.png``,
    split lists ``{train,val}_id.txt``."""
    METAINFO = ATR_METAINFO
