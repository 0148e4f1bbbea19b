# Ablation (arXiv:2009.09447 Table 8): PRSN only (plain FPN), MHP-v2.
_base_ = './rp-rcnn_r50_fpn_3x_mhp-v2.py'
model = dict(
    neck=dict(
        _delete_=True,
        type='mmdet.FPN',
        in_channels=[256, 512, 1024, 2048],
        out_channels=256,
        num_outs=5))
