"""Pure-numpy metric kernels (no OpenMMLab imports).

``edge_bsds`` wraps pyEdgeEval (imported on first use). mIoU / pixel acc /
mean acc come from mmseg's ``IoUMetric`` static methods, see
``metrics/utils.py``.
"""
from .atr import atr_scores
from .edge import (default_thresholds, disk_max_filter, edge_ods_ois,
                   edge_pr_counts, prepare_edge_maps)
from .edge_bsds import bsds_edge_counts, bsds_ods_ois_ap
from .parsing_ap import (DEFAULT_IOU_THRS, eval_parsing_ap, nanmean_last,
                         parsing_ap_from_tables, summarize_iou_table, voc_ap)
from .parsing_ious import parsing_iou_table, parsing_iou_tables
from .pckh import MPII_JOINT_GROUPS, pckh

__all__ = [
    'eval_parsing_ap', 'parsing_iou_table', 'parsing_iou_tables',
    'parsing_ap_from_tables', 'summarize_iou_table', 'voc_ap',
    'nanmean_last', 'DEFAULT_IOU_THRS', 'atr_scores',
    'pckh', 'MPII_JOINT_GROUPS', 'edge_pr_counts', 'edge_ods_ois',
    'disk_max_filter', 'default_thresholds', 'prepare_edge_maps',
    'bsds_edge_counts', 'bsds_ods_ois_ap'
]
