# Ablation (arXiv:2009.09447 Table 7): Parsing R-CNN + PRSN only (plain FPN).
_base_ = './rp-rcnn_r50_fpn_3x_cihp.py'
model = dict(
    neck=dict(
        _delete_=True,
        type='mmdet.FPN',
        in_channels=[256, 512, 1024, 2048],
        out_channels=256,
        num_outs=5))
