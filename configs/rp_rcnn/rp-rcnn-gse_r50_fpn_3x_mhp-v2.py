# Ablation (arXiv:2009.09447 Table 8): GSE-FPN only, MHP-v2.
_base_ = './rp-rcnn_r50_fpn_3x_mhp-v2.py'
model = dict(roi_head=dict(parsing_iou_head=None))
