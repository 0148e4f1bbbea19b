"""Toy CIHP for detector tests and the multi-person demo: COCO jsons from a
toy CIHP root (the converter of tools/dataset_converters/cihp2coco.py) and
a detector config pointed at them."""
import os.path as osp
from typing import Dict

from mmengine.config import Config

from mmhumanparse.converters import cihp_to_coco, dump_coco

# CIHP's own folders (docs/datasets.md)
CIHP_SPLITS = dict(
    train='instance-level_human_parsing/Training',
    val='instance-level_human_parsing/Validation')


def write_cihp_coco(root: str, out_dir: str) -> Dict[str, str]:
    """Convert the train and val splits of a (toy) CIHP root.

    Args:
        root (str): CIHP root (``instance-level_human_parsing/...`` inside).
        out_dir (str): where ``cihp_{train,val}.json`` are written.

    Returns:
        dict: split name -> absolute json path (a relative one would be
        read below the dataset's ``data_root``).
    """
    paths = {}
    for split in ('train', 'val'):
        paths[split] = osp.abspath(osp.join(out_dir, f'cihp_{split}.json'))
        dump_coco(cihp_to_coco(root, split, verbose=False), paths[split])
    return paths


def cihp_config(path: str, root: str, anns: Dict[str, str]) -> Config:
    """Load a CIHP detector config with its loaders and its COCO metric
    pointed at ``root`` and the jsons of :func:`write_cihp_coco`."""
    cfg = Config.fromfile(path)
    for name, split in (('train_dataloader', 'train'),
                        ('val_dataloader', 'val'), ('test_dataloader',
                                                    'val')):
        ds = cfg[name].dataset
        ds.data_root = root
        ds.ann_file = anns[split]
        ds.data_prefix = dict(img=CIHP_SPLITS[split] + '/Images')
        ds.global_seg_dir = CIHP_SPLITS[split] + '/Category_ids'
    for key in ('val_evaluator', 'test_evaluator'):
        for metric in cfg[key]:
            if 'CocoMetric' in metric.type:
                metric.ann_file = anns['val']
    return cfg
