"""Dataset converters and label-file reading without the training stack.

Everything under ``mmhumanparse.converters`` imports only numpy, Pillow and
tqdm (never torch, mmcv, mmengine, mmseg or mmdet), so
``tools/dataset_converters/{cihp,mhp}2coco.py`` convert CIHP / MHP-v2 on a
data machine that has none of them; the loaders import
:func:`read_label_png` from here too. A test runs the converters with the
OpenMMLab stack blocked from import.
"""
from .cihp import cihp_to_coco
from .coco import converter_cli, dump_coco, mask_to_box
from .label_io import image_size, read_label_png
from .mhp import mhp_to_coco

__all__ = [
    'cihp_to_coco', 'mhp_to_coco', 'dump_coco', 'mask_to_box',
    'converter_cli', 'read_label_png', 'image_size'
]
