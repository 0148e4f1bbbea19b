# Parsing R-CNN as re-implemented in RP R-CNN (arXiv:2009.09447 Table 8,
# first row): parsing-rcnn-gn_r50_fpn_3x_cihp.py on MHP-v2 (59 parts, the
# recipe of rp-rcnn_r50_fpn_3x_mhp-v2.py).
_base_ = '../rp_rcnn/rp-rcnn-prsn_r50_fpn_3x_mhp-v2.py'
model = dict(roi_head=dict(parsing_iou_head=None))
