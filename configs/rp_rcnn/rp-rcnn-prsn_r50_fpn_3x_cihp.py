# Ablation (arXiv:2009.09447 Table 7): Parsing R-CNN + PRSN only (plain FPN).
_base_ = './rp-rcnn_r50_fpn_3x_cihp.py'
# GSE-FPN without its semantic head is mmdet's FPN
model = _base_.model
model.neck.type = 'mmdet.FPN'
del model.neck.semantic_head
