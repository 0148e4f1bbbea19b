"""CIHP (Crowd Instance-level Human Parsing): semantic and instance views."""
from mmhumanparse.registry import DATASETS
from .base import ParsingSegDataset
from .metainfo import CIHP_METAINFO
from .multi_person import MultiPersonParsingDataset


@DATASETS.register_module()
class CIHPDataset(ParsingSegDataset):
    """CIHP as whole-image semantic parsing (mmseg pipeline).

    Layout ``instance-level_human_parsing/{Training,Validation}/{Images,
    Category_ids}`` with lists ``Training/train_id.txt`` and
    ``Validation/val_id.txt``.
    """
    METAINFO = CIHP_METAINFO


@DATASETS.register_module()
class CIHPInstanceDataset(MultiPersonParsingDataset):
    """CIHP for multi-person parsing (mmdet pipeline), from
    ``tools/dataset_converters/cihp2coco.py`` json. Person part maps are
    ``Category_ids`` restricted to ``Human_ids == id``.

    Args:
        global_seg_dir (str, optional): the split's ``Category_ids`` folder
            relative to ``data_root``, e.g.
            ``instance-level_human_parsing/Validation/Category_ids``; None
            composes the global part map from the persons.
    """
    METAINFO = dict(
        classes=('person', ),
        palette=[(220, 20, 60)],
        part_classes=CIHP_METAINFO['classes'],
        part_palette=CIHP_METAINFO['palette'],
        flip_pairs=CIHP_METAINFO['flip_pairs'])

    def __init__(self, global_seg_dir=None, **kwargs):
        self.global_seg_dir = global_seg_dir
        super().__init__(**kwargs)
