"""PASCAL-Person-Part: 7 part classes, no left/right."""
from mmhumanparse.registry import DATASETS
from .base import ParsingSegDataset
from .metainfo import PPP_METAINFO


@DATASETS.register_module()
class PPPDataset(ParsingSegDataset):
    """PASCAL-Person-Part. Layout ``JPEGImages/ID.jpg``,
    ``SegmentationPart/ID.png``, lists ``list/{train,val}_id.txt``."""
    METAINFO = PPP_METAINFO
