"""MHP-v2 (Multi-Human Parsing v2): 59 classes, overlapping persons."""
from mmhumanparse.registry import DATASETS
from .metainfo import MHP_METAINFO
from .multi_person import MultiPersonParsingDataset


@DATASETS.register_module()
class MHPv2Dataset(MultiPersonParsingDataset):
    """MHP-v2 for multi-person parsing (mmdet pipeline), from
    ``tools/dataset_converters/mhp2coco.py`` json.

    Annotations ``parsing_annos/ID_NN_MM.png`` are 3-channel PNGs whose
    channel 0 as PIL reads it holds the labels; persons may overlap, so each
    keeps its own part map. The global part map is composed from the persons
    (later persons paint over earlier ones).
    """
    METAINFO = dict(
        classes=('person', ),
        palette=[(220, 20, 60)],
        part_classes=MHP_METAINFO['classes'],
        part_palette=MHP_METAINFO['palette'],
        flip_pairs=MHP_METAINFO['flip_pairs'])
