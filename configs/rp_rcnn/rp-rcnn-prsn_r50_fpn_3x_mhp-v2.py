# Ablation (arXiv:2009.09447 Table 8): PRSN only (plain FPN), MHP-v2.
_base_ = './rp-rcnn_r50_fpn_3x_mhp-v2.py'
# no GSE branch: the RPN reads the FPN's P2-P6 (anchors 32-512 px)
model = dict(
    semantic_head=None,
    rpn_head=dict(anchor_generator=dict(strides=[4, 8, 16, 32, 64])))
