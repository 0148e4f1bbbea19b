# Ablation (arXiv:2009.09447 Table 8): PRSN only (plain FPN), MHP-v2.
_base_ = './rp-rcnn_r50_fpn_3x_mhp-v2.py'
# GSE-FPN without its semantic head is mmdet's FPN
model = _base_.model
model.neck.type = 'mmdet.FPN'
del model.neck.semantic_head
