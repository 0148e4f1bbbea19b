# Ablation (arXiv:2009.09447 Table 7): Parsing R-CNN + GSE-FPN only.
_base_ = './rp-rcnn_r50_fpn_3x_cihp.py'
model = dict(roi_head=dict(parsing_iou_head=None))
