# Ablation (arXiv:2009.09447 Table 7): Parsing R-CNN + PRSN only (plain FPN).
_base_ = './rp-rcnn_r50_fpn_3x_cihp.py'
# no GSE branch: the RPN reads the FPN's P2-P6 (anchors 32-512 px)
model = dict(
    semantic_head=None,
    rpn_head=dict(anchor_generator=dict(strides=[4, 8, 16, 32, 64])))
